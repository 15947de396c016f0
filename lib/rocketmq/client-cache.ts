import type { SimpleConsumer } from 'rocketmq-client-nodejs';
import type { BatchProducer } from './batch-send.js';
import {
  startProducer,
  startSimpleConsumer,
  type RocketMqEndpoint,
  type SimpleConsumerOptions,
} from './clients.js';

/**
 * rocketmq-client-nodejs 1.0.8's SimpleConsumer.shutdown() can wait forever (seen on a consumer
 * that never received): a client gets this long, then is left to the process's end.
 */
const SHUTDOWN_TIMEOUT_MS = 5_000;

/** Waits for `work` at most `ms`; after that it resolves and `work` is left to finish or not. */
export function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * RocketMQ clients kept across warm invocations of a function: starting one costs round trips
 * (routes, settings), so a slice reuses the clients of the slice before it in the same
 * container. One producer per endpoint; one consumer per endpoint, group and topic set (a
 * SimpleConsumer's subscriptions are part of what the proxy knows of it).
 */
export class ClientCache {
  private readonly producers = new Map<string, Promise<BatchProducer>>();
  private readonly consumers = new Map<string, Promise<SimpleConsumer>>();

  constructor(private readonly endpoint: RocketMqEndpoint) {}

  /** The producer, started on first use; routes for `topics` are fetched as they are used. */
  producer(topics: readonly string[] = []): Promise<BatchProducer> {
    return this.memo(this.producers, this.endpoint.endpoints, () =>
      startProducer(this.endpoint, topics),
    );
  }

  consumer(options: SimpleConsumerOptions): Promise<SimpleConsumer> {
    const key = JSON.stringify([options.consumerGroup, [...options.topics].sort()]);
    return this.memo(this.consumers, key, () => startSimpleConsumer(this.endpoint, options));
  }

  /** Shuts every client down (the container is going away, or a test ends). */
  async close(): Promise<void> {
    const all = [...this.producers.values(), ...this.consumers.values()];
    this.producers.clear();
    this.consumers.clear();
    await Promise.allSettled(
      all.map(async (client) => {
        await withTimeout((await client).shutdown(), SHUTDOWN_TIMEOUT_MS);
      }),
    );
  }

  /** A client whose start failed is forgotten, so the next call tries again. */
  private memo<C>(
    cache: Map<string, Promise<C>>,
    key: string,
    start: () => Promise<C>,
  ): Promise<C> {
    const cached = cache.get(key);
    if (cached) return cached;
    const started = start();
    cache.set(key, started);
    void started.catch(() => cache.delete(key));
    return started;
  }
}
