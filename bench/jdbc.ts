/**
 * The JDBC connectors against their raw drivers, in one run (the machine is shared and noisy:
 * compare rows of one run, not runs):
 *
 * 1. MariaDB -> RocketMQ: a JdbcSource task (incrementing mode) running slices back to back as
 *    the task function runs them (runSlice, the real state table, RocketMQ over remoting), next
 *    to the raw driver reading the same table with one streamed SELECT (mysql2's cursor, rows
 *    decoded, nothing sent).
 * 2. RocketMQ -> PostgreSQL: a JdbcSink task (insert mode, one transaction per flush) draining
 *    what the source sent into a new table, next to the raw driver writing the same rows with
 *    multi-row INSERTs of 1,000 rows in one transaction each.
 *
 *   npm run bench:jdbc                    (brings the local stack up, or reuses it)
 *   BENCH_JDBC_ROWS=100000 BENCH_JDBC_BATCH=1000 npm run bench:jdbc
 *   BENCH_JDBC_KEYED=true npm run bench:jdbc     (records keyed by ValueToKey(id))
 */
import { randomBytes } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import mysql from 'mysql2';
import pg from 'pg';
import { localDynamoClient } from '../infra/local/probes.js';
import { loadStackSettings } from '../infra/local/settings.js';
import { stackUp } from '../infra/local/stack.js';
import type { ConnectorConfig } from '../lib/api/connector-config.js';
import { envOnlyProviders } from '../lib/config/provider-adapters.js';
import { taskConfigsFromRegistry } from '../lib/coordinator/task-configs.js';
import { createBuiltinRegistry } from '../lib/platform/builtins.js';
import { taskMessagingOf } from '../lib/platform/topic-admin.js';
import { ClientCache } from '../lib/rocketmq/client-cache.js';
import type { Messaging, MessageConsumer, MessageProducer } from '../lib/runtime/messaging.js';
import { systemClock } from '../lib/runtime/slice-context.js';
import type { SliceDispatcher } from '../lib/runtime/slice-request.js';
import { runSlice, type SliceDeps } from '../lib/runtime/slice-runner.js';
import { WarmResourceCache } from '../lib/runtime/warm-resource-cache.js';
import { DynamoStateStore } from '../lib/state/dynamo-state-store.js';
import { createStateTable } from '../lib/state/table.js';
import { formatGrid } from './stats.js';

function envCount(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name}: a positive integer`);
  return value;
}

const ROWS = envCount('BENCH_JDBC_ROWS', 50_000);
const BATCH = envCount('BENCH_JDBC_BATCH', 1_000);
/** Keys from ValueToKey(id): each key to its queue, a topic's keyed batches one at a time. */
const KEYED = process.env['BENCH_JDBC_KEYED'] === 'true';
const suffix = randomBytes(4).toString('hex');
const SOURCE_TABLE = `bench_jdbc_src_${suffix}`;
const RAW_TABLE = `bench_jdbc_raw_${suffix}`;
const SINK_TABLE = `bench_jdbc_sink_${suffix}`;
const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', database: 'test' };
const POSTGRES = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };
const COLUMNS =
  'id BIGINT PRIMARY KEY, customer VARCHAR(64) NOT NULL, amount DECIMAL(12,2) NOT NULL, ' +
  'placed DATE NOT NULL, note TEXT';

/**
 * Counts what RocketMQ acknowledged of the source's sends and of the sink's acks, and when the
 * last of each came: a slice runs on after its last record (a source's idle polls, a sink's
 * last long poll), which "to last" leaves out.
 */
class CountingMessaging implements Messaging {
  sent = 0;
  lastAt = 0;
  acked = 0;
  lastAckAt = 0;
  constructor(private readonly inner: Messaging) {}

  async producer(topics: readonly string[]): Promise<MessageProducer> {
    const producer = await this.inner.producer(topics);
    return {
      send: async (messages) => {
        const outcomes = await producer.send(messages);
        this.sent += outcomes.filter((o) => o.ok).length;
        this.lastAt = performance.now();
        return outcomes;
      },
    };
  }

  async consumer(...args: Parameters<Messaging['consumer']>): Promise<MessageConsumer> {
    const consumer = await this.inner.consumer(...args);
    return {
      receive: (max, invisibleMs) => consumer.receive(max, invisibleMs),
      ack: async (messages) => {
        const outcomes = await consumer.ack(messages);
        this.acked += outcomes.filter((o) => o.ok).length;
        this.lastAckAt = performance.now();
        return outcomes;
      },
    };
  }
}

const noDispatch: SliceDispatcher = { dispatch: () => Promise.resolve() };

interface Row {
  readonly path: string;
  readonly measured: string;
  readonly rows: number;
  readonly seconds: number;
  readonly cpu: number;
  readonly slices?: number;
}

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

async function timed(
  path: string,
  work: () => Promise<number | void>,
  lastAt?: () => number,
): Promise<Row[]> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const slices = await work();
  const row = {
    path,
    measured: 'whole',
    rows: ROWS,
    seconds: (performance.now() - started) / 1000,
    cpu: cpuSeconds(cpu),
    ...(typeof slices === 'number' && { slices }),
  };
  if (!lastAt) return [row];
  return [{ ...row, measured: 'to last', seconds: (lastAt() - started) / 1000 }, row];
}

/** The raw driver's read: one streamed SELECT, every row decoded. */
function rawSelect(): Promise<void> {
  const connection = mysql.createConnection({
    ...MARIADB,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
  });
  let rows = 0;
  return new Promise((resolve, reject) => {
    connection
      .query(`SELECT * FROM ${SOURCE_TABLE} ORDER BY id`)
      .stream()
      .on('data', () => (rows += 1))
      .on('error', reject)
      .on('end', () => {
        connection.end();
        if (rows !== ROWS) reject(new Error(`read ${rows} rows, not ${ROWS}`));
        else resolve();
      });
  });
}

/** The raw driver's write: multi-row INSERTs of BATCH rows, one transaction each. */
async function rawInsert(pool: pg.Pool, rows: readonly unknown[][]): Promise<void> {
  const client = await pool.connect();
  try {
    for (let from = 0; from < rows.length; from += BATCH) {
      const chunk = rows.slice(from, from + BATCH);
      const values = chunk.map(
        (_, r) => `(${[1, 2, 3, 4, 5].map((c) => `$${r * 5 + c}`).join(', ')})`,
      );
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO ${RAW_TABLE} (id, customer, amount, placed, note) VALUES ${values.join(', ')}`,
        chunk.flat(),
      );
      await client.query('COMMIT');
    }
  } finally {
    client.release();
  }
}

