/**
 * What the state store costs a slice, against DynamoDB Local: round trips and capacity units of
 * one slice (acquire lease, load task configs and offsets, K batch commits, status, release),
 * for K = 1, 10 and 100 batches, and per 1,000 records at 100 records per batch.
 *
 *   npx tsx bench/state-ops.ts          (brings the local stack up, or reuses it)
 *   BENCH_SLICES=20 npx tsx bench/state-ops.ts
 *
 * Round trips are counted by a middleware on the client (one per `send`; SDK retries would be
 * extra attempts of the same send). Capacity comes two ways: ReturnConsumedCapacity, which the
 * same middleware asks for on every data-plane command ("local"; DynamoDB Local answers it, but
 * with a flat 4 WCU per transaction whatever its size), and the same requests priced by
 * DynamoDB's published rules ("rules"): 1 WCU per standard write of an item up to 1 KB, 2 WCU
 * per item of a transactional write (counting a ConditionCheck as an item, the conservative
 * reading), 0.5 RCU per eventually consistent and 1 RCU per strongly consistent read up to 4 KB.
 */
import { randomBytes } from 'node:crypto';
import {
  DeleteTableCommand,
  type ConsumedCapacity,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { localDynamoClient } from '../infra/local/probes.js';
import { loadStackSettings } from '../infra/local/settings.js';
import { stackUp } from '../infra/local/stack.js';
import { DynamoStateStore } from '../lib/state/dynamo-state-store.js';
import { createStateTable } from '../lib/state/table.js';
import type { LeaseToken } from '../lib/state/types.js';
import { formatGrid, percentile } from './stats.js';

const SLICES = Number(process.env.BENCH_SLICES ?? 5);
const BATCH_SIZE = 100; // records per batch: one commit covers one batch
const BATCHES_PER_SLICE = [1, 10, 100];

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem']);

interface Tally {
  roundTrips: number;
  wcu: number; // as DynamoDB Local reports it
  rcu: number;
  modelWcu: number; // by the pricing rules
  modelRcu: number;
  byCommand: Map<string, number>;
}

const emptyTally = (): Tally => ({
  roundTrips: 0,
  wcu: 0,
  rcu: 0,
  modelWcu: 0,
  modelRcu: 0,
  byCommand: new Map(),
});

type Input = Record<string, unknown>;

/** Counts every send and its consumed capacity into `tally.current`. */
function instrument(client: DynamoDBClient, tally: { current: Tally }): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName?.replace(/Command$/, '') ?? 'unknown';
      const input = args.input as Input;
      const measured =
        command === 'TransactWriteItems' || WRITES.has(command) || READS.has(command);
      if (measured) input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const t = tally.current;
      t.roundTrips++;
      t.byCommand.set(command, (t.byCommand.get(command) ?? 0) + 1);
      const output = result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] };
      const consumed = [output.ConsumedCapacity ?? []].flat();
      for (const c of consumed) {
        if (command === 'TransactWriteItems' || WRITES.has(command)) {
          t.wcu += c.WriteCapacityUnits ?? c.CapacityUnits ?? 0;
        } else {
          t.rcu += c.ReadCapacityUnits ?? c.CapacityUnits ?? 0;
        }
      }
      priceByRules(command, input, result.output as unknown as Input, t);
      return result;
    },
    { step: 'initialize', name: 'benchCountSends' },
  );
}

/** The capacity the pricing rules give a request (items here are all well under 1 KB). */
function priceByRules(command: string, input: Input, output: Input, t: Tally): void {
  const consistent = input.ConsistentRead === true;
  const perRead = consistent ? 1 : 0.5;
  const count = (value: unknown) => (Array.isArray(value) ? value.length : 0);
  if (command === 'TransactWriteItems') t.modelWcu += 2 * count(input.TransactItems);
  else if (WRITES.has(command)) t.modelWcu += 1;
  else if (command === 'GetItem') t.modelRcu += perRead;
  else if (command === 'Query' || command === 'Scan') {
    // A query is charged on the total size read, rounded up to 4 KB: small items share a unit.
    t.modelRcu +=
      perRead * Math.max(1, Math.ceil(JSON.stringify(output.Items ?? []).length / 4096));
  } else if (command === 'BatchGetItem') {
    const responses = Object.values((output.Responses ?? {}) as Record<string, unknown[]>);
    t.modelRcu += perRead * responses.reduce((n, items) => n + items.length, 0);
  }
}

