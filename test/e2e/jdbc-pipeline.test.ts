/**
 * The JDBC connectors end to end, as a user runs them: `npm start` (a stack of its own, on ports
 * of its own), connectors created through the REST API: a MariaDB table of 100,000 rows ->
 * JdbcSource (timestamp+incrementing, ValueToKey) -> RocketMQ -> JdbcSink (upsert, record_key,
 * delete.enabled, auto.create) -> PostgreSQL. Mid-copy the whole `npm start` tree is SIGKILLed;
 * 1,000 updates and 100 deletes land while nothing runs; a second `npm start` resumes from the
 * checkpoints, and the target ends equal to the source, row for row.
 *
 * Deletes are soft (a `deleted` flag, with the update time): a polling JDBC source, Confluent's
 * too, cannot see a row that is gone; change data capture (Debezium's connectors) can.
 */
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, onTestFailed, onTestFinished, test } from 'vitest';
import {
  killStackOf,
  NpmStart,
  READY_LINE,
  signal,
  waitUntilFree,
} from '../../bench/npm-start-process.js';
import { isPortFree } from '../../infra/local/processes.js';
import { repoRoot } from '../../infra/local/settings.js';
import { adminClient, TEST_DATABASES, uniqueTable } from '../integration/jdbc/databases.js';

const PORTS = {
  ROCKETMQ_NAMESRV_PORT: 59876,
  ROCKETMQ_PROXY_PORT: 58081,
  ROCKETMQ_PROXY_REMOTING_PORT: 58080,
  ROCKETMQ_BROKER_PORT: 60911,
  DYNAMODB_PORT: 58000,
  API_PORT: 58083,
  LAMBDA_PORT: 53002,
};
const ALL_PORTS = [
  ...Object.values(PORTS),
  PORTS.ROCKETMQ_BROKER_PORT - 2,
  PORTS.ROCKETMQ_BROKER_PORT + 1,
];
const ROWS = 100_000;
const UPDATES = 1_000;
const DELETES = 100;
const START_TIMEOUT_MS = 300_000;
const COPY_TIMEOUT_MS = 600_000;

const mariadb = TEST_DATABASES.find((d) => d.dialect === 'mysql')!;
const postgres = TEST_DATABASES.find((d) => d.dialect === 'postgresql')!;

/** A row as both tables hold it, in one text form, for comparing them. */
type Row = string;

