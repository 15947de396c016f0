import { MessageIdFactory } from 'rocketmq-client-nodejs';
import type { OutgoingMessage } from '../../runtime/message-mapping.js';
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
 * lib/rocketmq/send.ts's `sendAll`: messages without a message group go round robin over the
 * topic's writable queues, a FIFO message to the queue its group hashes to, so a group's
 * messages stay in one queue, in order.
 */
export class RemotingProducer implements BatchSender<RemotingMessage> {
  private readonly slots = new Slots(MAX_REQUESTS_IN_FLIGHT);
  private readonly next = new Map<string, number>();

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
    const body = encodeBatch(messages.map((m) => m.entry));
    await this.slots.take();
    try {
      for (let attempt = 1; ; attempt++) {
        let queue: QueueAddress | undefined;
        try {
          queue = await this.queueFor(first, messages.length, attempt);
          await this.sendTo(queue, body);
          return messages.map((m) => m.messageId);
        } catch (error) {
          const retriable = classifyClientError(toError(error)).retriable;
          if (retriable) this.routes.forget(first.topic);
          // A FIFO message waits for its own queue: another would break its group's order.
          if (!retriable || attempt >= MAX_ATTEMPTS || first.messageGroup !== undefined) {
            throw error;
          }
        }
      }
    } finally {
      this.slots.give();
    }
  }

  private async queueFor(
    first: RemotingMessage,
    count: number,
    attempt: number,
  ): Promise<QueueAddress> {
    const queues = await this.routes.writableCreating(
      first.topic,
      first.messageGroup === undefined ? 'NORMAL' : 'FIFO',
    );
    if (queues.length === 0) {
      throw new RemotingError('name server', `topic ${first.topic} has no writable queue`);
    }
    if (first.messageGroup !== undefined && count === 1) {
      return queues[groupHash(first.messageGroup) % queues.length] as QueueAddress;
    }
    const at = (this.next.get(first.topic) ?? 0) + (attempt > 1 ? 1 : 0);
    this.next.set(first.topic, (at + 1) % queues.length);
    return queues[at % queues.length] as QueueAddress;
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
