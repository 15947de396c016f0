/**
 * Connections to PostgreSQL (`pg`) and MySQL/MariaDB (`mysql2`), pooled per container through the
 * kit's warm resources, behind one small interface. Task code only: the drivers load with it.
 *
 * Both drivers are told to hand values over as the database wrote them (text for numbers, dates
 * and times; buffers for bytes): the connectors convert them exactly (BIGINT and DECIMAL without
 * rounding, timestamps to the microsecond, no dependence on the process's TZ).
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import { NonRetriableError, RetriableError, type WarmResources } from '../../api/plugin-kit.js';
import { dialectOf, type Dialect } from './dialect.js';
import { utcOffsetText } from './time.js';
import type { DialectName } from './url.js';

/** What a connection needs; equal settings share a pool. */
export interface ConnectionSettings {
  readonly dialect: DialectName;
  readonly host: string;
  readonly port: number;
  readonly database: string | undefined;
  readonly user: string | undefined;
  readonly password: string | undefined;
  /** The session's time zone (`db.timezone`): how wall-clock columns are read and compared. */
  readonly timeZone: string;
}

/** A result column as the driver describes it; see columns.ts for what it becomes. */
export type ResultField =
  | { readonly driver: 'pg'; readonly field: pg.FieldDef }
  | { readonly driver: 'mysql2'; readonly field: mysql.FieldPacket };

export interface QueryResult {
  /** Rows as arrays, in the order of `fields`. */
  readonly rows: unknown[][];
  readonly fields: readonly ResultField[];
  /** Rows changed by an INSERT, UPDATE or DELETE. */
  readonly affected: number;
}

export interface SqlSession {
  query(sql: string, params?: readonly unknown[]): Promise<QueryResult>;
}

/** One connection of the pool, held until released (a transaction spanning several calls). */
export interface ReservedSession extends SqlSession {
  /** Back to the pool; `broken` (a transaction in an unknown state) closes it instead. */
  release(broken?: boolean): void;
}

export interface SqlClient extends SqlSession {
  readonly dialect: Dialect;
  readonly settings: ConnectionSettings;
  /** A connection of its own, for statements that must share one (BEGIN … COMMIT). */
  reserve(): Promise<ReservedSession>;
}

/** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(
  client: SqlClient,
  work: (session: SqlSession) => Promise<T>,
): Promise<T> {
  const session = await client.reserve();
  try {
    await session.query('BEGIN');
    const result = await work(session);
    await session.query('COMMIT');
    session.release();
    return result;
  } catch (error) {
    await session.query('ROLLBACK').catch(() => undefined);
    session.release(true);
    throw error;
  }
}

/** `host:port`, for messages: never the user or the password. */
export function addressOf(settings: Pick<ConnectionSettings, 'host' | 'port'>): string {
  return settings.host.includes(':')
    ? `[${settings.host}]:${settings.port}`
    : `${settings.host}:${settings.port}`;
}

/**
 * A connection failure as the task reports it: host, port and the driver's reason, never the
 * password; retriable, so the runtime retries it under `errors.retry.timeout` first.
 */
export function connectionError(settings: ConnectionSettings, error: unknown): RetriableError {
  const reason = reasonOf(error, settings.password);
  return new RetriableError(`cannot connect to ${addressOf(settings)}: ${reason}`, {
    cause: error,
  });
}

/** A driver error's message with any occurrence of the password cut out. */
export function reasonOf(error: unknown, password: string | undefined): string {
  const err = error as { message?: unknown; code?: unknown; errors?: unknown };
  // Node's net errors for a name that resolves to several addresses come as an AggregateError
  // with an empty message.
  let message = typeof err?.message === 'string' && err.message !== '' ? err.message : '';
  if (message === '' && Array.isArray(err?.errors) && err.errors.length > 0) {
    message = reasonOf(err.errors[0], password);
  }
  if (message === '') message = typeof err?.code === 'string' ? err.code : String(error);
  return password ? message.replaceAll(password, '[hidden]') : message;
}

