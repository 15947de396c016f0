/**
 * The state mirror: consumes the state table's stream in batches and publishes every change to
 * its RocketMQ state topic (lib/mirror/README.md). Failures answer a partial batch response,
 * so the batch is retried from the first change not published and nothing is skipped.
 */
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { mirrorConfigMask } from '../lib/mirror/config-mask.js';
import { mirrorBatch } from '../lib/mirror/mirror-batch.js';
import { RocketMqStatePublisher } from '../lib/mirror/rocketmq-publisher.js';
import { createBuiltinRegistry } from '../lib/platform/builtins.js';
import { loadMirrorEnv, rocketMqEndpointOf, stateTopicsOf } from '../lib/platform/env.js';
import { functionLogger, logInvocations } from '../lib/platform/logging.js';
import { ClientCache } from '../lib/rocketmq/client-cache.js';

// Built once per cold start; warm invocations reuse the producer and its connections.
const env = loadMirrorEnv();
const logger = functionLogger('mirror');
const clients = new ClientCache(rocketMqEndpointOf(env));
const topics = stateTopicsOf(env);
const deps = {
  publisher: new RocketMqStatePublisher(() => clients.producer([topics.config])),
  topics,
  mask: mirrorConfigMask(createBuiltinRegistry()),
  log: (line: string) => logger.error(line),
};

// No SIGTERM hook (closeOnSigterm): the producer holds nothing unsent (every send is awaited),
// and a hook that exits the process would cut short a local host that loads this module in
// process (the stream poller in tests and benches).
async function mirror(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  return mirrorBatch(event.Records, deps);
}

export const handler = middy(mirror).use(logInvocations(logger));
