import type { StateStore } from '../state/types.js';
import { mapBounded } from '../util/concurrency.js';
import { groupBy } from '../util/group-by.js';
import type { Action, ActionKind } from './actions.js';
import type { SliceDispatcher } from '../runtime/slice-request.js';
import { plan, type RestartPolicy, type TaskConfigsFor } from './planner.js';

/** The part of the state store the coordinator uses. */
export type CoordinatorStore = Pick<
  StateStore,
  | 'acquireCoordinatorLease'
  | 'releaseCoordinatorLease'
  | 'requestCoordinatorRun'
  | 'takeCoordinatorRunRequest'
  | 'snapshot'
  | 'writeTaskConfigs'
  | 'removeTasksFrom'
  | 'setTaskStatus'
  | 'setConnectorStatus'
>;

export interface CoordinatorDeps {
  readonly store: CoordinatorStore;
  readonly dispatcher: SliceDispatcher;
  readonly taskConfigsFor: TaskConfigsFor;
  /** Names this coordinator in its lease, e.g. the Lambda request id. */
  readonly holderId: string;
  readonly now?: () => number;
  /** Epoch ms by which the run must be over (the invocation's end, less a margin). */
  readonly deadline?: number;
  /** How long the coordinator's lease lasts: at least until the deadline. */
  readonly leaseTtlMs?: number;
  readonly restartPolicy?: RestartPolicy;
  /** Connectors applied side by side. */
  readonly concurrency?: number;
  readonly log?: (message: string) => void;
}

export interface CoordinatorReport {
  /** False when another coordinator held the lease: it was asked to plan again instead. */
  readonly ran: boolean;
  /** Plan-and-apply passes: more than one when a change arrived during a pass. */
  readonly passes: number;
  readonly connectors: number;
  readonly applied: Partial<Record<ActionKind, number>>;
  /** Actions left to the next run: the state moved under them, or time ran out. */
  readonly deferred: number;
  readonly errors: readonly string[];
}

/** A change arriving during every pass must not keep one run going forever. */
const MAX_PASSES = 3;

/**
 * One coordinator run: take the coordinator lease (single-flight), read the state, plan, apply,
 * and plan again if a change was signalled meanwhile. A run that finds the lease taken asks
 * the holder for another pass and leaves, so no wake-up is lost.
 */
export async function runCoordinator(deps: CoordinatorDeps): Promise<CoordinatorReport> {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? (() => undefined);
  const deadline = deps.deadline ?? now() + 50_000;
  const ttl = deps.leaseTtlMs ?? Math.max(deadline - now(), 0) + 10_000;
  const token = await deps.store.acquireCoordinatorLease(deps.holderId, now(), ttl);
  if (!token) {
    await deps.store.requestCoordinatorRun(now());
    log('another coordinator run holds the lease; asked it for another pass');
    return { ran: false, passes: 0, connectors: 0, applied: {}, deferred: 0, errors: [] };
  }
  const applied: Partial<Record<ActionKind, number>> = {};
  const errors: string[] = [];
  let deferred = 0;
  let connectors: number;
  let passes = 0;
  try {
    do {
      passes++;
      const snapshot = await deps.store.snapshot();
      for (const item of snapshot.skipped ?? []) {
        errors.push(`skipped unreadable item ${item.pk} / ${item.sk}: ${item.reason}`);
      }
      connectors = snapshot.connectors.length;
      const actions = plan({
        now: now(),
        snapshot,
        taskConfigsFor: deps.taskConfigsFor,
        ...(deps.restartPolicy ? { restartPolicy: deps.restartPolicy } : {}),
      });
      const byConnector = [...groupBy(actions, connectorOf).values()];
      await mapBounded(byConnector, deps.concurrency ?? 8, async (connectorActions) => {
        for (const [index, action] of connectorActions.entries()) {
          if (now() >= deadline) {
            deferred += connectorActions.length - index;
            return;
          }
          try {
            await apply(deps, action, now());
            applied[action.kind] = (applied[action.kind] ?? 0) + 1;
          } catch (error) {
            // Later actions of this connector build on this one: leave them to the next run.
            deferred += connectorActions.length - index;
            const reason =
              error instanceof Error ? `${error.name}: ${error.message}` : String(error);
            errors.push(`${connectorOf(action)}: ${action.kind} failed: ${reason}`);
            log(
              `${connectorOf(action)}: ${action.kind} failed, deferred to the next run: ${reason}`,
            );
            return;
          }
        }
      });
    } while (
      passes < MAX_PASSES &&
      now() < deadline &&
      (await deps.store.takeCoordinatorRunRequest(token))
    );
    return { ran: true, passes, connectors, applied, deferred, errors };
  } finally {
    await deps.store.releaseCoordinatorLease(token);
  }
}

async function apply(deps: CoordinatorDeps, action: Action, now: number): Promise<void> {
  const { store } = deps;
  switch (action.kind) {
    case 'writeTaskConfigs':
      await store.writeTaskConfigs(
        { name: action.connector, version: action.configVersion, createdAt: action.createdAt },
        action.tasks,
        action.expectedGeneration,
        now,
      );
      return;
    case 'removeTasks':
      await store.removeTasksFrom(action.connector, action.fromTaskId);
      return;
    case 'setTaskStatus':
      await store.setTaskStatus(action.connector, action.taskId, action.status, action.expected, {
        fence: action.fence,
      });
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
