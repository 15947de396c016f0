import { ConnectError } from '../api/errors.js';
import { isRetriable } from '../api/retriable.js';
import type { CommonConfig } from '../config/parse.js';
import type { Clock, SliceEnv } from './slice-context.js';

/** Where in the pipeline a record failed: Kafka Connect's `ErrorHandlingMetrics` stages. */
export type Stage =
  /** The task's `start` (its connection to the external system); not one of Kafka's stages. */
  | 'TASK_START'
  | 'TASK_POLL'
  | 'TRANSFORMATION'
  | 'KEY_CONVERTER'
  | 'VALUE_CONVERTER'
  | 'HEADER_CONVERTER'
  | 'KAFKA_PRODUCE'
  | 'KAFKA_CONSUME'
  | 'TASK_PUT';

/** The connector's `errors.*` keys, parsed. */
export type ErrorPolicy = CommonConfig['errors'];

/** What happened to one record's stage. */
export type StageOutcome<T> =
  | { readonly kind: 'ok'; readonly value: T; readonly attempts: number }
  /** Tolerated (errors.tolerance=all): the record is skipped, and dead-lettered if configured. */
  | { readonly kind: 'tolerated'; readonly error: Error; readonly attempts: number };

/** A failure the task cannot go past (errors.tolerance=none): the task goes FAILED. */
export class TaskFailedError extends ConnectError {
  override readonly name = 'TaskFailedError';
  readonly retriable = false;

  constructor(
    readonly stage: Stage,
    readonly attempts: number,
    cause: Error,
  ) {
    super(
      `${stage} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${cause.message}`,
      {
        cause,
      },
    );
  }
}

/**
 * Runs one stage of one record under the connector's error policy, as Kafka Connect's
 * RetryWithToleranceOperator does: retriable errors are tried again with exponential backoff
 * (300 ms doubling, capped at errors.retry.delay.max.ms) until errors.retry.timeout (-1:
 * forever, 0: never) or the slice's own deadline; then, or at once for non-retriable errors,
 * the record is tolerated (errors.tolerance=all) or the task fails (none).
 */
export async function runStage<T>(
  stage: Stage,
  policy: ErrorPolicy,
  clock: Clock,
  work: () => T | Promise<T>,
  /** The slice must end by then: retrying stops there and the error is judged as it stands. */
  sliceDeadline = Number.POSITIVE_INFINITY,
  /** The first try's failure, when the caller made that try itself. */
  firstFailure?: { readonly thrown: unknown },
): Promise<StageOutcome<T>> {
  const started = clock.now();
  const retryUntil =
    policy.retryTimeoutMs < 0 ? Number.POSITIVE_INFINITY : started + policy.retryTimeoutMs;
  let delay = INITIAL_RETRY_DELAY_MS;
  let failure = firstFailure;
  for (let attempts = 1; ; attempts++) {
    try {
      if (failure !== undefined) throw failure.thrown;
      return { kind: 'ok', value: await work(), attempts };
    } catch (thrown) {
      failure = undefined;
      const error = thrown instanceof Error ? thrown : new Error(String(thrown));
      const wait = Math.min(delay, policy.retryDelayMaxMs);
      const resumeAt = clock.now() + wait;
      if (isRetriable(error) && resumeAt <= retryUntil && resumeAt < sliceDeadline) {
        await clock.sleep(wait);
        delay *= 2;
        continue;
      }
      if (policy.tolerance === 'all') return { kind: 'tolerated', error, attempts };
      throw new TaskFailedError(stage, attempts, error);
    }
  }
}

const INITIAL_RETRY_DELAY_MS = 300;

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
 *
 * A first try that works without waiting (a converter, a transform) answers at once, not as a
 * promise: it is every record's path, and promises per record and stage were a large share of
 * a source task's CPU (profiled on bench/peers).
 */
export function attempt<T>(
  env: SliceEnv,
  stage: Stage,
  /** The class to blame; a function when it is known only once the work failed (transforms). */
  classOf: string | (() => string),
  work: () => T | Promise<T>,
  policy: ErrorPolicy = env.policy,
): Staged<T> | Promise<Staged<T>> {
  let first: T | Promise<T>;
  try {
    first = work();
  } catch (thrown) {
    return judged(env, stage, classOf, work, policy, { thrown });
  }
  if (!isPromiseLike(first)) return { ok: true, value: first };
  return Promise.resolve(first).then(
    (value): Staged<T> => ({ ok: true, value }),
    (thrown: unknown) => judged(env, stage, classOf, work, policy, { thrown }),
  );
}

/** A stage whose first try failed: retried, tolerated or failing the task, and counted. */
async function judged<T>(
  env: SliceEnv,
  stage: Stage,
  classOf: string | (() => string),
  work: () => T | Promise<T>,
  policy: ErrorPolicy,
  firstFailure: { readonly thrown: unknown },
): Promise<Staged<T>> {
  const className = () => (typeof classOf === 'string' ? classOf : classOf());
  try {
    const outcome = await runStage(stage, policy, env.clock, work, env.deadline, firstFailure);
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
 * `next` on `value`, at once when it is there, after it otherwise: per-record stages chained
 * without a promise where none of them waits.
 */
export function andThen<A, B>(
  value: A | Promise<A>,
  next: (a: A) => B | Promise<B>,
): B | Promise<B> {
  return isPromiseLike(value) ? value.then(next) : next(value);
}

export function isPromiseLike<T>(value: T | Promise<T>): value is Promise<T> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
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
