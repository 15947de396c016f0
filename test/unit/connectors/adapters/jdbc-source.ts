// JdbcSourceConnector through the conformance suite. Its behaviour needs a real database, so the
// unit tier runs the descriptor checks only and the integration tier the whole suite
// (test/integration/jdbc-source-conformance.test.ts) on the local PostgreSQL and MariaDB.
//
// Each fixture is a fresh table read in incrementing mode whose ids start past 2^53, so the
// offsets' integers must survive JSON exactly.
import { randomBytes } from 'node:crypto';
import { jdbcSource } from '../../../../lib/connectors/index.js';
import { openSqlClient } from '../../../../lib/connectors/jdbc/connection.js';
import { connectionSettingsOf } from '../../../../lib/connectors/jdbc/connection-keys.js';
import type { SourceConformanceAdapter } from '../conformance/adapter.js';
import type { ConformanceFixture } from '../conformance/descriptor.js';

const base = {
  name: 'c1',
  'connection.url': 'jdbc:postgresql://db.example:5432/shop',
  'topic.prefix': 'shop-',
};

export const jdbcSourceDescriptor: ConformanceFixture = {
  validConfig: { ...base, mode: 'incrementing', 'incrementing.column.name': 'id' },
  badConfigs: [
    { config: { name: 'c1', mode: 'bulk' }, key: 'connection.url' },
    {
      config: { ...base, 'connection.url': 'jdbc:oracle:thin:@db:1521', mode: 'bulk' },
      key: 'connection.url',
    },
    { config: base, key: 'mode' },
    { config: { ...base, mode: 'sometimes' }, key: 'mode' },
    { config: { ...base, mode: 'incrementing' }, key: 'incrementing.column.name' },
    { config: { ...base, mode: 'timestamp' }, key: 'timestamp.column.name' },
    { config: { ...base, mode: 'bulk', 'batch.max.rows': '0' }, key: 'batch.max.rows' },
    { config: { ...base, mode: 'bulk', 'db.timezone': 'Mars/Base' }, key: 'db.timezone' },
    {
      config: { ...base, mode: 'bulk', 'table.whitelist': 'a', 'table.blacklist': 'b' },
      key: 'table.blacklist',
    },
  ],
};

/** The local databases the integration tier runs the suite on. */
export const JDBC_SOURCE_DATABASES = {
  PostgreSQL: { url: 'jdbc:postgresql://127.0.0.1:5432/test', user: 'postgres' },
  MariaDB: { url: 'jdbc:mariadb://127.0.0.1:3306/test', user: 'root' },
} as const;

const FIRST_ID = 2n ** 53n + 1n;

export function jdbcSourceAdapter(
  database: keyof typeof JDBC_SOURCE_DATABASES,
): SourceConformanceAdapter {
  const { url, user } = JDBC_SOURCE_DATABASES[database];
  return {
    plugin: jdbcSource,
    descriptor: jdbcSourceDescriptor,
    async setUp() {
      const connection = { 'connection.url': url, 'connection.user': user };
      const { client, close } = await openSqlClient(
        connectionSettingsOf({ ...connection, 'db.timezone': 'UTC' }),
      );
      const table = `conformance_${randomBytes(6).toString('hex')}`;
      await client.query(
        `CREATE TABLE ${table} (id BIGINT PRIMARY KEY, text VARCHAR(100) NOT NULL)`,
      );
      let next = FIRST_ID;
      return {
        config: () => ({
          name: 'c1',
          ...connection,
          mode: 'incrementing',
          'incrementing.column.name': 'id',
          'table.whitelist': table,
          'topic.prefix': 'conformance-',
          // Small batches, so commits fall inside and on the edges of a poll's rows; a table
          // read to its end is queried again at once.
          'batch.max.rows': '4',
          'poll.interval.ms': '1',
        }),
        async append(n) {
          const rows = Array.from({ length: n }, () => {
            const id = next;
            next += 1n;
            return `(${id}, 'row ${id} ✓')`;
          });
          await client.query(`INSERT INTO ${table} (id, text) VALUES ${rows.join(', ')}`);
        },
        async tearDown() {
          try {
            await client.query(`DROP TABLE IF EXISTS ${table}`);
          } finally {
            await close();
          }
        },
      };
    },
  };
}
