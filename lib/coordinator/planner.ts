import { isDeepStrictEqual } from 'node:util';
import type {
  ConnectorRecord,
  ConnectorStatusRecord,
  RuntimeState,
  StateSnapshot,
  TaskConfigsRecord,
  TaskRecord,
  TaskStatus,
} from '../state/types.js';
import type { ConnectorConfig } from '../api/connector-config.js';
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

// Planning runs on every coordinator pass over every connector (10,000 x 8 tasks in well under
// 100 ms: bench/planner.ts), so it is one linear pass that appends to a single list: no
// per-task arrays or maps, nothing hashed or compared deeply unless a config version moved.
// test/unit/coordinator/planner-equivalence.test.ts holds it to the decisions of the plain
// version it replaced.

/** One planning pass: its inputs, and the actions decided so far. */
interface Pass {
  readonly now: number;
  readonly policy: RestartPolicy;
  readonly taskConfigsFor: TaskConfigsFor;
  readonly out: Action[];
}

/** One connector's part of the snapshot. */
interface ConnectorState {
  readonly taskConfigs: TaskConfigsRecord | undefined;
  readonly status: ConnectorStatusRecord | undefined;
  /** In snapshot order. */
  readonly tasks: readonly TaskRecord[];
}

const NO_TASKS: readonly TaskRecord[] = [];

/**
 * The coordinator's decisions, as a pure function of the state: which task configs to write,
 * which leases to fence, which statuses to correct, and which slices to start. Actions are
 * grouped by connector, in the order they must be applied.
 */
export function plan(input: PlanInput): Action[] {
  const { snapshot } = input;
  const taskConfigs = lastByConnector(snapshot.taskConfigs);
  const statuses = lastByConnector(snapshot.connectorStatuses);
  const tasks = tasksByConnector(snapshot.tasks);
  const pass: Pass = {
    now: input.now,
    policy: input.restartPolicy ?? DEFAULT_RESTART_POLICY,
    taskConfigsFor: input.taskConfigsFor,
    out: [],
  };
  for (const connector of snapshot.connectors) {
    planConnector(pass, connector, {
      taskConfigs: taskConfigs.get(connector.name),
      status: statuses.get(connector.name),
      tasks: tasks.get(connector.name) ?? NO_TASKS,
    });
  }
  return pass.out;
}

/** Records by connector name; the last one wins when a name comes twice. */
function lastByConnector<T extends { readonly connector: string }>(
  records: readonly T[],
): Map<string, T> {
  const byName = new Map<string, T>();
  for (const record of records) byName.set(record.connector, record);
  return byName;
}

/**
 * Tasks grouped by connector, in snapshot order within each group. A snapshot lists a
 * connector's tasks together, so a group is looked up once per run of tasks, not per task.
 */
function tasksByConnector(tasks: readonly TaskRecord[]): Map<string, TaskRecord[]> {
  const groups = new Map<string, TaskRecord[]>();
  let name: string | undefined;
  let group: TaskRecord[] = [];
  for (const task of tasks) {
    if (task.connector !== name) {
      name = task.connector;
      const known = groups.get(name);
      if (known) group = known;
      else groups.set(name, (group = []));
    }
    group.push(task);
  }
  return groups;
}

function planConnector(pass: Pass, connector: ConnectorRecord, state: ConnectorState): void {
  switch (connector.targetState) {
    case 'STOPPED':
      return planStopped(pass, connector, state);
    case 'PAUSED':
      return planPaused(pass, connector, state);
    case 'RUNNING':
      return planRunning(pass, connector, state);
  }
}

/** As in Kafka Connect, a stopped connector keeps its config but has no tasks. */
function planStopped(pass: Pass, connector: ConnectorRecord, state: ConnectorState): void {
  if (state.taskConfigs && state.taskConfigs.tasks.length > 0) {
    pass.out.push(writeTaskConfigs(connector, [], state.taskConfigs.generation));
  }
  if (state.tasks.length > 0) {
    pass.out.push({ kind: 'removeTasks', connector: connector.name, fromTaskId: 0 });
  }
  connectorStatus(pass, connector, state, 'STOPPED');
}

function planPaused(pass: Pass, connector: ConnectorRecord, state: ConnectorState): void {
  for (const task of state.tasks) {
    // A FAILED task stays FAILED through a pause, as in Kafka Connect: resuming must not
    // quietly restart it without its backoff.
    const wanted = task.status.state === 'FAILED' ? 'FAILED' : 'PAUSED';
    const held = task.lease.holder !== undefined;
    if (task.status.state !== wanted || held) {
      pass.out.push(setStatus(task, { ...task.status, state: wanted, updatedAt: pass.now }, held));
    }
  }
  connectorStatus(pass, connector, state, 'PAUSED');
}