/** A pooled client for these settings, kept warm for the next slice of this container. */
export async function acquireSqlClient(
  resources: WarmResources,
  settings: ConnectionSettings,
): Promise<SqlClient> {
  const handle = await resources.acquire('jdbc', { ...settings }, async () => {
    const client =
      settings.dialect === 'postgresql' ? postgresClient(settings) : mysqlClient(settings);
    try {
      await client.value.query('SELECT 1');
    } catch (error) {
      await client.close().catch(() => undefined);
      throw connectionError(settings, error);
    }
    return client;
  });
  return handle.value;
}

/** A client used once (a config check), closed by the caller. */
export async function openSqlClient(
  settings: ConnectionSettings,
): Promise<{ client: SqlClient; close: () => Promise<void> }> {
  const opened =
    settings.dialect === 'postgresql' ? postgresClient(settings, 1) : mysqlClient(settings, 1);
  try {
    await opened.value.query('SELECT 1');
  } catch (error) {
    await opened.close().catch(() => undefined);
    throw connectionError(settings, error);
  }
  return { client: opened.value, close: () => opened.close() };
}

const POOL_SIZE = 4;
const CONNECT_TIMEOUT_MS = 10_000;

/** What the pool's 'connection' event gives: mysql2's callback-style connection. */
interface CoreConnection {
  query(sql: string, callback: (error: Error | null) => void): void;
  destroy(): void;
}

interface OpenedClient {
  readonly value: SqlClient;
  readonly shared: true;
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

// PostgreSQL's array types are parsed by pg's own parsers; bytea into a Buffer; all else stays
// the text PostgreSQL wrote (columns.ts converts it).
const BYTEA_OID = 17;
const rawPgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === BYTEA_OID || PG_ARRAY_OIDS.has(oid)) {
      return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
    }
    return (value: string) => value;
  },
};
const PG_ARRAY_OIDS = new Set([1000, 1005, 1007, 1016, 1021, 1022, 1009, 1015, 1014, 1231]);

