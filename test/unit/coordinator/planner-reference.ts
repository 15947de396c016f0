import { isDeepStrictEqual } from 'node:util';
import type {
  ConnectorRecord,
  ConnectorStatusRecord,
  RuntimeState,
  TaskConfigsRecord,
  TaskRecord,
  TaskStatus,
} from '../../../lib/state/types.js';
import type { ConnectorConfig } from '../../../lib/api/connector-config.js';
import { groupBy } from '../../../lib/util/group-by.js';
import type { Action } from '../../../lib/coordinator/actions.js';
import {
  DEFAULT_RESTART_POLICY,
  restartDelay,
  type PlanInput,
} from '../../../lib/coordinator/planner.js';

// The planner as it was before it was made linear and allocation-light (issue 22): the oracle
// that the equivalence test compares lib/coordinator/planner.ts with, and the "before" of
// bench/planner.ts. Written for clarity, not speed: change it only with the decisions.

/**
 * The coordinator's decisions, as a pure function of the state: which task configs to write,
 * which leases to fence, which statuses to correct, and which slices to start. Actions are
 * grouped by connector, in the order they must be applied.
 */
export function referencePlan(input: PlanInput): Action[] {
  const { snapshot } = input;
  const taskConfigs = new Map(snapshot.taskConfigs.map((t) => [t.connector, t]));
  const statuses = new Map(snapshot.connectorStatuses.map((s) => [s.connector, s]));
  const tasks = groupBy(snapshot.tasks, (t) => t.connector);
  const actions: Action[] = [];
  for (const connector of snapshot.connectors) {
    actions.push(
      ...planConnector(input, connector, {
        taskConfigs: taskConfigs.get(connector.name),
        status: statuses.get(connector.name),
        tasks: tasks.get(connector.name) ?? [],
      }),
    );
  }
  return actions;
}

interface ConnectorState {
  readonly taskConfigs: TaskConfigsRecord | undefined;
  readonly status: ConnectorStatusRecord | undefined;
  readonly tasks: readonly TaskRecord[];
}

function planConnector(
  input: PlanInput,
  connector: ConnectorRecord,
  state: ConnectorState,
): Action[] {
  switch (connector.targetState) {
    case 'STOPPED':
      return planStopped(input, connector, state);
    case 'PAUSED':
      return planPaused(input, connector, state);
    case 'RUNNING':
      return planRunning(input, connector, state);
  }
}

/** As in Kafka Connect, a stopped connector keeps its config but has no tasks. */
function planStopped(
  input: PlanInput,
  connector: ConnectorRecord,
  state: ConnectorState,
): Action[] {
  const actions: Action[] = [];
  if (state.taskConfigs && state.taskConfigs.tasks.length > 0) {
    actions.push(writeTaskConfigs(connector, [], state.taskConfigs.generation));
  }
  if (state.tasks.length > 0) {
    actions.push({ kind: 'removeTasks', connector: connector.name, fromTaskId: 0 });
  }
  actions.push(...connectorStatus(input, connector, state, 'STOPPED'));
  return actions;
}

function planPaused(input: PlanInput, connector: ConnectorRecord, state: ConnectorState): Action[] {
  const actions: Action[] = [];
  for (const task of state.tasks) {
    // A FAILED task stays FAILED through a pause, as in Kafka Connect: resuming must not
    // quietly restart it without its backoff.
    const wanted = task.status.state === 'FAILED' ? 'FAILED' : 'PAUSED';
    const held = task.lease.holder !== undefined;
    if (task.status.state !== wanted || held) {
      actions.push(setStatus(task, { ...task.status, state: wanted, updatedAt: input.now }, held));
    }
  }
  actions.push(...connectorStatus(input, connector, state, 'PAUSED'));
  return actions;
}

function planRunning(
  input: PlanInput,
  connector: ConnectorRecord,
  state: ConnectorState,
): Action[] {
  // Task configs are a pure function of the connector config: unchanged version, same configs,
  // unless the connector is being restarted (a plugin may read more than its config).
  const current = state.taskConfigs;
  const restarting = state.status?.state === 'RESTARTING';
  const wanted =
    current && current.configVersion === connector.version && !restarting
      ? current.tasks
      : input.taskConfigsFor(connector);
  if (wanted instanceof Error) {
    // The connector shows why until its config changes; tasks it already had keep being looked
    // after with the configs they have (expired leases fenced, failures restarted).
    const trace = wanted.stack ?? wanted.message;
    return [
      ...(current
        ? planTasks(input, connector, state, current.tasks.length, current.generation)
        : []),
      ...connectorStatus(input, connector, state, 'FAILED', trace),
    ];
  }
  const actions: Action[] = [];
  let generation = current?.generation ?? -1;
  if (!current || (current.tasks !== wanted && !isDeepStrictEqual(current.tasks, wanted))) {
    actions.push(writeTaskConfigs(connector, wanted, generation));
    generation += 1;
    actions.push(...removeSurplusTasks(connector, state, wanted.length));
    // New task configs fenced every lease: each task starts over with a slice of the new generation.
    for (let taskId = 0; taskId < wanted.length; taskId++) {
      actions.push(dispatch(connector.name, taskId, generation));
    }
  } else {
    actions.push(...planTasks(input, connector, state, wanted.length, generation));
  }
  actions.push(...connectorStatus(input, connector, state, 'RUNNING'));
  return actions;
}

