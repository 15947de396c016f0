/**
 * What one coordinator pass reads from DynamoDB to plan: the table scan it did before (every
 * item but offsets, filtered on DynamoDB's side after being read and paid for) against the
 * queries `snapshot()` makes now (the `connectors` partition, then each connector's own), on
 * the same table in one run: N connectors x T tasks in a steady state (each task's item carries
 * a lease, a status and the counters of a reported slice) with O committed source offsets per
 * task, loaded into DynamoDB Local. Both reads must find the same connectors, task configs,
 * statuses and tasks.
 *
 *   npm run stack:up; npx tsx bench/coordinator-reads.ts     (only DynamoDB Local is used)
 *   BENCH_CONNECTORS=200 BENCH_OFFSETS=64 npx tsx bench/coordinator-reads.ts
 *
 * Requests are counted by a middleware on the client; read units two ways: the ConsumedCapacity
 * DynamoDB Local reports ("local"), and DynamoDB's published rules applied to the item sizes
 * ("rules": a strongly consistent Query or Scan page costs 1 RCU per 4 KB of the items it read,
 * rounded up, at least 1; a Scan reads the offsets its filter drops). Per pass at 10,000
 * connectors is extrapolated: the scan grows with the whole table, the queries with the
 * connectors.
 */
import { randomBytes } from 'node:crypto';
import {
  BatchWriteItemCommand,
  DeleteTableCommand,
  type ConsumedCapacity,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { dynamoAnswers, localDynamoClient } from '../infra/local/probes.js';
import { loadStackSettings } from '../infra/local/settings.js';
import { str, type Item } from '../lib/state/attributes.js';
import { DynamoStateStore } from '../lib/state/dynamo-state-store.js';
import { Expression } from '../lib/state/expression.js';
import { decodeItem } from '../lib/state/items.js';
import { OFFSETS_PK_PREFIX } from '../lib/state/keys.js';
import { chunk, scanAll, sendUntilProcessed } from '../lib/state/requests.js';
import { createStateTable } from '../lib/state/table.js';
import { ZERO_COUNTERS } from '../lib/state/items.js';
import type { StateSnapshot } from '../lib/state/types.js';
import { mapBounded } from '../lib/util/concurrency.js';
import { itemBytes } from './dynamo-item-size.js';
import { formatGrid } from './stats.js';

const CONNECTORS = Number(process.env.BENCH_CONNECTORS ?? 1_000);
const TASKS = Number(process.env.BENCH_TASKS ?? 8);
const OFFSETS = Number(process.env.BENCH_OFFSETS ?? 16);
const AT_SCALE = 10_000;
/** On-demand, us-east-1 (since November 2024). */
const DOLLARS_PER_MILLION_RRU = 0.125;
const RULE_UNIT_BYTES = 4096;

interface Tally {
  requests: number;
  localRcu: number;
  ruleRcu: number;
}
const tally: { current: Tally } = { current: { requests: 0, localRcu: 0, ruleRcu: 0 } };

/** Counts each read request, asks for its consumed capacity, and prices it by the rules. */
function instrument(client: DynamoDBClient, sizeOf: (item: Item) => number): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      const read = command === 'QueryCommand' || command === 'ScanCommand';
      if (read) (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      if (!read) return result;
      const output = result.output as {
        ConsumedCapacity?: ConsumedCapacity;
        Items?: Item[];
        ScannedItems?: never;
        LastEvaluatedKey?: Item;
      };
      const t = tally.current;
      t.requests++;
      t.localRcu += output.ConsumedCapacity?.CapacityUnits ?? 0;
      // A scan pays for what it read, filtered or not: the page's share of the table.
      const bytes =
        command === 'ScanCommand'
          ? scannedBytes(args.input as { ExclusiveStartKey?: Item }, output.LastEvaluatedKey)
          : (output.Items ?? []).reduce((n, item) => n + sizeOf(item), 0);
      t.ruleRcu += Math.max(1, Math.ceil(bytes / RULE_UNIT_BYTES));
      return result;
    },
    { step: 'initialize', name: 'benchCountReads' },
  );
}

/** Every item of the table in scan order with its size, to price a scan page by the rules. */
let tableOrder: { key: string; bytes: number }[] = [];
const keyString = (item: Item | undefined) => (item ? `${item.pk?.S}\u0000${item.sk?.S}` : '');

