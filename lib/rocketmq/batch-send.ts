import { setTimeout } from 'node:timers/promises';
import {
  PayloadTooLargeException,
  Producer,
  PublishingLoadBalancer,
  PublishingMessage,
  StatusChecker,
  TooManyRequestsException,
  type MessageOptions,
  type TopicRouteData,
} from 'rocketmq-client-nodejs';
// The generated request classes are not re-exported by the package's index; this is the very
// module its Producer builds requests with (one google-protobuf runtime, one message class).
import servicePb from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/service_pb.js';
import { Slots } from '../util/concurrency.js';
import { classifyClientError } from './client-errors.js';

const { SendMessageRequest } = servicePb;
type SendMessageResponse = servicePb.SendMessageResponse;

/**
 * SendMessage requests one producer has outstanding at most, across every caller (slices whose
 * polls overlap their sends, dead letters): more only queues them in the proxy's thread pool.
 */
export const MAX_REQUESTS_IN_FLIGHT = 8;

/**
 * A producer that also sends many messages of one topic in one gRPC SendMessage request, which
 * rocketmq-client-nodejs 1.0.8 builds but does not offer (its `send` takes one message). It uses
 * the client's own parts: PublishingMessage (message id, type, body limit from the proxy's
 * settings, protobuf form), the route cache, the publishing load balancer, the RPC client
 * manager (channels, signed metadata, deadline) and StatusChecker (typed exceptions), and tries
 * the next queue on failure as `send` does.
 *
 * The proxy stores a request of several messages as one batch: all of them or none, with one
 * status; so a request holds messages that may fail only together (see lib/rocketmq/send.ts).
 */
export class BatchProducer extends Producer {
  readonly #balancers = new Map<
    string,
    { route: TopicRouteData; balancer: PublishingLoadBalancer }
  >();
  readonly #slots = new Slots(MAX_REQUESTS_IN_FLIGHT);

  /**
   * The client's message for `options`, with its id; throws PayloadTooLargeException when the
   * body exceeds the proxy's limit (it can never be sent), or the client's TypeError for
   * options it refuses.
   */
  publishing(options: MessageOptions): PublishingMessage {
    const max = this.publishingSettings.maxBodySizeBytes;
    if (options.body.length > max) {
      throw new PayloadTooLargeException(
        MESSAGE_BODY_TOO_LARGE,
        `message body of ${options.body.length} bytes exceeds the proxy's limit of ${max}`,
      );
    }
    return new PublishingMessage(options, this.publishingSettings, false);
  }

  /**
   * Sends `messages` (one topic, one type; several only when not FIFO: the proxy routes a
   * request of several messages to a queue of its choice, not by message group) in one request.
   * Resolves with their message ids in order, or rejects with the request's failure.
   */
  async sendBatch(messages: readonly PublishingMessage[]): Promise<string[]> {
    const first = messages[0];
    if (first === undefined) return [];
    if (!this.isRunning()) throw new Error('Producer is not running now');
    for (const m of messages) {
      if (m.topic !== first.topic || m.messageType !== first.messageType) {
        throw new TypeError('a SendMessage request takes messages of one topic and one type');
      }
    }
    const balancer = await this.#balancer(first.topic);
    const retry = this.publishingSettings.getRetryPolicy();
    const maxAttempts = retry?.getMaxAttempts() ?? 1;
    const candidates =
      first.messageGroup !== undefined && messages.length === 1
        ? [balancer.takeMessageQueueByMessageGroup(first.messageGroup)]
        : balancer.takeMessageQueues(this.isolated, maxAttempts);
    await this.#slots.take();
    try {
      for (let attempt = 1; ; attempt++) {
        const queue = candidates[(attempt - 1) % candidates.length];
        if (queue === undefined) throw new Error(`no writable queue for topic ${first.topic}`);
        const request = new SendMessageRequest();
        // Built per attempt, as the client does: it stamps the born time.
        for (const m of messages) request.addMessages(m.toProtobuf(this.namespace, queue));
        try {
          const response = await this.rpcClientManager.sendMessage(
            queue.broker.endpoints,
            request,
            this.requestTimeout,
          );
          return messageIds(messages, response);
        } catch (error) {
          this.isolated.set(queue.broker.endpoints.facade, queue.broker.endpoints);
          if (attempt >= maxAttempts || !worthRetrying(error)) throw error;
          if (error instanceof TooManyRequestsException && retry) {
            await setTimeout(retry.getNextAttemptDelay(attempt + 1));
          }
        }
      }
    } finally {
      this.#slots.give();
    }
  }

  /** The topic's load balancer, rebuilt (keeping its position) when its route was refreshed. */
  async #balancer(topic: string): Promise<PublishingLoadBalancer> {
    const route = await this.getRouteData(topic);
    const cached = this.#balancers.get(topic);
    if (cached?.route === route) return cached.balancer;
    const balancer = cached ? cached.balancer.update(route) : new PublishingLoadBalancer(route);
    this.#balancers.set(topic, { route, balancer });
    return balancer;
  }
}

/** apache.rocketmq.v2.Code.MESSAGE_BODY_TOO_LARGE */
const MESSAGE_BODY_TOO_LARGE = 41301;

/**
 * The ids of a request's messages: the proxy keeps the client's message ids, and answers a
 * batch with one entry (its ids joined by commas), a single message with one entry of its own.
 * A non-OK status, of the request or of an entry, is thrown as the client's typed exception.
 */
function messageIds(
  messages: readonly PublishingMessage[],
  response: SendMessageResponse,
): string[] {
  const entries = response.getEntriesList();
  for (const entry of entries) StatusChecker.check(entry.getStatus()?.toObject());
  StatusChecker.check(response.getStatus()?.toObject());
  if (entries.length === 0) throw new Error('the proxy answered a send with no result');
  if (entries.length === messages.length) return entries.map((e) => e.getMessageId());
  return messages.map((m) => m.messageId);
}

/**
 * The client tries the next queue whatever the failure; a refusal of the request itself (bad
 * message, no such topic) would only be answered again, so it is not tried again here.
 */
function worthRetrying(error: unknown): boolean {
  return classifyClientError(error instanceof Error ? error : new Error(String(error))).retriable;
}
