import { setTimeout as sleep } from 'node:timers/promises';
import type { MessageView } from 'rocketmq-client-nodejs';
import { RetriableError } from '../api/errors.js';
import { stateChangePayloadSchema, type StateChangePayload } from '../mirror/payload.js';
import { stateTopicNames, type StateTopics } from '../mirror/state-change.js';
import { withTimeout } from '../rocketmq/client-cache.js';
import {
  MIN_AWAIT_DURATION_MS,
  startSimpleConsumer,
  type RocketMqEndpoint,
} from '../rocketmq/clients.js';
import { classifyClientError } from '../rocketmq/client-errors.js';
import { mapBounded } from '../util/concurrency.js';
import { InvalidStateChangeError, RestoreError, rerunAdvice, type MessageWhere } from './errors.js';

/** Called with each valid state change, in the order received; the message is acked after. */
export type OnStateChange = (change: StateChangePayload, where: MessageWhere) => void;

/** What a read reports while it goes. */
export type ReadEvent =
  /** A batch was received (and its changes handed over). */
  | { readonly kind: 'received'; readonly messages: number }
  /** An invalid message was skipped (only with `skipInvalid`). */
  | { readonly kind: 'skipped'; readonly where: MessageWhere; readonly problem: string };

export interface ReadSummary {
  /** Messages received, duplicates included. */
  readonly messages: number;
  /** Valid changes handed over. */
  readonly changes: number;
  /** Invalid messages skipped. */
  readonly skipped: number;
  /** Messages whose ack failed: harmless here, they come back to the group later. */
  readonly unacked: number;
  /**
   * The lowest queue offset read from each topic that had messages. Above 0, no queue of that
   * topic was read from its start: older changes were deleted, or the group started late.
   */
  readonly lowestOffsets: Readonly<Record<string, number>>;
  /** Messages received from each topic read, 0 for a topic that yielded none. */
  readonly messagesByTopic: Readonly<Record<string, number>>;
}

/** Where the state changes come from: the state topics, read to their end. */
export interface StateChangeSource {
  /** The topics read, and the consumer group that reads them: what messages name. */
  readonly topics: readonly string[];
  readonly consumerGroup: string;
  /**
   * Hands over every state change there is, then resolves. Rejects with
   * InvalidStateChangeError at the first invalid message, unless it skips them.
   */
  read(onChange: OnStateChange, progress: (event: ReadEvent) => void): Promise<ReadSummary>;
}

/** The part of a received message the reader uses (rocketmq-client-nodejs's MessageView). */
export interface TopicMessage {
  readonly topic: string;
  readonly messageId: string;
  readonly body: Buffer;
  /** Its offset in its queue. */
  readonly offset?: number | undefined;
}

/** The part of a SimpleConsumer the reader uses. */
export interface TopicConsumer<M extends TopicMessage> {
  receive(maxMessageNum: number, invisibleDuration: number): Promise<M[]>;
  ack(message: M): Promise<void>;
  shutdown(): Promise<void>;
}

export interface StateTopicReaderOptions {
  /** The topics to read, each once. */
  readonly topics: readonly string[];
  /** The consumer group of the consumers `startConsumer` starts (for messages). */
  readonly consumerGroup: string;
  /** A topic's read ends after this long without a message; default {@link DEFAULT_IDLE_MS}. */
  readonly idleMs?: number;
  /** Skip (and report) invalid messages instead of failing the read. */
  readonly skipInvalid?: boolean;
}

export const DEFAULT_IDLE_MS = 5_000;

/** The proxy's default batch limit. */
const RECEIVE_BATCH = 32;
/** Received messages are acked within moments; this only has to outlast a slow ack. */
const INVISIBLE_MS = 30_000;
const ACKS_IN_FLIGHT = 16;
const RECEIVE_ATTEMPTS = 3;
const RECEIVE_RETRY_DELAY_MS = 1_000;
/** As ClientCache's: SimpleConsumer.shutdown() can wait forever. */
const SHUTDOWN_TIMEOUT_MS = 5_000;
/** How many schema issues an error lists (a wrong body can have dozens). */
const ISSUES_SHOWN = 3;