function scannedBytes(input: { ExclusiveStartKey?: Item }, last: Item | undefined): number {
  const from = input.ExclusiveStartKey
    ? tableOrder.findIndex((e) => e.key === keyString(input.ExclusiveStartKey)) + 1
    : 0;
  const to = last ? tableOrder.findIndex((e) => e.key === keyString(last)) + 1 : tableOrder.length;
  let bytes = 0;
  for (let i = from; i < to; i++) bytes += tableOrder[i]?.bytes ?? 0;
  return bytes;
}

/** One connector in a steady state, written through the store: its items are the real ones. */
async function template(store: DynamoStateStore, name: string): Promise<void> {
  const now = Date.now();
  const config = {
    'connector.class': 'FileStreamSource',
    'tasks.max': String(TASKS),
    file: '/data/input-file-of-the-connector.txt',
    topic: 'orders-topic',
  };
  const connector = await store.createConnector(name, config, 'RUNNING', now);
  await store.writeTaskConfigs(
    connector,
    Array.from({ length: TASKS }, (_, i) => ({ ...config, 'task.id': String(i) })),
    -1,
    now,
  );
  await store.setConnectorStatus({ connector: name, state: 'RUNNING', updatedAt: now });
  for (let taskId = 0; taskId < TASKS; taskId++) {
    const first = await store.acquireLease(name, taskId, 'slice-first', 0, now, 60_000);
    if (!first) throw new Error(`no lease for ${name}/${taskId}`);
    const entries = Array.from({ length: OFFSETS }, (_, k) => ({
      partition: { file: `/data/input-${taskId}-${k}.txt` },
      offset: { position: 1_234_567 + k },
    }));
    for (const part of chunk(entries, 99)) await store.commitOffsets(first, 1, part, now);
    const counters = { ...ZERO_COUNTERS, sourceRecordPoll: 12_345, sourceRecordWrite: 12_345 };
    await store.releaseLease(first, {
      status: { state: 'RUNNING', restartCount: 0, updatedAt: now },
      startedAt: now - 30_000,
      endedAt: now,
      counters,
    });
    await store.acquireLease(name, taskId, 'slice-second', 0, now, 600_000);
  }
}

const nameOf = (i: number) => `bench-connector-${String(i).padStart(6, '0')}`;

/** The template's items under N names of the same length, so every copy has the same size. */
async function load(client: DynamoDBClient, table: string, items: readonly Item[]): Promise<void> {
  const source = nameOf(0);
  const copies: WriteRequest[] = [];
  for (let i = 1; i < CONNECTORS; i++) {
    for (const item of items) {
      const json = JSON.stringify(item).replaceAll(source, nameOf(i));
      copies.push({ PutRequest: { Item: JSON.parse(json) as Item } });
    }
  }
  await mapBounded(chunk(copies, 25), 8, (requests) =>
    sendUntilProcessed(
      requests,
      async (pending) => {
        const answer = await client.send(
          new BatchWriteItemCommand({ RequestItems: { [table]: pending } }),
        );
        return answer.UnprocessedItems?.[table] ?? [];
      },
      {
        attempts: 10,
        firstDelayMs: 50,
        maxDelayMs: 2_000,
        exhausted: (left) => new Error(`${left} items left unwritten`),
      },
    ),
  );
}

/** The old snapshot's read: one consistent scan of the table, offsets filtered out. */
function oldScan(ctx: { client: DynamoDBClient; table: string }): Promise<Item[]> {
  const x = new Expression();
  return scanAll(ctx, {
    ConsistentRead: true,
    FilterExpression: `NOT begins_with(${x.name('pk')}, ${x.value(str(OFFSETS_PK_PREFIX))})`,
    ...x.params(),
  });
}

const countsOf = (s: Pick<StateSnapshot, 'connectors' | 'taskConfigs' | 'tasks'>) =>
  `${s.connectors.length} connectors, ${s.taskConfigs.length} task configs, ${s.tasks.length} tasks`;

async function measure<T>(
  read: () => Promise<T>,
): Promise<{ result: T; tally: Tally; ms: number }> {
  tally.current = { requests: 0, localRcu: 0, ruleRcu: 0 };
  const started = performance.now();
  const result = await read();
  return { result, tally: tally.current, ms: performance.now() - started };
}

