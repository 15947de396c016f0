/**
 * The coordinator: on the one-minute schedule, on every config change (a direct invoke from
 * the API) and at `npm start`, plans task assignments from the state table and dispatches task
 * slices; while anything runs it plans again every few seconds and hands over to its next run.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { parseCoordinatorEvent } from '../lib/coordinator/coordinator-event.js';
import { invokeCoordinator, LambdaSliceDispatcher } from '../lib/coordinator/dispatch.js';
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
const lambda = lambdaClientOf(env);
const dispatcher = new LambdaSliceDispatcher(lambda, env.TASK_FUNCTION_NAME);
const taskConfigsFor = taskConfigsFromRegistry(createBuiltinRegistry());

const SAFETY_MARGIN_MS = 5_000;
/**
 * While anything runs, the coordinator plans this often within one invocation: a dead slice's
 * task restarts within a tick of its lease's expiry (lib/coordinator/README.md, cost).
 */
const TICK_MS = 2_000;

async function coordinate(event: unknown, context: Context): Promise<CoordinatorReport> {
  parseCoordinatorEvent(event);
  const remaining = context.getRemainingTimeInMillis();
  const report = await runCoordinator({
    store,
    dispatcher,
    taskConfigsFor,
    holderId: context.awsRequestId,
    // Stop applying with time to spare; the lease is short and renewed, so a run cut off
    // holds the next back for a few seconds at most.
    deadline: Date.now() + remaining - SAFETY_MARGIN_MS,
    tickMs: TICK_MS,
    log: (message) => logger.info(message),
  });
  if (report.busy) {
    // Still running at the end: the next run starts now, not at the schedule's next minute
    // (which stays as the safety net should this invoke be lost).
    await invokeCoordinator(lambda, context.functionName, { reason: 'continue' }).catch(
      (error: unknown) => logger.warn(`could not start the next coordinator run: ${String(error)}`),
    );
  }
  return report;
}

export const handler = middy(coordinate).use(logInvocations(logger));
