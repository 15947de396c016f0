/**
 * The coordinator: on the one-minute schedule and on every config change (a direct invoke from
 * the API), plans task assignments from the state table and dispatches task slices.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createBuiltinRegistry } from '../lib/platform/builtins.js';
import { parseCoordinatorEvent } from '../lib/coordinator/coordinator-event.js';
import { LambdaSliceDispatcher } from '../lib/coordinator/dispatch.js';
import { runCoordinator, type CoordinatorReport } from '../lib/coordinator/runner.js';
import { taskConfigsFromRegistry } from '../lib/coordinator/task-configs.js';
import { awsClientOptions, loadPlatformEnv } from '../lib/platform/env.js';
import { DynamoStateStore } from '../lib/state/dynamo-state-store.js';

// Built once per cold start, reused by every warm invocation.
const env = loadPlatformEnv();
const clientOptions = (url: string | undefined) => awsClientOptions(env, url);
const store = new DynamoStateStore(
  new DynamoDBClient(clientOptions(env.DYNAMODB_ENDPOINT)),
  env.STATE_TABLE_NAME,
);
const dispatcher = new LambdaSliceDispatcher(
  new LambdaClient(clientOptions(env.LAMBDA_ENDPOINT)),
  env.TASK_FUNCTION_NAME,
);
const taskConfigsFor = taskConfigsFromRegistry(createBuiltinRegistry());

const SAFETY_MARGIN_MS = 5_000;

async function coordinate(event: unknown, context: Context): Promise<CoordinatorReport> {
  parseCoordinatorEvent(event);
  const remaining = context.getRemainingTimeInMillis();
  return runCoordinator({
    store,
    dispatcher,
    taskConfigsFor,
    holderId: context.awsRequestId,
    // Stop applying with time to spare; the lease outlives the invocation itself, so two runs
    // never overlap even if this one is cut off.
    deadline: Date.now() + remaining - SAFETY_MARGIN_MS,
    leaseTtlMs: remaining + SAFETY_MARGIN_MS,
    log: (message) => console.log(message),
  });
}

export const handler = middy(coordinate);
