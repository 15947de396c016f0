import { ConnectError } from '../api/errors.js';
import type { CommonConfig } from '../config/parse.js';

/** Where in the pipeline a record failed: Kafka Connect's `ErrorHandlingMetrics` stages. */
export type Stage =
  | 'TASK_POLL'
  | 'TRANSFORMATION'
  | 'KEY_CONVERTER'
  | 'VALUE_CONVERTER'
  | 'HEADER_CONVERTER'
  | 'KAFKA_PRODUCE'
  | 'KAFKA_CONSUME'
  | 'TASK_PUT';

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

/** Whether an error may pass if tried again: the error says so itself, else it may not. */
export function isRetriable(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && 'retriable' in error && error.retriable === true
  );
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

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
): Promise<StageOutcome<T>> {
  const started = clock.now();
  const retryUntil =
    policy.retryTimeoutMs < 0 ? Number.POSITIVE_INFINITY : started + policy.retryTimeoutMs;
  let delay = INITIAL_RETRY_DELAY_MS;
  for (let attempts = 1; ; attempts++) {
    try {
      return { kind: 'ok', value: await work(), attempts };
    } catch (thrown) {
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

/** What a dead-lettered record's context says: Kafka Connect's `__connect.errors.*` headers. */
export interface DeadLetterContext {
  readonly connector: string;
  readonly taskId: number;
  readonly stage: Stage;
  /** The plugin class that failed (converter, transform, task). */
  readonly className: string;
  readonly error: Error;
  /** Where the original came from: the source topic for sinks, the source partition for sources. */
  readonly topic?: string;
  readonly partition?: string;
  readonly offset?: string;
}

/** The context properties of a dead-lettered message, named as Kafka Connect names them. */
export function deadLetterProperties(context: DeadLetterContext): Map<string, string> {
  const properties = new Map<string, string>([
    ['__connect.errors.connector.name', context.connector],
    ['__connect.errors.task.id', String(context.taskId)],
    ['__connect.errors.stage', context.stage],
    ['__connect.errors.class.name', context.className],
    ['__connect.errors.exception.class.name', context.error.name],
    ['__connect.errors.exception.message', context.error.message],
    [
      '__connect.errors.exception.stacktrace',
      truncate(propertyText(context.error.stack ?? context.error.message)),
    ],
  ]);
  if (context.topic !== undefined) properties.set('__connect.errors.topic', context.topic);
  if (context.partition !== undefined)
    properties.set('__connect.errors.partition', context.partition);
  if (context.offset !== undefined) properties.set('__connect.errors.offset', context.offset);
  for (const [key, value] of properties) properties.set(key, propertyText(value));
  return properties;
}

// RocketMQ limits the total size of a message's properties (16 KiB on the proxy), and the
// original message's own properties travel too: a stack trace gets a few KiB at most.
const MAX_TRACE_BYTES = 6_000;
function truncate(text: string): string {
  if (Buffer.byteLength(text) <= MAX_TRACE_BYTES) return text;
  // Cut by bytes, then drop a character the cut may have split.
  const cut = Buffer.from(text)
    .subarray(0, MAX_TRACE_BYTES)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  return `${cut}... (truncated)`;
}

/**
 * The proxy refuses a property value with a control character (code 40007), and a stack trace
 * has newlines: they are written as `\n` and `\t`, other control characters as spaces.
 */
export function propertyText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) =>
    c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '' : ' ',
  );
}