function planRunning(pass: Pass, connector: ConnectorRecord, state: ConnectorState): void {
  // Task configs are a pure function of the connector config: unchanged version, same configs,
  // unless the connector is being restarted (a plugin may read more than its config).
  const current = state.taskConfigs;
  const restarting = state.status?.state === 'RESTARTING';
  const wanted =
    current && current.configVersion === connector.version && !restarting
      ? current.tasks
      : pass.taskConfigsFor(connector);
  if (wanted instanceof Error) {
    // The connector shows why until its config changes; tasks it already had keep being looked
    // after with the configs they have (expired leases fenced, failures restarted).
    if (current) planTasks(pass, connector, state, current.tasks.length, current.generation);
    connectorStatus(pass, connector, state, 'FAILED', wanted.stack ?? wanted.message);
    return;
  }
  const generation = current?.generation ?? -1;
  if (!current || (current.tasks !== wanted && !isDeepStrictEqual(current.tasks, wanted))) {
    pass.out.push(writeTaskConfigs(connector, wanted, generation));
    if (hasSurplus(state.tasks, wanted.length))
      pass.out.push(removeTasks(connector, wanted.length));
    // New task configs fenced every lease: each task starts over with a slice of the new generation.
    for (let taskId = 0; taskId < wanted.length; taskId++) {
      pass.out.push(dispatch(connector.name, taskId, generation + 1));
    }
  } else {
    planTasks(pass, connector, state, wanted.length, generation);
  }
  connectorStatus(pass, connector, state, 'RUNNING');
}

/** Tasks 0..count-1 of current task configs: keep them running, restart them when due. */
function planTasks(
  pass: Pass,
  connector: ConnectorRecord,
  state: ConnectorState,
  count: number,
  generation: number,
): void {
  // By id; the last item wins when an id comes twice. Ids beyond the configs are surplus.
  const byId = new Array<TaskRecord | undefined>(count);
  let surplus = false;
  for (const task of state.tasks) {
    if (task.taskId >= count) surplus = true;
    else byId[task.taskId] = task;
  }
  // Task items beyond the task configs (tasks.max went down) go.
  if (surplus) pass.out.push(removeTasks(connector, count));
  for (let taskId = 0; taskId < count; taskId++) {
    const task = byId[taskId];
    if (!task) pass.out.push(dispatch(connector.name, taskId, generation));
    else planTask(pass, task, generation);
  }
}

const hasSurplus = (tasks: readonly TaskRecord[], count: number): boolean =>
  tasks.some((t) => t.taskId >= count);

function planTask(pass: Pass, task: TaskRecord, generation: number): void {
  const { now, policy, out } = pass;
  const { lease, status } = task;
  const held = lease.holder !== undefined;
  if (held && lease.expiresAt > now) return; // a slice is on it

  if (held) {
    // The slice died or overran without releasing (out of memory, timed out, killed): fence it
    // so it can never write again, and say so instead of a stale RUNNING. It counts as a
    // failure: the first restart is at once, repeated ones back off, so a crash loop is slowed.
    const restartCount = status.restartCount + 1;
    const trace = `lease of ${lease.holder} expired at ${new Date(lease.expiresAt).toISOString()}`;
    if (status.restartCount === 0) {
      out.push(
        setStatus(task, { state: 'UNASSIGNED', trace, restartCount, updatedAt: now }, true),
        dispatch(task.connector, task.taskId, generation),
      );
      return;
    }
    const nextRestartAt = now + restartDelay(status.restartCount, policy);
    out.push(
      setStatus(
        task,
        { state: 'UNASSIGNED', trace, restartCount, nextRestartAt, updatedAt: now },
        true,
      ),
    );
    return;
  }

  if (status.state === 'FAILED') {
    if (status.nextRestartAt === undefined) {
      const nextRestartAt = now + restartDelay(status.restartCount, policy);
      out.push(setStatus(task, { ...status, nextRestartAt, updatedAt: now }, false));
      return;
    }
    if (status.nextRestartAt > now) return;
    const restarted: TaskStatus = {
      state: 'RESTARTING',
      restartCount: status.restartCount + 1,
      updatedAt: now,
      ...(status.trace === undefined ? {} : { trace: status.trace }),
    };
    out.push(setStatus(task, restarted, false), dispatch(task.connector, task.taskId, generation));
    return;
  }

  // Waiting out a backoff after a crash.
  if (status.nextRestartAt !== undefined && status.nextRestartAt > now) return;

  // Free and healthy (idle, paused before, or due after a backoff): the next slice picks it up.
  out.push(dispatch(task.connector, task.taskId, generation));
}

function connectorStatus(
  pass: Pass,
  connector: ConnectorRecord,
  state: ConnectorState,
  wanted: RuntimeState,
  trace?: string,
): void {
  if (state.status?.state === wanted && state.status.trace === trace) return;
  pass.out.push({
    kind: 'setConnectorStatus',
    status: {
      connector: connector.name,
      state: wanted,
      updatedAt: pass.now,
      ...(trace === undefined ? {} : { trace }),
    },
  });
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

const removeTasks = (connector: ConnectorRecord, fromTaskId: number): Action => ({
  kind: 'removeTasks',
  connector: connector.name,
  fromTaskId,
});

function dispatch(connector: string, taskId: number, generation: number): Action {
  return { kind: 'dispatch', connector, taskId, generation };
}