describe('JDBC pipeline through npm start', () => {
  test(
    'MariaDB -> JdbcSource -> RocketMQ -> JdbcSink -> PostgreSQL survives SIGKILL: the target equals the source',
    { timeout: 30 * 60_000 },
    async () => {
      for (const port of ALL_PORTS) {
        expect(await isPortFree(port), `port ${port}, which this test uses, is taken`).toBe(true);
      }
      const stackDir = await mkdtemp(path.join(tmpdir(), 'jdbc-e2e-stack-'));
      const logFile = path.join(stackDir, 'npm-start.log');
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        ...Object.fromEntries(Object.entries(PORTS).map(([k, v]) => [k, String(v)])),
        STACK_DIR: stackDir,
      };
      for (const key of ['CONNECT_API_TOKEN', 'STATE_TABLE_NAME', 'DYNAMODB_DATA']) delete env[key];
      const source = await adminClient(mariadb);
      const target = await adminClient(postgres);
      const table = uniqueTable('e2e_orders');
      const runs: NpmStart[] = [];
      onTestFailed(() => {
        for (const [i, run] of runs.entries())
          console.log(`--- npm start #${i + 1} ---\n${run.tail()}`);
      });
      onTestFinished(async () => {
        for (const run of runs) {
          if (!run.hasExited) for (const pid of run.tree()) signal(pid, 'SIGKILL');
        }
        killStackOf(stackDir);
        await rm(path.join(repoRoot, `.esbuild-offline-${PORTS.API_PORT}`), {
          recursive: true,
          force: true,
        });
        await source.client.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
        await target.client.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
        await source.close();
        await target.close();
        if (fs.existsSync(stackDir)) await rm(stackDir, { recursive: true, force: true });
      });

      // 1. The source table, as an application keeps it: an update time and an index on it.
      await source.client.query(
        `CREATE TABLE ${table} (id BIGINT PRIMARY KEY AUTO_INCREMENT, customer VARCHAR(64) NOT NULL, ` +
          'amount DECIMAL(12,2) NOT NULL, placed DATE NOT NULL, deleted BOOLEAN NOT NULL DEFAULT FALSE, ' +
          'updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), ' +
          'INDEX by_update (updated_at, id))',
      );
      for (let from = 0; from < ROWS; from += 5_000) {
        const rows = Array.from({ length: 5_000 }, (_, i) => {
          const n = from + i + 1;
          return `('customer ${n % 997}', ${(n * 37) % 100_000}.${String(n % 100).padStart(2, '0')}, DATE '2024-01-01' + INTERVAL ${n % 365} DAY)`;
        });
        await source.client.query(
          `INSERT INTO ${table} (customer, amount, placed) VALUES ${rows.join(', ')}`,
        );
      }

      // 2. npm start, and the two connectors through the REST API.
      const first = new NpmStart(env, logFile);
      runs.push(first);
      await first.waitFor(READY_LINE, START_TIMEOUT_MS);
      const token = first.text().match(/API token +(\S+) +\(generated, kept in/)?.[1];
      expect(token).toBeDefined();
      const api = async (method: string, route: string, body?: unknown) => {
        const response = await fetch(`http://127.0.0.1:${PORTS.API_PORT}${route}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        });
        const text = await response.text();
        expect(response.status, `${method} ${route}: ${text}`).toBeLessThan(300);
        return text;
      };
      const topic = `e2e-${table}`;
      await api('POST', '/connectors', {
        name: 'orders-source',
        config: {
          'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
          'connection.url': mariadb.url,
          'connection.user': mariadb.user,
          mode: 'timestamp+incrementing',
          'timestamp.column.name': 'updated_at',
          'incrementing.column.name': 'id',
          'table.whitelist': table,
          'topic.prefix': 'e2e-',
          'batch.max.rows': '1000',
          'poll.interval.ms': '1000',
          transforms: 'key',
          'transforms.key.type': 'org.apache.kafka.connect.transforms.ValueToKey',
          'transforms.key.fields': 'id',
        },
      });
      await api('POST', '/connectors', {
        name: 'orders-sink',
        config: {
          'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
          'connection.url': postgres.url,
          'connection.user': postgres.user,
          topics: topic,
          'table.name.format': table,
          'insert.mode': 'upsert',
          'pk.mode': 'record_key',
          'pk.fields': 'id',
          'delete.enabled': 'true',
          'auto.create': 'true',
        },
      });

      // 3. SIGKILL the whole tree once part of the table has arrived.
      const targetCount = async () => {
        try {
          return Number((await target.client.query(`SELECT COUNT(*) FROM ${table}`)).rows[0]?.[0]);
        } catch {
          return 0; // not created yet
        }
      };
      const killBy = Date.now() + COPY_TIMEOUT_MS;
      let atKill = 0;
      while (atKill < ROWS / 4) {
        expect(Date.now(), 'rows start arriving in PostgreSQL').toBeLessThan(killBy);
        await sleep(200);
        atKill = await targetCount();
      }
      for (const pid of first.tree()) signal(pid, 'SIGKILL');
      await first.exited;
      for (const port of [PORTS.API_PORT, PORTS.DYNAMODB_PORT, PORTS.ROCKETMQ_PROXY_PORT]) {
        await waitUntilFree(port);
      }
      expect(await targetCount(), 'the kill landed mid-copy').toBeLessThan(ROWS);

      // 4. Changes while nothing runs: 1,000 updates, 100 (soft) deletes.
      await source.client.query(
        `UPDATE ${table} SET amount = amount + 1, customer = CONCAT(customer, ' (updated)') WHERE id % 100 = 7`,
      );
      await source.client.query(`UPDATE ${table} SET deleted = TRUE WHERE id % 1000 = 500`);

      // 5. Start again: the connectors resume from their checkpoints; the target ends equal.
      const second = new NpmStart(env, logFile);
      runs.push(second);
      await second.waitFor(READY_LINE, START_TIMEOUT_MS);
      const read = async (client: typeof source.client): Promise<Row[]> =>
        (
          await client.query(
            `SELECT id, customer, amount, placed, deleted FROM ${table} ORDER BY id`,
          )
        ).rows.map((r) =>
          [
            String(r[0]),
            String(r[1]),
            String(r[2]),
            String(r[3]),
            String(r[4] === true || r[4] === 't' || r[4] === 1 || r[4] === '1'),
          ].join('|'),
        );
      const expected = await read(source.client);
      expect(expected).toHaveLength(ROWS);
      expect(expected.filter((r) => r.includes('(updated)'))).toHaveLength(UPDATES);
      expect(expected.filter((r) => r.endsWith('|true'))).toHaveLength(DELETES);
      const deadline = Date.now() + COPY_TIMEOUT_MS;
      let got: Row[] = [];
      let differing = Number.POSITIVE_INFINITY;
      while (Date.now() < deadline) {
        got = await read(target.client).catch(() => []);
        differing =
          expected.filter((row, i) => got[i] !== row).length +
          Math.abs(got.length - expected.length);
        if (differing === 0) break;
        await sleep(2_000);
      }
      console.log(
        `jdbc e2e: ${ROWS} rows, ${atKill} in PostgreSQL at the kill, ${differing} differing at the end`,
      );
      expect(got.length).toBe(ROWS);
      expect(got.filter((row, i) => row !== expected[i]).slice(0, 5)).toEqual([]);

      // The connectors ran as slices of the task function, and are RUNNING.
      const status = JSON.parse(await api('GET', '/connectors?expand=status')) as Record<
        string,
        { status: { connector: { state: string }; tasks: { state: string }[] } }
      >;
      for (const name of ['orders-source', 'orders-sink']) {
        expect(status[name]?.status.tasks.map((t) => t.state)).toEqual(['RUNNING']);
      }
      signal(-second.pid, 'SIGINT');
      await second.waitFor(/\[stack\] stopped the local stack/, 120_000);
      await second.exited;
    },
  );
});
