import {
  runStage,
  TaskFailedError,
  type Clock,
  type ErrorPolicy,
  type Stage,
} from './error-handling.js';
import type { SliceCounters } from './slice-counters.js';

/** Where the runtime logs (console on Lambda: CloudWatch). */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

/** What every stage of one slice shares: who it is, its error policy, clock, budget, counters. */
export interface SliceEnv {
  readonly connector: string;
  readonly taskId: number;
  readonly policy: ErrorPolicy;
  readonly clock: Clock;
  /** Epoch ms by which the slice must be done; retries stop there. */
  readonly deadline: number;
  readonly counters: SliceCounters;
  readonly log: Logger;
}

/** A record's failed stage, tolerated under errors.tolerance=all: it goes to the dead-letter topic. */
export interface StageFailure {
  readonly stage: Stage;
  /** The plugin class that failed (converter, transform, task), or the runtime's part. */
  readonly className: string;
  readonly error: Error;
}

export type Staged<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: StageFailure };

/**
 * One stage of one record under the connector's error policy (runStage), counted: retries,
 * failures and the last error go to the slice's counters, and errors.log.enable logs them.
 * Under errors.tolerance=none a failure throws TaskFailedError (the task goes FAILED).
 */
export async function attempt<T>(
  env: SliceEnv,
  stage: Stage,
  /** The class to blame; a function when it is known only once the work failed (transforms). */
  classOf: string | (() => string),
  work: () => T | Promise<T>,
  policy: ErrorPolicy = env.policy,
): Promise<Staged<T>> {
  const className = () => (typeof classOf === 'string' ? classOf : classOf());
  try {
    const outcome = await runStage(stage, policy, env.clock, work, env.deadline);
    if (outcome.kind === 'ok') {
      env.counters.retried(outcome.attempts);
      return { ok: true, value: outcome.value };
    }
    env.counters.failed(env.clock.now(), outcome.error, outcome.attempts);
    if (env.policy.logEnable) {
      env.log.warn(
        `${env.connector}/${env.taskId}: ${stage} failed in ${className()} after ` +
          `${outcome.attempts} attempt(s), record skipped: ${outcome.error.message}`,
      );
    }
    return { ok: false, failure: { stage, className: className(), error: outcome.error } };
  } catch (error) {
    if (error instanceof TaskFailedError) {
      const cause = error.cause instanceof Error ? error.cause : error;
      env.counters.failed(env.clock.now(), cause, error.attempts);
    }
    throw error;
  }
}

/**
 * Sends to RocketMQ (which already retries inside the client) get at least this long to pass
 * on retriable failures, whatever errors.retry.timeout says: as Kafka's producer keeps trying
 * for `delivery.timeout.ms` (2 min) before reporting a failure.
 */
export const MIN_PRODUCE_RETRY_MS = 30_000;

export function producePolicy(policy: ErrorPolicy): ErrorPolicy {
  const retryTimeoutMs =
    policy.retryTimeoutMs < 0 ? -1 : Math.max(policy.retryTimeoutMs, MIN_PRODUCE_RETRY_MS);
  return { ...policy, retryTimeoutMs };
}
