/**
 * The task function: runs one slice of one task (DESIGN.md "A slice"), started asynchronously
 * by the coordinator or by the slice before it.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { functionConfigProviders } from '../lib/config/provider-adapters.js';
import { LambdaSliceDispatcher } from '../lib/coordinator/dispatch.js';
import { parseSliceRequest } from '../lib/runtime/slice-request.js';
import { awsClientOptions, loadTaskEnv, rocketMqEndpointOf } from '../lib/env/platform-env.js';
import { createBuiltinRegistry } from '../lib/plugins/builtins.js';
import { ClientCache } from '../lib/rocketmq/client-cache.js';
import { RocketMqMessaging } from '../lib/rocketmq/messaging.js';
import { systemClock } from '../lib/runtime/slice-context.js';
import { runSlice, type SliceOutcome } from '../lib/runtime/slice-runner.js';
import { DynamoStateStore } from '../lib/state/dynamo-state-store.js';

// Built once per cold start; warm invocations reuse the clients (and RocketMQ's connections).
const env = loadTaskEnv();
const clientOptions = (url: string | undefined) => awsClientOptions(env, url);
const clients = new ClientCache(rocketMqEndpointOf(env));
const deps = {
  store: new DynamoStateStore(
    new DynamoDBClient(clientOptions(env.DYNAMODB_ENDPOINT)),
    env.STATE_TABLE_NAME,
  ),
  registry: createBuiltinRegistry(),
  messaging: new RocketMqMessaging(clients),
  providers: functionConfigProviders(process.env, clientOptions(undefined)),
  dispatcher: new LambdaSliceDispatcher(
    new LambdaClient(clientOptions(env.LAMBDA_ENDPOINT)),
    env.TASK_FUNCTION_NAME,
  ),
  clock: systemClock,
  log: console,
};

// The container is going away: close RocketMQ's connections cleanly.
process.once('SIGTERM', () => {
  void clients.close().finally(() => process.exit(0));
});

async function slice(event: unknown, context: Context): Promise<SliceOutcome> {
  const request = parseSliceRequest(event);
  return runSlice(
    request,
    { holderId: context.awsRequestId, remainingMs: context.getRemainingTimeInMillis() },
    deps,
  );
}

export const handler = middy(slice);
