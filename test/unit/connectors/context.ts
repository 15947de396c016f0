// Task contexts for connector tests: offsets come from a plain list, as the state store would give them.
import type {
  ConnectorPlugin,
  SinkTaskContext,
  SourceTaskContext,
} from '../../../lib/api/connector.js';
import type { OffsetEntry } from '../../../lib/api/source-offsets.js';
import type { WarmResources } from '../../../lib/api/warm-resources.js';
import { WarmResourceCache } from '../../../lib/runtime/warm-resource-cache.js';
import { canonicalJson } from '../../../lib/state/canonical-json.js';

/** Warm resources of a cache of the test's own, as a slice sees them. */
const resources = () => new WarmResourceCache().forSlice().resources;

/**
 * A container's warm resources for one slice of a test: `resources` goes into the task's
 * context, and `end()` gives them back and closes them all, as a container that goes away does.
 * A check that nothing stays open looks after `end()`: what a task keeps warm is not a leak.
 */
export function testContainer(): { resources: WarmResources; end(): Promise<void> } {
  const cache = new WarmResourceCache();
  const lent = cache.forSlice();
  return {
    resources: lent.resources,
    end: async () => {
      lent.release();
      await cache.closeAll();
    },
  };
}

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

export function sinkContext(overrides: Partial<SinkTaskContext> = {}): SinkTaskContext {
  return {
    connector: 'test-connector',
    taskId: 0,
    signal: new AbortController().signal,
    resources: resources(),
    ...overrides,
  };
}

/** A plugin's new task (its task code loaded on demand), typed as the plugin's kind of task. */
export function createTask<P extends ConnectorPlugin>(
  plugin: P,
): Promise<Awaited<ReturnType<P['createTask']>>> {
  return plugin.createTask() as Promise<Awaited<ReturnType<P['createTask']>>>;
}
