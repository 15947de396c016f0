/**
 * JDBC connection URLs, as Confluent's and RocketMQ Connect's JDBC connectors take them:
 * `jdbc:postgresql://host:port/database?user=…&password=…`, `jdbc:mysql://host:port/database`,
 * `jdbc:mariadb://…`. No driver here: the descriptors parse URLs to check them.
 */

/** The SQL dialects this platform speaks; MariaDB speaks MySQL's. */
export type DialectName = 'postgresql' | 'mysql';

/** Where a JDBC URL points, and the login it may carry. */
export interface JdbcTarget {
  readonly dialect: DialectName;
  readonly host: string;
  readonly port: number;
  /** Absent when the URL names none (RocketMQ Connect's `jdbc:mysql://host:3306`). */
  readonly database: string | undefined;
  readonly user: string | undefined;
  readonly password: string | undefined;
}

const SCHEMES: Readonly<Record<string, { dialect: DialectName; port: number }>> = {
  postgresql: { dialect: 'postgresql', port: 5432 },
  mysql: { dialect: 'mysql', port: 3306 },
  mariadb: { dialect: 'mysql', port: 3306 },
};

/**
 * Parses a JDBC URL; throws an Error whose message names what is wrong, never the password.
 *
 * @example
 * parseJdbcUrl('jdbc:mariadb://db:3306/shop?user=app')
 * // { dialect: 'mysql', host: 'db', port: 3306, database: 'shop', user: 'app', password: undefined }
 */
export function parseJdbcUrl(url: string): JdbcTarget {
  const match = /^jdbc:([a-z]+):(.*)$/i.exec(url.trim());
  const scheme = match && SCHEMES[match[1]!.toLowerCase()];
  if (!match || !scheme) {
    throw new Error(
      'expected jdbc:postgresql://host:port/database, jdbc:mysql://… or jdbc:mariadb://…',
    );
  }
  const rest = match[2]!;
  // `jdbc:postgresql:database` (no host) means localhost, as pgjdbc reads it.
  const address = rest.startsWith('//') ? rest : `//localhost/${rest}`;
  let parsed: URL;
  try {
    parsed = new URL(`jdbc-${scheme.dialect}:${address}`);
  } catch {
    throw new Error('the host, port or database part of the URL is malformed');
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost';
  const port = parsed.port === '' ? scheme.port : Number(parsed.port);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '').split('/')[0] ?? '');
  const params = parsed.searchParams;
  return {
    dialect: scheme.dialect,
    host,
    port,
    database: database === '' ? undefined : database,
    user: params.get('user') ?? (parsed.username ? decodeURIComponent(parsed.username) : undefined),
    password:
      params.get('password') ?? (parsed.password ? decodeURIComponent(parsed.password) : undefined),
  };
}

/** A URL's problem as a config message, or undefined when it parses. */
export function jdbcUrlProblem(url: string): string | undefined {
  try {
    parseJdbcUrl(url);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