async function main(): Promise<void> {
  const { info } = await stackUp(loadStackSettings(), (line) => console.log(`[stack] ${line}`));
  const dynamo = localDynamoClient(info.dynamodb.endpoint);
  const stateTable = `bench-jdbc-${suffix}`;
  await createStateTable(dynamo, stateTable);
  const store = new DynamoStateStore(dynamo, stateTable);
  const registry = createBuiltinRegistry();
  const clients = new ClientCache({ endpoints: info.rocketmq.endpoint });
  const messaging = new CountingMessaging(
    taskMessagingOf(
      { ROCKETMQ_NAMESRV: info.rocketmq.namesrv, ROCKETMQ_CLUSTER: info.rocketmq.cluster },
      clients,
    ),
  );
  const resources = new WarmResourceCache();
  const deps: SliceDeps = {
    store,
    registry,
    messaging,
    providers: envOnlyProviders(process.env),
    dispatcher: noDispatch,
    clock: systemClock,
    log: { info: () => undefined, warn: (m) => console.warn(`[slice] ${m}`) },
    resources,
  };
  const maria = mysql.createPool({ ...MARIADB, connectionLimit: 2 }).promise();
  const pgPool = new pg.Pool({ ...POSTGRES, max: 2 });

  /** Slices of task 0 back to back while work is left; how many ran. */
  const runTask = async (name: string, config: ConnectorConfig): Promise<number> => {
    const record = await store.createConnector(name, config, 'RUNNING', Date.now());
    const tasks = taskConfigsFromRegistry(registry)(record);
    if (tasks instanceof Error) throw tasks;
    const { generation } = await store.writeTaskConfigs(record, tasks, -1, Date.now());
    let slices = 0;
    for (let more = true; more;) {
      slices += 1;
      const outcome = await runSlice(
        { connector: name, taskId: 0, generation },
        { holderId: `bench-jdbc-${suffix}-${slices}`, remainingMs: 900_000 },
        deps,
      );
      if (outcome.kind !== 'ran' || outcome.status.state !== 'RUNNING') {
        throw new Error(`${name}: ${JSON.stringify(outcome)}`);
      }
      more = outcome.moreWork;
    }
    return slices;
  };

  try {
    console.log(`preparing ${ROWS} rows in MariaDB...`);
    await maria.query(`CREATE TABLE ${SOURCE_TABLE} (${COLUMNS})`);
    const rows: unknown[][] = Array.from({ length: ROWS }, (_, i) => [
      i + 1,
      `customer ${i % 997}`,
      `${(i * 37) % 100_000}.${String(i % 100).padStart(2, '0')}`,
      `2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
      i % 3 === 0 ? null : `note ${i} ${'x'.repeat(40)}`,
    ]);
    for (let from = 0; from < ROWS; from += 5_000) {
      await maria.query(`INSERT INTO ${SOURCE_TABLE} VALUES ?`, [rows.slice(from, from + 5_000)]);
    }
    for (const table of [RAW_TABLE]) {
      await pgPool.query(
        `CREATE TABLE ${table} (id BIGINT PRIMARY KEY, customer TEXT NOT NULL, amount NUMERIC(12,2) NOT NULL, placed DATE NOT NULL, note TEXT)`,
      );
    }
    const topic = `bench-jdbc-${SOURCE_TABLE}`;
    const source = {
      'connector.class': 'JdbcSource',
      'connection.url': `jdbc:mariadb://${MARIADB.host}:${MARIADB.port}/${MARIADB.database}`,
      'connection.user': MARIADB.user,
      mode: 'incrementing',
      'incrementing.column.name': 'id',
      'table.whitelist': SOURCE_TABLE,
      'topic.prefix': 'bench-jdbc-',
      'batch.max.rows': String(BATCH),
      'slice.max.ms': '120000',
      ...(KEYED && {
        transforms: 'key',
        'transforms.key.type': 'org.apache.kafka.connect.transforms.ValueToKey',
        'transforms.key.fields': 'id',
      }),
    };
    const sink = {
      'connector.class': 'JdbcSink',
      'connection.url': `jdbc:postgresql://${POSTGRES.host}:${POSTGRES.port}/${POSTGRES.database}`,
      'connection.user': POSTGRES.user,
      topics: topic,
      'table.name.format': SINK_TABLE,
      'insert.mode': 'insert',
      'pk.mode': 'record_value',
      'pk.fields': 'id',
      'auto.create': 'true',
      'batch.size': '3000',
      'slice.max.ms': '120000',
    };

    const rawRead = await timed('raw mysql2: streamed SELECT', rawSelect);
    const sourceRun = await timed(
      'JdbcSource -> RocketMQ (slices)',
      () => runTask(`bench-jdbc-source-${suffix}`, source),
      () => messaging.lastAt,
    );
    if (messaging.sent !== ROWS) throw new Error(`the source sent ${messaging.sent}, not ${ROWS}`);
    const rawRead2 = await timed('raw mysql2: streamed SELECT (again)', rawSelect);
    const rawWrite = await timed('raw pg: INSERT 1,000 rows/transaction', () =>
      rawInsert(pgPool, rows),
    );
    const sinkRun = await timed(
      'RocketMQ -> JdbcSink (slices)',
      () => runTask(`bench-jdbc-sink-${suffix}`, sink),
      () => messaging.lastAckAt,
    );
    const written = Number(
      (await pgPool.query<{ count: string }>(`SELECT COUNT(*) FROM ${SINK_TABLE}`)).rows[0]?.count,
    );
    if (written !== ROWS) throw new Error(`the sink wrote ${written} rows, not ${ROWS}`);

    const readCeiling = (ROWS / rawRead[0]!.seconds + ROWS / rawRead2[0]!.seconds) / 2;
    const writeCeiling = ROWS / rawWrite[0]!.seconds;
    const cells = (row: Row, ceiling: number) => [
      row.path,
      row.measured,
      String(row.rows),
      row.seconds.toFixed(2),
      (row.rows / row.seconds).toFixed(0),
      (row.rows / row.seconds / ceiling).toFixed(2),
      (row.cpu * (100_000 / row.rows)).toFixed(2),
      row.slices === undefined ? '' : String(row.slices),
    ];
    console.log(
      `\njdbc on ${new Date().toISOString()}: ${ROWS} rows, batch ${BATCH}${KEYED ? ', keyed by id' : ''} (compare rows of this run)\n`,
    );
    console.log(
      formatGrid(
        ['path', 'measured', 'rows', 's', 'rows/s', 'vs raw', 'CPU s/100k', 'slices'],
        [
          ...[...rawRead, ...sourceRun, ...rawRead2].map((row) => cells(row, readCeiling)),
          ...[...rawWrite, ...sinkRun].map((row) => cells(row, writeCeiling)),
        ],
      ),
    );
    console.log(
      '\nvs raw: rows/s over the raw driver (reads: the mean of the two raw SELECTs). to last: until ' +
        "RocketMQ's last receipt (source) or the last ack (sink); whole: until the slices ended " +
        '(idle polls, the last long poll). CPU: this process, per 100,000 rows.',
    );
  } finally {
    await maria.query(`DROP TABLE IF EXISTS ${SOURCE_TABLE}`).catch(() => undefined);
    for (const table of [RAW_TABLE, SINK_TABLE])
      await pgPool.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await maria.end();
    await pgPool.end();
    await resources.closeAll();
    await clients.close();
    await dynamo.send(new DeleteTableCommand({ TableName: stateTable })).catch(() => undefined);
  }
}

await main();
process.exit(0);
