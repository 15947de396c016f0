import type { SinkTask } from '../api/connector.js';
import type { SinkRecord } from '../api/record.js';
import { applyChainToRecord, type ChainEntry } from '../api/transform.js';
import type { CommonConfig } from '../config/parse.js';
import { RetriableError } from '../api/errors.js';
import type { DeadLetter, DeadLetterQueue } from './dead-letter.js';
import { fromMessage, messageKeyBytes, type IncomingMessage } from './message-mapping.js';
import type { AckOutcome, MessageConsumer } from './messaging.js';
import type { Pipeline } from './pipeline.js';
import { attempt, producePolicy, runStage, type StageFailure } from './error-policy.js';
import type { SliceEnv } from './slice-context.js';
import type { LoopEnd } from './source-loop.js';

export interface SinkLoopDeps {
  readonly env: SliceEnv;
  readonly common: CommonConfig;
  readonly task: SinkTask;
  readonly taskClass: string;
  readonly pipeline: Pipeline;
  readonly consumer: MessageConsumer;
  readonly deadLetters: DeadLetterQueue;
  /**
   * How long a received message stays invisible to others: longer than the slice has left. The
   * adapter may raise it (the proxy's minimum), never lower it.
   */
  readonly invisibleMs: () => number;
  /** Renews the slice's lease; FencedError when it lost it (then nothing more is acked). */
  readonly renewLease: () => Promise<void>;
  /** Receivers long-polling side by side; each receive brings up to RECEIVE_BATCH messages. */
  readonly receivers?: number;
}

/** Messages one receive asks for (the proxy's default batch limit). */
export const RECEIVE_BATCH = 32;
const DEFAULT_RECEIVERS = 4;
/**
 * A message's ack must land at least this long before its invisible time is over: past that,
 * RocketMQ delivers it again, and the sink writes it twice. A flush comes early once the
 * oldest message waiting for it is this close to being visible again.
 */
export const ACK_MARGIN_MS = 5_000;
/**
 * A flush comes early once this much waits for it: it bounds the memory a slice holds and the
 * messages a crash sends again.
 */
export const MAX_UNFLUSHED_MESSAGES = 5_000;
export const MAX_UNFLUSHED_BYTES = 32 * 1024 * 1024;

/**
 * The sink path of a slice: several receivers long-poll side by side and hand what they get to
 * one worker: converters -> transforms -> `put`; then `flush` -> ack every
 * `offset.flush.interval.ms`, whenever nothing more is waiting (the backlog is drained), at
 * `slice.max.records` and at the end. A message is acked only once the sink has flushed it or
 * it is in the dead-letter topic; one never acked (crash) comes back after its invisible
 * duration. Receivers stop at the budget, at `slice.max.records`, or on an empty long poll;
 * the slice ends when all have stopped and everything received is acked.
 */
