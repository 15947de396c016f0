/**
 * The task function: runs one slice of one task (DESIGN.md "A slice"), started asynchronously
 * by the coordinator or by the slice before it; and, for the api (a synchronous invoke), checks
 * a connector config against the system it names or previews what it does: here are the
 * drivers, the network path to that system and the right to read the secrets its config
 * refers to.
 */
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { functionConfigProviders } from '../lib/config/provider-adapters.js';
import { LambdaSliceDispatcher } from '../lib/coordinator/dispatch.js';
import { parseTaskEvent, type CheckAnswer } from '../lib/runtime/check-request.js';
import { previewConnector, previewDepsOf, type PreviewAnswer } from '../lib/runtime/preview.js';
import type { SliceRequest } from '../lib/runtime/slice-request.js';
import { checkConnectorSystem } from '../lib/runtime/system-check.js';
import { lambdaClientOf, stateStoreOf } from '../lib/platform/aws-clients.js';
import { createBuiltinRegistry } from '../lib/platform/builtins.js';
import { awsClientOptions, loadTaskEnv, rocketMqEndpointOf } from '../lib/platform/env.js';
import { functionLogger, logInvocations } from '../lib/platform/logging.js';
import { closeOnSigterm } from '../lib/platform/shutdown.js';
import { addCheckMetrics, addSliceMetrics, sliceMetrics } from '../lib/platform/slice-metrics.js';
import { taskMessagingOf } from '../lib/platform/topic-admin.js';
import { ClientCache } from '../lib/rocketmq/client-cache.js';
import { systemClock } from '../lib/runtime/slice-context.js';
import { runSlice, type SliceDeps, type SliceOutcome } from '../lib/runtime/slice-runner.js';
import { WarmResourceCache } from '../lib/runtime/warm-resource-cache.js';

// Built once per cold start; warm invocations reuse the clients (and RocketMQ's connections).
const env = loadTaskEnv();
const logger = functionLogger('task');
const metrics = sliceMetrics(logger);
const clients = new ClientCache(rocketMqEndpointOf(env));
// Remoting connections are unreferenced sockets: nothing to close when the container goes.
const messaging = taskMessagingOf(env, clients);
// Connections and pools the connectors' tasks keep for the next slice in this container.
const resources = new WarmResourceCache({ log: logger });
closeOnSigterm(
  () => clients.close(),
  () => resources.closeAll(),
);
const deps: SliceDeps = {
  store: stateStoreOf(env),
  registry: createBuiltinRegistry(),
  messaging,
  providers: functionConfigProviders(process.env, awsClientOptions(env, undefined)),
  dispatcher: new LambdaSliceDispatcher(lambdaClientOf(env), env.TASK_FUNCTION_NAME),
  clock: systemClock,
  // Every line of the slice carries its connector, task and, once leased, the lease's epoch.
  log: logger,
  onLease: (epoch) => logger.appendKeys({ epoch }),
  resources,
  // An idle slice keeps polling until its budget and hands over: new data within a poll.
  stayWhileIdle: true,
};

/** Time kept back from the function's deadline when a check is cut short. */
const CHECK_MARGIN_MS = 1_000;

const previewDeps = previewDepsOf(deps);

async function run(
  event: unknown,
  context: Context,
): Promise<SliceOutcome | CheckAnswer | PreviewAnswer> {
  const taskEvent = parseTaskEvent(event);
  if (taskEvent.kind === 'slice') return slice(taskEvent.request, context);
  if (taskEvent.kind === 'preview') return previewConnector(taskEvent.request, previewDeps);
  const signal = AbortSignal.timeout(
    Math.max(0, context.getRemainingTimeInMillis() - CHECK_MARGIN_MS),
  );
  const problems = await checkConnectorSystem(
    taskEvent.config,
    deps.registry,
    deps.providers,
    signal,
  );
  addCheckMetrics(metrics, problems);
  return { problems };
}

async function slice(request: SliceRequest, context: Context): Promise<SliceOutcome> {
  logger.appendKeys({ connector: request.connector, task: request.taskId });
  const outcome = await runSlice(
    request,
    { holderId: context.awsRequestId, remainingMs: context.getRemainingTimeInMillis() },
    deps,
  );
  addSliceMetrics(metrics, request, outcome);
  return outcome;
}

export const handler = middy(run).use(logInvocations(logger)).use(logMetrics(metrics));
