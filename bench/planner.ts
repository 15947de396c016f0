import { ZERO_COUNTERS } from '../lib/state/items.js';
/**
 * Planner time for 10,000 connectors x 8 tasks (pure CPU, no services): the first plan (every
 * task config written), a steady state (every slice holding a live lease), and an idle state
 * (every task free, so each gets a slice).   npm run bench:planner
 */
import { plan, type TaskConfigsFor } from '../lib/coordinator/planner.js';
import type {
  ConnectorRecord,
  StateSnapshot,
  TaskConfigsRecord,
  TaskRecord,
} from '../lib/state/types.js';
import { formatTable, percentile, type Row } from './stats.js';

const CONNECTORS = 10_000;
const TASKS = 8;
const RUNS = 7;
const now = Date.now();

const taskConfigsFor: TaskConfigsFor = (c) =>
  Array.from({ length: TASKS }, (_, i) => ({ ...c.config, 'task.id': String(i) }));

const connectors: ConnectorRecord[] = Array.from({ length: CONNECTORS }, (_, i) => ({
  name: `connector-${i}`,
  config: {
    name: `connector-${i}`,
    'connector.class': 'FileStreamSource',
    'tasks.max': String(TASKS),
    file: `/data/in-${i}.txt`,
    topic: `topic-${i}`,
  },
  targetState: 'RUNNING',
  version: 1,
  createdAt: now,
  updatedAt: now,
}));
const taskConfigs: TaskConfigsRecord[] = connectors.map((c) => ({
  connector: c.name,
  generation: 0,
  configVersion: 1,
  tasks: taskConfigsFor(c) as TaskConfigsRecord['tasks'],
}));
const tasks = (holder: string | undefined): TaskRecord[] =>
  connectors.flatMap((c) =>
    Array.from({ length: TASKS }, (_, taskId) => ({
      connector: c.name,
      taskId,
      generation: 0,
      lease: { epoch: 1, expiresAt: now + 60_000, ...(holder ? { holder } : {}) },
      status: { state: 'RUNNING' as const, restartCount: 0, updatedAt: now },
      metrics: { totals: ZERO_COUNTERS },
    })),
  );
const statuses = connectors.map((c) => ({
  connector: c.name,
  state: 'RUNNING' as const,
  updatedAt: now,
}));

const scenarios: [string, StateSnapshot][] = [
  ['first plan (all new)', { connectors, taskConfigs: [], tasks: [], connectorStatuses: [] }],
  [
    'steady (all leases live)',
    { connectors, taskConfigs, tasks: tasks('slice'), connectorStatuses: statuses },
  ],
  [
    'idle (all tasks free)',
    { connectors, taskConfigs, tasks: tasks(undefined), connectorStatuses: statuses },
  ],
];

const rows: Row[] = scenarios.map(([name, snapshot]) => {
  const times: number[] = [];
  let actions = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    actions = plan({ now, snapshot, taskConfigsFor }).length;
    times.push(performance.now() - started);
  }
  return {
    benchmark: `plan ${CONNECTORS} x ${TASKS}`,
    setting: `${name}, ${actions} actions`,
    count: RUNS,
    perSecond: 1000 / percentile(times, 50),
    p50Ms: percentile(times, 50),
    p99Ms: Math.max(...times),
  };
});
console.log(`planner, ${RUNS} runs per scenario (p99 column = slowest run)\n`);
console.log(formatTable(rows));
