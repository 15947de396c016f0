/**
 * Baseline ceilings of the real parts, measured in one run on this machine: raw producer
 * throughput at several in-flight limits, SimpleConsumer receive+ack throughput, and DynamoDB
 * Local conditional-write latency. Pipeline benchmarks are compared with these figures.
 *
 *   npm run bench              (brings the local stack up, or reuses it)
 *   BENCH_MESSAGES=20000 npm run bench
 */
import { randomBytes } from 'node:crypto';
import {
  DeleteTableCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { localDynamoClient } from '../infra/local/probes.js';
import { loadStackSettings } from '../infra/local/settings.js';
import { stackUp, type LocalStackInfo } from '../infra/local/stack.js';
import { startProducer, startSimpleConsumer } from '../lib/rocketmq/clients.js';
import { RemotingAdmin } from '../lib/rocketmq/remoting/remoting-admin.js';
import { createStateTable } from '../lib/state/table.js';
import { consume, produce } from './rocketmq-load.js';
import { formatTable, percentile, type Row } from './stats.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 5_000);
const BODY = randomBytes(1024);
const MIB = 1024 * 1024;
const suffix = randomBytes(4).toString('hex');

async function benchProducer(info: LocalStackInfo, topic: string): Promise<Row[]> {
  const producer = await startProducer({ endpoints: info.rocketmq.endpoint }, [topic]);
  try {
    await produce(producer, topic, 300, 16, BODY); // warm-up: routes, connections, JIT on both sides
    const rows: Row[] = [];
    for (const inFlight of [1, 8, 32, 128]) {
      // In-flight 1 is slow; fewer messages keep the run short without changing its rate.
      const count = inFlight === 1 ? Math.min(MESSAGES, 1_000) : MESSAGES;
      const seconds = await produce(producer, topic, count, inFlight, BODY);
      rows.push({
        benchmark: 'produce 1 KiB',
        setting: `in-flight ${inFlight}`,
        count,
        perSecond: count / seconds,
        mibPerSecond: (count * BODY.length) / MIB / seconds,
      });
    }
    return rows;
  } finally {
    await producer.shutdown();
  }
}

async function benchConsumer(info: LocalStackInfo, admin: RemotingAdmin): Promise<Row[]> {
  const endpoint = { endpoints: info.rocketmq.endpoint };
  const rows: Row[] = [];
  for (const receivers of [1, 4]) {
    const topic = `bench-consume-${receivers}-${suffix}`;
    const group = `bench-consume-${receivers}-${suffix}`;
    await admin.ensureTopic(topic, 'NORMAL');
    await admin.ensureConsumerGroup(group);
    const consumer = await startSimpleConsumer(endpoint, { consumerGroup: group, topics: [topic] });
    const producer = await startProducer(endpoint, [topic]);
    try {
      await produce(producer, topic, MESSAGES, 128, BODY);
      const seconds = await consume(consumer, MESSAGES, 32, receivers);
      rows.push({
        benchmark: 'receive+ack 1 KiB',
        setting: `batch 32, ${receivers} receiver${receivers > 1 ? 's' : ''}`,
        count: MESSAGES,
        perSecond: MESSAGES / seconds,
        mibPerSecond: (MESSAGES * BODY.length) / MIB / seconds,
      });
    } finally {
      await Promise.all([producer.shutdown(), consumer.shutdown()]);
    }
  }
  return rows;
}

async function timeEach(count: number, write: (i: number) => Promise<unknown>): Promise<Row> {
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await write(i);
    latencies.push(performance.now() - t);
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    benchmark: '',
    setting: '',
    count,
    perSecond: count / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

async function benchDynamo(dynamo: DynamoDBClient): Promise<Row[]> {
  const table = `bench-${suffix}`;
  await createStateTable(dynamo, table);
  const count = 2_000;
  try {
    const key = { pk: { S: 'task#bench' }, sk: { S: 'offsets' } };
    await dynamo.send(
      new PutItemCommand({ TableName: table, Item: { ...key, version: { N: '0' } } }),
    );
    // The shape of an offset commit: move forward only if the version is still the one we read.
    const update = await timeEach(count, (i) =>
      dynamo.send(
        new UpdateItemCommand({
          TableName: table,
          Key: key,
          UpdateExpression: 'SET version = :next, offsets = :offsets',
          ConditionExpression: 'version = :current',
          ExpressionAttributeValues: {
            ':current': { N: String(i) },
            ':next': { N: String(i + 1) },
            ':offsets': { S: JSON.stringify({ position: i * 100 }) },
          },
        }),
      ),
    );
    // The shape of a create: only if the item does not exist yet.
    const put = await timeEach(count, (i) =>
      dynamo.send(
        new PutItemCommand({
          TableName: table,
          Item: { pk: { S: `connector#${i}` }, sk: { S: 'config' }, version: { N: '1' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    return [
      { ...update, benchmark: 'dynamodb local', setting: 'conditional update' },
      { ...put, benchmark: 'dynamodb local', setting: 'conditional put (new)' },
    ];
  } finally {
    await dynamo.send(new DeleteTableCommand({ TableName: table }));
  }
}

async function main(): Promise<void> {
  const { info } = await stackUp(loadStackSettings(), (line) => console.log(`[stack] ${line}`));
  const admin = new RemotingAdmin(info.rocketmq);
  const produceTopic = `bench-produce-${suffix}`;
  await admin.ensureTopic(produceTopic, 'NORMAL');
  console.log(`running with ${MESSAGES} messages per case...`);

  const rows = [
    ...(await benchProducer(info, produceTopic)),
    ...(await benchConsumer(info, admin)),
  ];
  const dynamo = localDynamoClient(info.dynamodb.endpoint);
  try {
    rows.push(...(await benchDynamo(dynamo)));
  } finally {
    dynamo.destroy();
  }
  console.log(
    `\nbaseline on ${new Date().toISOString()} (local stack, one machine; compare rows, not runs)\n`,
  );
  console.log(formatTable(rows));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
