// Task contexts for connector tests: offsets come from a plain list, as the state store would give them.
import type {
  ConnectorPlugin,
  SinkTaskContext,
  SourceTaskContext,
} from '../../../lib/api/connector.js';
import type { OffsetEntry } from '../../../lib/api/source-offsets.js';
import { WarmResourceCache } from '../../../lib/runtime/warm-resource-cache.js';
import { canonicalJson } from '../../../lib/state/canonical-json.js';

/** Warm resources of a cache of the test's own, as a slice sees them. */
const resources = () => new WarmResourceCache().forSlice().resources;

export function sourceContext(
  committed: readonly OffsetEntry[] = [],
  overrides: Partial<SourceTaskContext> = {},
): SourceTaskContext {
  return {
    connector: 'test-connector',
    taskId: 0,
    signal: new AbortController().signal,
    resources: resources(),
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
  return {
    connector: 'test-connector',
    taskId: 0,
    signal: new AbortController().signal,
    resources: resources(),
  };
}

/** A plugin's new task (its task code loaded on demand), typed as the plugin's kind of task. */
export function createTask<P extends ConnectorPlugin>(
  plugin: P,
): Promise<Awaited<ReturnType<P['createTask']>>> {
  return plugin.createTask() as Promise<Awaited<ReturnType<P['createTask']>>>;
}
