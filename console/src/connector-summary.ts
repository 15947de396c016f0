import type { ConnectorMetrics, ConnectorStatus, TaskCounters } from './api-types.js';
import { firstLine } from './format.js';

/**
 * The last error worth showing for a connector: the connector's own failure, else a failed
 * task's, else the newest record error a task reported (tolerated ones included).
 */
export function lastErrorOf(
  status: ConnectorStatus,
  metrics: ConnectorMetrics | undefined,
): { readonly message: string; readonly at?: number } | undefined {
  if (status.connector.trace) return { message: firstLine(status.connector.trace) };
  const failed = status.tasks.find((t) => t.state === 'FAILED' && t.trace);
  if (failed?.trace) return { message: `task ${failed.id}: ${firstLine(failed.trace)}` };
  const newest = (metrics?.tasks ?? [])
    .flatMap((t) => (t.last_error ? [{ id: t.id, ...t.last_error }] : []))
    .sort((a, b) => b.at - a.at)[0];
  return newest && { message: `task ${newest.id}: ${firstLine(newest.message)}`, at: newest.at };
}

/** A counter summed over the connector's tasks. */
export function totalOf(
  metrics: ConnectorMetrics | undefined,
  counter: keyof TaskCounters,
): number {
  return (metrics?.tasks ?? []).reduce((sum, t) => sum + t.totals[counter], 0);
}
