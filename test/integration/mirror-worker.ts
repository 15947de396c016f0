/**
 * The state mirror as its own process, for the crash test (`node --import tsx
 * test/integration/mirror-worker.ts`), so that the test can SIGKILL it mid-batch: the local
 * poller of the state table's stream feeding the real mirror function, checkpointing in a file.
 *
 * Settings come in the MIRROR_WORKER environment variable (JSON). Events go to stdout, one JSON
 * object a line: `{"event":"batch","count":n}` after each batch the function acknowledged, and
 * `{"event":"caughtUp"}` whenever the poller has handed over everything so far.
 */
import { localDynamoClient } from '../../infra/local/probes.js';
import { startLocalMirror } from '../../infra/local/state-mirror.js';
import { loadMirrorHandler } from './mirror-handler.js';

export interface MirrorWorkerSettings {
  readonly rocketmq: string;
  readonly topics: { config: string; offset: string; status: string };
  readonly dynamodbEndpoint: string;
  readonly table: string;
  readonly checkpointFile: string;
  readonly batchSize: number;
}

const settings = JSON.parse(process.env.MIRROR_WORKER ?? '') as MirrorWorkerSettings;
const emit = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);

const handler = await loadMirrorHandler(settings);
const dynamo = localDynamoClient(settings.dynamodbEndpoint);
const mirror = await startLocalMirror({
  dynamo,
  dynamodbEndpoint: settings.dynamodbEndpoint,
  table: settings.table,
  checkpointFile: settings.checkpointFile,
  batchSize: settings.batchSize,
  handler: async (event) => {
    const response = await handler(event);
    emit({
      event: 'batch',
      count: event.Records.length,
      failed: response?.batchItemFailures.length ?? 0,
    });
    return response;
  },
  log: (line) => emit({ event: 'log', line }),
});
emit({ event: 'started' });
for (;;) {
  await mirror.poller.caughtUp();
  emit({ event: 'caughtUp' });
  await new Promise((resolve) => setTimeout(resolve, 200));
}