async function main(): Promise<void> {
  const endpoint = `http://127.0.0.1:${loadStackSettings().ports.dynamodb}`;
  if (!(await dynamoAnswers(endpoint))) {
    throw new Error(
      `DynamoDB Local does not answer at ${endpoint}: start it with npm run stack:up`,
    );
  }
  const client = localDynamoClient(endpoint);
  const table = `bench-reads-${randomBytes(4).toString('hex')}`;
  const sizes = new Map<string, number>();
  instrument(client, (item) => sizes.get(keyString(item)) ?? itemBytes(item));
  await createStateTable(client, table);
  const ctx = { client, table };
  try {
    const store = new DynamoStateStore(client, table);
    await template(store, nameOf(0));
    // Only the template is in the table yet: its items are what every connector has.
    const own = await scanAll(ctx, { ConsistentRead: true });
    const started = performance.now();
    await load(client, table, own);
    console.log(
      `loaded ${CONNECTORS} x ${own.length} items in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );

    // The table in scan order, each item with its size by the rules.
    const everything = await scanAll(ctx, { ConsistentRead: true });
    tableOrder = everything.map((item) => ({ key: keyString(item), bytes: itemBytes(item) }));
    for (const e of tableOrder) sizes.set(e.key, e.bytes);
    const tableBytes = tableOrder.reduce((n, e) => n + e.bytes, 0);

    const before = await measure(() => oldScan(ctx));
    const after = await measure(() => store.snapshot());
    const scanned = {
      connectors: [] as unknown[],
      taskConfigs: [] as unknown[],
      tasks: [] as unknown[],
    };
    for (const item of before.result) {
      const decoded = decodeItem(item);
      if (decoded.kind === 'connector') scanned.connectors.push(decoded.record);
      else if (decoded.kind === 'taskConfigs') scanned.taskConfigs.push(decoded.record);
      else if (decoded.kind === 'task') scanned.tasks.push(decoded.record);
    }
    if (countsOf(scanned as never) !== countsOf(after.result)) {
      throw new Error(
        `the reads disagree: scan ${countsOf(scanned as never)}, queries ${countsOf(after.result)}`,
      );
    }

    const perConnector = (t: Tally, fixed: number) => (t.ruleRcu - fixed) / CONNECTORS;
    const row = (label: string, m: { tally: Tally; ms: number }, atScale: number) => [
      label,
      String(m.tally.requests),
      m.tally.localRcu.toFixed(1),
      String(m.tally.ruleRcu),
      m.ms.toFixed(0),
      atScale.toFixed(0),
      ((atScale * 60 * 24 * 30 * DOLLARS_PER_MILLION_RRU) / 1e6).toFixed(2),
    ];
    // The scan reads the whole table: it grows with it. The queries: a page of connector items
    // per 1 MB, then a query per connector.
    const scale = AT_SCALE / CONNECTORS;
    const connectorsPartition = Math.max(
      1,
      Math.ceil((CONNECTORS * (sizes.get(keyString(own[0])) ?? 0)) / RULE_UNIT_BYTES),
    );
    const scanAtScale = before.tally.ruleRcu * scale;
    const queriesAtScale =
      connectorsPartition * scale + perConnector(after.tally, connectorsPartition) * AT_SCALE;
    console.log(
      `\none snapshot, ${CONNECTORS} connectors x ${TASKS} tasks, ${OFFSETS} offsets per task ` +
        `(${tableOrder.length} items, ${(tableBytes / 1024 / 1024).toFixed(1)} MiB by the rules); ` +
        `both read ${countsOf(after.result)} (DynamoDB Local, ${new Date().toISOString()})\n`,
    );
    console.log(
      formatGrid(
        [
          'read',
          'requests',
          'RCU local',
          'RCU rules',
          'ms',
          `RCU/pass at ${AT_SCALE}`,
          '$/month at 1 pass/min',
        ],
        [
          row('before: scan of the table', before, scanAtScale),
          row('after: connectors + 1 query each', after, queriesAtScale),
          [
            'after/before',
            (after.tally.requests / before.tally.requests).toFixed(2),
            (after.tally.localRcu / before.tally.localRcu).toFixed(3),
            (after.tally.ruleRcu / before.tally.ruleRcu).toFixed(3),
            (after.ms / before.ms).toFixed(2),
            (queriesAtScale / scanAtScale).toFixed(3),
            '',
          ],
        ],
      ),
    );
    const bytesOf = (kind: string) => {
      const item = own.find((i) => decodeItem(i).kind === kind);
      return item ? String(sizes.get(keyString(item)) ?? 0) : '-';
    };
    console.log(
      `\nitem sizes by the rules (bytes): connector ${bytesOf('connector')}, task configs ` +
        `${bytesOf('taskConfigs')}, task ${bytesOf('task')}, status ${bytesOf('connectorStatus')}, ` +
        `offset ${bytesOf('offset')}; RCU per connector query ${perConnector(after.tally, connectorsPartition).toFixed(2)}`,
    );
  } finally {
    await client.send(new DeleteTableCommand({ TableName: table }));
    client.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
