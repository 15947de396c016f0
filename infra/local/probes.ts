import { randomUUID } from 'node:crypto';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { Producer, SimpleConsumer } from 'rocketmq-client-nodejs';
import {
  MIN_AWAIT_DURATION_MS,
  startProducer,
  startSimpleConsumer,
} from '../../lib/rocketmq/clients.js';

/** Local stand-ins answer any credentials, but the SDK needs some: never a real account's. */
const LOCAL_AWS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};

/** A DynamoDB client for DynamoDB Local. */
export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ ...LOCAL_AWS, endpoint, maxAttempts: 2 });
}

/** A DynamoDB Streams client for DynamoDB Local (the same endpoint serves the streams API). */
export function localStreamsClient(endpoint: string): DynamoDBStreamsClient {
  return new DynamoDBStreamsClient({ ...LOCAL_AWS, endpoint });
}

/**
 * A Lambda client for serverless-offline's invoke endpoint. The timeout covers the mirror
 * function's own (60 s) with room to spare.
 */
export function localLambdaClient(endpoint: string): LambdaClient {
  return new LambdaClient({
    ...LOCAL_AWS,
    endpoint,
    maxAttempts: 1,
    requestHandler: { requestTimeout: 90_000 },
  });
}

/** Ready means a real request answered: ListTables. */
export async function dynamoAnswers(endpoint: string): Promise<boolean> {
  const client = localDynamoClient(endpoint);
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), {
      abortSignal: AbortSignal.timeout(5_000),
    });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

/** The topic and group the readiness round trip uses; created by the stack on first start. */
export const HEALTH_TOPIC = 'stack-health';
export const HEALTH_GROUP = 'stack-health';

/**
 * Ready means a message went through the proxy and came back: sent with a fresh key, received
 * and acked by a SimpleConsumer. Older health messages met on the way are acked too.
 */
export async function rocketMqRoundTrip(proxyEndpoint: string, timeoutMs: number): Promise<void> {
  const endpoint = {
    endpoints: proxyEndpoint,
    logger: { warn: () => undefined, error: () => undefined },
  };
  const deadline = Date.now() + timeoutMs;
  // Every client call below is bounded by the client's own request timeout and retries.
  let producer: Producer | undefined;
  let consumer: SimpleConsumer | undefined;
  try {
    consumer = await startSimpleConsumer(endpoint, {
      consumerGroup: HEALTH_GROUP,
      topics: [HEALTH_TOPIC],
      awaitDurationMs: MIN_AWAIT_DURATION_MS,
    });
    producer = await startProducer(endpoint, [HEALTH_TOPIC]);
    const key = randomUUID();
    await producer.send({ topic: HEALTH_TOPIC, keys: [key], body: Buffer.from(key) });
    while (Date.now() < deadline) {
      let seen = false;
      for (const message of await consumer.receive(16, 10_000)) {
        await consumer.ack(message);
        if (message.keys.includes(key)) seen = true;
      }
      if (seen) return;
    }
    throw new Error(`the message sent to ${HEALTH_TOPIC} did not come back within ${timeoutMs} ms`);
  } finally {
    await Promise.allSettled([producer?.shutdown(), consumer?.shutdown()]);
  }
}