async function slice(store: DynamoStateStore, name: string, batches: number, seq: { n: number }) {
  const token: LeaseToken | undefined = await store.acquireLease(
    name,
    0,
    `bench-${randomBytes(3).toString('hex')}`,
    0,
    Date.now(),
    60_000,
  );
  if (!token) throw new Error('the lease was taken: is another run using this table?');
  await Promise.all([store.getTaskConfigs(name), store.readOffsets(name)]);
  for (let b = 0; b < batches; b++) {
    const now = Date.now();
    seq.n++;
    await store.commitOffsets(
      token,
      seq.n,
      [{ partition: { file: '/data/in.txt' }, offset: { position: seq.n * BATCH_SIZE } }],
      now,
    );
  }
  await store.writeTaskStatus(token, { state: 'RUNNING', restartCount: 0, updatedAt: Date.now() });
  await store.releaseLease(token);
}

const fmt = (n: number, digits = 1) => (Number.isInteger(n) ? String(n) : n.toFixed(digits));

async function main(): Promise<void> {
  const { info } = await stackUp(loadStackSettings(), (line) => console.log(`[stack] ${line}`));
  const client = localDynamoClient(info.dynamodb.endpoint);
  const table = `bench-state-${randomBytes(4).toString('hex')}`;
  const tally = { current: emptyTally() };
  instrument(client, tally);
  await createStateTable(client, table);
  try {
    const store = new DynamoStateStore(client, table);
    const name = 'bench-source';
    const connector = await store.createConnector(
      name,
      { 'connector.class': 'Bench' },
      'RUNNING',
      Date.now(),
    );
    await store.writeTaskConfigs(connector, [{ file: '/data/in.txt' }], -1, Date.now());
    const seq = { n: 0 };
    await slice(store, name, 1, seq); // warm-up: connections, JIT, the offset item exists

    const rows: string[][] = [];
    let breakdown: Tally | undefined;
    for (const batches of BATCHES_PER_SLICE) {
      const total = emptyTally();
      const latencies: number[] = [];
      for (let i = 0; i < SLICES; i++) {
        tally.current = emptyTally();
        const started = performance.now();
        await slice(store, name, batches, seq);
        latencies.push(performance.now() - started);
        for (const key of ['roundTrips', 'wcu', 'rcu', 'modelWcu', 'modelRcu'] as const) {
          total[key] += tally.current[key];
        }
        if (batches === 1) breakdown = tally.current;
      }
      const per = (n: number) => n / SLICES;
      const records = batches * BATCH_SIZE;
      const perThousand = (n: number) => (per(n) / records) * 1000;
      rows.push([
        `${batches} batch${batches > 1 ? 'es' : ''}`,
        String(records),
        fmt(per(total.roundTrips)),
        fmt(per(total.wcu)),
        fmt(per(total.modelWcu)),
        fmt(per(total.rcu)),
        fmt(per(total.modelRcu)),
        fmt(perThousand(total.roundTrips)),
        fmt(perThousand(total.wcu)),
        fmt(perThousand(total.modelWcu)),
        percentile(latencies, 50).toFixed(1),
      ]);
    }
    console.log(
      `\nstate store cost of one slice, ${SLICES} slices per case, ${BATCH_SIZE} records per ` +
        `batch, one partition (DynamoDB Local, ${new Date().toISOString()})\n`,
    );
    console.log(
      formatGrid(
        [
          'slice',
          'records',
          'trips',
          'WCU local',
          'WCU rules',
          'RCU local',
          'RCU rules',
          'trips/1k rec',
          'WCU/1k local',
          'WCU/1k rules',
          'p50 ms',
        ],
        rows,
      ),
    );
    if (breakdown) {
      console.log('\nround trips of one 1-batch slice, by command:');
      console.log(
        formatGrid(
          ['command', 'sends'],
          [...breakdown.byCommand].map(([command, n]) => [command, String(n)]),
        ),
      );
    }
    console.log(
      '\nA commit is one TransactWriteItems: a ConditionCheck on the lease + one Update per\n' +
        'partition. Read the "rules" columns: DynamoDB Local reports a flat 4 WCU for every\n' +
        'transaction whatever its size (measured: 1, 2 and 3 actions all give 4), so its figure\n' +
        'only matches here because each commit has exactly 2 actions. By the rules a commit of P\n' +
        'partitions costs 2 * (P + 1) WCU (ConditionCheck counted as a transactional item).\n' +
        'Taking the lease is 2 round trips: a consistent GetItem of the task item (1 RCU) and one\n' +
        'TransactWriteItems of 3 actions (connector RUNNING and task configs ConditionChecks +\n' +
        'the lease Update): 6 WCU by the rules.',
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
