import type { StateStore } from '../state/types.js';
import { mapBounded } from '../util/concurrency.js';
import { groupBy } from '../util/group-by.js';
import type { Action, ActionKind } from './actions.js';
import type { SliceDispatcher } from './dispatch.js';
import { plan, type RestartPolicy, type TaskConfigsFor } from './planner.js';

export interface CoordinatorDeps {
  readonly store: StateStore;
  readonly dispatcher: SliceDispatcher;
  readonly taskConfigsFor: TaskConfigsFor;
  /** Names this coordinator in its lease, e.g. the Lambda request id. */
  readonly holderId: string;
  readonly now?: () => number;
  /** How long the coordinator's lease lasts; longer than one run takes. */
  readonly leaseTtlMs?: number;
  readonly restartPolicy?: RestartPolicy;
  /** Connectors applied side by side. */
  readonly concurrency?: number;
  readonly log?: (message: string) => void;
}

export interface CoordinatorReport {
  /** False when another coordinator held the lease: this run did nothing. */
  readonly ran: boolean;
  readonly connectors: number;
  readonly applied: Partial<Record<ActionKind, number>>;
  /** Actions not applied because the state moved under them; the next run plans again. */
  readonly deferred: number;
  readonly errors: readonly string[];
}

/**
 * One coordinator run: take the coordinator lease (single-flight), read the state, plan, apply.
 * A run that finds the lease taken leaves at once: the holder's plan covers the same state.
 */
export async function runCoordinator(deps: CoordinatorDeps): Promise<CoordinatorReport> {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? (() => undefined);
  const token = await deps.store.acquireCoordinatorLease(
    deps.holderId,
    now(),
    deps.leaseTtlMs ?? 60_000,
  );
  if (!token) {
    log('another coordinator run holds the lease; leaving');
    return { ran: false, connectors: 0, applied: {}, deferred: 0, errors: [] };
  }
  try {
    const snapshot = await deps.store.snapshot();
    const actions = plan({
      now: now(),
      snapshot,
      taskConfigsFor: deps.taskConfigsFor,
      ...(deps.restartPolicy ? { restartPolicy: deps.restartPolicy } : {}),
    });
    const applied: Partial<Record<ActionKind, number>> = {};
    const errors: string[] = [];
    let deferred = 0;
    const byConnector = groupBy(actions, connectorOf);
    await mapBounded([...byConnector.values()], deps.concurrency ?? 8, async (connectorActions) => {
      for (const [index, action] of connectorActions.entries()) {
        try {
          await apply(deps, action, now());
          applied[action.kind] = (applied[action.kind] ?? 0) + 1;
        } catch (error) {
          // Later actions of this connector build on this one: leave them to the next run.
          deferred += connectorActions.length - index;
          const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          errors.push(`${connectorOf(action)}: ${action.kind} failed: ${reason}`);
          log(`${connectorOf(action)}: ${action.kind} failed, deferred to the next run: ${reason}`);
          return;
        }
      }
    });
    return { ran: true, connectors: snapshot.connectors.length, applied, deferred, errors };
  } finally {
    await deps.store.releaseCoordinatorLease(token);
  }
}

async function apply(deps: CoordinatorDeps, action: Action, now: number): Promise<void> {
  const { store } = deps;
  switch (action.kind) {
    case 'writeTaskConfigs':
      await store.writeTaskConfigs(
        action.connector,
        action.configVersion,
        action.tasks,
        action.expectedGeneration,
        now,
      );
      return;
    case 'removeTasks':
      await store.removeTasksFrom(action.connector, action.fromTaskId);
      return;
    case 'fenceTask':
      await store.fenceTask(action.connector, action.taskId, now);
      return;
    case 'setTaskStatus':
      await store.setTaskStatus(
        action.connector,
        action.taskId,
        action.status,
        action.expectedEpoch,
      );
      return;
    case 'setConnectorStatus':
      await store.setConnectorStatus(action.status);
      return;
    case 'dispatch':
      await deps.dispatcher.dispatch({
        connector: action.connector,
        taskId: action.taskId,
        generation: action.generation,
      });
      return;
  }
}

function connectorOf(action: Action): string {
  return action.kind === 'setConnectorStatus' ? action.status.connector : action.connector;
}
