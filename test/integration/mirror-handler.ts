import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import type { StreamHandler } from '../../lib/mirror/stream-poller.js';

/**
 * The mirror function's real handler (functions/mirror.ts), loaded with its environment: the
 * proxy and the three state topics. Loaded once per test file (modules are per file).
 */
export async function loadMirrorHandler(env: {
  rocketmq: string;
  topics: { config: string; offset: string; status: string };
}): Promise<StreamHandler> {
  process.env.ROCKETMQ_ENDPOINT = env.rocketmq;
  process.env.STATE_CONFIG_TOPIC = env.topics.config;
  process.env.STATE_OFFSET_TOPIC = env.topics.offset;
  process.env.STATE_STATUS_TOPIC = env.topics.status;
  const { handler } = await import('../../functions/mirror.js');
  // Lambda's context is not read by the mirror.
  return (event: DynamoDBStreamEvent) => handler(event, {} as Context);
}