function postgresClient(settings: ConnectionSettings, max = POOL_SIZE): OpenedClient {
  const pool = new pg.Pool({
    host: settings.host,
    port: settings.port,
    ...(settings.database !== undefined && { database: settings.database }),
    ...(settings.user !== undefined && { user: settings.user }),
    ...(settings.password !== undefined && { password: settings.password }),
    max,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 0,
    // Wall-clock columns are read and compared in db.timezone, whatever the server's default.
    options: `-c TimeZone=${settings.timeZone} -c DateStyle=ISO,YMD -c IntervalStyle=iso_8601 -c extra_float_digits=3`,
    types: rawPgTypes,
  });
  // An idle pooled connection that the server drops must not crash the process.
  pool.on('error', () => undefined);
  const run = async (
    runner: pg.Pool | pg.PoolClient,
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult> => {
    const result = await runner.query({ text: sql, values: params as unknown[], rowMode: 'array' });
    return {
      rows: result.rows as unknown[][],
      fields: (result.fields ?? []).map((field) => ({ driver: 'pg' as const, field })),
      affected: result.rowCount ?? 0,
    };
  };
  const client: SqlClient = {
    dialect: dialectOf('postgresql'),
    settings,
    query: (sql, params) => run(pool, sql, params),
    async reserve() {
      const connection = await pool.connect();
      // A checked-out client has no error listener of the pool's: a connection the server ends
      // while it sits idle in a transaction would be an uncaught 'error' event, which ends the
      // process. Heard here instead; the next query on it fails, and the task handles that.
      const ignore = () => undefined;
      connection.on('error', ignore);
      return {
        query: (sql, params) => run(connection, sql, params),
        release: (broken) => {
          connection.off('error', ignore);
          connection.release(broken === true);
        },
      };
    },
  };
  return {
    value: client,
    shared: true,
    healthy: async () => (await pool.query('SELECT 1')).rowCount === 1,
    close: () => pool.end(),
  };
}

function mysqlClient(settings: ConnectionSettings, max = POOL_SIZE): OpenedClient {
  const pool = mysql.createPool({
    host: settings.host,
    port: settings.port,
    ...(settings.database !== undefined && { database: settings.database }),
    ...(settings.user !== undefined && { user: settings.user }),
    ...(settings.password !== undefined && { password: settings.password }),
    connectionLimit: max,
    connectTimeout: CONNECT_TIMEOUT_MS,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    rowsAsArray: true,
    // JSON columns as the text MySQL holds, like every other text column.
    typeCast: (field, next) => (field.type === 'JSON' ? field.string('utf8') : next()),
  });
  // MySQL knows named zones only when its time zone tables are loaded: the session gets the
  // zone's current offset, and the connector reads wall-clock columns with the same offset.
  const offset = utcOffsetText(settings.timeZone, Date.now());
  // The event hands over the callback-style connection: its commands run in order, so the
  // session's zone is set before the first statement; a connection that cannot set it is closed.
  pool.on('connection', (connection) => {
    const core = connection as unknown as CoreConnection;
    core.query(`SET time_zone = '${offset}'`, (error) => {
      if (error) core.destroy();
    });
  });
  const run = async (
    runner: mysql.Pool | mysql.PoolConnection,
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult> => {
    const [rows, fields] = await runner.query(sql, params as unknown[]);
    if (!Array.isArray(rows)) {
      return { rows: [], fields: [], affected: (rows as mysql.ResultSetHeader).affectedRows };
    }
    return {
      rows: rows as unknown as unknown[][],
      fields: (fields ?? []).map((field) => ({ driver: 'mysql2' as const, field })),
      affected: 0,
    };
  };
  const client: SqlClient = {
    dialect: dialectOf('mysql'),
    settings,
    query: (sql, params) => run(pool, sql, params),
    async reserve() {
      const connection = await pool.getConnection();
      return {
        query: (sql, params) => run(connection, sql, params),
        release: (broken) => (broken === true ? connection.destroy() : connection.release()),
      };
    },
  };
  return {
    value: client,
    shared: true,
    healthy: async () => {
      await pool.query('SELECT 1');
      return true;
    },
    close: () => pool.end(),
  };
}

/**
 * A failed statement as a task error, the database's own message kept (never the password):
 * retriable when the connection broke or the database asks to try again (a lost connection,
 * a shutdown, a serialization failure, a deadlock), not when the statement is wrong.
 */
export function statementError(
  settings: ConnectionSettings,
  error: unknown,
  what: string,
): RetriableError | NonRetriableError {
  const reason = reasonOf(error, settings.password);
  const message = `${what} on ${addressOf(settings)} failed: ${reason}`;
  return isTransient(error)
    ? new RetriableError(message, { cause: error })
    : new NonRetriableError(message, { cause: error });
}

function isTransient(error: unknown): boolean {
  const err = error as { code?: unknown; fatal?: unknown; errno?: unknown };
  const code = typeof err?.code === 'string' ? err.code : '';
  // Node's socket errors, and pg's "Connection terminated" (no code).
  if (/^E[A-Z]+$/.test(code) && !code.startsWith('ER_')) return true;
  if (err?.fatal === true) return true;
  // PostgreSQL SQLSTATE: connection exceptions, operator intervention, serialization, deadlock.
  if (/^(08|57P|53)/.test(code) || code === '40001' || code === '40P01') return true;
  // MySQL: lock wait timeout, deadlock, server gone.
  if (code === 'ER_LOCK_WAIT_TIMEOUT' || code === 'ER_LOCK_DEADLOCK') return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection is closed|Can't add new command when connection is in closed state/i.test(
    message,
  );
}
