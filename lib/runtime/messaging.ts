import {
  BadRequestException,
  ForbiddenException,
  MessageView,
  NotFoundException,
  PayloadTooLargeException,
  PaymentRequiredException,
  RequestHeaderFieldsTooLargeException,
  UnauthorizedException,
  UnsupportedException,
} from 'rocketmq-client-nodejs';
import { NonRetriableError, RetriableError } from '../api/errors.js';
import type { ClientCache } from '../rocketmq/client-cache.js';
import { MIN_AWAIT_DURATION_MS, MIN_INVISIBLE_DURATION_MS } from '../rocketmq/clients.js';
import type { IncomingMessage, OutgoingMessage } from './message-mapping.js';
import { sendAll, type SendOutcome } from './send.js';

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

/** How a slice reaches RocketMQ: the port the runtime sees, with one adapter below. */
export interface Messaging {
  producer(topics: readonly string[]): Promise<MessageProducer>;
  consumer(group: string, topics: readonly string[]): Promise<MessageConsumer>;
}

/** Sends at once per batch, at most this many outstanding (the baseline bench's sweet spot). */
export const MAX_IN_FLIGHT_SENDS = 32;

// Refusals that the same request will meet again: bad input, missing topic, no permission.
const PERMANENT_FAILURES = [
  BadRequestException,
  ForbiddenException,
  NotFoundException,
  PayloadTooLargeException,
  PaymentRequiredException,
  RequestHeaderFieldsTooLargeException,
  UnauthorizedException,
  UnsupportedException,
];

/**
 * The proxy answers a long poll that reached it with too little of its deadline left with
 * BAD_REQUEST (40000, "The deadline time remaining is not enough for polling"). The request was
 * fine; it waited in a queue on a loaded machine (seen in CI, where it failed a sink task). The
 * same request sent again passes.
 */
function isLateArrival(error: Error): boolean {
  return /deadline time remaining is not enough/i.test(error.message);
}

/**
 * A client failure with its retriability made explicit: the broker's refusals of the request
 * itself are not retriable; throttling, timeouts, internal and transport errors are.
 */
export function classifyClientError(error: Error): RetriableError | NonRetriableError {
  const permanent =
    PERMANENT_FAILURES.some((type) => error instanceof type) && !isLateArrival(error);
  const message = error.message || error.name;
  return permanent
    ? new NonRetriableError(message, { cause: error })
    : new RetriableError(message, { cause: error });
}

/** The RocketMQ adapter, on clients kept across warm invocations. */
export class RocketMqMessaging implements Messaging {
  constructor(private readonly clients: ClientCache) {}

  async producer(topics: readonly string[]): Promise<MessageProducer> {
    const producer = await this.clients.producer(topics);
    return {
      async send(messages) {
        const outcomes = await sendAll(producer, messages, MAX_IN_FLIGHT_SENDS);
        return outcomes.map((o) => (o.ok ? o : { ok: false, error: classifyClientError(o.error) }));
      },
    };
  }

  async consumer(group: string, topics: readonly string[]): Promise<MessageConsumer> {
    // The shortest long poll the proxy allows: an idle slice finds out soonest.
    const consumer = await this.clients.consumer({
      consumerGroup: group,
      topics,
      awaitDurationMs: MIN_AWAIT_DURATION_MS,
    });
    return {
      async receive(max, invisibleMs) {
        try {
          // The proxy refuses a shorter invisible time; longer only delays a dead slice's messages.
          return await consumer.receive(max, Math.max(MIN_INVISIBLE_DURATION_MS, invisibleMs));
        } catch (error) {
          throw classifyClientError(error instanceof Error ? error : new Error(String(error)));
        }
      },
      async ack(message) {
        // Only messages this consumer received can be acked: they are the client's own views.
        if (!(message instanceof MessageView)) {
          throw new TypeError(`message ${message.messageId} was not received by this consumer`);
        }
        await consumer.ack(message);
      },
    };
  }
}
