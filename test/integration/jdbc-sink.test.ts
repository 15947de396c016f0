/**
 * JdbcSinkTask against the real local PostgreSQL and MariaDB, driven as the runtime drives it
 * (start, put, flush, stop) with a warm-resource cache; no RocketMQ involved.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  NonRetriableError,
  RetriableError,
  SchemaBuilder,
  Schemas,
  type Schema,
  type SinkRecord,
} from '../../lib/api/plugin-kit.js';
import { jdbcSink } from '../../lib/connectors/index.js';
import { openSqlClient, type SqlClient } from '../../lib/connectors/jdbc/connection.js';
import { connectionSettingsOf } from '../../lib/connectors/jdbc/connection-keys.js';
import { JdbcSinkTask } from '../../lib/connectors/jdbc-sink/task.js';
import { WarmResourceCache } from '../../lib/runtime/warm-resource-cache.js';
import { timestampRecords, type WorkerInput } from './jdbc-sink-worker.js';

const DATABASES = [
  { name: 'PostgreSQL', url: 'jdbc:postgresql://127.0.0.1:5432/test', user: 'postgres' },
  { name: 'MariaDB', url: 'jdbc:mariadb://127.0.0.1:3306/test', user: 'root' },
] as const;

const RUN = randomBytes(3).toString('hex');

describe.each(DATABASES)('JdbcSinkTask on $name', (db) => {
  const postgres = db.name === 'PostgreSQL';
  const cache = new WarmResourceCache();
  const created: string[] = [];
  let admin: { client: SqlClient; close(): Promise<void> };
  let serial = 0;

  const baseConfig = { 'connection.url': db.url, 'connection.user': db.user };
  /** A table name of this run, dropped after the file. */
  const table = () => {
    const name = `jdbc_sink_${RUN}_${++serial}`;
    created.push(name);
    return name;
  };
  const q = (name: string) => (postgres ? `"${name}"` : `\`${name}\``);
  const query = async (sql: string) => (await admin.client.query(sql)).rows;
  /**
   * Every row of a table as text, ordered by its first column: bytes in hex, booleans as
   * true/false, fractions of seconds without trailing zeros (PostgreSQL's text drops them).
   */
  const rowsOf = async (name: string, columns = '*') =>
    (await query(`SELECT ${columns} FROM ${q(name)} ORDER BY 1`)).map((row) => row.map(text));
  const text = (v: unknown): string | null => {
    if (v === null) return null;
    if (Buffer.isBuffer(v)) return v.toString('hex');
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'bigint') {
      return JSON.stringify(v);
    }
    const s = String(v);
    if (postgres && (s === 't' || s === 'f')) return s === 't' ? 'true' : 'false';
    return /^[\d-]+ \d\d:\d\d:\d\d\.\d+$/.test(s) ? s.replace(/\.?0+$/, '') : s;
  };

  /** A started task of this config; stopped and its slice's resources given back by `end`. */
  async function startTask(config: Record<string, string>) {
    const slice = cache.forSlice();
    const task = new JdbcSinkTask();
    await task.start(
      { 'connector.class': jdbcSink.className, ...baseConfig, ...config },
      {
        connector: 'jdbc-sink-test',
        taskId: 0,
        signal: new AbortController().signal,
        resources: slice.resources,
      },
    );
    return Object.assign(task, {
      end: async () => {
        await task.stop();
        slice.release();
      },
    });
  }

  /** One slice: put each batch, flush, stop. */
  async function writeSlice(config: Record<string, string>, ...batches: SinkRecord[][]) {
    const task = await startTask(config);
    try {
      for (const batch of batches) await task.put(batch);
      await task.flush();
    } finally {
      await task.end();
    }
  }

  beforeAll(async () => {
    admin = await openSqlClient(connectionSettingsOf({ ...baseConfig, 'db.timezone': 'UTC' }));
  });

  afterAll(async () => {
    for (const name of created) await query(`DROP TABLE IF EXISTS ${q(name)}`);
    await admin.close();
    await cache.closeAll();
  });

  const person = SchemaBuilder.struct()
    .name('person')
    .field('id', Schemas.INT32)
    .field('name', Schemas.STRING)
    .field('age', Schemas.OPTIONAL_INT32)
    .build();
  const keySchema = SchemaBuilder.struct().field('id', Schemas.INT32).build();

  function record(
    topic: string,
    value: Record<string, unknown> | null,
    options: { key?: unknown; keySchema?: Schema; valueSchema?: Schema | null } = {},
  ): SinkRecord {
    const valueSchema = options.valueSchema === undefined ? person : options.valueSchema;
    return {
      topic,
      partition: undefined,
      offset: undefined,
      timestamp: 0,
      key: options.key ?? null,
      ...(options.keySchema && { keySchema: options.keySchema }),
      value,
      ...(valueSchema && value !== null && { valueSchema }),
      headers: [],
    };
  }
  const people = (topic: string, ids: number[], suffix = '') =>
    ids.map((id) => record(topic, { id, name: `p${id}${suffix}`, age: id * 10 }));

  it('creates the table from the value schema and inserts every record', async () => {
    const t = table();
    await writeSlice({ 'auto.create': 'true' }, people(t, [1, 2, 3]));
    expect(await rowsOf(t)).toEqual([
      ['1', 'p1', '10'],
      ['2', 'p2', '20'],
      ['3', 'p3', '30'],
    ]);
  });

  it('refuses a missing table without auto.create, naming the table and the key', async () => {
    const t = table();
    const task = await startTask({});
    try {
      const put = task.put(people(t, [1]));
      await expect(put).rejects.toBeInstanceOf(NonRetriableError);
      await expect(put).rejects.toThrow(new RegExp(`table ".*${t}" does not exist.*auto\\.create`));
    } finally {
      await task.end();
    }
  });

  it('upserts idempotently: the same batch twice leaves the table as once', async () => {
    const t = table();
    const config = {
      'auto.create': 'true',
      'insert.mode': 'UPSERT',
      'pk.mode': 'record_value',
      'pk.fields': 'id',
    };
    await writeSlice(config, people(t, [1, 2, 3]));
    const once = await rowsOf(t);
    await writeSlice(config, people(t, [1, 2, 3]));
    expect(await rowsOf(t)).toEqual(once);
    // A later value of a key replaces the row, also within one batch.
    await writeSlice(config, [...people(t, [2], '-a'), ...people(t, [2, 4], '-b')]);
    expect(await rowsOf(t)).toEqual([
      ['1', 'p1', '10'],
      ['2', 'p2-b', '20'],
      ['3', 'p3', '30'],
      ['4', 'p4-b', '40'],
    ]);
  });

  it('upserts rows that hold only key columns, leaving existing ones as they are', async () => {
    const t = table();
    const ids = SchemaBuilder.struct().field('id', Schemas.INT32).build();
    const config = { 'auto.create': 'true', 'insert.mode': 'upsert', 'pk.mode': 'record_value' };
    const batch = [1, 2, 1].map((id) => record(t, { id }, { valueSchema: ids }));
    await writeSlice(config, batch);
    await writeSlice(config, batch);
    expect(await rowsOf(t)).toEqual([['1'], ['2']]);
  });

  it('updates existing rows by key and leaves the others', async () => {
    const t = table();
    await writeSlice(
      { 'auto.create': 'true', 'pk.mode': 'record_value', 'pk.fields': 'id' },
      people(t, [1, 2]),
    );
    await writeSlice(
      { 'insert.mode': 'update', 'pk.mode': 'record_key' },
      [1, 3].map((id) =>
        record(t, { id, name: `new${id}`, age: null }, { key: { id }, keySchema }),
      ),
    );
    expect(await rowsOf(t)).toEqual([
      ['1', 'new1', null],
      ['2', 'p2', '20'],
    ]);
  });

  it('takes the key from a struct key, a primitive key or the topic and queue coordinates', async () => {
    const structKey = table();
    await writeSlice({ 'auto.create': 'true', 'insert.mode': 'upsert', 'pk.mode': 'record_key' }, [
      record(structKey, { id: 99, name: 'a', age: 1 }, { key: { id: 7 }, keySchema }),
    ]);
    // The key column comes from the key; the value's field of the same name is not written.
    expect(await rowsOf(structKey)).toEqual([['7', 'a', '1']]);

    const primitiveKey = table();
    const named = SchemaBuilder.struct().field('name', Schemas.STRING).build();
    await writeSlice(
      {
        'auto.create': 'true',
        'insert.mode': 'upsert',
        'pk.mode': 'record_key',
        'pk.fields': 'code',
      },
      [
        record(
          primitiveKey,
          { name: 'x' },
          { key: 'K1', keySchema: Schemas.STRING, valueSchema: named },
        ),
      ],
    );
    expect(await rowsOf(primitiveKey)).toEqual([['K1', 'x']]);

    // pk.mode=kafka: the topic, queue id and queue offset the runtime gives a sink record.
    const kafka = table();
    const coordinates = (queueId: number, queueOffset: number): SinkRecord => ({
      ...record(kafka, { id: 1, name: 'k', age: null }),
      queueId,
      queueOffset,
    });
    await writeSlice({ 'auto.create': 'true', 'insert.mode': 'upsert', 'pk.mode': 'kafka' }, [
      coordinates(2, 9_007_199_254_740_991),
      coordinates(2, 9_007_199_254_740_991),
      coordinates(3, 1),
    ]);
    expect(
      await rowsOf(kafka, '__connect_partition, __connect_offset, __connect_topic, id'),
    ).toEqual([
      ['2', '9007199254740991', kafka, '1'],
      ['3', '1', kafka, '1'],
    ]);
  });

  it('deletes the row of a tombstone, in record order with the writes of its key', async () => {
    const t = table();
    const config = {
      'auto.create': 'true',
      'insert.mode': 'upsert',
      'pk.mode': 'record_key',
      'delete.enabled': 'true',
    };
    const write = (id: number, name: string) =>
      record(t, { id, name, age: null }, { key: { id }, keySchema });
    const tombstone = (id: number) => record(t, null, { key: { id }, keySchema });
    await writeSlice(config, [write(1, 'a'), write(2, 'b'), write(3, 'c')]);
    // 1: deleted then written again; 2: written then deleted; 3: deleted; 4: written.
    await writeSlice(config, [
      tombstone(1),
      write(2, 'b2'),
      write(1, 'a2'),
      tombstone(2),
      tombstone(3),
      write(4, 'd'),
    ]);
    expect(await rowsOf(t, 'id, name')).toEqual([
      ['1', 'a2'],
      ['4', 'd'],
    ]);
  });

  it('refuses a tombstone when deletes are not enabled', async () => {
    const t = table();
    const task = await startTask({ 'auto.create': 'true' });
    try {
      await expect(task.put([record(t, null)])).rejects.toThrow(/tombstone.*delete\.enabled/);
    } finally {
      await task.end();
    }
  });

  it('adds missing columns as nullable with auto.evolve, and names the key without it', async () => {
    const t = table();
    await writeSlice({ 'auto.create': 'true' }, people(t, [1]));
    const wider = SchemaBuilder.struct()
      .field('id', Schemas.INT32)
      .field('name', Schemas.STRING)
      .field('age', Schemas.OPTIONAL_INT32)
      .field('email', Schemas.STRING)
      .build();
    const second = [
      record(t, { id: 2, name: 'p2', age: null, email: 'e@x' }, { valueSchema: wider }),
    ];
    const refused = await startTask({});
    try {
      await expect(refused.put(second)).rejects.toThrow(/no column "email".*auto\.evolve/);
    } finally {
      await refused.end();
    }
    await writeSlice({ 'auto.evolve': 'true' }, second);
    expect(await rowsOf(t)).toEqual([
      ['1', 'p1', '10', null],
      ['2', 'p2', null, 'e@x'],
    ]);
    const [nullable] = await query(
      `SELECT is_nullable FROM information_schema.columns WHERE table_name = '${t}' AND column_name = 'email'`,
    );
    expect(nullable).toEqual(['YES']);
  });

  it('refuses a row the database refuses with its message, and commits the rest', async () => {
    const t = table();
    await query(`CREATE TABLE ${q(t)} (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, age INT)`);
    const loose = SchemaBuilder.struct()
      .field('id', Schemas.INT32)
      .field('name', Schemas.OPTIONAL_STRING)
      .build();
    const task = await startTask({});
    try {
      await task.put([record(t, { id: 1, name: 'before' }, { valueSchema: loose })]);
      const batch = [2, 3, 4].map((id) =>
        record(t, { id, name: id === 3 ? null : `n${id}` }, { valueSchema: loose }),
      );
      const put = task.put(batch);
      await expect(put).rejects.toBeInstanceOf(NonRetriableError);
      await expect(put).rejects.toThrow(
        postgres
          ? new RegExp(
              `table "public\\.${t}": null value in column "name" .*violates not-null constraint`,
            )
          : new RegExp(`table "test\\.${t}": Column 'name' cannot be null`),
      );
      // As the runtime does under errors.tolerance=all: the batch again, one record at a time.
      const single: string[] = [];
      for (const r of batch) {
        single.push(
          await task.put([r]).then(
            () => 'written',
            (e: Error) => e.message,
          ),
        );
      }
      expect(single).toEqual(['written', expect.stringMatching(/name/), 'written']);
      await task.flush();
    } finally {
      await task.end();
    }
    expect(await rowsOf(t, 'id, name')).toEqual([
      ['1', 'before'],
      ['2', 'n2'],
      ['4', 'n4'],
    ]);
  });

  it('commits at flush: rows are invisible to other connections until then', async () => {
    const t = table();
    await writeSlice({ 'auto.create': 'true' }, people(t, [1]));
    const task = await startTask({});
    try {
      await task.put(people(t, [2, 3]));
      expect(await rowsOf(t, 'id')).toEqual([['1']]);
      await task.flush();
      expect(await rowsOf(t, 'id')).toEqual([['1'], ['2'], ['3']]);
      // A put after a flush opens the next transaction; stop rolls it back.
      await task.put(people(t, [4]));
    } finally {
      await task.end();
    }
    expect(await rowsOf(t, 'id')).toEqual([['1'], ['2'], ['3']]);
  });

  it('fails for good once its connection dies holding earlier puts, and writes nothing', async () => {
    const t = table();
    await writeSlice({ 'auto.create': 'true' }, people(t, [1]));
    const task = await startTask({});
    try {
      await task.put(people(t, [2]));
      // The server ends the connection that holds the open transaction: the newest one that
      // wrote (the server is shared with the other test files, whose sinks may hold one too).
      if (postgres) {
        await query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = (SELECT pid FROM pg_stat_activity WHERE state LIKE 'idle in transaction%' AND query LIKE 'RELEASE SAVEPOINT%' AND pid <> pg_backend_pid() ORDER BY xact_start DESC LIMIT 1)`,
        );
      } else {
        const [[id] = []] = await query(
          'SELECT trx_mysql_thread_id FROM information_schema.innodb_trx WHERE trx_mysql_thread_id <> 0 AND trx_rows_modified > 0 ORDER BY trx_started DESC LIMIT 1',
        );
        await query(`KILL ${String(id)}`);
      }
      const put = task.put(people(t, [3]));
      await expect(put).rejects.toBeInstanceOf(NonRetriableError);
      await expect(put).rejects.toThrow(/transaction was lost/);
      await expect(task.flush()).rejects.toThrow(/transaction was lost/);
    } finally {
      await task.end();
    }
    expect(await rowsOf(t, 'id')).toEqual([['1']]);
    // The next slice (a new connection from the same warm pool) writes them when they come again.
    await writeSlice({}, people(t, [2, 3]));
    expect(await rowsOf(t, 'id')).toEqual([['1'], ['2'], ['3']]);
  });

  it('writes schemaless objects into an existing table, and will not guess types to create one', async () => {
    const t = table();
    await query(`CREATE TABLE ${q(t)} (id INT PRIMARY KEY, name TEXT, flag BOOLEAN)`);
    const plain = (value: Record<string, unknown>) => record(t, value, { valueSchema: null });
    await writeSlice({ 'insert.mode': 'upsert', 'pk.mode': 'record_value', 'pk.fields': 'id' }, [
      plain({ id: 1, name: 'a', flag: true }),
      plain({ id: 2, flag: false }),
    ]);
    expect(await rowsOf(t)).toEqual([
      ['1', 'a', postgres ? 'true' : '1'],
      ['2', null, postgres ? 'false' : '0'],
    ]);
    const task = await startTask({ 'auto.create': 'true' });
    try {
      await expect(task.put([record(table(), { id: 1 }, { valueSchema: null })])).rejects.toThrow(
        /auto\.create cannot choose a type for column "id".*no schema/,
      );
    } finally {
      await task.end();
    }
  });

  it('round-trips every Connect type into the table it creates', async () => {
    const t = table();
    const all = SchemaBuilder.struct()
      .field('id', Schemas.INT32)
      .field('i8', Schemas.INT8)
      .field('i16', Schemas.INT16)
      .field('i64', Schemas.INT64)
      .field('f32', Schemas.FLOAT32)
      .field('f64', Schemas.FLOAT64)
      .field('flag', Schemas.BOOLEAN)
      .field('text', Schemas.STRING)
      .field('raw', Schemas.BYTES)
      .field('amount', SchemaBuilder.decimal(3).build())
      .field('day', Schemas.DATE)
      .field('clock', Schemas.TIME)
      .field('at', Schemas.TIMESTAMP)
      .field('tags', SchemaBuilder.array(Schemas.STRING).build())
      .field('attrs', SchemaBuilder.map(Schemas.STRING, Schemas.INT64).build())
      .field('nested', SchemaBuilder.struct().field('x', Schemas.INT32).build())
      .field('missing', Schemas.OPTIONAL_STRING)
      .build();
    const value = {
      id: 1,
      i8: -128,
      i16: 32767,
      i64: 9007199254740993n,
      f32: 1.5,
      f64: 0.1,
      flag: true,
      text: 'héllo "wörld" ✓',
      raw: new Uint8Array([0, 1, 254, 255]),
      amount: { unscaled: -123456789012345678901234567890n, scale: 3 },
      day: new Date(Date.UTC(2024, 1, 29)),
      clock: new Date(Date.UTC(1970, 0, 1, 23, 59, 58, 123)),
      at: new Date(Date.UTC(2024, 6, 1, 12, 34, 56, 789)),
      tags: ['a', 'b'],
      attrs: new Map([['big', 9007199254740993n]]),
      nested: { x: 5 },
      missing: null,
    };
    await writeSlice({ 'auto.create': 'true' }, [record(t, value, { valueSchema: all })]);
    // JSON columns as the database's own text (mysql2 parses MariaDB's, losing big integers).
    const columns = postgres
      ? '*'
      : 'id, i8, i16, i64, f32, f64, flag, text, raw, amount, day, clock, at, CAST(tags AS CHAR), CAST(attrs AS CHAR), CAST(nested AS CHAR), missing';
    const [row] = await rowsOf(t, columns);
    const json = (text: string | null | undefined) => JSON.parse(text ?? 'null') as unknown;
    expect(row?.slice(0, 7)).toEqual([
      '1',
      '-128',
      '32767',
      '9007199254740993',
      '1.5',
      '0.1',
      postgres ? 'true' : '1',
    ]);
    expect(row?.slice(7, 13)).toEqual([
      'héllo "wörld" ✓',
      '0001feff',
      '-123456789012345678901234567.890',
      '2024-02-29',
      '23:59:58.123',
      '2024-07-01 12:34:56.789',
    ]);
    expect(json(row?.[13])).toEqual(['a', 'b']);
    // Integers past 2^53 keep their digits in the JSON text.
    expect(row?.[14]).toMatch(/"big":\s*9007199254740993/);
    expect(json(row?.[15])).toEqual({ x: 5 });
    expect(row?.[16]).toBeNull();
  });

  it('writes Timestamps as the wall clock of db.timezone, and exact instants into timestamptz', async () => {
    const t = table();
    const instants = [Date.UTC(2024, 0, 15, 16, 30, 0, 250), Date.UTC(2024, 6, 15, 16, 30, 0, 250)];
    await writeSlice(
      { 'auto.create': 'true', 'db.timezone': 'Asia/Shanghai' },
      timestampRecords(t, instants),
    );
    expect(await rowsOf(t)).toEqual([
      ['0', '2024-01-16 00:30:00.25'],
      ['1', '2024-07-16 00:30:00.25'],
    ]);
    if (!postgres) return;
    const tz = table();
    await query(`CREATE TABLE ${q(tz)} (id INT PRIMARY KEY, at TIMESTAMPTZ(3))`);
    await writeSlice({ 'db.timezone': 'America/New_York' }, timestampRecords(tz, instants));
    const epochs = await query(
      `SELECT (extract(epoch from at) * 1000)::bigint FROM ${q(tz)} ORDER BY id`,
    );
    expect(epochs.map(([ms]) => Number(ms))).toEqual(instants);
  });

  it('writes the same Timestamp text whatever the process TZ', async () => {
    const instants = [Date.UTC(2024, 2, 31, 1, 30, 0, 5), Date.UTC(1999, 11, 31, 23, 59, 59, 999)];
    const texts: unknown[] = [];
    for (const processZone of ['Asia/Shanghai', 'UTC', 'America/Los_Angeles']) {
      const t = table();
      const input: WorkerInput = {
        config: {
          ...baseConfig,
          'connector.class': jdbcSink.className,
          'auto.create': 'true',
          'db.timezone': 'Europe/Berlin',
        },
        topic: t,
        instants,
      };
      await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'test/integration/jdbc-sink-worker.ts', JSON.stringify(input)],
        { env: { ...process.env, TZ: processZone } },
      );
      texts.push(await rowsOf(t));
    }
    expect(texts[0]).toEqual([
      ['0', '2024-03-31 03:30:00.005'],
      ['1', '2000-01-01 00:59:59.999'],
    ]);
    expect(texts[1]).toEqual(texts[0]);
    expect(texts[2]).toEqual(texts[0]);
  });

  it('fails a put retriably when the database cannot be reached, and never shows the password', async () => {
    const task = new JdbcSinkTask();
    const slice = cache.forSlice();
    try {
      const start = task.start(
        {
          'connection.url': postgres
            ? 'jdbc:postgresql://127.0.0.1:1/test'
            : 'jdbc:mysql://127.0.0.1:1/test',
          'connection.user': 'u',
          'connection.password': 'hunter2-secret',
        },
        {
          connector: 'c',
          taskId: 0,
          signal: new AbortController().signal,
          resources: slice.resources,
        },
      );
      await expect(start).rejects.toBeInstanceOf(RetriableError);
      await expect(start).rejects.toThrow(/cannot connect to 127\.0\.0\.1:1/);
      await expect(start).rejects.not.toThrow(/hunter2/);
    } finally {
      slice.release();
    }
  });

  it('checks its config against the database: connection, login and a fixed table', async () => {
    const check = (config: Record<string, string>) =>
      jdbcSink.checkSystem!({ ...baseConfig, ...config }, new AbortController().signal);
    expect(await check({})).toEqual([]);
    const unreachable = await check({
      'connection.url': postgres
        ? 'jdbc:postgresql://127.0.0.1:1/test'
        : 'jdbc:mysql://127.0.0.1:1/test',
      'connection.password': 'hunter2-secret',
    });
    expect(unreachable).toEqual([
      {
        key: 'connection.url',
        message: expect.stringMatching(/^cannot connect to 127\.0\.0\.1:1: /),
      },
    ]);
    expect(JSON.stringify(unreachable)).not.toContain('hunter2');
    const missing = `jdbc_sink_${RUN}_absent`;
    expect(await check({ 'table.name.format': missing })).toEqual([
      { key: 'table.name.format', message: expect.stringContaining(`${missing}" does not exist`) },
    ]);
    expect(await check({ 'table.name.format': missing, 'auto.create': 'true' })).toEqual([]);
  });
});
