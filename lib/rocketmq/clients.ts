import type { Producer } from 'rocketmq-client-nodejs';
import { FilterExpression, SimpleConsumer, type SessionCredentials } from 'rocketmq-client-nodejs';
import { BatchProducer } from './batch-send.js';

/** The logger shape the client accepts (its own `ILogger` is not exported). */
interface ClientLogger {
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  debug(...args: unknown[]): void;
}

/** Where and how to reach a RocketMQ 5 proxy over gRPC. */
export interface RocketMqEndpoint {
  /** `host:port` of the proxy's gRPC listener, e.g. `127.0.0.1:8081`. */
  readonly endpoints: string;
  readonly namespace?: string;
  readonly credentials?: SessionCredentials;
  /** Receives the client's own warnings and errors; its info lines are dropped. */
  readonly logger?: Pick<Console, 'warn' | 'error'>;
}

/**
 * The client logs every route refresh and heartbeat at info level to a file under the home
 * folder by default; keep only what needs a person's attention.
 */
function clientLogger(target: Pick<Console, 'warn' | 'error'> = console): ClientLogger {
  return {
    info: () => undefined,
    debug: () => undefined,
    warn: (...args: unknown[]) => target.warn('[rocketmq-client]', ...args),
    error: (...args: unknown[]) => target.error('[rocketmq-client]', ...args),
  };
}

function baseOptions(endpoint: RocketMqEndpoint) {
  return {
    endpoints: endpoint.endpoints,
    namespace: endpoint.namespace ?? '',
    logger: clientLogger(endpoint.logger),
    ...(endpoint.credentials ? { sessionCredentials: endpoint.credentials } : {}),
  };
}

/**
 * rocketmq-client-nodejs 1.0.8 waits at startup for the proxy's first settings reply, but it only
 * starts listening after routing every topic it was given: with two or more topics the reply can
 * come in between, and startup then waits forever. So clients start with at most one topic and
 * learn the others afterwards; startup is also bounded, in case of anything else like it.
 */
const STARTUP_TIMEOUT_MS = 30_000;

/**
 * How long a send may take before the producer gives up on it. A send that times out on the
 * client may still have been stored, and sending it again stores a second copy: with the
 * client's default of 3 s, a proxy slowed by a busy machine made duplicates without any crash
 * (issue 22). So only a send that takes this long (a broken proxy, not a slow one) is resent.
 */
export const SEND_TIMEOUT_MS = 20_000;

/**
 * Creates and starts a producer (one that also sends batches); the first topic is routed at
 * startup, the others on first send.
 */
export async function startProducer(
  endpoint: RocketMqEndpoint,
  topics: readonly string[] = [],
): Promise<BatchProducer> {
  return started(
    new BatchProducer({
      ...baseOptions(endpoint),
      topics: topics.slice(0, 1),
      requestTimeout: SEND_TIMEOUT_MS,
    }),
  );
}

export interface SimpleConsumerOptions {
  readonly consumerGroup: string;
  readonly topics: readonly string[];
  /** Long-polling wait of one `receive()`, in ms; at least {@link MIN_AWAIT_DURATION_MS}. */
  readonly awaitDurationMs?: number;
}

/**
 * The proxy refuses a long poll whose gRPC deadline (the await duration plus the client's 3 s
 * request timeout) is under its minimum of 5 s, with "deadline time remaining is not enough".
 */
export const MIN_AWAIT_DURATION_MS = 2_500;

/** The proxy refuses to hide a received message for less ("the invisibleTime is too small"). */
export const MIN_INVISIBLE_DURATION_MS = 10_000;

/** Creates and starts a SimpleConsumer subscribed to every tag of the given topics. */
export async function startSimpleConsumer(
  endpoint: RocketMqEndpoint,
  options: SimpleConsumerOptions,
): Promise<SimpleConsumer> {
  const awaitDuration = options.awaitDurationMs ?? 5_000;
  if (awaitDuration < MIN_AWAIT_DURATION_MS) {
    throw new RangeError(
      `awaitDurationMs is ${awaitDuration}: the proxy needs at least ${MIN_AWAIT_DURATION_MS} ms`,
    );
  }
  const [first, ...others] = options.topics;
  if (first === undefined) throw new RangeError('a SimpleConsumer needs at least one topic');
  const consumer = await started(
    new SimpleConsumer({
      ...baseOptions(endpoint),
      consumerGroup: options.consumerGroup,
      subscriptions: new Map([[first, FilterExpression.SUB_ALL]]),
      awaitDuration,
    }),
  );
  try {
    for (const topic of others) await consumer.subscribe(topic, FilterExpression.SUB_ALL);
  } catch (error) {
    await consumer.shutdown().catch(() => undefined);
    throw error;
  }
  return consumer;
}

/** A client whose startup failed still holds gRPC channels: shut it down before rethrowing. */
async function started<C extends Producer | SimpleConsumer>(client: C): Promise<C> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`RocketMQ client startup took over ${STARTUP_TIMEOUT_MS} ms`)),
      STARTUP_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([client.startup(), timeout]);
    return client;
  } catch (error) {
    await client.shutdown().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
