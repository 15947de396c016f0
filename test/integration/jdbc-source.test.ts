import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type {
  OffsetEntry,
  Schema,
  SourceRecord,
  SourceTaskContext,
  StructSchema,
} from '../../lib/api/plugin-kit.js';
import { RetriableError } from '../../lib/api/errors.js';
import type { SqlClient } from '../../lib/connectors/jdbc/connection.js';
import { jdbcSource } from '../../lib/connectors/jdbc-source/connector.js';
import { JdbcSourceTask } from '../../lib/connectors/jdbc-source/task.js';
import { JsonConverter } from '../../lib/converters/json-converter.js';
import { WarmResourceCache } from '../../lib/runtime/warm-resource-cache.js';
import { adminClient, TEST_DATABASES, uniqueTable, type TestDatabase } from './jdbc/databases.js';

const cache = new WarmResourceCache();
afterAll(() => cache.closeAll());

/** A task's context with these committed offsets. */
function contextOf(committed: readonly OffsetEntry[] = []): SourceTaskContext {
  return {
    connector: 'jdbc-test',
    taskId: 0,
    signal: new AbortController().signal,
    resources: cache.forSlice().resources,
    offsets: {
      read: (partitions) =>
        Promise.resolve(
          committed.filter((c) =>
            partitions.some((p) => JSON.stringify(p) === JSON.stringify(c.partition)),
          ),
        ),
    },
  };
}

/** Polls until `count` records came or polls come back empty twice. */
async function pollAll(
  task: JdbcSourceTask,
  limit = Number.POSITIVE_INFINITY,
): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  for (let empty = 0; empty < 2 && records.length < limit;) {
    const batch = await task.poll();
    if (batch.length > 0) {
      records.push(...batch);
      continue;
    }
    empty += 1;
    // As the runtime does: wait poll.interval.ms (50 ms here) after an empty poll.
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
  return records;
}

/** The last offset of each partition, as the runtime commits them. */
function lastOffsets(records: readonly SourceRecord[]): OffsetEntry[] {
  const byPartition = new Map<string, OffsetEntry>();
  for (const r of records)
    byPartition.set(JSON.stringify(r.partition), { partition: r.partition, offset: r.offset });
  return [...byPartition.values()];
}