/** Tasks 0..count-1 of current task configs: keep them running, restart them when due. */
function planTasks(
  input: PlanInput,
  connector: ConnectorRecord,
  state: ConnectorState,
  count: number,
  generation: number,
): Action[] {
  const actions = removeSurplusTasks(connector, state, count);
  const byId = new Map(state.tasks.map((t) => [t.taskId, t]));
  for (let taskId = 0; taskId < count; taskId++) {
    const task = byId.get(taskId);
    if (!task) actions.push(dispatch(connector.name, taskId, generation));
    else actions.push(...planTask(input, task, generation));
  }
  return actions;
}

/** Task items beyond the task configs (tasks.max went down) go. */
function removeSurplusTasks(
  connector: ConnectorRecord,
  state: ConnectorState,
  count: number,
): Action[] {
  return state.tasks.some((t) => t.taskId >= count)
    ? [{ kind: 'removeTasks', connector: connector.name, fromTaskId: count }]
    : [];
}

function planTask(input: PlanInput, task: TaskRecord, generation: number): Action[] {
  const { now } = input;
  const { lease, status } = task;
  const policy = input.restartPolicy ?? DEFAULT_RESTART_POLICY;
  const held = lease.holder !== undefined;
  if (held && lease.expiresAt > now) return []; // a slice is on it

  if (held) {
    // The slice died or overran without releasing (out of memory, timed out, killed): fence it
    // so it can never write again, and say so instead of a stale RUNNING. It counts as a
    // failure: the first restart is at once, repeated ones back off, so a crash loop is slowed.
    const restartCount = status.restartCount + 1;
    const trace = `lease of ${lease.holder} expired at ${new Date(lease.expiresAt).toISOString()}`;
    if (status.restartCount === 0) {
      return [
        setStatus(task, { state: 'UNASSIGNED', trace, restartCount, updatedAt: now }, true),
        dispatch(task.connector, task.taskId, generation),
      ];
    }
    const nextRestartAt = now + restartDelay(status.restartCount, policy);
    return [
      setStatus(
        task,
        { state: 'UNASSIGNED', trace, restartCount, nextRestartAt, updatedAt: now },
        true,
      ),
    ];
  }

  if (status.state === 'FAILED') {
    if (status.nextRestartAt === undefined) {
      const nextRestartAt = now + restartDelay(status.restartCount, policy);
      return [setStatus(task, { ...status, nextRestartAt, updatedAt: now }, false)];
    }
    if (status.nextRestartAt > now) return [];
    const restarted: TaskStatus = {
      state: 'RESTARTING',
      restartCount: status.restartCount + 1,
      updatedAt: now,
      ...(status.trace === undefined ? {} : { trace: status.trace }),
    };
    return [setStatus(task, restarted, false), dispatch(task.connector, task.taskId, generation)];
  }

  // Waiting out a backoff after a crash.
  if (status.nextRestartAt !== undefined && status.nextRestartAt > now) return [];

  // Free and healthy (idle, paused before, or due after a backoff): the next slice picks it up.
  return [dispatch(task.connector, task.taskId, generation)];
}

function connectorStatus(
  input: PlanInput,
  connector: ConnectorRecord,
  state: ConnectorState,
  wanted: RuntimeState,
  trace?: string,
): Action[] {
  if (state.status?.state === wanted && state.status.trace === trace) return [];
  return [
    {
      kind: 'setConnectorStatus',
      status: {
        connector: connector.name,
        state: wanted,
        updatedAt: input.now,
        ...(trace === undefined ? {} : { trace }),
      },
    },
  ];
}

function setStatus(task: TaskRecord, status: TaskStatus, fence: boolean): Action {
  return {
    kind: 'setTaskStatus',
    connector: task.connector,
    taskId: task.taskId,
    status,
    expected: { epoch: task.lease.epoch, statusUpdatedAt: task.status.updatedAt },
    fence,
  };
}

function writeTaskConfigs(
  connector: ConnectorRecord,
  tasks: readonly ConnectorConfig[],
  expectedGeneration: number,
): Action {
  return {
    kind: 'writeTaskConfigs',
    connector: connector.name,
    configVersion: connector.version,
    createdAt: connector.createdAt,
    tasks,
    expectedGeneration,
  };
}

function dispatch(connector: string, taskId: number, generation: number): Action {
  return { kind: 'dispatch', connector, taskId, generation };
}
