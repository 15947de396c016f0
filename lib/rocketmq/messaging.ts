import { MessageView } from 'rocketmq-client-nodejs';
import type { MessageConsumer, MessageProducer, Messaging } from '../runtime/messaging.js';
import { ackBatch } from './batch-ack.js';
import { classifyClientError } from './client-errors.js';
import type { ClientCache } from './client-cache.js';
import { MIN_AWAIT_DURATION_MS, MIN_INVISIBLE_DURATION_MS } from './clients.js';
import { BATCH_LIMITS, messageProducer } from './send.js';

/** The RocketMQ adapter, on clients kept across warm invocations. */
export class RocketMqMessaging implements Messaging {
  constructor(private readonly clients: ClientCache) {}

  async producer(topics: readonly string[]): Promise<MessageProducer> {
    // Batched by topic, FIFO groups in order; requests in flight bounded by the producer.
    return messageProducer(await this.clients.producer(topics), BATCH_LIMITS);
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
      async ack(messages) {
        // Only messages this consumer received can be acked: they are the client's own views.
        const views: MessageView[] = [];
        for (const m of messages) {
          if (!(m instanceof MessageView)) {
            throw new TypeError(`message ${m.messageId} was not received by this consumer`);
          }
          views.push(m);
        }
        return ackBatch(consumer, views);
      },
    };
  }
}