describe.each(TEST_DATABASES)('JDBC source on $label', (db: TestDatabase) => {
  let admin: SqlClient;
  let closeAdmin: () => Promise<void>;
  const created: string[] = [];
  const q = (name: string) => (db.dialect === 'postgresql' ? `"${name}"` : `\`${name}\``);
  const schemaName = db.dialect === 'postgresql' ? 'public' : 'test';

  beforeAll(async () => {
    ({ client: admin, close: closeAdmin } = await adminClient(db));
  });
  afterAll(async () => {
    for (const table of created) await admin.query(`DROP TABLE IF EXISTS ${q(table)}`);
    await closeAdmin();
  });

  async function table(prefix: string, columns: string): Promise<string> {
    const name = uniqueTable(prefix);
    created.push(name);
    await admin.query(`CREATE TABLE ${q(name)} (${columns})`);
    return name;
  }

  function config(extra: Record<string, string>): Record<string, string> {
    return {
      'connector.class': 'JdbcSource',
      'connection.url': db.url,
      'connection.user': db.user,
      'topic.prefix': 'jdbc-',
      'poll.interval.ms': '50',
      ...extra,
    };
  }

  async function started(extra: Record<string, string>, committed: readonly OffsetEntry[] = []) {
    const task = new JdbcSourceTask();
    await task.start(config(extra), contextOf(committed));
    return task;
  }

  test("incrementing mode reads new rows in order, in batches, and resumes from Confluent's offset", async () => {
    const name = await table('inc', 'id BIGINT PRIMARY KEY, label VARCHAR(20) NOT NULL');
    const values = Array.from({ length: 250 }, (_, i) => `(${i + 1}, 'row ${i + 1}')`).join(', ');
    await admin.query(`INSERT INTO ${q(name)} (id, label) VALUES ${values}`);
    const keys = {
      mode: 'incrementing',
      'incrementing.column.name': 'id',
      'table.whitelist': name,
    };

    const first = await started(keys);
    const firstBatch = await first.poll();
    expect(firstBatch).toHaveLength(100);
    expect(firstBatch[0]).toMatchObject({
      topic: `jdbc-${name}`,
      partition: { protocol: '1', table: `${schemaName}.${name}` },
      offset: { incrementing: 1 },
      value: { id: 1, label: 'row 1' },
    });
    await first.stop();

    // The next slice starts from the committed offset of the first batch.
    const second = await started(keys, lastOffsets(firstBatch));
    const rest = await pollAll(second);
    expect(rest.map((r) => (r.value as { id: number }).id)).toEqual(
      Array.from({ length: 150 }, (_, i) => i + 101),
    );
    // New rows, including an id past 2^53 that stays exact.
    await admin.query(`INSERT INTO ${q(name)} (id, label) VALUES (9007199254740993, 'big')`);
    const more = await pollAll(second);
    expect(more).toHaveLength(1);
    expect(more[0]?.value).toMatchObject({ id: 9007199254740993n });
    expect(more[0]?.offset).toEqual({ incrementing: '9007199254740993' });
    await second.stop();
  });

  test('timestamp mode reads every row of an instant that a batch boundary splits', async () => {
    const ts = db.dialect === 'postgresql' ? 'TIMESTAMP(6)' : 'DATETIME(6)';
    const name = await table('ts', `id INT PRIMARY KEY, changed ${ts} NOT NULL`);
    const rows = Array.from(
      { length: 150 },
      (_, i) => `(${i + 1}, '2024-05-0${i < 60 ? 1 : 2} 10:00:00.123456')`,
    ).join(', ');
    await admin.query(`INSERT INTO ${q(name)} (id, changed) VALUES ${rows}`);
    const task = await started({
      mode: 'timestamp',
      'timestamp.column.name': 'changed',
      'table.whitelist': name,
    });
    const first = await task.poll();
    // 60 rows of May 1st, then all 90 of May 2nd though the batch holds 100.
    expect(first).toHaveLength(150);
    expect(first.at(-1)?.offset).toEqual({
      timestamp: Date.UTC(2024, 4, 2, 10, 0, 0, 123),
      timestamp_nanos: 123_456_000,
    });
    expect(await task.poll()).toEqual([]);
    await task.stop();
  });

  test('timestamp+incrementing picks up updates exactly, from an offset that another slice committed', async () => {
    const ts = db.dialect === 'postgresql' ? 'TIMESTAMP(6)' : 'DATETIME(6)';
    const name = await table('tsinc', `id INT PRIMARY KEY, v INT NOT NULL, changed ${ts} NOT NULL`);
    await admin.query(
      `INSERT INTO ${q(name)} (id, v, changed) VALUES (1, 1, '2024-01-01 00:00:00'), (2, 1, '2024-01-01 00:00:00'), (3, 1, '2024-01-01 00:00:01')`,
    );
    const keys = {
      mode: 'timestamp+incrementing',
      'timestamp.column.name': 'changed',
      'incrementing.column.name': 'id',
      'table.whitelist': name,
      'batch.max.rows': '2',
    };
    const task = await started(keys);
    const firstTwo = await task.poll();
    expect(firstTwo.map((r) => (r.value as { id: number }).id)).toEqual([1, 2]);
    await task.stop();
    const next = await started(keys, lastOffsets(firstTwo));
    expect((await pollAll(next)).map((r) => (r.value as { id: number }).id)).toEqual([3]);
    await admin.query(`UPDATE ${q(name)} SET v = 2, changed = '2024-01-02 00:00:00' WHERE id = 1`);
    const updated = await pollAll(next);
    expect(updated.map((r) => r.value)).toMatchObject([{ id: 1, v: 2 }]);
    await next.stop();
  });

  test('bulk mode spans slices with a keyset cursor, then starts a new pass after poll.interval.ms', async () => {
    const name = await table('bulk', 'a INT NOT NULL, b VARCHAR(10) NOT NULL, PRIMARY KEY (a, b)');
    const values = Array.from(
      { length: 25 },
      (_, i) => `(${i % 5}, 'k${String(i).padStart(2, '0')}')`,
    ).join(', ');
    await admin.query(`INSERT INTO ${q(name)} (a, b) VALUES ${values}`);
    const keys = { mode: 'bulk', 'table.whitelist': name, 'batch.max.rows': '10' };
    const task = await started(keys);
    const first = await task.poll();
    expect(first).toHaveLength(10);
    await task.stop();
    const next = await started(keys, lastOffsets(first));
    const rest = await next.poll();
    const rest2 = await next.poll();
    const seen = [...first, ...rest, ...rest2].map((r) => JSON.stringify(r.value));
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    // The pass is over: nothing until poll.interval.ms after it began, then the whole table.
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await pollAll(next, 25)).toHaveLength(25);
    await next.stop();
  });

  test('query mode appends its criteria and names the topic by topic.prefix alone', async () => {
    const name = await table('query', 'id INT PRIMARY KEY, kind VARCHAR(5) NOT NULL');
    await admin.query(`INSERT INTO ${q(name)} (id, kind) VALUES (1, 'a'), (2, 'b'), (3, 'a')`);
    const task = await started({
      mode: 'incrementing',
      'incrementing.column.name': 'id',
      query: `SELECT * FROM (SELECT id, kind FROM ${q(name)} WHERE kind = 'a') AS only_a`,
      'topic.prefix': 'only-a',
    });
    const records = await pollAll(task);
    expect(records.map((r) => [r.topic, r.partition, (r.value as { id: number }).id])).toEqual([
      ['only-a', { query: 'query' }, 1],
      ['only-a', { query: 'query' }, 3],
    ]);
    await task.stop();
  });

  test('tables are found at run time, shared out by tasks.max, and new ones picked up', async () => {
    // A schema (MariaDB: database) of its own, so that other tests' tables are not found.
    const schema = uniqueTable('found');
    await admin.query(
      db.dialect === 'postgresql' ? `CREATE SCHEMA ${q(schema)}` : `CREATE DATABASE ${q(schema)}`,
    );
    const names = ['a', 'b', 'c'];
    try {
      for (const n of names.slice(0, 2)) {
        await admin.query(`CREATE TABLE ${q(schema)}.${q(n)} (id INT PRIMARY KEY)`);
        await admin.query(`INSERT INTO ${q(schema)}.${q(n)} (id) VALUES (1)`);
      }
      const base = config({
        mode: 'incrementing',
        'incrementing.column.name': 'id',
        'schema.pattern': schema,
        'table.poll.interval.ms': '100',
      });
      const tasks = jdbcSource.taskConfigs(base, 2);
      expect(tasks).toHaveLength(2);
      const running = await Promise.all(
        tasks.map(async (c) => {
          const t = new JdbcSourceTask();
          await t.start(c, contextOf());
          return t;
        }),
      );
      const read = await Promise.all(running.map((t) => pollAll(t)));
      // Each table read once, by one of the tasks.
      expect(
        read
          .flat()
          .map((r) => r.topic)
          .sort(),
      ).toEqual(['jdbc-a', 'jdbc-b']);
      await admin.query(`CREATE TABLE ${q(schema)}.${q('c')} (id INT PRIMARY KEY)`);
      await admin.query(`INSERT INTO ${q(schema)}.${q('c')} (id) VALUES (7)`);
      await new Promise((resolve) => setTimeout(resolve, 150));
      const later = await Promise.all(running.map((t) => pollAll(t)));
      expect(later.flat().map((r) => [r.topic, r.partition, r.value])).toEqual([
        ['jdbc-c', { protocol: '1', table: `${schema}.c` }, { id: 7 }],
      ]);
      await Promise.all(running.map((t) => t.stop()));
    } finally {
      await admin.query(
        db.dialect === 'postgresql'
          ? `DROP SCHEMA ${q(schema)} CASCADE`
          : `DROP DATABASE ${q(schema)}`,
      );
    }
  });

  test('validate.non.null refuses a nullable incrementing column; false reads it anyway', async () => {
    const name = await table('nullable', 'id BIGINT, label VARCHAR(10) NOT NULL');
    await admin.query(`INSERT INTO ${q(name)} (id, label) VALUES (1, 'a'), (2, 'b')`);
    const keys = {
      mode: 'incrementing',
      'incrementing.column.name': 'id',
      'table.whitelist': name,
    };
    const strict = await started(keys);
    await expect(strict.poll()).rejects.toThrow(
      new RegExp(`column "id" of table .*${name} may hold NULL.*validate.non.null=false`),
    );
    await strict.stop();
    const lenient = await started({ ...keys, 'validate.non.null': 'false' });
    expect(await pollAll(lenient)).toHaveLength(2);
    await lenient.stop();
  });

  test('an unreachable database fails the start retriably, naming host and port, not the password', async () => {
    const task = new JdbcSourceTask();
    const url = db.url.replace(`:${db.port}/`, ':1/');
    const error = await task
      .start(
        { ...config({ mode: 'bulk' }), 'connection.url': url, 'connection.password': 'sekret-pw' },
        contextOf(),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriableError);
    expect((error as Error).message).toContain('cannot connect to 127.0.0.1:1');
    expect((error as Error).message).not.toContain('sekret-pw');
  });

  test('the same values whatever the process time zone', async () => {
    const name = await table(
      'tz',
      db.dialect === 'postgresql'
        ? 'id INT PRIMARY KEY, d DATE, t TIME(6), ts TIMESTAMP(6), tstz TIMESTAMPTZ'
        : 'id INT PRIMARY KEY, d DATE, t TIME(6), ts DATETIME(6), tstz TIMESTAMP(6) NULL',
    );
    await admin.query(
      `INSERT INTO ${q(name)} VALUES (1, '2024-02-29', '23:59:58.5', '2024-02-29 23:59:58.5', '2024-02-29 23:59:58.5')`,
    );
    const readWith = async (tz: string) => {
      const before = process.env['TZ'];
      process.env['TZ'] = tz;
      try {
        const task = await started({ mode: 'bulk', 'table.whitelist': name });
        const [record] = await task.poll();
        await task.stop();
        return record?.value as Record<string, Date>;
      } finally {
        if (before === undefined) delete process.env['TZ'];
        else process.env['TZ'] = before;
      }
    };
    const utc = await readWith('UTC');
    const shanghai = await readWith('Asia/Shanghai');
    expect(shanghai).toEqual(utc);
    expect(utc['d']?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(utc['t']?.toISOString()).toBe('1970-01-01T23:59:58.500Z');
    expect(utc['ts']?.toISOString()).toBe('2024-02-29T23:59:58.500Z');
    expect(utc['tstz']?.toISOString()).toBe('2024-02-29T23:59:58.500Z');
  });
});

