// JdbcSinkConnector through the conformance suite. Its behaviour needs a real database, so the
// unit tier runs the descriptor checks only and the integration tier the whole suite
// (test/integration/jdbc-sink-conformance.test.ts) on the local PostgreSQL and MariaDB.
//
// Each fixture is a fresh table (id INT PRIMARY KEY, text) written in upsert mode, so a batch
// delivered twice leaves it as once. The refused value breaks a CHECK constraint; a broken
// target makes the commit fail (PostgreSQL: a deferred constraint trigger that raises at COMMIT)
// or every write (MariaDB: a trigger that signals an error).
import { randomBytes } from 'node:crypto';
import { jdbcSink } from '../../../../lib/connectors/index.js';
import { openSqlClient } from '../../../../lib/connectors/jdbc/connection.js';
import { connectionSettingsOf } from '../../../../lib/connectors/jdbc/connection-keys.js';
import type { ConformanceFixture } from '../conformance/descriptor.js';
import type { SinkConformanceAdapter, SuiteValue } from '../conformance/adapter.js';

export const jdbcSinkDescriptor: ConformanceFixture = {
  validConfig: {
    name: 'c1',
    topics: 'in',
    'connection.url': 'jdbc:postgresql://db.example:5432/shop',
  },
  badConfigs: [
    { config: { name: 'c1' }, key: 'connection.url' },
    {
      config: { name: 'c1', 'connection.url': 'jdbc:oracle:thin:@db:1521' },
      key: 'connection.url',
    },
    {
      config: { name: 'c1', 'connection.url': 'jdbc:mysql://db/shop', 'insert.mode': 'merge' },
      key: 'insert.mode',
    },
    {
      config: { name: 'c1', 'connection.url': 'jdbc:mysql://db/shop', 'batch.size': '0' },
      key: 'batch.size',
    },
    {
      config: { name: 'c1', 'connection.url': 'jdbc:mysql://db/shop', 'db.timezone': 'Mars/Base' },
      key: 'db.timezone',
    },
  ],
};

/** The local databases the integration tier runs the suite on. */
export const JDBC_SINK_TARGETS = {
  PostgreSQL: { url: 'jdbc:postgresql://127.0.0.1:5432/test', user: 'postgres' },
  MariaDB: { url: 'jdbc:mariadb://127.0.0.1:3306/test', user: 'root' },
} as const;

export function jdbcSinkAdapter(target: keyof typeof JDBC_SINK_TARGETS): SinkConformanceAdapter {
  const { url, user } = JDBC_SINK_TARGETS[target];
  const postgres = target === 'PostgreSQL';
  const connection = { 'connection.url': url, 'connection.user': user };
  return {
    plugin: jdbcSink,
    descriptor: jdbcSinkDescriptor,
    async setUp() {
      const table = `conformance_${randomBytes(5).toString('hex')}`;
      const { client, close } = await openSqlClient(
        connectionSettingsOf({ ...connection, 'db.timezone': 'UTC' }),
      );
      const run = (sql: string) => client.query(sql);
      await run(
        `CREATE TABLE ${table} (id INT PRIMARY KEY, text VARCHAR(100) CHECK (text <> 'refused'))`,
      );
      return {
        config: () => ({
          name: 'c1',
          ...connection,
          'table.name.format': table,
          'insert.mode': 'upsert',
          'pk.mode': 'record_value',
          'pk.fields': 'id',
        }),
        read: async () =>
          (await run(`SELECT id, text FROM ${table} ORDER BY id`)).rows.map(([id, text]) => ({
            id: Number(id),
            text: String(text),
          })),
        async breakTarget() {
          if (postgres) {
            await run(
              `CREATE FUNCTION ${table}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the target is broken'; END $$`,
            );
            await run(
              `CREATE CONSTRAINT TRIGGER ${table}_broken AFTER INSERT OR UPDATE ON ${table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ${table}_refuse()`,
            );
            return async () => {
              await run(`DROP TRIGGER ${table}_broken ON ${table}`);
              await run(`DROP FUNCTION ${table}_refuse()`);
            };
          }
          await run(
            `CREATE TRIGGER ${table}_broken BEFORE INSERT ON ${table} FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the target is broken'`,
          );
          return async () => {
            await run(`DROP TRIGGER ${table}_broken`);
          };
        },
        async tearDown() {
          try {
            await run(`DROP TABLE IF EXISTS ${table}`);
            if (postgres) await run(`DROP FUNCTION IF EXISTS ${table}_refuse()`);
          } finally {
            await close();
          }
        },
      };
    },
    written: (_key: string, value: SuiteValue) => value,
    idempotent: true,
    refusedValue: { id: 7, text: 'refused' },
  };
}
