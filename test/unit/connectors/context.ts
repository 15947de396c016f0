// Task contexts for connector tests: offsets come from a plain list, as the state store would give them.
import type {
  ConnectorPlugin,
  SinkTaskContext,
  SourceTaskContext,
} from '../../../lib/api/connector.js';
import type { OffsetEntry } from '../../../lib/api/source-offsets.js';
import { canonicalJson } from '../../../lib/state/canonical-json.js';

export function sourceContext(
  committed: readonly OffsetEntry[] = [],
  overrides: Partial<SourceTaskContext> = {},
): SourceTaskContext {
  return {
    connector: 'test-connector',
    taskId: 0,
    signal: new AbortController().signal,
    offsets: {
      read: (partitions) => {
        const wanted = new Set(partitions.map((p) => canonicalJson(p, 'partition')));
        return Promise.resolve(
          committed.filter((e) => wanted.has(canonicalJson(e.partition, 'partition'))),
        );
      },
    },
    ...overrides,
  };
}

export function sinkContext(): SinkTaskContext {
  return { connector: 'test-connector', taskId: 0, signal: new AbortController().signal };
}

/**
 * A plugin's new task. One helper for every test, so that a `createTask` that may return a
 * promise (task code loaded lazily) changes one line here.
 */
export function createTask<P extends ConnectorPlugin>(
  plugin: P,
): Promise<Awaited<ReturnType<P['createTask']>>> {
  return Promise.resolve(plugin.createTask() as Awaited<ReturnType<P['createTask']>>);
}
