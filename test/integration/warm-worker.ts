/**
 * One "task function container" for the warm-resources test, run as its own process
 * (`node --import tsx test/integration/warm-worker.ts`) so that the test can SIGTERM it as
 * Lambda does when it shuts a container down. It runs one slice of a warm-tcp connector's task
 * with the same deps and the same SIGTERM hook as functions/task.ts, and prints the slice's
 * outcome if the slice ends first. Settings come in WARM_WORKER (JSON WarmWorkerSettings).
 */
import { envOnlyProviders } from '../../lib/config/provider-adapters.js';
import { createRegistry } from '../../lib/api/registry.js';
import { builtinPlugins } from '../../lib/platform/builtins.js';
import { closeOnSigterm } from '../../lib/platform/shutdown.js';
import { ClientCache } from '../../lib/rocketmq/client-cache.js';
import { systemClock } from '../../lib/runtime/slice-context.js';
import { RocketMqMessaging } from '../../lib/rocketmq/messaging.js';
import { runSlice, traceOf } from '../../lib/runtime/slice-runner.js';
import { WarmResourceCache } from '../../lib/runtime/warm-resource-cache.js';
import { DynamoStateStore } from '../../lib/state/dynamo-state-store.js';
import { localDynamoClient } from '../../infra/local/probes.js';
import { warmTcpSource } from './warm-tcp-connector.js';

export interface WarmWorkerSettings {
  readonly dynamoEndpoint: string;
  readonly table: string;
  readonly rocketmqEndpoint: string;
  readonly connector: string;
  readonly generation: number;
}

const settings = JSON.parse(process.env['WARM_WORKER'] ?? '') as WarmWorkerSettings;
const clients = new ClientCache({ endpoints: settings.rocketmqEndpoint });
const resources = new WarmResourceCache();
const quiet = { info: () => undefined, warn: () => undefined };

// As functions/task.ts does: the container is going away.
closeOnSigterm(
  () => clients.close(),
  () => resources.closeAll(),
);

runSlice(
  { connector: settings.connector, taskId: 0, generation: settings.generation },
  { holderId: 'warm-worker', remainingMs: 900_000 },
  {
    store: new DynamoStateStore(localDynamoClient(settings.dynamoEndpoint), settings.table),
    registry: createRegistry([...builtinPlugins, warmTcpSource]),
    messaging: new RocketMqMessaging(clients),
    providers: envOnlyProviders(process.env),
    dispatcher: { dispatch: () => Promise.resolve() },
    clock: systemClock,
    log: quiet,
    resources,
  },
).then(
  (outcome) => process.stdout.write(`${JSON.stringify(outcome)}\n`),
  (error: unknown) => {
    process.stdout.write(`${traceOf(error)}\n`);
    process.exit(1);
  },
);
