/**
 * The machine's PostgreSQL and MariaDB for the JDBC connectors' tests (database `test`; trust
 * auth / root without a password), with a table-name maker and a way to run SQL on each.
 */
import { openSqlClient, type SqlClient } from '../../../lib/connectors/jdbc/connection.js';
import type { DialectName } from '../../../lib/connectors/jdbc/url.js';

export interface TestDatabase {
  readonly dialect: DialectName;
  readonly label: string;
  readonly url: string;
  readonly user: string;
  readonly port: number;
}

export const TEST_DATABASES: readonly TestDatabase[] = [
  {
    dialect: 'postgresql',
    label: 'PostgreSQL',
    url: 'jdbc:postgresql://127.0.0.1:5432/test',
    user: 'postgres',
    port: 5432,
  },
  {
    dialect: 'mysql',
    label: 'MariaDB',
    url: 'jdbc:mariadb://127.0.0.1:3306/test',
    user: 'root',
    port: 3306,
  },
];

/** A client of the test database, closed by the caller. */
export async function adminClient(
  db: TestDatabase,
): Promise<{ client: SqlClient; close: () => Promise<void> }> {
  return openSqlClient({
    dialect: db.dialect,
    host: '127.0.0.1',
    port: db.port,
    database: 'test',
    user: db.user,
    password: undefined,
    timeZone: 'UTC',
  });
}

let counter = 0;
/** A table name no other run uses. */
export function uniqueTable(prefix: string): string {
  counter += 1;
  return `${prefix}_${process.pid}_${Date.now() % 1_000_000}_${counter}`;
}
