import { isDeepStrictEqual } from 'node:util';
import type {
  ConnectorConfig,
  ConnectorRecord,
  ConnectorStatusRecord,
  RuntimeState,
  StateSnapshot,
  TaskConfigsRecord,
  TaskRecord,
  TaskStatus,
} from '../state/types.js';
import { groupBy } from '../util/group-by.js';
import type { Action } from './actions.js';

export interface RestartPolicy {
  /** Wait before the first automatic restart of a FAILED task. */
  readonly baseDelayMs: number;
  /** The wait doubles with each restart, up to this. */
  readonly maxDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { baseDelayMs: 5_000, maxDelayMs: 600_000 };

/** How long to wait before restart number `restartCount + 1`. */
export function restartDelay(restartCount: number, policy: RestartPolicy): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(restartCount, 30));
}

/** The task configs a connector asks for, from its plugin; an Error when that fails. */
export type TaskConfigsFor = (connector: ConnectorRecord) => readonly ConnectorConfig[] | Error;

export interface PlanInput {
  readonly now: number;
  readonly snapshot: StateSnapshot;
  readonly taskConfigsFor: TaskConfigsFor;
  readonly restartPolicy?: RestartPolicy;
}

/**
 * The coordinator's decisions, as a pure function of the state: which task configs to write,
 * which leases to fence, which statuses to correct, and which slices to start. Actions are
 * grouped by connector, in the order they must be applied.
 */
export function plan(input: PlanInput): Action[] {
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
    actions.push({
      kind: 'writeTaskConfigs',
      connector: connector.name,
      configVersion: connector.version,
      tasks: [],
      expectedGeneration: state.taskConfigs.generation,
    });
  }
  if (state.tasks.length > 0)
    actions.push({ kind: 'removeTasks', connector: connector.name, fromTaskId: 0 });
  actions.push(...connectorStatus(input, connector, state, 'STOPPED'));
  return actions;
}

function planPaused(input: PlanInput, connector: ConnectorRecord, state: ConnectorState): Action[] {
  const actions: Action[] = [];
  for (const task of state.tasks) {
    if (task.status.state !== 'PAUSED') {
      actions.push(setStatus(task, { ...task.status, state: 'PAUSED', updatedAt: input.now }));
    }
    if (task.lease.holder !== undefined) {
      actions.push({ kind: 'fenceTask', connector: connector.name, taskId: task.taskId });
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
  // Task configs are a pure function of the connector config: unchanged version, same configs.
  const current = state.taskConfigs;
  const wanted =
    current && current.configVersion === connector.version
      ? current.tasks
      : input.taskConfigsFor(connector);
  if (wanted instanceof Error) {
    // No task can run without configs; the connector shows why until its config changes.
    return connectorStatus(input, connector, state, 'FAILED', wanted.stack ?? wanted.message);
  }
  const actions: Action[] = [];
  let generation = current?.generation ?? -1;
  let fresh = false;
  if (!current || (current.tasks !== wanted && !isDeepStrictEqual(current.tasks, wanted))) {
    actions.push({
      kind: 'writeTaskConfigs',
      connector: connector.name,
      configVersion: connector.version,
      tasks: wanted,
      expectedGeneration: generation,
    });
    generation += 1;
    fresh = true;
  }
  if (state.tasks.some((t) => t.taskId >= wanted.length)) {
    actions.push({ kind: 'removeTasks', connector: connector.name, fromTaskId: wanted.length });
  }
  const byId = new Map(state.tasks.map((t) => [t.taskId, t]));
  for (let taskId = 0; taskId < wanted.length; taskId++) {
    const task = byId.get(taskId);
    // New task configs fenced every lease: each task starts over with a slice of the new generation.
    if (fresh || !task) actions.push(dispatch(connector.name, taskId, generation));
    else actions.push(...planTask(input, task, generation));
  }
  actions.push(...connectorStatus(input, connector, state, 'RUNNING'));
  return actions;
}

function planTask(input: PlanInput, task: TaskRecord, generation: number): Action[] {
  const { now } = input;
  const { lease, status } = task;
  const held = lease.holder !== undefined;
  if (held && lease.expiresAt > now) return []; // a slice is on it

  if (held) {
    // The slice died or overran without releasing: fence it so it can never write again,
    // say so instead of a stale RUNNING, and start a fresh slice.
    return [
      setStatus(task, {
        ...status,
        state: 'UNASSIGNED',
        trace: `lease of ${lease.holder} expired at ${new Date(lease.expiresAt).toISOString()}`,
        updatedAt: now,
      }),
      { kind: 'fenceTask', connector: task.connector, taskId: task.taskId },
      dispatch(task.connector, task.taskId, generation),
    ];
  }

  if (status.state === 'FAILED') {
    const policy = input.restartPolicy ?? DEFAULT_RESTART_POLICY;
    if (status.nextRestartAt === undefined) {
      const nextRestartAt = now + restartDelay(status.restartCount, policy);
      return [setStatus(task, { ...status, nextRestartAt, updatedAt: now })];
    }
    if (status.nextRestartAt > now) return [];
    const restarted: TaskStatus = {
      state: 'RESTARTING',
      restartCount: status.restartCount + 1,
      updatedAt: now,
      ...(status.trace === undefined ? {} : { trace: status.trace }),
    };
    return [setStatus(task, restarted), dispatch(task.connector, task.taskId, generation)];
  }

  // Free and healthy (idle, paused before, or never started): the next slice picks it up.
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

function setStatus(task: TaskRecord, status: TaskStatus): Action {
  return {
    kind: 'setTaskStatus',
    connector: task.connector,
    taskId: task.taskId,
    status,
    expectedEpoch: task.lease.epoch,
  };
}

function dispatch(connector: string, taskId: number, generation: number): Action {
  return { kind: 'dispatch', connector, taskId, generation };
}
