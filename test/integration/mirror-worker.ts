/**
 * The state mirror as its own process, for the crash test (`node --import tsx
 * test/integration/mirror-worker.ts`), so that the test can SIGKILL it mid-batch: the local
 * poller of the state table's stream feeding the real mirror function, checkpointing in a file.
 *
 * Settings come in the MIRROR_WORKER environment variable (JSON). Events go to stdout, one JSON
 * object a line: `{"event":"handing","count":n}` before each batch goes to the function,
 * `{"event":"crashing",...}` just before it SIGKILLs itself (see `crash` in the settings),
 * `{"event":"batch","count":n}` after each batch the function acknowledged, and
 * `{"event":"caughtUp"}` whenever the poller has handed over everything so far.
 */
import { Producer } from 'rocketmq-client-nodejs';
import { localDynamoClient } from '../../infra/local/probes.js';
import { startLocalMirror } from '../../infra/local/state-mirror.js';
import { loadMirrorHandler } from '../../infra/local/mirror-handler.js';

export interface MirrorWorkerSettings {
  readonly rocketmq: string;
  readonly topics: { config: string; offset: string; status: string };
  readonly dynamodbEndpoint: string;
  readonly table: string;
  readonly checkpointFile: string;
  readonly batchSize: number;
  /** SIGKILL itself in its `batch`-th batch or a later one, once `stored` changes are stored. */
  readonly crash?: { readonly batch: number; readonly stored: number };
}

const settings = JSON.parse(process.env.MIRROR_WORKER ?? '') as MirrorWorkerSettings;
const emit = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);

// Instrumentation only: count each send's receipt, so that the process can crash (SIGKILL
// itself) once some, but not all, of a batch's changes are stored: a test process watching the
// output reacts too late for that, a batch of 40 takes well under 100 ms here.
let batches = 0;
let batchSize = 0;
let storedInBatch = 0;
// eslint-disable-next-line @typescript-eslint/unbound-method -- called with its producer below
const send = Producer.prototype.send;
Producer.prototype.send = async function (this: Producer, ...args: Parameters<Producer['send']>) {
  const receipt = await send.apply(this, args);
  storedInBatch++;
  const crash = settings.crash;
  if (
    crash &&
    batches >= crash.batch &&
    batchSize > crash.stored &&
    storedInBatch === crash.stored
  ) {
    emit({ event: 'crashing', batch: batches, stored: storedInBatch, of: batchSize });
    process.kill(process.pid, 'SIGKILL');
  }
  return receipt;
};

const handler = await loadMirrorHandler(settings);
const dynamo = localDynamoClient(settings.dynamodbEndpoint);
const mirror = await startLocalMirror({
  dynamo,
  dynamodbEndpoint: settings.dynamodbEndpoint,
  table: settings.table,
  checkpointFile: settings.checkpointFile,
  batchSize: settings.batchSize,
  handler: async (event) => {
    batches++;
    batchSize = event.Records.length;
    storedInBatch = 0;
    emit({ event: 'handing', count: event.Records.length });
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
