import { createApi, type Api, type ApiDeps } from '../../../lib/http/api.js';
import { bearerTokenAuthorizer } from '../../../lib/http/auth.js';
import type { HttpRequest } from '../../../lib/http/types.js';
import { ConnectorService } from '../../../lib/management/connector-service.js';
import { createBuiltinRegistry } from '../../../lib/platform/builtins.js';
import { ZERO_COUNTERS } from '../../../lib/state/items.js';
import type {
  ConnectorRecord,
  ConnectorState,
  StateStore,
  TaskCounters,
  TaskRecord,
} from '../../../lib/state/types.js';

export const T0 = 1_764_000_000_000;
export const ADMIN_TOKEN = 'a'.repeat(32);

/** A connector as the state table holds it, with `taskCount` task configs and no task item yet. */
export function connectorState(
  name: string,
  config: Record<string, string>,
  options: { taskCount?: number; tasks?: TaskRecord[] } = {},
): ConnectorState {
  const connector: ConnectorRecord = {
    name,
    config: { ...config, name },
    targetState: 'RUNNING',
    version: 1,
    createdAt: T0,
    updatedAt: T0,
  };
  return {
    connector,
    taskConfigs: {
      connector: name,
      generation: 0,
      configVersion: 1,
      tasks: Array.from({ length: options.taskCount ?? 1 }, () => ({ ...config })),
    },
    tasks: options.tasks ?? [],
  };
}

/** A task item whose slices reported these totals (and, optionally, a last slice and error). */
export function taskRecord(
  connector: string,
  taskId: number,
  metrics: {
    totals?: Partial<TaskCounters>;
    lastSlice?: { startedAt: number; endedAt: number; counters?: Partial<TaskCounters> };
    lastError?: { at: number; message: string };
  } = {},
): TaskRecord {
  const { lastSlice, lastError } = metrics;
  return {
    connector,
    taskId,
    generation: 0,
    lease: { epoch: 1, expiresAt: T0 },
    status: { state: 'RUNNING', restartCount: 0, updatedAt: T0 },
    metrics: {
      totals: { ...ZERO_COUNTERS, ...metrics.totals },
      ...(lastSlice && {
        lastSlice: { ...lastSlice, counters: { ...ZERO_COUNTERS, ...lastSlice.counters } },
      }),
      ...(lastError && { lastError }),
    },
  };
}

/** A state store that only reads, from fixed connectors: what the read routes need. */
function readOnlyStore(states: readonly ConnectorState[]): StateStore {
  const named = (name: string) => states.find((s) => s.connector.name === name);
  const store: Pick<
    StateStore,
    'describeConnector' | 'getConnector' | 'listConnectors' | 'snapshot'
  > = {
    describeConnector: (name) => Promise.resolve(named(name)),
    getConnector: (name) => Promise.resolve(named(name)?.connector),
    listConnectors: () => Promise.resolve({ items: states.map((s) => s.connector) }),
    snapshot: () =>
      Promise.resolve({
        connectors: states.map((s) => s.connector),
        taskConfigs: states.flatMap((s) => (s.taskConfigs ? [s.taskConfigs] : [])),
        tasks: states.flatMap((s) => s.tasks),
        connectorStatuses: states.flatMap((s) => (s.status ? [s.status] : [])),
      }),
  };
  // Any other call fails the test ("is not a function").
  return store as StateStore;
}

export interface TestApi {
  readonly api: Api;
  readonly logs: string[];
}

/** createApi over fixed connectors, bearer auth with ADMIN_TOKEN, the clock at T0. */
export function testApi(
  states: readonly ConnectorState[] = [],
  overrides: Partial<ApiDeps> = {},
): TestApi {
  const logs: string[] = [];
  const store = readOnlyStore(states);
  const registry = createBuiltinRegistry();
  const api = createApi({
    service: new ConnectorService({ store, registry }),
    store,
    registry,
    authorize: bearerTokenAuthorizer({ admin: ADMIN_TOKEN }),
    info: { version: '1.2.3', commit: 'abc', clusterId: 'test-table' },
    consoleFiles: () => Promise.reject(new Error('no console in this test')),
    log: (line) => logs.push(line),
    now: () => T0,
    ...overrides,
  });
  return { api, logs };
}

/** A GET request; `token: true` adds the admin token. */
export function get(path: string, options: { accept?: string; token?: boolean } = {}): HttpRequest {
  const [pathname = '', query = ''] = path.split('?');
  return {
    method: 'GET',
    path: pathname,
    query: new URLSearchParams(query),
    headers: {
      ...(options.accept === undefined ? {} : { accept: options.accept }),
      ...(options.token ? { authorization: `Bearer ${ADMIN_TOKEN}` } : {}),
    },
  };
}

/**
 * Every task counter at zero, as the metrics route spells them (snake_case, in TASK_COUNTERS'
 * order): written out, so that a test of the route pins its wire format.
 */
export const ZERO_COUNTER_VALUES = {
  source_record_poll: 0,
  source_record_write: 0,
  sink_record_read: 0,
  sink_record_send: 0,
  record_filtered: 0,
  record_errors: 0,
  record_retries: 0,
  dead_lettered: 0,
  offset_commits: 0,
  slices: 0,
  slice_millis: 0,
} as const;