describe("RocketMQ Connect's JDBC config, unchanged", () => {
  test('jdbc:mysql://host:port without a database, database.table in table.whitelist, max.tasks, timestamp.initial', async () => {
    const mariadb = TEST_DATABASES.find((d) => d.dialect === 'mysql')!;
    const { client, close } = await adminClient(mariadb);
    const name = uniqueTable('rmq_style');
    try {
      await client.query(`CREATE TABLE ${name} (id INT PRIMARY KEY, v VARCHAR(5) NOT NULL)`);
      await client.query(`INSERT INTO ${name} VALUES (1, 'a'), (2, 'b')`);
      // As RocketMQ Connect's README writes it (its connector.class and converter names too).
      const config = {
        'connector.class': 'org.apache.rocketmq.connect.jdbc.connector.JdbcSourceConnector',
        'max.tasks': '2',
        'connection.url': 'jdbc:mysql://127.0.0.1:3306',
        'connection.user': 'root',
        'connection.password': '',
        'table.whitelist': `test.${name}`,
        mode: 'incrementing',
        'incrementing.column.name': 'id',
        'timestamp.initial': '-1',
        'topic.prefix': 'rmq-',
        'key.converter': 'org.apache.rocketmq.connect.runtime.converter.record.json.JsonConverter',
        'value.converter':
          'org.apache.rocketmq.connect.runtime.converter.record.json.JsonConverter',
      };
      const [taskConfig, ...more] = jdbcSource.taskConfigs(config, 2);
      expect(more).toEqual([]);
      const task = new JdbcSourceTask();
      await task.start(taskConfig!, contextOf());
      const records = await pollAll(task);
      await task.stop();
      expect(records.map((r) => [r.topic, r.partition, r.value])).toEqual([
        [`rmq-${name}`, { protocol: '1', table: `test.${name}` }, { id: 1, v: 'a' }],
        [`rmq-${name}`, { protocol: '1', table: `test.${name}` }, { id: 2, v: 'b' }],
      ]);
      // An unqualified name has no database to live in: said on its key.
      await expect(
        new JdbcSourceTask().start({ ...taskConfig!, tables: name }, contextOf()),
      ).rejects.toThrow(`table "${name}" names no database and connection.url names none`);
    } finally {
      await client.query(`DROP TABLE IF EXISTS ${name}`);
      await close();
    }
  });
});

