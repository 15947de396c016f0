/**
 * What the state mirror and restore cost, in one run on the local stack: the real mirror
 * function (functions/mirror.ts) fed by the stream poller publishing N table changes, next to
 * the raw ceilings of the same sends (one at a time, as the mirror sends to keep each key's
 * order, and 8 keys in flight, what per-key parallelism could reach), then a restore of those
 * changes into a new table (read with the idle wait that ends it, and the writes).
 *
 *   npx tsx bench/mirror.ts            (brings the local stack up, or reuses it)
 *   BENCH_CHANGES=5000 npx tsx bench/mirror.ts
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  BatchWriteItemCommand,
  DeleteTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { localDynamoClient, localStreamsClient } from '../infra/local/probes.js';
import { loadStackSettings } from '../infra/local/settings.js';
import { stackUp } from '../infra/local/stack.js';
import { FileCheckpointStore } from '../infra/local/stream-poller/file-checkpoints.js';
import { restoreState } from '../lib/restore/restore.js';
import { stateTopicNames, type StateTopics } from '../lib/mirror/state-change.js';
import { rocketMqStateTopicReader } from '../lib/restore/state-topic-reader.js';
import { StreamPoller } from '../infra/local/stream-poller/stream-poller.js';
import { DynamoStreamSource } from '../infra/local/stream-poller/stream-source.js';
import { DynamoRestoreTable } from '../lib/restore/table-writer.js';
import { withTimeout } from '../lib/rocketmq/client-cache.js';
import { startProducer } from '../lib/rocketmq/clients.js';
import { RemotingAdmin } from '../lib/rocketmq/remoting/remoting-admin.js';
import { connectorStatusItem } from '../lib/state/items.js';
import { createStateTable, stateStreamArn } from '../lib/state/table.js';
import { mapBounded } from '../lib/util/concurrency.js';
import { loadMirrorHandler } from '../infra/local/mirror-handler.js';
import { formatGrid } from './stats.js';

const CHANGES = Math.ceil(Number(process.env.BENCH_CHANGES ?? 2_000) / 25) * 25;
const KEYS = 25;
const IDLE_MS = 2_000;
const print = (text: string) => process.stdout.write(`${text}\n`);
const uniqueName = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;

/** CHANGES status changes of KEYS connectors, 25 per request, as slices would write them. */
async function writeChanges(dynamo: DynamoDBClient, table: string, rounds: number): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    const requests = Array.from({ length: KEYS }, (_, i) => ({
      PutRequest: {
        Item: connectorStatusItem({
          connector: `connector-${i}`,
          state: 'RUNNING',
          trace: `round ${round} ${'x'.repeat(200)}`,
          updatedAt: Date.now(),
        }),
      },
    }));
    await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const { info } = await stackUp(loadStackSettings());
  const dynamo = localDynamoClient(info.dynamodb.endpoint);
  const admin = new RemotingAdmin(info.rocketmq);
  const topics: StateTopics = {
    config: uniqueName('bench-config'),
    offset: uniqueName('bench-offset'),
    status: uniqueName('bench-status'),
  };
  const rawTopic = uniqueName('bench-raw');
  for (const topic of [...stateTopicNames(topics), rawTopic])
    await admin.ensureTopic(topic, 'FIFO');
  const table = uniqueName('bench-mirror');
  const restored = uniqueName('bench-restored');
  await createStateTable(dynamo, table);
  await createStateTable(dynamo, restored);
  const scratch = mkdtempSync(path.join(tmpdir(), 'bench-mirror-'));
  const streams = localStreamsClient(info.dynamodb.endpoint);
  try {
    let handlerMs = 0;
    const handler = await loadMirrorHandler({ rocketmq: info.rocketmq.endpoint, topics });
    const poller = new StreamPoller({
      source: new DynamoStreamSource(streams, await stateStreamArn(dynamo, table)),
      handler: async (event) => {
        const started = performance.now();
        const response = await handler(event);
        handlerMs += performance.now() - started;
        return response;
      },
      checkpoints: new FileCheckpointStore(path.join(scratch, 'checkpoints.json')),
      batchSize: 100,
    });
    // Warm the function (its producer starts on first use), as a warm Lambda container is.
    await writeChanges(dynamo, table, 1);
    await poller.drain();
    await writeChanges(dynamo, table, CHANGES / KEYS - 1);
    handlerMs = 0;
    const mirrorMs = await timed(() => poller.drain());
    const functionMs = handlerMs;

    const producer = await startProducer({ endpoints: info.rocketmq.endpoint }, [rawTopic]);
    const body = Buffer.alloc(520, 'x');
    const send = (i: number) =>
      producer.send({ topic: rawTopic, messageGroup: `connector-${i % KEYS}`, body });
    const indexes = Array.from({ length: CHANGES }, (_, i) => i);
    const rawSequentialMs = await timed(async () => {
      for (const i of indexes) await send(i);
    });
    const rawParallelMs = await timed(() => mapBounded(indexes, 8, send));
    await withTimeout(producer.shutdown(), 5_000);

    let changesRead = 0;
    const restoreMs = await timed(async () => {
      const result = await restoreState(
        {
          source: rocketMqStateTopicReader(
            { endpoints: info.rocketmq.endpoint },
            { topics, consumerGroup: uniqueName('bench-restore'), idleMs: IDLE_MS },
          ),
          table: new DynamoRestoreTable(dynamo, restored),
        },
        { force: false },
      );
      changesRead = result.counts.changes;
    });

    const perSecond = (n: number, ms: number) => ((n / ms) * 1000).toFixed(0);
    const row = (name: string, n: number, ms: number, base: number): string[] => [
      name,
      String(n),
      ms.toFixed(0),
      perSecond(n, ms),
      (base / ms).toFixed(2),
    ];
    print(`state mirror, ${CHANGES} changes of ${KEYS} keys (status items of ~330 bytes)`);
    print(
      formatGrid(
        ['case', 'changes', 'ms', 'per s', 'x raw sequential'],
        [
          row(
            'mirror function via stream poller (batches of 100)',
            CHANGES - KEYS,
            mirrorMs,
            rawSequentialMs,
          ),
          row('  of which in the mirror function', CHANGES - KEYS, functionMs, rawSequentialMs),
          row('raw FIFO sends, one at a time', CHANGES, rawSequentialMs, rawSequentialMs),
          row('raw FIFO sends, 8 keys in flight', CHANGES, rawParallelMs, rawSequentialMs),
          row(
            `restore: read (incl. ${IDLE_MS} ms idle end) + write ${KEYS} items`,
            changesRead,
            restoreMs,
            rawSequentialMs,
          ),
        ],
      ),
    );
  } finally {
    streams.destroy();
    rmSync(scratch, { recursive: true, force: true });
    for (const t of [table, restored]) {
      await dynamo.send(new DeleteTableCommand({ TableName: t })).catch(() => undefined);
    }
    dynamo.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
