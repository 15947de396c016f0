import { NonRetriableError } from '../api/errors.js';
import { ConnectorNotFoundError, StaleWriteError } from '../state/errors.js';
import type { ConnectorState, StateStore, TaskRecord } from '../state/types.js';

/** The task does not exist: its id is not among the connector's current task configs. */
export class TaskNotFoundError extends NonRetriableError {
  override readonly name = 'TaskNotFoundError';
  /** The management API's answer. */
  readonly httpStatus = 404;
}

/** Kafka Connect's restart query parameters (KIP-745). */
export interface RestartOptions {
  /** Restart the connector's tasks too. */
  readonly includeTasks: boolean;
  /** Only the instances that are FAILED. */
  readonly onlyFailed: boolean;
}

/** What a restart restarted, with the state read before it (for the 202 answer). */
export interface RestartPlan {
  readonly before: ConnectorState;
  readonly connector: boolean;
  readonly taskIds: readonly number[];
}

// A slice may write its status between our read and our write; the write is then refused
// (conditional on what was read) and tried again from a fresh read.
const ATTEMPTS = 5;

/**
 * Restarts the connector (its task configs are computed again: the coordinator does so when it
 * sees RESTARTING) and, with `includeTasks`, its tasks, each only if FAILED with `onlyFailed`.
 */
export async function restartConnector(
  store: StateStore,
  name: string,
  options: RestartOptions,
  now: () => number,
): Promise<RestartPlan> {
  const before = await store.describeConnector(name);
  if (!before) throw new ConnectorNotFoundError(name, 'restart it');
  const connector = !options.onlyFailed || before.status?.state === 'FAILED';
  const restarted = options.includeTasks
    ? taskIds(before).filter(
        (id) => !options.onlyFailed || taskOf(before, id)?.status.state === 'FAILED',
      )
    : [];
  if (connector) {
    await store.setConnectorStatus({ connector: name, state: 'RESTARTING', updatedAt: now() });
  }
  for (const id of restarted) await restartTask(store, name, id, now, before);
  return { before, connector, taskIds: restarted };
}

/**
 * Restarts one task at once: its lease is fenced (a slice still running stops at its next
 * write) and it shows RESTARTING with its restart count and backoff cleared, since a person
 * asked; the coordinator then dispatches it. A task that never ran has nothing to restart.
 */
export async function restartTask(
  store: StateStore,
  name: string,
  taskId: number,
  now: () => number,
  /** The state just read, if the caller has it: the first attempt then reads nothing. */
  known?: ConnectorState,
): Promise<void> {
  let read = known;
  for (let attempt = 1; ; attempt++) {
    const state = read ?? (await store.describeConnector(name));
    read = undefined;
    if (!state) throw new ConnectorNotFoundError(name, `restart task ${taskId}`);
    requireTask(state, taskId);
    const task = taskOf(state, taskId);
    if (!task) return;
    try {
      await store.setTaskStatus(
        name,
        taskId,
        {
          state: 'RESTARTING',
          restartCount: 0,
          updatedAt: Math.max(now(), task.status.updatedAt + 1),
        },
        { epoch: task.lease.epoch, statusUpdatedAt: task.status.updatedAt },
        { fence: true },
      );
      return;
    } catch (error) {
      if (!(error instanceof StaleWriteError) || attempt >= ATTEMPTS) throw error;
    }
  }
}

/** Throws TaskNotFoundError unless `taskId` is one of the connector's current tasks. */
export function requireTask(state: ConnectorState, taskId: number): void {
  const ids = taskIds(state);
  if (!ids.includes(taskId)) {
    throw new TaskNotFoundError(
      `connector ${JSON.stringify(state.connector.name)} has no task ${taskId} (its tasks: ${describeIds(ids)})`,
    );
  }
}

/** The ids of the connector's current task configs. */
export function taskIds(state: ConnectorState): number[] {
  return (state.taskConfigs?.tasks ?? []).map((_, id) => id);
}

function taskOf(state: ConnectorState, taskId: number): TaskRecord | undefined {
  return state.tasks.find((t) => t.taskId === taskId);
}

function describeIds(ids: readonly number[]): string {
  return ids.length === 0 ? 'none yet' : ids.join(', ');
}
