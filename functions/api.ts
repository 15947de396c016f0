/**
 * The management REST API on the HTTP API (payload v2): Kafka Connect's routes, RocketMQ
 * Connect's aliases, /metrics, /health and the web console.
 */
import { tmpdir } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import middy from '@middy/core';
import packageJson from '../package.json' with { type: 'json' };
import { functionConfigProviders } from '../lib/config/provider-adapters.js';
import { consoleFiles } from '../lib/http/console-files.js';
import { lambdaCoordinatorWaker } from '../lib/coordinator/dispatch.js';
import { awsClientOptions, loadApiEnv, rocketMqEndpointOf } from '../lib/platform/env.js';
import { createApi } from '../lib/http/api.js';
import { apiAuthorizer } from '../lib/http/api-auth-config.js';
import { handleHttpApiEvent, type HttpApiEvent } from '../lib/http/lambda-adapter.js';
import { ConnectorService } from '../lib/management/connector-service.js';
import { createBuiltinRegistry } from '../lib/platform/builtins.js';
import { ClientCache } from '../lib/rocketmq/client-cache.js';
import { MqAdminToolTopicAdmin } from '../lib/rocketmq/topic-admin.js';
import { RocketMqTopicCatalog } from '../lib/rocketmq/topic-catalog.js';
import { DynamoStateStore } from '../lib/state/dynamo-state-store.js';

// Built once per cold start, reused by every warm invocation.
const env = loadApiEnv();
const clientOptions = (url: string | undefined) => awsClientOptions(env, url);
const store = new DynamoStateStore(
  new DynamoDBClient(clientOptions(env.DYNAMODB_ENDPOINT)),
  env.STATE_TABLE_NAME,
);
const registry = createBuiltinRegistry();
const clients = new ClientCache(rocketMqEndpointOf(env));
// Topics are created only where the admin tool is configured: the local stack.
const admin =
  env.ROCKETMQ_ADMIN_CLASSPATH !== undefined && env.ROCKETMQ_NAMESRV !== undefined
    ? new MqAdminToolTopicAdmin({
        javaBin: env.JAVA_BIN,
        classpath: env.ROCKETMQ_ADMIN_CLASSPATH,
        namesrv: env.ROCKETMQ_NAMESRV,
        cluster: env.ROCKETMQ_CLUSTER,
        homeDir: env.ROCKETMQ_ADMIN_HOME ?? tmpdir(),
      })
    : undefined;
const log = (line: string) => console.log(line);

const api = createApi({
  service: new ConnectorService({
    store,
    registry,
    topics: new RocketMqTopicCatalog(() => clients.producer(), admin),
    wake: lambdaCoordinatorWaker(
      new LambdaClient(clientOptions(env.LAMBDA_ENDPOINT)),
      env.COORDINATOR_FUNCTION_NAME,
    ),
    log,
  }),
  store,
  registry,
  authorize: await apiAuthorizer(
    env,
    functionConfigProviders(process.env, clientOptions(undefined)),
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

// The container is going away: close RocketMQ's connections cleanly.
process.once('SIGTERM', () => {
  void clients.close().finally(() => process.exit(0));
});

export const handler = middy((event: HttpApiEvent) => handleHttpApiEvent(api, event));