export async function runSinkLoop(d: SinkLoopDeps): Promise<LoopEnd> {
  const { env, common } = d;
  let unflushed: IncomingMessage[] = [];
  let unflushedBytes = 0;
  /** When the first of the unflushed messages becomes visible again (its receipt expires). */
  let unflushedVisibleAt = Number.POSITIVE_INFINITY;
  let acking: Promise<void> = Promise.resolve();
  let lastFlushAt = env.clock.now();
  // The first flush always checks, so no ack of a slice ever goes unchecked.
  let lastRenewAt = Number.NEGATIVE_INFINITY;

  const flush = async () => {
    // Acks of the previous flush finish first: a failed ack must fail the slice, not vanish.
    await acking;
    if (unflushed.length === 0) return;
    // The fencing check, at most once per interval (it is a state write), before the flush: a
    // slice that lost its task (stopped, restarted, taken over) stops here without writing what
    // it would not ack, and its messages come back to the next slice. (Checked after the flush,
    // a stop between the two had the next slice write a whole flush again: state-mirror test.)
    if (env.clock.now() - lastRenewAt >= common.offsetFlushIntervalMs) {
      await d.renewLease();
      lastRenewAt = env.clock.now();
    }
    const flushed = await attempt(env, 'TASK_PUT', d.taskClass, () => d.task.flush(), {
      ...env.policy,
      tolerance: 'none',
    });
    if (!flushed.ok) return;
    const done = unflushed;
    const visibleAt = unflushedVisibleAt;
    unflushed = [];
    unflushedBytes = 0;
    unflushedVisibleAt = Number.POSITIVE_INFINITY;
    lastFlushAt = env.clock.now();
    env.counters.add('offsetCommits');
    acking = ackAll(d, done, visibleAt);
    // The acks run while the worker waits for more: a failure must not be an unhandled
    // rejection meanwhile (it would end the process); it is rethrown where `acking` is awaited.
    acking.catch(() => undefined);
  };

  const inbox = new Inbox(d, d.receivers ?? DEFAULT_RECEIVERS);
  try {
    for (;;) {
      const { messages, visibleAt } = inbox.take();
      if (messages.length === 0) {
        if (inbox.done) break;
        // Nothing is waiting: unless more comes within a moment, what was put is flushed now
        // rather than after the next long poll (latency), and flushes still batch under load.
        if (unflushed.length > 0 && !(await inbox.arrival(LINGER_MS))) await flush();
        else if (unflushed.length === 0) await inbox.arrival();
        continue;
      }
      env.counters.add('sinkRecordRead', messages.length);
      const { records, letters, origins } = await toRecords(d, messages);
      await put(d, records, origins);
      await d.deadLetters.send(letters);
      for (const m of messages) {
        unflushed.push(m);
        unflushedBytes += m.body.length;
      }
      unflushedVisibleAt = Math.min(unflushedVisibleAt, visibleAt);
      const now = env.clock.now();
      if (
        now - lastFlushAt >= common.offsetFlushIntervalMs ||
        unflushed.length >= MAX_UNFLUSHED_MESSAGES ||
        unflushedBytes >= MAX_UNFLUSHED_BYTES ||
        unflushedVisibleAt - now <= 2 * ACK_MARGIN_MS
      ) {
        await flush();
      }
    }
    inbox.rethrow();
    await flush();
    await acking;
    return { moreWork: inbox.stoppedEarly };
  } finally {
    // On a failure: no more receives (what they bring comes back after its invisible time),
    // and acks of the last flush still finish before the slice reports.
    await inbox.close();
    await acking.catch(() => undefined);
  }
}

/** First wait before acks that failed retriably are tried again; it doubles, up to a second. */
const ACK_RETRY_MS = 100;

/**
 * Acks flushed messages in one call to the port, then again those whose ack failed retriably
 * (a timeout on a loaded machine), as long as that still lands `ACK_MARGIN_MS` before the
 * first of them is visible again. An ack refused outright on the first try fails the slice (the
 * proxy will not take it; the failure must be seen). What is still not acked after that is
 * delivered again: the sink will write it twice, which is logged, never taken for success.
 */
async function ackAll(
  d: SinkLoopDeps,
  messages: readonly IncomingMessage[],
  visibleAt: number,
): Promise<void> {
  const { env } = d;
  let pending = messages;
  let lastError: Error | undefined;
  for (let delay = ACK_RETRY_MS, tries = 1; ; delay = Math.min(1_000, delay * 2), tries++) {
    const outcomes = await d.consumer.ack(pending);
    const failed = failures(pending, outcomes);
    if (failed.length === 0) return;
    lastError = failed[0]?.error;
    if (tries === 1) {
      // Seen, not only counted: an ack that keeps failing means the sink will write again.
      env.log.warn(
        `${env.connector}/${env.taskId}: the ack of ${failed.length} of ${pending.length} ` +
          `flushed messages failed; trying again: ${String(lastError)}`,
      );
    }
    const refused = failed.find((f) => !(f.error instanceof RetriableError));
    // A refusal after a retry may be of an ack that did pass before its answer was lost.
    if (refused && tries === 1 && env.clock.now() < visibleAt - ACK_MARGIN_MS) throw refused.error;
    if (refused || env.clock.now() + delay >= visibleAt - ACK_MARGIN_MS) {
      pending = failed.map((f) => f.message);
      break;
    }
    await env.clock.sleep(delay);
    pending = failed.map((f) => f.message);
  }
  env.log.warn(
    `${env.connector}/${env.taskId}: ${pending.length} flushed messages were not acked before ` +
      `their invisible time ran out; RocketMQ delivers them again (${String(lastError)})`,
  );
}