type Clock = { now(): number; sleep(ms: number): Promise<void> };

const systemClock: Clock = { now: Date.now, sleep: (ms) => sleep(ms) };

/**
 * Reads state changes with one consumer per topic, all at once. One consumer of the three
 * topics polls them in turn, and the proxy holds a poll of an empty topic for 5 s even when
 * the await duration is 2.5 s (measured on the local stack): a busy topic was read one batch
 * every 15 s. A topic's read ends when a poll of it comes back empty after no message at all
 * came for `idleMs`.
 */
export class StateTopicReader<M extends TopicMessage> implements StateChangeSource {
  constructor(
    private readonly startConsumer: (topic: string) => Promise<TopicConsumer<M>>,
    private readonly options: StateTopicReaderOptions,
    private readonly clock: Clock = systemClock,
  ) {}

  get topics(): readonly string[] {
    return this.options.topics;
  }

  get consumerGroup(): string {
    return this.options.consumerGroup;
  }

  async read(onChange: OnStateChange, progress: (event: ReadEvent) => void): Promise<ReadSummary> {
    const idleMs = this.options.idleMs ?? DEFAULT_IDLE_MS;
    const consumers = await this.startAll();
    const acks: Promise<number>[] = [];
    let messages = 0;
    let changes = 0;
    let skipped = 0;
    const lowestOffsets: Record<string, number> = {};
    const messagesByTopic = Object.fromEntries(this.options.topics.map((t) => [t, 0]));
    let lastMessageAt = this.clock.now();
    let failed = false;

    const readTopic = async (consumer: TopicConsumer<M>, topic: string): Promise<void> => {
      while (!failed) {
        const batch = await this.receive(consumer);
        if (batch.length === 0) {
          if (this.clock.now() - lastMessageAt >= idleMs) return;
          continue;
        }
        lastMessageAt = this.clock.now();
        messages += batch.length;
        messagesByTopic[topic] = (messagesByTopic[topic] ?? 0) + batch.length;
        for (const message of batch) {
          const where = { topic: message.topic, messageId: message.messageId };
          if (message.offset !== undefined) {
            lowestOffsets[message.topic] = Math.min(
              message.offset,
              lowestOffsets[message.topic] ?? Infinity,
            );
          }
          const parsed = parseStateChange(message.body);
          if (parsed.ok) {
            onChange(parsed.change, where);
            changes += 1;
          } else if (this.options.skipInvalid) {
            progress({ kind: 'skipped', where, problem: parsed.problem });
            skipped += 1;
          } else {
            throw new InvalidStateChangeError(where, parsed.problem);
          }
        }
        // Every message of the batch was handed over (or skipped): ack them while receiving on.
        acks.push(ackAll(consumer, batch));
        progress({ kind: 'received', messages: batch.length });
      }
    };

    try {
      const outcomes = await Promise.allSettled(
        consumers.map((consumer, i) =>
          readTopic(consumer, this.options.topics[i]!).catch((error: unknown) => {
            failed = true; // the other topics stop after the poll they are in
            throw error;
          }),
        ),
      );
      const failure = outcomes.find((o) => o.status === 'rejected');
      if (failure) throw failure.reason as Error;
      const failedAcks = await Promise.all(acks);
      const unacked = failedAcks.reduce((a, b) => a + b, 0);
      return { messages, changes, skipped, unacked, lowestOffsets, messagesByTopic };
    } finally {
      await Promise.allSettled(acks);
      await shutdownAll(consumers);
    }
  }

  /** A consumer per topic; if one cannot start, those that did are shut down. */
  private async startAll(): Promise<TopicConsumer<M>[]> {
    const { topics } = this.options;
    const started = await Promise.allSettled(topics.map((topic) => this.startConsumer(topic)));
    const consumers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const index = started.findIndex((s) => s.status === 'rejected');
    const failure = started[index];
    if (failure?.status === 'rejected') {
      await shutdownAll(consumers);
      const cause: unknown = failure.reason;
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new RestoreError(`could not start a consumer of topic ${topics[index]}: ${reason}`, {
        retriable: true,
        cause,
      });
    }
    return consumers;
  }

