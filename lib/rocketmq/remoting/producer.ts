import { MessageIdFactory } from 'rocketmq-client-nodejs';
import { KEY_PROPERTY, type OutgoingMessage } from '../../runtime/message-mapping.js';
import { groupBy } from '../../util/group-by.js';
import { Slots } from '../../util/concurrency.js';
import { classifyClientError } from '../client-errors.js';
import type { BatchLimits, BatchSender } from '../send.js';
import type { RemotingClient } from './client.js';
import { RequestCode, ResponseCode } from './codes.js';
import { RemotingError } from './errors.js';
import {
  encodeBatch,
  encodedProperties,
  SystemProperty,
  type BatchEntry,
} from './message-codec.js';
import type { QueueAddress, TopicRoutes } from './routes.js';

/** A message ready to go: its entry in a batch, and what routes it. */
export interface RemotingMessage {
  readonly topic: string;
  readonly messageGroup: string | undefined;
  /** A record key's exact bytes (base64), which pick its queue; undefined for no key. */
  readonly routeKey: string | undefined;
  readonly messageId: string;
  readonly entry: BatchEntry;
}

/**
 * Many messages per request: a SEND_BATCH_MESSAGE carries each message with its own properties
 * (keys, message id, the user's), which the broker stores as they are, and costs the broker and
 * this process a few microseconds a message instead of a gRPC call each.
 */
export const REMOTING_BATCH_LIMITS: BatchLimits = { maxMessages: 1024, maxBytes: 1024 * 1024 };

/** Requests one producer has outstanding at most; more only wait in the broker's queue. */
const MAX_REQUESTS_IN_FLIGHT = 8;
/** Tries of one request, each on the next queue (the Java producer's default of 3). */
const MAX_ATTEMPTS = 3;
/** A send that takes longer is failed (and resent by the runtime); see SEND_TIMEOUT_MS. */
const SEND_TIMEOUT_MS = 20_000;
/** The broker's producer group is informational for non-transactional sends. */
const PRODUCER_GROUP = 'rocketmq-connect-serverless';

/**
 * Sends to the brokers directly over RocketMQ's remoting protocol (the Java client's way), for
 * lib/rocketmq/send.ts's `sendAll`: a FIFO message goes to the queue its group hashes to, so a
 * group's messages stay in one queue, in order; a record with a key goes to the queue its key
 * hashes to, as Kafka's default partitioner puts a key in one partition, so a sink reads a key's
 * changes in the order they were sent (an upsert sink must not meet an older row after a newer
 * one); messages without either go round robin over the topic's writable queues.
 */
export class RemotingProducer implements BatchSender<RemotingMessage> {
  private readonly slots = new Slots(MAX_REQUESTS_IN_FLIGHT);
  private readonly next = new Map<string, number>();
  /** The last keyed batch of each topic handed over, which the next one waits for. */
  private readonly keyedTurns = new Map<string, Promise<void>>();

  constructor(
    private readonly client: RemotingClient,
    private readonly routes: TopicRoutes,
  ) {}

  publishing(message: OutgoingMessage): RemotingMessage {
    const messageId = MessageIdFactory.create().toString();
    const properties = new Map(message.properties);
    properties.set(SystemProperty.UNIQ_KEY, messageId);
    properties.set(SystemProperty.WAIT_STORE_MSG_OK, 'true');
    if (message.keys.length > 0) properties.set(SystemProperty.KEYS, message.keys.join(' '));
    if (message.messageGroup !== undefined) {
      properties.set(SystemProperty.SHARDING_KEY, message.messageGroup);
    }
    return {
      topic: message.topic,
      messageGroup: message.messageGroup,
      routeKey:
        message.messageGroup === undefined
          ? (message.properties.get(KEY_PROPERTY) ?? message.keys[0])
          : undefined,
      messageId,
      // Encoded here, so a message that can never go (properties too long) fails alone.
      entry: { body: message.body, properties: encodedProperties(properties) },
    };
  }

  async sendBatch(messages: readonly RemotingMessage[]): Promise<string[]> {
    const first = messages[0];
    if (first === undefined) return [];
    if (messages.some((m) => m.topic !== first.topic)) {
      throw new TypeError('a batch send takes messages of one topic');
    }
    if (first.messageGroup !== undefined || messages.every((m) => m.routeKey === undefined)) {
      await this.withSlot(() =>
        this.sendWithRetries(
          messages,
          (attempt) => this.queueFor(first, messages.length, attempt),
          // A FIFO message waits for its own queue: another would break its group's order.
          first.messageGroup === undefined,
        ),
      );
    } else {
      await this.inTurn(first.topic, () => this.withSlot(() => this.sendByKey(messages)));
    }
    return messages.map((m) => m.messageId);
  }

  private async withSlot<T>(work: () => Promise<T>): Promise<T> {
    await this.slots.take();
    try {
      return await work();
    } finally {
      this.slots.give();
    }
  }

