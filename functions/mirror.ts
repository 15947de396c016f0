/**
 * The state mirror: consumes the state table's stream in batches and publishes every change to
 * its RocketMQ state topic (lib/mirror/README.md). Failures answer a partial batch response,
 * so the batch is retried from the first change not published and nothing is skipped.
 */
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { loadMirrorEnv, rocketMqEndpointOf, stateTopicsOf } from '../lib/env/platform-env.js';
import { Views } from '../lib/http/views.js';
import { mirrorBatch } from '../lib/mirror/mirror-batch.js';
import { RocketMqStatePublisher } from '../lib/mirror/rocketmq-publisher.js';
import { createBuiltinRegistry } from '../lib/plugins/builtins.js';
import { ClientCache } from '../lib/rocketmq/client-cache.js';

// Built once per cold start; warm invocations reuse the producer and its connections.
const env = loadMirrorEnv();
const clients = new ClientCache(rocketMqEndpointOf(env));
const topics = stateTopicsOf(env);
// Configs are masked as the API masks them: by key name and by the plugin's secret keys.
const views = new Views(createBuiltinRegistry());
const deps = {
  publisher: new RocketMqStatePublisher(() => clients.producer([topics.config])),
  topics,
  mask: (config: Readonly<Record<string, string>>) => views.config(config),
  log: (line: string) => console.error(line),
};

// The container is going away: close RocketMQ's connections cleanly.
process.once('SIGTERM', () => {
  void clients.close().finally(() => process.exit(0));
});

async function mirror(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  return mirrorBatch(event.Records, deps);
}

export const handler = middy(mirror);