  /** One receive; what the client reports as passing (throttling, a late long poll) is retried. */
  private async receive(consumer: TopicConsumer<M>): Promise<M[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await consumer.receive(RECEIVE_BATCH, INVISIBLE_MS);
      } catch (error) {
        const classified = classifyClientError(
          error instanceof Error ? error : new Error(String(error)),
        );
        if (classified instanceof RetriableError && attempt < RECEIVE_ATTEMPTS) {
          await this.clock.sleep(RECEIVE_RETRY_DELAY_MS * attempt);
          continue;
        }
        // Batches received before may be acked already.
        throw new RestoreError(
          `could not receive from the state topics: ${classified.message} (nothing was ` +
            `written): ${rerunAdvice(false)}`,
          { retriable: classified.retriable, cause: error },
        );
      }
    }
  }
}

/** Shuts consumers down, each within a bound. */
async function shutdownAll(consumers: readonly TopicConsumer<TopicMessage>[]): Promise<void> {
  await Promise.all(
    consumers.map((c) =>
      withTimeout(
        c.shutdown().catch(() => undefined),
        SHUTDOWN_TIMEOUT_MS,
      ),
    ),
  );
}

/** Acks a batch, a few at a time; answers how many acks failed. */
async function ackAll<M extends TopicMessage>(
  consumer: TopicConsumer<M>,
  batch: readonly M[],
): Promise<number> {
  const failed = await mapBounded(batch, ACKS_IN_FLIGHT, (m) =>
    consumer.ack(m).then(
      () => 0,
      () => 1,
    ),
  );
  return failed.reduce((a, b) => a + b, 0);
}

/**
 * A reader of the state topics through the RocketMQ proxy, in a consumer group of its own. The
 * proxy starts a group it has not seen at a queue's first message only while the broker still
 * holds that message in memory (else at the queue's end), so on a broker that has run a while
 * the group's offsets must be reset to the start before the read.
 */
export function rocketMqStateTopicReader(
  endpoint: RocketMqEndpoint,
  options: {
    readonly topics: StateTopics;
    readonly consumerGroup: string;
    readonly idleMs?: number;
    readonly skipInvalid?: boolean;
  },
): StateTopicReader<MessageView> {
  return new StateTopicReader(
    (topic) =>
      startSimpleConsumer(endpoint, {
        consumerGroup: options.consumerGroup,
        topics: [topic],
        // The shortest long poll asked for: an empty topic is known soonest.
        awaitDurationMs: MIN_AWAIT_DURATION_MS,
      }),
    {
      topics: stateTopicNames(options.topics),
      consumerGroup: options.consumerGroup,
      ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }),
      ...(options.skipInvalid === undefined ? {} : { skipInvalid: options.skipInvalid }),
    },
  );
}

type Parsed =
  | { readonly ok: true; readonly change: StateChangePayload }
  | { readonly ok: false; readonly problem: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A message body as a state change: UTF-8 JSON of the payload schema, whose value (unless a
 * tombstone) is the item of its own key, since that value is what gets written.
 */
export function parseStateChange(body: Uint8Array): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(body));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, problem: `the body is not UTF-8 JSON (${reason})` };
  }
  const parsed = stateChangePayloadSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const shown = issues
      .slice(0, ISSUES_SHOWN)
      .map((i) => `${i.path.length === 0 ? '(body)' : i.path.join('.')}: ${i.message}`);
    const more = issues.length > ISSUES_SHOWN ? ` (and ${issues.length - ISSUES_SHOWN} more)` : '';
    return { ok: false, problem: `${shown.join('; ')}${more}` };
  }
  const { key, value } = parsed.data;
  if (value !== null && (value.pk !== key.pk || value.sk !== key.sk)) {
    return {
      ok: false,
      problem:
        `value.pk/value.sk (${JSON.stringify(value.pk)}/${JSON.stringify(value.sk)}) ` +
        `are not its key (${JSON.stringify(key.pk)}/${JSON.stringify(key.sk)})`,
    };
  }
  return { ok: true, change: parsed.data };
}
