import { ZERO_COUNTERS } from '../../../lib/state/items.js';
import { describe, expect, test } from 'vitest';
import type { Action } from '../../../lib/coordinator/actions.js';
import { plan, restartDelay, type TaskConfigsFor } from '../../../lib/coordinator/planner.js';
import type {
  ConnectorRecord,
  ConnectorStatusRecord,
  StateSnapshot,
  TargetState,
  TaskConfigsRecord,
  TaskRecord,
  TaskStatus,
} from '../../../lib/state/types.js';
import type { ConnectorConfig } from '../../../lib/api/connector-config.js';

const NOW = 1_800_000_000_000;
const policy = { baseDelayMs: 1_000, maxDelayMs: 60_000 };

function connector(
  name: string,
  tasksMax: number,
  targetState: TargetState = 'RUNNING',
  version = 1,
): ConnectorRecord {
  return {
    name,
    config: { 'connector.class': 'Test', 'tasks.max': String(tasksMax), name },
    targetState,
    version,
    createdAt: NOW - 1000,
    updatedAt: NOW - 1000,
  };
}

/** The test plugin: one task config per task, numbered. */
const perTask: TaskConfigsFor = (c) =>
  Array.from({ length: Number(c.config['tasks.max']) }, (_, i) => ({
    ...c.config,
    'task.index': String(i),
  }));

function taskConfigs(
  c: ConnectorRecord,
  generation: number,
  count = Number(c.config['tasks.max']),
): TaskConfigsRecord {
  const tasks: ConnectorConfig[] = perTask({
    ...c,
    config: { ...c.config, 'tasks.max': String(count) },
  }) as ConnectorConfig[];
  return { connector: c.name, generation, configVersion: c.version, tasks };
}

function task(
  name: string,
  taskId: number,
  lease: Partial<TaskRecord['lease']> = {},
  status: Partial<TaskStatus> = {},
): TaskRecord {
  return {
    connector: name,
    taskId,
    generation: 0,
    lease: { epoch: 3, expiresAt: 0, ...lease },
    status: { state: 'RUNNING', restartCount: 0, updatedAt: NOW - 5000, ...status },
    metrics: { totals: ZERO_COUNTERS },
  };
}

function runningStatus(
  name: string,
  state: ConnectorStatusRecord['state'] = 'RUNNING',
): ConnectorStatusRecord {
  return { connector: name, state, updatedAt: NOW - 1000 };
}

function snapshot(parts: Partial<StateSnapshot>): StateSnapshot {
  return { connectors: [], taskConfigs: [], tasks: [], connectorStatuses: [], ...parts };
}

const run = (s: StateSnapshot, taskConfigsFor: TaskConfigsFor = perTask) =>
  plan({ now: NOW, snapshot: s, taskConfigsFor, restartPolicy: policy });

const kinds = (actions: Action[]) => actions.map((a) => a.kind);

