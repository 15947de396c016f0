import { describe, expect, test } from 'vitest';
import { plan, type TaskConfigsFor } from '../../../lib/coordinator/planner.js';
import { ZERO_COUNTERS } from '../../../lib/state/items.js';
import type {
  ConnectorRecord,
  ConnectorStatusRecord,
  RuntimeState,
  StateSnapshot,
  TargetState,
  TaskConfigsRecord,
  TaskRecord,
} from '../../../lib/state/types.js';
import type { ConnectorConfig } from '../../../lib/api/connector-config.js';
import { referencePlan } from './planner-reference.js';

// The planner was rewritten for speed (one pass, no per-task arrays or maps). It must decide
// exactly what the plain version decided: random snapshots, seeded so that a failure names a
// seed the next run replays, covering every branch the plain version has (target states,
// changed and failing task configs, live, expired and missing leases, failures with and
// without backoff, surplus and duplicate task ids, interleaved and orphaned task items).

/** mulberry32: small, seedable, good enough to spread cases. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
  const chance = (p: number) => next() < p;
  return { int, pick, chance };
}

type Rng = ReturnType<typeof prng>;

const NOW = 1_800_000_000_000;
const TARGETS: readonly TargetState[] = ['RUNNING', 'RUNNING', 'PAUSED', 'STOPPED'];
const STATES: readonly RuntimeState[] = [
  'UNASSIGNED',
  'RUNNING',
  'PAUSED',
  'STOPPED',
  'FAILED',
  'RESTARTING',
];

/** The plugin's answer per connector and version, the same object on every call (as a cache). */
function plugin(): TaskConfigsFor {
  const answers = new Map<string, readonly ConnectorConfig[] | Error>();
  return (c) => {
    const key = `${c.name}@${c.version}`;
    let answer = answers.get(key);
    if (!answer) {
      const count = Number(c.config['tasks.max']);
      answer =
        c.config.broken === 'true'
          ? new Error(`${c.name} cannot compute its task configs`)
          : Array.from({ length: count }, (_, i) => ({ ...c.config, 'task.index': String(i) }));
      answers.set(key, answer);
    }
    return answer;
  };
}

function randomSnapshot(rng: Rng, taskConfigsFor: TaskConfigsFor): StateSnapshot {
  const connectors: ConnectorRecord[] = [];
  const taskConfigs: TaskConfigsRecord[] = [];
  const statuses: ConnectorStatusRecord[] = [];
  const tasks: TaskRecord[] = [];
  const count = rng.int(0, 12);
  for (let i = 0; i < count; i++) {
    const name = `c${i}`;
    const tasksMax = rng.int(0, 5);
    const version = rng.int(1, 4);
    const connector: ConnectorRecord = {
      name,
      config: {
        name,
        'connector.class': 'Test',
        'tasks.max': String(tasksMax),
        ...(rng.chance(0.1) ? { broken: 'true' } : {}),
      },
      targetState: rng.pick(TARGETS),
      version,
      createdAt: NOW - 10_000,
      updatedAt: NOW - 5_000,
    };
    if (rng.chance(0.95)) connectors.push(connector);
    if (rng.chance(0.8)) {
      // Configs of this version or an older one: the same, fewer or more tasks.
      const configVersion = rng.chance(0.7) ? version : version - 1;
      const stored = rng.chance(0.5) ? rng.int(0, 5) : tasksMax;
      const own = taskConfigsFor({
        ...connector,
        config: { ...connector.config, 'tasks.max': String(stored), broken: 'false' },
        version: configVersion + 100,
      });
      const generation = rng.int(0, 9);
      const record = {
        connector: name,
        generation,
        configVersion,
        tasks: own as ConnectorConfig[],
      };
      taskConfigs.push(record);
      if (rng.chance(0.05)) taskConfigs.push({ ...record, generation: generation + 1 });
    }
    if (rng.chance(0.8)) {
      statuses.push({
        connector: name,
        state: rng.pick(STATES),
        ...(rng.chance(0.2) ? { trace: rng.pick(['boom', `${name} failed`]) } : {}),
        updatedAt: NOW - 1_000,
      });
    }
    const taskCount = rng.int(0, 7);
    for (let t = 0; t < taskCount; t++) tasks.push(randomTask(rng, name, rng.int(0, 6)));
  }
  if (rng.chance(0.2)) tasks.push(randomTask(rng, 'orphan', 0));
  // Snapshots list a connector's tasks together; the planner must not depend on it.
  if (rng.chance(0.3)) tasks.reverse();
  return { connectors, taskConfigs, tasks, connectorStatuses: statuses };
}

function randomTask(rng: Rng, connector: string, taskId: number): TaskRecord {
  const held = rng.chance(0.5);
  const nextRestartAt = rng.pick([undefined, NOW - 1_000, NOW, NOW + 1_000]);
  return {
    connector,
    taskId,
    generation: rng.int(-1, 9),
    lease: {
      epoch: rng.int(0, 20),
      expiresAt: rng.pick([0, NOW - 1, NOW, NOW + 30_000]),
      ...(held ? { holder: rng.pick(['slice-a', 'slice-b']) } : {}),
    },
    status: {
      state: rng.pick(STATES),
      restartCount: rng.pick([0, 0, 1, 3, 40]),
      updatedAt: NOW - rng.int(0, 10_000),
      ...(rng.chance(0.3) ? { trace: 'stack' } : {}),
      ...(nextRestartAt === undefined ? {} : { nextRestartAt }),
    },
    metrics: { totals: ZERO_COUNTERS },
  };
}

describe('the planner against the plain version it replaced', () => {
  test.each(Array.from({ length: 20 }, (_, i) => i + 1))(
    'decides the same actions, in the same order (block %i of 100 seeds)',
    (block) => {
      for (let seed = block * 100; seed < block * 100 + 100; seed++) {
        const rng = prng(seed);
        const taskConfigsFor = plugin();
        const snapshot = randomSnapshot(rng, taskConfigsFor);
        const input = {
          now: NOW,
          snapshot,
          taskConfigsFor,
          ...(rng.chance(0.5) ? { restartPolicy: { baseDelayMs: 1_000, maxDelayMs: 60_000 } } : {}),
        };
        expect(plan(input), `seed ${seed}`).toEqual(referencePlan(input));
      }
    },
  );

  test('the random snapshots reach every kind of action', () => {
    const seen = new Set<string>();
    for (let seed = 100; seed < 2_100; seed++) {
      const rng = prng(seed);
      const taskConfigsFor = plugin();
      for (const action of plan({
        now: NOW,
        snapshot: randomSnapshot(rng, taskConfigsFor),
        taskConfigsFor,
      })) {
        seen.add(
          action.kind === 'setTaskStatus'
            ? `${action.kind}:${action.status.state}:${action.fence}`
            : action.kind,
        );
      }
    }
    expect([...seen].sort()).toEqual([
      'dispatch',
      'removeTasks',
      'setConnectorStatus',
      'setTaskStatus:FAILED:false',
      'setTaskStatus:FAILED:true',
      'setTaskStatus:PAUSED:false',
      'setTaskStatus:PAUSED:true',
      'setTaskStatus:RESTARTING:false',
      'setTaskStatus:UNASSIGNED:true',
      'writeTaskConfigs',
    ]);
  });
});
