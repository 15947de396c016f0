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

/** Receives from a consumer group's subscriptions; a message is done only once acked. */
export interface MessageConsumer {
  /**
   * Up to `max` messages, waiting (long polling) a few seconds when there are none; each stays
   * invisible to other consumers for `invisibleMs`, then comes back unless acked.
   */
  receive(max: number, invisibleMs: number): Promise<IncomingMessage[]>;
  ack(message: IncomingMessage): Promise<void>;
}

/** How a slice reaches RocketMQ: the port the runtime sees (adapter: `lib/rocketmq/messaging.ts`). */
export interface Messaging {
  producer(topics: readonly string[]): Promise<MessageProducer>;
  consumer(group: string, topics: readonly string[]): Promise<MessageConsumer>;
}