describe('the coordinator planner', () => {
  test('a new connector gets its task configs (generation 0), a slice per task, and RUNNING', () => {
    const c = connector('orders', 3);
    const actions = run(snapshot({ connectors: [c] }));
    expect(actions[0]).toEqual({
      kind: 'writeTaskConfigs',
      connector: 'orders',
      configVersion: 1,
      createdAt: NOW - 1000,
      tasks: perTask(c),
      expectedGeneration: -1,
    });
    expect(actions.filter((a) => a.kind === 'dispatch')).toEqual(
      [0, 1, 2].map((taskId) => ({
        kind: 'dispatch',
        connector: 'orders',
        taskId,
        generation: 0,
      })),
    );
    expect(actions.at(-1)).toMatchObject({
      kind: 'setConnectorStatus',
      status: { connector: 'orders', state: 'RUNNING' },
    });
  });

  test('a steady connector whose slices hold live leases needs nothing', () => {
    const c = connector('orders', 2);
    const live = { holder: 'slice-a', expiresAt: NOW + 30_000 };
    const actions = run(
      snapshot({
        connectors: [c],
        taskConfigs: [taskConfigs(c, 4)],
        tasks: [task('orders', 0, live), task('orders', 1, live)],
        connectorStatuses: [runningStatus('orders')],
      }),
    );
    expect(actions).toEqual([]);
  });

  test('an idle task (lease released) gets its next slice at the current generation', () => {
    const c = connector('orders', 1);
    const actions = run(
      snapshot({
        connectors: [c],
        taskConfigs: [taskConfigs(c, 4)],
        tasks: [task('orders', 0)],
        connectorStatuses: [runningStatus('orders')],
      }),
    );
    expect(actions).toEqual([{ kind: 'dispatch', connector: 'orders', taskId: 0, generation: 4 }]);
  });

  test('tasks.max going up bumps the generation and starts every task over', () => {
    const before = connector('orders', 2);
    const after = { ...connector('orders', 4), version: 2 };
    const live = { holder: 'slice-a', expiresAt: NOW + 30_000 };
    const actions = run(
      snapshot({
        connectors: [after],
        taskConfigs: [taskConfigs(before, 7)],
        tasks: [task('orders', 0, live), task('orders', 1, live)],
        connectorStatuses: [runningStatus('orders')],
      }),
    );
    expect(actions[0]).toMatchObject({
      kind: 'writeTaskConfigs',
      expectedGeneration: 7,
      configVersion: 2,
    });
    expect(
      actions
        .filter((a) => a.kind === 'dispatch')
        .map((a) => a.kind === 'dispatch' && [a.taskId, a.generation]),
    ).toEqual([
      [0, 8],
      [1, 8],
      [2, 8],
      [3, 8],
    ]);
  });

  test('tasks.max going down bumps the generation and removes the tasks beyond it', () => {
    const before = connector('orders', 3);
    const after = { ...connector('orders', 1), version: 2 };
    const actions = run(
      snapshot({
        connectors: [after],
        taskConfigs: [taskConfigs(before, 2)],
        tasks: [task('orders', 0), task('orders', 1), task('orders', 2)],
        connectorStatuses: [runningStatus('orders')],
      }),
    );
    expect(kinds(actions)).toEqual(['writeTaskConfigs', 'removeTasks', 'dispatch']);
    expect(actions[1]).toEqual({ kind: 'removeTasks', connector: 'orders', fromTaskId: 1 });
    expect(actions[2]).toEqual({ kind: 'dispatch', connector: 'orders', taskId: 0, generation: 3 });
  });

  test('a config change that leaves the task configs as they were keeps the generation', () => {
    const c = { ...connector('orders', 2), version: 5 };
    const actions = run(
      snapshot({
        connectors: [c],
        taskConfigs: [{ ...taskConfigs(c, 3), configVersion: 4 }],
        tasks: [task('orders', 0), task('orders', 1)],
        connectorStatuses: [runningStatus('orders')],
      }),
    );
    expect(kinds(actions)).toEqual(['dispatch', 'dispatch']);
  });

  test('pause marks tasks PAUSED, fencing the running ones in the same write, and starts nothing', () => {
    const c = connector('orders', 2, 'PAUSED');
    const actions = run(
      snapshot({
        connectors: [c],
        taskConfigs: [taskConfigs(c, 1)],
        tasks: [
          task('orders', 0, { holder: 'slice-a', expiresAt: NOW + 30_000, epoch: 9 }),
          task('orders', 1),
        ],
        connectorStatuses: [runningStatus('orders')],
      }),
    );
    expect(actions).toEqual([
      {
        kind: 'setTaskStatus',
        connector: 'orders',
        taskId: 0,
        expected: { epoch: 9, statusUpdatedAt: NOW - 5000 },
        fence: true,
        status: expect.objectContaining({ state: 'PAUSED' }),
      },
      {
        kind: 'setTaskStatus',
        connector: 'orders',
        taskId: 1,
        expected: { epoch: 3, statusUpdatedAt: NOW - 5000 },
        fence: false,
        status: expect.objectContaining({ state: 'PAUSED' }),
      },
      {
        kind: 'setConnectorStatus',
        status: { connector: 'orders', state: 'PAUSED', updatedAt: NOW },
      },
    ]);
  });

  test('a paused connector already at rest needs nothing', () => {
    const c = connector('orders', 1, 'PAUSED');
    const actions = run(
      snapshot({
        connectors: [c],
        taskConfigs: [taskConfigs(c, 1)],
        tasks: [task('orders', 0, {}, { state: 'PAUSED' })],
        connectorStatuses: [runningStatus('orders', 'PAUSED')],
      }),
    );
    expect(actions).toEqual([]);
  });

  test('resume starts a slice for every paused task', () => {
    const c = connector('orders', 2, 'RUNNING', 3);
    const actions = run(
      snapshot({
        connectors: [c],
        taskConfigs: [taskConfigs(c, 1)],
        tasks: [
          task('orders', 0, {}, { state: 'PAUSED' }),
          task('orders', 1, {}, { state: 'PAUSED' }),
        ],
        connectorStatuses: [runningStatus('orders', 'PAUSED')],
      }),
    );
    expect(kinds(actions)).toEqual(['dispatch', 'dispatch', 'setConnectorStatus']);
    expect(actions.at(-1)).toMatchObject({ status: { state: 'RUNNING' } });
  });

  test('stop empties the task configs (fencing every lease), removes the tasks, and says STOPPED', () => {
    const c = connector('orders', 2, 'STOPPED');
    const actions = run(
      snapshot({
        connectors: [c],
        taskConfigs: [taskConfigs(c, 5)],
        tasks: [
          task('orders', 0, { holder: 'slice-a', expiresAt: NOW + 30_000 }),
          task('orders', 1),
        ],
        connectorStatuses: [runningStatus('orders')],
      }),
    );
    expect(actions).toEqual([
      {
        kind: 'writeTaskConfigs',
        connector: 'orders',
        configVersion: 1,
        createdAt: NOW - 1000,
        tasks: [],
        expectedGeneration: 5,
      },
      { kind: 'removeTasks', connector: 'orders', fromTaskId: 0 },
      {
        kind: 'setConnectorStatus',
        status: { connector: 'orders', state: 'STOPPED', updatedAt: NOW },
      },
    ]);
  });

  test('a deleted connector (no config left) gets no actions at all', () => {
    // Its task items were removed with its config; leftovers of other connectors stay untouched.
    const actions = run(
      snapshot({
        tasks: [task('gone', 0)],
        connectorStatuses: [runningStatus('gone')],
      }),
    );
    expect(actions).toEqual([]);
  });

  test('an expired lease is fenced and shown as UNASSIGNED with why; the first crash restarts at once', () => {
    const c = connector('orders', 1);
    const actions = run(
      snapshot({
        connectors: [c],
        taskConfigs: [taskConfigs(c, 2)],
        tasks: [task('orders', 0, { holder: 'slice-dead', expiresAt: NOW - 1, epoch: 11 })],
        connectorStatuses: [runningStatus('orders')],
      }),
    );
    expect(actions).toEqual([
      {
        kind: 'setTaskStatus',
        connector: 'orders',
        taskId: 0,
        expected: { epoch: 11, statusUpdatedAt: NOW - 5000 },
        fence: true,
        status: {
          state: 'UNASSIGNED',
          trace: expect.stringContaining('slice-dead'),
          restartCount: 1,
          updatedAt: NOW,
        },
      },
      { kind: 'dispatch', connector: 'orders', taskId: 0, generation: 2 },
    ]);
  });

  test('a task whose slices keep dying backs off instead of restarting every tick', () => {
    const c = connector('orders', 1);
    const base = {
      connectors: [c],
      taskConfigs: [taskConfigs(c, 2)],
      connectorStatuses: [runningStatus('orders')],
    };
    const crashedAgain = run(
      snapshot({
        ...base,
        tasks: [
          task('orders', 0, { holder: 'slice-oom', expiresAt: NOW - 1 }, { restartCount: 2 }),
        ],
      }),
    );
    expect(crashedAgain).toEqual([
      expect.objectContaining({
        kind: 'setTaskStatus',
        fence: true,
        status: expect.objectContaining({
          state: 'UNASSIGNED',
          restartCount: 3,
          nextRestartAt: NOW + 4_000,
        }),
      }),
    ]);
    const waiting = { state: 'UNASSIGNED' as const, restartCount: 3, nextRestartAt: NOW + 1 };
    expect(run(snapshot({ ...base, tasks: [task('orders', 0, {}, waiting)] }))).toEqual([]);
    const due = { ...waiting, nextRestartAt: NOW };
    expect(run(snapshot({ ...base, tasks: [task('orders', 0, {}, due)] }))).toEqual([
      { kind: 'dispatch', connector: 'orders', taskId: 0, generation: 2 },
    ]);
  });

  test('a failed task waits out an exponential backoff, then restarts with a visible count', () => {
    const c = connector('orders', 1);
    const base = {
      connectors: [c],
      taskConfigs: [taskConfigs(c, 2)],
      connectorStatuses: [runningStatus('orders')],
    };
    const failed = { state: 'FAILED' as const, trace: 'Error: boom\n  at put', restartCount: 2 };

    const scheduled = run(snapshot({ ...base, tasks: [task('orders', 0, {}, failed)] }));
    expect(scheduled).toEqual([
      {
        kind: 'setTaskStatus',
        connector: 'orders',
        taskId: 0,
        expected: { epoch: 3, statusUpdatedAt: NOW - 5000 },
        fence: false,
        status: expect.objectContaining({
          state: 'FAILED',
          nextRestartAt: NOW + 4_000,
          restartCount: 2,
        }),
      },
    ]);

    const waiting = run(
      snapshot({ ...base, tasks: [task('orders', 0, {}, { ...failed, nextRestartAt: NOW + 1 })] }),
    );
    expect(waiting).toEqual([]);

    const due = run(
      snapshot({ ...base, tasks: [task('orders', 0, {}, { ...failed, nextRestartAt: NOW })] }),
    );
    expect(due).toEqual([
      {
        kind: 'setTaskStatus',
        connector: 'orders',
        taskId: 0,
        expected: { epoch: 3, statusUpdatedAt: NOW - 5000 },
        fence: false,
        status: { state: 'RESTARTING', restartCount: 3, trace: failed.trace, updatedAt: NOW },
      },
      { kind: 'dispatch', connector: 'orders', taskId: 0, generation: 2 },
    ]);
  });

  test('the restart backoff doubles and is capped', () => {
    expect([0, 1, 2, 3, 10, 100].map((n) => restartDelay(n, policy))).toEqual([
      1_000, 2_000, 4_000, 8_000, 60_000, 60_000,
    ]);
  });

  test('a connector whose taskConfigs returns none runs with no tasks and dispatches nothing', () => {
    const c = connector('empty', 3);
    const actions = run(snapshot({ connectors: [c] }), () => []);
    expect(actions).toEqual([
      {
        kind: 'writeTaskConfigs',
        connector: 'empty',
        configVersion: 1,
        createdAt: NOW - 1000,
        tasks: [],
        expectedGeneration: -1,
      },
      {
        kind: 'setConnectorStatus',
        status: { connector: 'empty', state: 'RUNNING', updatedAt: NOW },
      },
    ]);
    // Next run: nothing changed, nothing to do.
    expect(
      run(
        snapshot({
          connectors: [c],
          taskConfigs: [{ connector: 'empty', generation: 0, configVersion: 1, tasks: [] }],
          connectorStatuses: [runningStatus('empty')],
        }),
        () => [],
      ),
    ).toEqual([]);
  });

  test('a connector whose plugin fails to give task configs is FAILED with the reason, and nothing starts', () => {
    const c = connector('broken', 2);
    const actions = run(
      snapshot({ connectors: [c] }),
      () => new Error('unknown connector class Nope'),
    );
    expect(actions).toEqual([
      {
        kind: 'setConnectorStatus',
        status: {
          connector: 'broken',
          state: 'FAILED',
          trace: expect.stringContaining('unknown connector class Nope'),
          updatedAt: NOW,
        },
      },
    ]);
  });

  test('many connectors at once are planned independently, each in its own order', () => {
    const connectors = Array.from({ length: 500 }, (_, i) => connector(`c${i}`, (i % 4) + 1));
    const actions = run(snapshot({ connectors }));
    const dispatches = actions.filter((a) => a.kind === 'dispatch');
    expect(dispatches).toHaveLength(
      connectors.reduce((n, c) => n + Number(c.config['tasks.max']), 0),
    );
    expect(actions.filter((a) => a.kind === 'writeTaskConfigs')).toHaveLength(500);
    // Within each connector: task configs first, then slices, then status.
    for (const c of connectors.slice(0, 20)) {
      const own = kinds(
        actions.filter(
          (a) => (a.kind === 'setConnectorStatus' ? a.status.connector : a.connector) === c.name,
        ),
      );
      expect(own[0]).toBe('writeTaskConfigs');
      expect(own.at(-1)).toBe('setConnectorStatus');
    }
  });

  test('a FAILED task stays FAILED through pause and resume, and restarts only after its backoff', () => {
    const failed = { state: 'FAILED' as const, restartCount: 1, nextRestartAt: NOW + 60_000 };
    const paused = connector('orders', 1, 'PAUSED');
    const base = { taskConfigs: [taskConfigs(paused, 1)], tasks: [task('orders', 0, {}, failed)] };
    expect(
      run(
        snapshot({
          ...base,
          connectors: [paused],
          connectorStatuses: [runningStatus('orders', 'PAUSED')],
        }),
      ),
    ).toEqual([]);
    const resumed = connector('orders', 1, 'RUNNING', 1);
    expect(
      run(
        snapshot({ ...base, connectors: [resumed], connectorStatuses: [runningStatus('orders')] }),
      ),
    ).toEqual([]);
  });

  test('a connector whose plugin now fails still has its running tasks looked after', () => {
    const c = { ...connector('drifted', 1), version: 2 };
    const actions = run(
      snapshot({
        connectors: [c],
        taskConfigs: [{ ...taskConfigs(connector('drifted', 1), 6), configVersion: 1 }],
        tasks: [task('drifted', 0, { holder: 'slice-dead', expiresAt: NOW - 1 })],
        connectorStatuses: [runningStatus('drifted')],
      }),
      () => new Error('plugin gone'),
    );
    expect(kinds(actions)).toEqual(['setTaskStatus', 'dispatch', 'setConnectorStatus']);
    expect(actions[1]).toEqual({
      kind: 'dispatch',
      connector: 'drifted',
      taskId: 0,
      generation: 6,
    });
    expect(actions[2]).toMatchObject({
      status: { state: 'FAILED', trace: expect.stringContaining('plugin gone') },
    });
  });

  test('a restarted connector (RESTARTING) gets its task configs computed again, and RUNNING', () => {
    const c = connector('orders', 2);
    const current = taskConfigs(c, 4);
    let asked = 0;
    const counting: TaskConfigsFor = (record) => {
      asked++;
      return perTask(record);
    };
    const unchanged = plan({
      now: NOW,
      snapshot: snapshot({
        connectors: [c],
        taskConfigs: [current],
        tasks: [
          task('orders', 0, { holder: 'x', expiresAt: NOW + 60_000 }),
          task('orders', 1, { holder: 'y', expiresAt: NOW + 60_000 }),
        ],
        connectorStatuses: [runningStatus('orders', 'RESTARTING')],
      }),
      taskConfigsFor: counting,
    });
    // The plugin was asked again; its answer is the same, so the generation stays.
    expect(asked).toBe(1);
    expect(unchanged).toEqual([
      {
        kind: 'setConnectorStatus',
        status: { connector: 'orders', state: 'RUNNING', updatedAt: NOW },
      },
    ]);

    const changed = plan({
      now: NOW,
      snapshot: snapshot({
        connectors: [c],
        taskConfigs: [current],
        connectorStatuses: [runningStatus('orders', 'RESTARTING')],
      }),
      taskConfigsFor: (record) =>
        (perTask(record) as ConnectorConfig[]).map((t) => ({ ...t, discovered: 'more' })),
    });
    expect(changed[0]).toMatchObject({ kind: 'writeTaskConfigs', expectedGeneration: 4 });
  });
});