  /**
   * Keyed batches of a topic go one after the other, in the order they were handed over: two
   * requests in flight to one queue may be stored in either order by the broker's send threads,
   * and a key's newer record must not land before its older one. (The queues of one batch still
   * go side by side.) The turn is taken before any wait, so call order is send order.
   */
  private async inTurn(topic: string, work: () => Promise<void>): Promise<void> {
    const previous = this.keyedTurns.get(topic);
    let finish!: () => void;
    const mine = new Promise<void>((resolve) => (finish = resolve));
    this.keyedTurns.set(topic, mine);
    try {
      await previous;
      await work();
    } finally {
      finish();
      if (this.keyedTurns.get(topic) === mine) this.keyedTurns.delete(topic);
    }
  }

  /**
   * A batch holding keyed records: one request per queue, each key to the queue it hashes to
   * (and kept there when a request is tried again), the records without a key together to the
   * next queue round robin.
   */
  private async sendByKey(messages: readonly RemotingMessage[]): Promise<void> {
    const first = messages[0]!;
    const count = (await this.writableQueues(first)).length;
    const unkeyedAt = this.nextQueue(first.topic, count, 1);
    const byQueue = groupBy(messages, (m) =>
      m.routeKey === undefined ? unkeyedAt : groupHash(m.routeKey) % count,
    );
    await Promise.all(
      [...byQueue].map(([index, part]) =>
        this.sendWithRetries(
          part,
          async () => {
            const queues = await this.writableQueues(first);
            // The topic's queues changed in between: the hash is taken again over the new ones.
            return queues.length === count
              ? queues[index]!
              : queues[groupHash(part[0]!.routeKey ?? '') % queues.length]!;
          },
          false,
        ),
      ),
    );
  }

  /** One request, tried again (on the next queue when `mayMove`) while it fails retriably. */
  private async sendWithRetries(
    messages: readonly RemotingMessage[],
    queueFor: (attempt: number) => Promise<QueueAddress>,
    mayMove: boolean,
  ): Promise<void> {
    const body = encodeBatch(messages.map((m) => m.entry));
    const topic = messages[0]!.topic;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.sendTo(await queueFor(attempt), body);
        return;
      } catch (error) {
        const retriable = classifyClientError(toError(error)).retriable;
        if (retriable) this.routes.forget(topic);
        if (!retriable || attempt >= MAX_ATTEMPTS || !mayMove) throw error;
      }
    }
  }

  private async writableQueues(first: RemotingMessage): Promise<QueueAddress[]> {
    const queues = await this.routes.writableCreating(
      first.topic,
      first.messageGroup === undefined ? 'NORMAL' : 'FIFO',
    );
    if (queues.length === 0) {
      throw new RemotingError('name server', `topic ${first.topic} has no writable queue`);
    }
    return queues;
  }

  /** The next queue of a topic round robin (the one after it when `attempt` is a retry). */
  private nextQueue(topic: string, count: number, attempt: number): number {
    const at = (this.next.get(topic) ?? 0) + (attempt > 1 ? 1 : 0);
    this.next.set(topic, (at + 1) % count);
    return at % count;
  }

  private async queueFor(
    first: RemotingMessage,
    count: number,
    attempt: number,
  ): Promise<QueueAddress> {
    const queues = await this.writableQueues(first);
    if (first.messageGroup !== undefined && count === 1) {
      return queues[groupHash(first.messageGroup) % queues.length]!;
    }
    return queues[this.nextQueue(first.topic, queues.length, attempt)]!;
  }

  private async sendTo(queue: QueueAddress, body: Buffer): Promise<void> {
    // SendMessageRequestHeaderV2's one-letter fields, as the Java client sends them.
    await this.client.invoke(
      queue.address,
      `sending to ${queue.topic} queue ${queue.queueId}`,
      {
        code: RequestCode.SEND_BATCH_MESSAGE,
        extFields: {
          a: PRODUCER_GROUP,
          b: queue.topic,
          c: 'TBW102',
          d: '4',
          e: String(queue.queueId),
          f: '0',
          g: String(Date.now()),
          h: '0',
          i: '',
          j: '0',
          k: 'false',
          m: 'true',
          n: queue.brokerName,
        },
        body,
        timeoutMs: SEND_TIMEOUT_MS,
      },
      STORED,
    );
  }
}

/**
 * Stored on the master: the flush and replica statuses say only that a copy elsewhere is late
 * (the Java client returns them as a send result, not an error).
 */
const STORED = [
  ResponseCode.SUCCESS,
  ResponseCode.FLUSH_DISK_TIMEOUT,
  ResponseCode.SLAVE_NOT_AVAILABLE,
  ResponseCode.FLUSH_SLAVE_TIMEOUT,
];

/** A stable, non-negative hash of a message group (Java's String.hashCode, as RocketMQ's selector). */
export function groupHash(group: string): number {
  let hash = 0;
  for (let i = 0; i < group.length; i++) hash = (Math.imul(31, hash) + group.charCodeAt(i)) | 0;
  return Math.abs(hash);
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