/** One table holding every column type of a dialect, and the Connect schema each maps to. */
const TYPE_TABLES: Record<
  string,
  { columns: string; row: string; expected: Record<string, unknown> }
> = {
  postgresql: {
    columns:
      'c_bool BOOLEAN NOT NULL, c_int2 SMALLINT, c_int4 INTEGER, c_int8 BIGINT, c_float4 REAL, c_float8 DOUBLE PRECISION, ' +
      'c_numeric NUMERIC(12,3), c_numeric_free NUMERIC, c_text TEXT, c_varchar VARCHAR(10), c_char CHAR(3), c_bytea BYTEA, ' +
      'c_date DATE, c_time TIME, c_timestamp TIMESTAMP, c_timestamptz TIMESTAMPTZ, c_json JSON, c_jsonb JSONB, c_uuid UUID, ' +
      'c_int_array INTEGER[], c_text_array TEXT[], c_interval INTERVAL',
    row:
      "true, -32768, 2147483647, 9223372036854775807, 1.5, 2.25, 123456789.125, 3.14159265358979, 'text', 'vc', 'abc', '\\x00ff', " +
      "'2024-01-02', '03:04:05.678', '2024-01-02 03:04:05.678', '2024-01-02 03:04:05.678+02', '{\"a\": 1}', '{\"b\": 2}', " +
      "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{1,2,3}', '{x,y}', '1 day'",
    expected: {
      c_bool: 'BOOLEAN',
      c_int2: 'INT16?',
      c_int4: 'INT32?',
      c_int8: 'INT64?',
      c_float4: 'FLOAT32?',
      c_float8: 'FLOAT64?',
      c_numeric: 'Decimal(3)?',
      c_numeric_free: 'STRING?',
      c_text: 'STRING?',
      c_varchar: 'STRING?',
      c_char: 'STRING?',
      c_bytea: 'BYTES?',
      c_date: 'Date?',
      c_time: 'Time?',
      c_timestamp: 'Timestamp?',
      c_timestamptz: 'Timestamp?',
      c_json: 'STRING?',
      c_jsonb: 'STRING?',
      c_uuid: 'STRING?',
      c_int_array: 'ARRAY<INT32?>?',
      c_text_array: 'ARRAY<STRING?>?',
      c_interval: 'STRING?',
    },
  },
  mysql: {
    columns:
      'c_bool BOOLEAN NOT NULL, c_tiny TINYINT, c_tiny_u TINYINT UNSIGNED, c_small SMALLINT, c_small_u SMALLINT UNSIGNED, ' +
      'c_medium MEDIUMINT, c_int INT, c_int_u INT UNSIGNED, c_big BIGINT, c_big_u BIGINT UNSIGNED, c_float FLOAT, c_double DOUBLE, ' +
      'c_decimal DECIMAL(12,3), c_char CHAR(3), c_varchar VARCHAR(10), c_text TEXT, c_binary BINARY(2), c_varbinary VARBINARY(4), ' +
      'c_blob BLOB, c_date DATE, c_time TIME(3), c_datetime DATETIME(3), c_timestamp TIMESTAMP(3) NULL, c_year YEAR, ' +
      "c_enum ENUM('x','y'), c_json JSON, c_bit BIT(8)",
    row:
      'true, -128, 255, -32768, 65535, -8388608, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615, 1.5, 2.25, ' +
      "123456789.125, 'abc', 'vc', 'text', x'00ff', x'01', x'0203', '2024-01-02', '03:04:05.678', '2024-01-02 03:04:05.678', " +
      "'2024-01-02 03:04:05.678', 2024, 'y', '{\"a\": 1}', b'10000001'",
    expected: {
      c_bool: 'BOOLEAN',
      c_tiny: 'INT8?',
      c_tiny_u: 'INT16?',
      c_small: 'INT16?',
      c_small_u: 'INT32?',
      c_medium: 'INT32?',
      c_int: 'INT32?',
      c_int_u: 'INT64?',
      c_big: 'INT64?',
      c_big_u: 'Decimal(0)?',
      c_float: 'FLOAT32?',
      c_double: 'FLOAT64?',
      c_decimal: 'Decimal(3)?',
      c_char: 'STRING?',
      c_varchar: 'STRING?',
      c_text: 'STRING?',
      c_binary: 'BYTES?',
      c_varbinary: 'BYTES?',
      c_blob: 'BYTES?',
      c_date: 'Date?',
      c_time: 'Time?',
      c_datetime: 'Timestamp?',
      c_timestamp: 'Timestamp?',
      c_year: 'INT32?',
      c_enum: 'STRING?',
      c_json: 'STRING?',
      c_bit: 'BYTES?',
    },
  },
};

