/**
 * The management REST API on the HTTP API (payload v2): Kafka Connect's routes, RocketMQ
 * Connect's aliases, /metrics, /health and the web console.
 */
import middy from '@middy/core';
import packageJson from '../package.json' with { type: 'json' };
import { functionConfigProviders } from '../lib/config/provider-adapters.js';
import {
  lambdaCoordinatorWaker,
  lambdaPreviewer,
  lambdaSystemCheck,
} from '../lib/coordinator/dispatch.js';
import { PREVIEW_INVOKE_TIMEOUT_MS } from '../lib/runtime/preview-request.js';
import { createApi } from '../lib/http/api.js';
import { apiAuthorizer } from '../lib/http/api-auth-config.js';
import { consoleFiles } from '../lib/http/console-files.js';
import { handleHttpApiEvent, type HttpApiEvent } from '../lib/http/lambda-adapter.js';
import { ConnectorService } from '../lib/management/connector-service.js';
import { checkLambdaClientOf, lambdaClientOf, stateStoreOf } from '../lib/platform/aws-clients.js';
import { createBuiltinRegistry } from '../lib/platform/builtins.js';
import { awsClientOptions, loadApiEnv, rocketMqEndpointOf } from '../lib/platform/env.js';
import { functionLogger, logInvocations } from '../lib/platform/logging.js';
import { closeOnSigterm } from '../lib/platform/shutdown.js';
import { topicAdminOf } from '../lib/platform/topic-admin.js';
import { ClientCache } from '../lib/rocketmq/client-cache.js';
import { RemotingGroupOffsets } from '../lib/rocketmq/remoting/group-offsets.js';
import { RocketMqTopicCatalog } from '../lib/rocketmq/topic-catalog.js';

// Built once per cold start, reused by every warm invocation.
const env = loadApiEnv();
const logger = functionLogger('api');
const log = (line: string) => logger.info(line);
const store = stateStoreOf(env);
const registry = createBuiltinRegistry();
const clients = new ClientCache(rocketMqEndpointOf(env));
// RocketMQ's admin calls, where the operator gave the name server (ROCKETMQ_NAMESRV).
const admin = topicAdminOf(env);
closeOnSigterm(async () => {
  admin?.close();
  await clients.close();
});

const api = createApi({
  service: new ConnectorService({
    store,
    registry,
    topics: new RocketMqTopicCatalog(() => clients.producer(), admin),
    ...(admin ? { groupOffsets: new RemotingGroupOffsets(admin) } : {}),
    // Plugins' checkSystem runs in the task function: it has the drivers (kept out of this
    // bundle), the network path to the systems and the right to read their secrets.
    systemCheck: lambdaSystemCheck(checkLambdaClientOf(env), env.TASK_FUNCTION_NAME, (line) =>
      logger.warn(line),
    ),
    // So do previews: a source's task polls there, a sink's topics are read there.
    previewer: lambdaPreviewer(
      checkLambdaClientOf(env, PREVIEW_INVOKE_TIMEOUT_MS),
      env.TASK_FUNCTION_NAME,
    ),
    wake: lambdaCoordinatorWaker(lambdaClientOf(env), env.COORDINATOR_FUNCTION_NAME),
    log,
  }),
  store,
  registry,
  authorize: await apiAuthorizer(
    env,
    functionConfigProviders(process.env, awsClientOptions(env, undefined)),
  ),
  info: {
    version: packageJson.version,
    commit: env.GIT_COMMIT,
    clusterId: env.STATE_TABLE_NAME,
  },
  // Embedded in the bundle at build time (infra/aws/esbuild-plugins.cjs); built from source
  // when run unbundled, as the integration tests run it.
  consoleFiles,
  log,
});

export const handler = middy((event: HttpApiEvent) => handleHttpApiEvent(api, event)).use(
  logInvocations(logger),
);
