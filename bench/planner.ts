/**
 * Planner time for 10,000 connectors x 8 tasks (pure CPU, no services): the first plan (every
 * task config written), a steady state (every slice holding a live lease), and an idle state
 * (every task free, so each gets a slice). Each scenario runs the planner and the plain version
 * it replaced (test/unit/coordinator/planner-reference.ts, "before") in turns, in one run, so
 * the machine's load weighs on both alike. CPU ms is the process's CPU time during the call
 * (less sensitive than wall time to other jobs on the machine); "plugin ms" is the part of the
 * wall time spent in the connectors' own `taskConfigs` (the bench's plugin), which no planner
 * can save.   npm run bench:planner
 */
import { plan, type PlanInput, type TaskConfigsFor } from '../lib/coordinator/planner.js';
import { ZERO_COUNTERS } from '../lib/state/items.js';
import type {
  ConnectorRecord,
  StateSnapshot,
  TaskConfigsRecord,
  TaskRecord,
} from '../lib/state/types.js';
import { referencePlan } from '../test/unit/coordinator/planner-reference.js';
import { formatGrid, percentile } from './stats.js';

const CONNECTORS = 10_000;
const TASKS = 8;
const RUNS = 9;
const now = Date.now();

const configsOf = (c: ConnectorRecord) =>
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
  tasks: configsOf(c),
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

interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly pluginMs: number;
  readonly actions: number;
}

function measure(planner: (input: PlanInput) => unknown[], snapshot: StateSnapshot): Sample {
  let pluginMs = 0;
  const taskConfigsFor: TaskConfigsFor = (c) => {
    const started = performance.now();
    const configs = configsOf(c);
    pluginMs += performance.now() - started;
    return configs;
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  const actions = planner({ now, snapshot, taskConfigsFor }).length;
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, pluginMs, actions };
}

const p50 = (samples: readonly Sample[], field: keyof Sample) =>
  percentile(
    samples.map((s) => s[field]),
    50,
  );

const cells: string[][] = [];
for (const [name, snapshot] of scenarios) {
  const before: Sample[] = [];
  const after: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    before.push(measure(referencePlan, snapshot));
    after.push(measure(plan, snapshot));
  }
  const actions = after[0]?.actions ?? 0;
  if (before.some((s) => s.actions !== actions)) throw new Error(`${name}: the planners disagree`);
  for (const [label, samples] of [
    ['before', before],
    ['after', after],
  ] as const) {
    cells.push([
      name,
      label,
      String(actions),
      p50(samples, 'wallMs').toFixed(1),
      Math.min(...samples.map((s) => s.wallMs)).toFixed(1),
      p50(samples, 'cpuMs').toFixed(1),
      p50(samples, 'pluginMs').toFixed(1),
    ]);
  }
  cells.push([
    '',
    'after/before',
    '',
    (p50(after, 'wallMs') / p50(before, 'wallMs')).toFixed(2),
    '',
    (p50(after, 'cpuMs') / p50(before, 'cpuMs')).toFixed(2),
    '',
  ]);
}
console.log(
  `planner, ${CONNECTORS} connectors x ${TASKS} tasks, ${RUNS} runs of each planner per scenario, in turns\n`,
);
console.log(
  formatGrid(
    ['scenario', 'planner', 'actions', 'p50 ms', 'min ms', 'p50 CPU ms', 'plugin ms'],
    cells,
    2,
  ),
);
