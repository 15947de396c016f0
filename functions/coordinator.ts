/**
 * The coordinator: on the one-minute schedule and on every config change (a direct invoke from
 * the API), plans task assignments from the state table and dispatches task slices.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { parseCoordinatorEvent } from '../lib/coordinator/coordinator-event.js';
import { LambdaSliceDispatcher } from '../lib/coordinator/dispatch.js';
import { runCoordinator, type CoordinatorReport } from '../lib/coordinator/runner.js';
import { taskConfigsFromRegistry } from '../lib/coordinator/task-configs.js';
import { lambdaClientOf, stateStoreOf } from '../lib/platform/aws-clients.js';
import { createBuiltinRegistry } from '../lib/platform/builtins.js';
import { loadPlatformEnv } from '../lib/platform/env.js';
import { functionLogger, logInvocations } from '../lib/platform/logging.js';

// Built once per cold start, reused by every warm invocation.
const env = loadPlatformEnv();
const logger = functionLogger('coordinator');
const store = stateStoreOf(env);
const dispatcher = new LambdaSliceDispatcher(lambdaClientOf(env), env.TASK_FUNCTION_NAME);
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
    log: (message) => logger.info(message),
  });
}

export const handler = middy(coordinate).use(logInvocations(logger));