function failures(
  messages: readonly IncomingMessage[],
  outcomes: readonly AckOutcome[],
): { message: IncomingMessage; error: Error }[] {
  const failed: { message: IncomingMessage; error: Error }[] = [];
  outcomes.forEach((o, i) => {
    if (!o.ok) failed.push({ message: messages[i] as IncomingMessage, error: o.error });
  });
  return failed;
}

/** How long the worker waits for more before flushing what it has. */
const LINGER_MS = 20;

/** Messages received and not yet taken at most: receivers wait while this many are waiting. */
const MAX_WAITING = 4 * RECEIVE_BATCH * 2;

/** Where the receivers leave what they received, for the one worker to take. */
class Inbox {
  #waiting: IncomingMessage[] = [];
  /** When the first of the waiting messages becomes visible again. */
  #waitingVisibleAt = Number.POSITIVE_INFINITY;
  #running: number;
  #stop = false;
  #error: Error | undefined;
  #read = 0;
  /** A receiver stopped at the budget or slice.max.records, not on an empty long poll. */
  stoppedEarly = false;
  #signal = deferred();
  readonly #receivers: Promise<void>;

  constructor(
    private readonly d: SinkLoopDeps,
    count: number,
  ) {
    this.#running = count;
    this.#receivers = Promise.all(Array.from({ length: count }, () => this.#receive())).then(
      () => undefined,
    );
  }

  /** Everything waiting now (possibly nothing), and when the first of it is visible again. */
  take(): { messages: IncomingMessage[]; visibleAt: number } {
    const taken = { messages: this.#waiting, visibleAt: this.#waitingVisibleAt };
    this.#waiting = [];
    this.#waitingVisibleAt = Number.POSITIVE_INFINITY;
    return taken;
  }

  /** True once every receiver stopped (or one failed) and nothing is waiting. */
  get done(): boolean {
    return (this.#running === 0 || this.#error !== undefined) && this.#waiting.length === 0;
  }

  /** Whether something arrived (or a receiver stopped) within `timeoutMs` (default: waits). */
  async arrival(timeoutMs?: number): Promise<boolean> {
    const signal = this.#signal.promise.then(() => true);
    const arrived =
      timeoutMs === undefined
        ? await signal
        : await Promise.race([signal, this.d.env.clock.sleep(timeoutMs).then(() => false)]);
    if (arrived) this.#signal = deferred();
    return arrived;
  }

  /** A receiver's failure (retries spent) fails the slice. */
  rethrow(): void {
    if (this.#error !== undefined) throw this.#error;
  }

  async close(): Promise<void> {
    this.#stop = true;
    await this.#receivers;
  }

  async #receive(): Promise<void> {
    const { env, common } = this.d;
    try {
      while (!this.#stop && this.#error === undefined) {
        if (env.clock.now() >= env.deadline || this.#read >= common.sliceMaxRecords) {
          this.stoppedEarly = true;
          return;
        }
        if (this.#waiting.length >= MAX_WAITING) {
          await env.clock.sleep(5);
          continue;
        }
        // Counted from before the request: the proxy's clock starts later, never earlier.
        const invisibleMs = this.d.invisibleMs();
        const visibleAt = env.clock.now() + invisibleMs;
        const received = await receiveOnce(this.d, invisibleMs);
        if (received.length === 0) return;
        this.#read += received.length;
        for (const m of received) this.#waiting.push(m);
        this.#waitingVisibleAt = Math.min(this.#waitingVisibleAt, visibleAt);
        this.#signal.resolve();
      }
    } catch (error) {
      this.#error ??= error instanceof Error ? error : new Error(String(error));
    } finally {
      this.#running -= 1;
      this.#signal.resolve();
    }
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * One receive. A failure (the proxy unreachable, throttling) is retried while retriable, as
 * sends are; then the task fails and what was received comes back.
 */
async function receiveOnce(d: SinkLoopDeps, invisibleMs: number): Promise<IncomingMessage[]> {
  const received = await attempt(
    d.env,
    'KAFKA_CONSUME',
    CONSUMER_CLASS,
    () => d.consumer.receive(RECEIVE_BATCH, invisibleMs),
    { ...producePolicy(d.env.policy), tolerance: 'none' },
  );
  return received.ok ? received.value : [];
}

const CONSUMER_CLASS = 'org.apache.rocketmq.client.apis.consumer.SimpleConsumer';

/** Received messages as sink records, transformed; failures become dead letters. */
async function toRecords(
  d: SinkLoopDeps,
  messages: readonly IncomingMessage[],
): Promise<{
  records: SinkRecord[];
  letters: DeadLetter[];
  origins: Map<SinkRecord, IncomingMessage>;
}> {
  const { env, pipeline } = d;
  const records: SinkRecord[] = [];
  const origins = new Map<SinkRecord, IncomingMessage>();
  const letters: DeadLetter[] = [];
  for (const message of messages) {
    const converted = await convert(d, message);
    if (!converted.ok) {
      letters.push(letterOf(message, converted.failure));
      continue;
    }
    const running: { entry?: ChainEntry } = {};
    const transformed = await attempt(
      env,
      'TRANSFORMATION',
      () => pipeline.transformClass(running.entry),
      () => applyChainToRecord(converted.value, pipeline.chain, running),
    );
    if (!transformed.ok) letters.push(letterOf(message, transformed.failure));
    else if (transformed.value === null) env.counters.add('recordFiltered');
    else {
      records.push(transformed.value);
      origins.set(transformed.value, message);
    }
  }
  return { records, letters, origins };
}

/** Key and value converted, each under its own stage. */
async function convert(d: SinkLoopDeps, message: IncomingMessage) {
  const { env, pipeline } = d;
  const { converters } = pipeline;
  const keyBytes = messageKeyBytes(message);
  const key = await attempt(
    env,
    'KEY_CONVERTER',
    converters.keyClass,
    () => keyBytes && converters.key.toConnectData(message.topic, keyBytes),
  );
  if (!key.ok) return key;
  const value = await attempt(env, 'VALUE_CONVERTER', converters.valueClass, () =>
    converters.value.toConnectData(message.topic, message.body),
  );
  if (!value.ok) return value;
  return { ok: true as const, value: fromMessage(message, key.value, value.value) };
}

/**
 * Hands records to the task. A batch `put` that fails is retried under the policy; under
 * tolerance=all its records are then put one at a time, so only the bad ones are dead-lettered.
 */
async function put(
  d: SinkLoopDeps,
  records: readonly SinkRecord[],
  origins: ReadonlyMap<SinkRecord, IncomingMessage>,
): Promise<void> {
  if (records.length === 0) return;
  const { env } = d;
  const putAll = () => d.task.put(records);
  // Under tolerance=all a failed batch is not a failed record, only the sign to look for the
  // bad ones: judged without counting it, so each bad record counts once below.
  const whole =
    env.policy.tolerance === 'none'
      ? (await attempt(env, 'TASK_PUT', d.taskClass, putAll)).ok
      : await runStage('TASK_PUT', env.policy, env.clock, putAll, env.deadline).then((o) => {
          env.counters.retried(o.attempts);
          return o.kind === 'ok';
        });
  if (whole) {
    env.counters.add('sinkRecordSend', records.length);
    return;
  }
  const letters: DeadLetter[] = [];
  for (const record of records) {
    const one = await attempt(env, 'TASK_PUT', d.taskClass, () => d.task.put([record]));
    if (one.ok) env.counters.add('sinkRecordSend');
    else letters.push(letterOf(origins.get(record) as IncomingMessage, one.failure));
  }
  await d.deadLetters.send(letters);
}

/** A failed message goes to the dead-letter topic as it came: its bytes, keys and properties. */
function letterOf(message: IncomingMessage, failure: StageFailure): DeadLetter {
  return {
    body: message.body,
    keys: message.keys,
    properties: message.properties,
    failure,
    origin: {
      topic: message.topic,
      ...(message.offset !== undefined && { offset: String(message.offset) }),
    },
  };
}
