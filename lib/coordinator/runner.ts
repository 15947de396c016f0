import { FencedError } from '../state/errors.js';
import type { LeaseToken, StateStore } from '../state/types.js';
import { mapBounded } from '../util/concurrency.js';
import { groupBy } from '../util/group-by.js';
import type { Action, ActionKind } from './actions.js';
import type { SliceDispatcher } from '../runtime/slice-request.js';
import { plan, type RestartPolicy, type TaskConfigsFor } from './planner.js';

/** The part of the state store the coordinator uses. */
export type CoordinatorStore = Pick<
  StateStore,
  | 'acquireCoordinatorLease'
  | 'renewCoordinatorLease'
  | 'readCoordinatorLease'
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
  readonly sleep?: (ms: number) => Promise<void>;
  /** Epoch ms by which the run must be over (the invocation's end, less a margin). */
  readonly deadline?: number;
  /**
   * How long the coordinator's lease lasts without a renewal; it is renewed every quarter of
   * that while the run goes on, so a run that died holds the next one back at most this long.
   */
  readonly leaseTtlMs?: number;
  /**
   * Plan again every `tickMs` until the deadline while anything runs (a connector RUNNING or a
   * task lease held): a dead slice's task restarts within a tick of its lease's expiry, not at
   * the next scheduled run. Without it, one run (tests, tools).
   */
  readonly tickMs?: number;
  readonly restartPolicy?: RestartPolicy;
  /** Connectors applied side by side. */
  readonly concurrency?: number;
  readonly log?: (message: string) => void;
}

export interface CoordinatorReport {
  /** False when another coordinator held the lease: it was asked to plan again instead. */
  readonly ran: boolean;
  /** Plan-and-apply passes: more than one when a change arrived during a pass, or ticking. */
  readonly passes: number;
  readonly connectors: number;
  readonly applied: Partial<Record<ActionKind, number>>;
  /** Actions left to the next run: the state moved under them, or time ran out. */
  readonly deferred: number;
  readonly errors: readonly string[];
  /**
   * A ticking run ended at its deadline with something still running: the caller starts the
   * next run at once (the coordinator function invokes itself) rather than leave a gap until
   * the schedule's.
   */
  readonly busy: boolean;
}

/** A change arriving during every pass must not keep one run going forever. */
const MAX_PASSES = 3;
export const DEFAULT_COORDINATOR_LEASE_TTL_MS = 10_000;

/**
 * One coordinator run: take the coordinator lease (single-flight), read the state, plan, apply,
 * and plan again if a change was signalled meanwhile, or every `tickMs` while anything runs.
 * A run that finds the lease held by a live run (renewed lately) asks it for another pass and
 * leaves, so no wake-up is lost; one held by a run that stopped renewing it (died) is waited
 * out and taken, so a dead run holds the next back for at most the lease's ttl.
 */