describe.each(TEST_DATABASES)('JDBC source column types on $label', (db: TestDatabase) => {
  test("every column type maps to its Connect schema, and the JsonConverter writes Kafka's envelope", async () => {
    const { client, close } = await adminClient(db);
    const name = uniqueTable('types');
    const spec = TYPE_TABLES[db.dialect]!;
    const q = (n: string) => (db.dialect === 'postgresql' ? `"${n}"` : `\`${n}\``);
    try {
      await client.query(`CREATE TABLE ${q(name)} (${spec.columns})`);
      await client.query(`INSERT INTO ${q(name)} VALUES (${spec.row})`);
      const task = new JdbcSourceTask();
      await task.start(
        {
          'connection.url': db.url,
          'connection.user': db.user,
          mode: 'bulk',
          'table.whitelist': name,
          'topic.prefix': 't-',
        },
        contextOf(),
      );
      const [record] = await task.poll();
      await task.stop();
      const schema = record!.valueSchema as StructSchema;
      const described = Object.fromEntries(
        schema.fields.map((f) => [f.name, schemaText(f.schema)]),
      );
      expect(described).toEqual(spec.expected);
      expect(schema.name).toBe(name);
      const converter = new JsonConverter();
      converter.configure({ 'schemas.enable': 'true' }, false);
      const text = Buffer.from(
        converter.fromConnectData(record!.topic!, record!.valueSchema, record!.value),
      ).toString('utf8');
      const envelope = JSON.parse(text) as {
        schema: {
          type: string;
          name: string;
          fields: { field: string; type: string; optional: boolean; name?: string }[];
        };
        payload: Record<string, unknown>;
      };
      expect(envelope.schema).toMatchObject({ type: 'struct', name, optional: false });
      expect(envelope.schema.fields[0]).toEqual({
        type: 'boolean',
        optional: false,
        field: 'c_bool',
      });
      expect(envelope.payload['c_bool']).toBe(true);
      if (db.dialect === 'postgresql') {
        // BIGINT's largest value, exact in the JSON text (JSON.parse would round it).
        expect(text).toContain('"c_int8":9223372036854775807');
        expect(envelope.payload).toMatchObject({
          c_date: 19724,
          c_time: 11045678,
          c_timestamp: Date.UTC(2024, 0, 2, 3, 4, 5, 678),
          c_timestamptz: Date.UTC(2024, 0, 2, 1, 4, 5, 678),
          c_numeric_free: '3.14159265358979',
          c_json: '{"a": 1}',
          c_int_array: [1, 2, 3],
          c_bytea: 'AP8=',
        });
      } else {
        expect(envelope.payload).toMatchObject({
          c_tiny_u: 255,
          c_int_u: 4294967295,
          c_date: 19724,
          c_datetime: Date.UTC(2024, 0, 2, 3, 4, 5, 678),
          c_timestamp: Date.UTC(2024, 0, 2, 3, 4, 5, 678),
          c_year: 2024,
          c_enum: 'y',
          c_binary: 'AP8=',
          c_bit: 'gQ==',
        });
      }
    } finally {
      await client.query(`DROP TABLE IF EXISTS ${q(name)}`);
      await close();
    }
  });
});

function schemaText(schema: Schema): string {
  const optional = schema.optional ? '?' : '';
  if (schema.name === 'org.apache.kafka.connect.data.Decimal')
    return `Decimal(${schema.parameters?.['scale']})${optional}`;
  if (schema.name?.startsWith('org.apache.kafka.connect.data.'))
    return `${schema.name.split('.').pop()}${optional}`;
  if (schema.type === 'ARRAY') return `ARRAY<${schemaText(schema.valueSchema)}>${optional}`;
  return `${schema.type}${optional}`;
}
