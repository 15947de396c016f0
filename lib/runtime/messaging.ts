// The runtime's port to RocketMQ: it sends and receives through these interfaces only, so the
// loops run against in-memory fakes in unit tests and the RocketMQ adapter in lib/rocketmq.
import type { IncomingMessage, OutgoingMessage } from './message-mapping.js';

/** How one message of a batch fared: sent (its receipt is in) or failed, alone. */
export type SendOutcome =
  { readonly ok: true; readonly messageId: string } | { readonly ok: false; readonly error: Error };

/** Sends batches to RocketMQ: each message's receipt or its own failure (retriable or not). */
export interface MessageProducer {
  send(messages: readonly OutgoingMessage[]): Promise<SendOutcome[]>;
}

/**
 * How one message's ack fared: done, or failed (retriable or not). A message whose ack failed
 * is delivered again once its invisible time is over, unless an ack passes before.
 */
export type AckOutcome = { readonly ok: true } | { readonly ok: false; readonly error: Error };

/** Receives from a consumer group's subscriptions; a message is done only once acked. */
export interface MessageConsumer {
  /**
   * Up to `max` messages, waiting (long polling) a few seconds when there are none; each stays
   * invisible to other consumers for `invisibleMs`, then comes back unless acked.
   */
  receive(max: number, invisibleMs: number): Promise<IncomingMessage[]>;
  /**
   * Acks messages this consumer received, of any of its topics, in as few requests as the
   * adapter can: each message's outcome, in order. Never rejects: a request that failed fails
   * each of its messages.
   */
  ack(messages: readonly IncomingMessage[]): Promise<AckOutcome[]>;
}

/** Which of a sink connector's tasks a consumer serves: task `index` of `count`. */
export interface ConsumerMember {
  readonly index: number;
  readonly count: number;
}

/** How a slice reaches RocketMQ: the port the runtime sees (adapter: `lib/rocketmq/messaging.ts`). */
export interface Messaging {
  producer(topics: readonly string[]): Promise<MessageProducer>;
  /**
   * A consumer of the group for one slice of task `member.index` (an adapter that assigns
   * queues to tasks gives each its share; one that pops from the whole group ignores it).
   */
  consumer(
    group: string,
    topics: readonly string[],
    member: ConsumerMember,
  ): Promise<MessageConsumer>;
  /**
   * The topics' last `max` messages, oldest first, read as `group` without moving its offsets
   * (a preview). Optional: an adapter that can only pop messages has none.
   */
  peek?(group: string, topics: readonly string[], max: number): Promise<IncomingMessage[]>;
}