export async function runCoordinator(deps: CoordinatorDeps): Promise<CoordinatorReport> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const log = deps.log ?? (() => undefined);
  const deadline = deps.deadline ?? now() + 50_000;
  const ttl = deps.leaseTtlMs ?? DEFAULT_COORDINATOR_LEASE_TTL_MS;
  const token = await takeLease(deps, { now, sleep, ttl, deadline });
  if (!token) {
    await deps.store.requestCoordinatorRun(now());
    log('another coordinator run holds the lease; asked it for another pass');
    return {
      ran: false,
      passes: 0,
      connectors: 0,
      applied: {},
      deferred: 0,
      errors: [],
      busy: false,
    };
  }
  const lease = new LeaseKeeper(deps.store, token, now, ttl);
  const applied: Partial<Record<ActionKind, number>> = {};
  const errors: string[] = [];
  let deferred = 0;
  let connectors: number;
  let passes = 0;
  let busy: boolean;
  try {
    for (;;) {
      passes++;
      const snapshot = await deps.store.snapshot();
      for (const item of snapshot.skipped ?? []) {
        errors.push(`skipped unreadable item ${item.pk} / ${item.sk}: ${item.reason}`);
      }
      connectors = snapshot.connectors.length;
      busy =
        snapshot.connectors.some((c) => c.targetState === 'RUNNING') ||
        snapshot.tasks.some((t) => t.lease.holder !== undefined);
      const actions = plan({
        now: now(),
        snapshot,
        taskConfigsFor: deps.taskConfigsFor,
        ...(deps.restartPolicy ? { restartPolicy: deps.restartPolicy } : {}),
      });
      const byConnector = [...groupBy(actions, connectorOf).values()];
      await mapBounded(byConnector, deps.concurrency ?? 8, async (connectorActions) => {
        for (const [index, action] of connectorActions.entries()) {
          if (now() >= deadline || lease.lost) {
            deferred += connectorActions.length - index;
            return;
          }
          try {
            await lease.keep();
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
      if (lease.lost || now() >= deadline) break;
      if (deps.tickMs === undefined || !busy) {
        // One run (or nothing left to watch): another pass only when a change was signalled.
        const mayPassAgain = deps.tickMs !== undefined || passes < MAX_PASSES;
        if (mayPassAgain && (await deps.store.takeCoordinatorRunRequest(token))) continue;
        break;
      }
      // Ticking: wake-ups that arrive meanwhile are taken by the next pass anyway.
      await sleep(Math.min(deps.tickMs, Math.max(0, deadline - now())));
      if (now() >= deadline) break;
      await lease.keep();
      if (lease.lost) break;
    }
    if (lease.lost) {
      log('the coordinator lease was taken over (this run stalled past it); stopped');
      busy = false;
    }
    return {
      ran: true,
      passes,
      connectors,
      applied,
      deferred,
      errors,
      busy: busy && deps.tickMs !== undefined,
    };
  } finally {
    await deps.store.releaseCoordinatorLease(token);
  }
}

/**
 * The coordinator lease, or undefined when a live run holds it. A holder that renews keeps at
 * least three quarters of the ttl ahead of it; one with less than half left has missed its
 * renewals (it died, or stalls): this run waits until the lease expires and takes it, while its
 * own deadline allows.
 */
async function takeLease(
  deps: CoordinatorDeps,
  t: {
    now: () => number;
    sleep: (ms: number) => Promise<void>;
    ttl: number;
    deadline: number;
  },
): Promise<LeaseToken | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const token = await deps.store.acquireCoordinatorLease(deps.holderId, t.now(), t.ttl);
    if (token) return token;
    const held = await deps.store.readCoordinatorLease();
    if (held === undefined) continue; // released meanwhile
    const left = held.expiresAt - t.now();
    if (left > t.ttl / 2 || t.now() + left >= t.deadline) return undefined;
    await t.sleep(Math.max(0, left) + 20);
  }
  return undefined;
}

/** Renews the coordinator lease every quarter of its ttl; `lost` once another run took it. */
class LeaseKeeper {
  lost = false;
  #renewedAt: number;
  #renewing: Promise<void> | undefined;

  constructor(
    private readonly store: CoordinatorStore,
    private readonly token: LeaseToken,
    private readonly now: () => number,
    private readonly ttl: number,
  ) {
    this.#renewedAt = now();
  }

  /** Renews when a quarter of the ttl has passed since the last renewal (one at a time). */
  async keep(): Promise<void> {
    if (this.lost || this.now() - this.#renewedAt < this.ttl / 4) return;
    this.#renewing ??= this.#renew().finally(() => (this.#renewing = undefined));
    await this.#renewing;
  }

  async #renew(): Promise<void> {
    const at = this.now();
    try {
      await this.store.renewCoordinatorLease(this.token, at, this.ttl);
      this.#renewedAt = at;
    } catch (error) {
      if (!(error instanceof FencedError)) throw error;
      this.lost = true;
    }
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
