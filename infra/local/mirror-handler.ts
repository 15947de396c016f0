import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import type { StateTopics } from '../../lib/mirror/state-change.js';
import type { StreamHandler } from '../../lib/mirror/stream-poller.js';

/**
 * The mirror function's real handler (functions/mirror.ts), loaded with its environment as
 * Lambda would give it: the proxy, and the state topics when not the defaults (STATE_*_TOPIC).
 * The module reads its environment once, when first loaded (per process, or per test file).
 */
export async function loadMirrorHandler(env: {
  rocketmq: string;
  topics?: StateTopics;
}): Promise<StreamHandler> {
  process.env.ROCKETMQ_ENDPOINT = env.rocketmq;
  if (env.topics) {
    process.env.STATE_CONFIG_TOPIC = env.topics.config;
    process.env.STATE_OFFSET_TOPIC = env.topics.offset;
    process.env.STATE_STATUS_TOPIC = env.topics.status;
  }
  const { handler } = await import('../../functions/mirror.js');
  // Lambda's context is not read by the mirror.
  return (event: DynamoDBStreamEvent) => handler(event, {} as Context);
}
