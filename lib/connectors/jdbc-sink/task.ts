import {
  ConnectError,
  NonRetriableError,
  parsePluginConfig,
  RetriableError,
  type ConnectorConfig,
  type SinkRecord,
  type SinkTask,
  type SinkTaskContext,
} from '../../api/plugin-kit.js';
import {
  acquireSqlClient,
  connectionError,
  reasonOf,
  type ReservedSession,
  type SqlClient,
} from '../jdbc/connection.js';
import { connectionSettingsOf } from '../jdbc/connection-keys.js';
import { jdbcSinkKeys } from './config.js';
import { classifyDbError } from './db-errors.js';
import { rowConfigOf, rowOf, type RowConfig } from './rows.js';
import { TableWriteError, TableWriter, type DdlRunner } from './writer.js';

/** The savepoint each put runs under, so that a refused batch leaves the transaction as it was. */
const PUT_SAVEPOINT = 'jdbc_sink_put';
const DDL_SAVEPOINT = 'jdbc_sink_ddl';

/**
 * Confluent's JdbcSinkTask, one flush one transaction: the first `put` reserves a connection of
 * the pool and BEGINs, each `put` writes its records under a savepoint, `flush` COMMITs (the
 * runtime acks the messages only then), `stop` rolls back what was not flushed.
 *
 * A put the database refuses (a constraint, a bad value) is rolled back to its savepoint and
 * throws a NonRetriableError with the database's message: under errors.tolerance=all the runtime
 * puts the batch's records one by one and dead-letters the refused ones, while the transaction
 * goes on. A broken connection is retriable while the transaction holds nothing yet; once it
 * held earlier puts, those are lost with it, so the task fails (their messages come again).
 */
export class JdbcSinkTask implements SinkTask {
  #rows: RowConfig | undefined;
  #client: SqlClient | undefined;
  #writer: TableWriter | undefined;
  /** The connection holding the open transaction, if one is open. */
  #session: ReservedSession | undefined;
  /** The open transaction holds writes of earlier puts, which a lost connection would lose. */
  #holdsWrites = false;
  /** Why the transaction was lost, once it was: every put and flush fails until stop. */
  #lost: Error | undefined;

  async start(config: ConnectorConfig, context: SinkTaskContext): Promise<void> {
    const parsed = parsePluginConfig('JdbcSink', jdbcSinkKeys.configSchema, config);
    this.#rows = rowConfigOf(parsed, config['connector.class']);
    this.#client = await acquireSqlClient(context.resources, connectionSettingsOf(parsed));
    this.#writer = new TableWriter(this.#client.dialect.name, parsed);
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    const client = this.#client;
    const writer = this.#writer;
    if (!client || !writer || !this.#rows) throw new Error('JdbcSinkTask.put called before start');
    if (this.#lost) throw this.#lost;
    if (records.length === 0) return;
    // Records that cannot be rows fail before any SQL.
    const rowConfig = this.#rows;
    const rows = records.map((r) => rowOf(r, rowConfig));
    const session = await this.#begin(client);
    const postgres = client.dialect.name === 'postgresql';
    let inSavepoint = false;
    try {
      // MySQL's DDL commits the transaction: its tables are made to fit before the savepoint.
      if (postgres) {
        await session.query(`SAVEPOINT ${PUT_SAVEPOINT}`);
        inSavepoint = true;
      }
      const tables = await writer.prepare(session, rows, this.#ddlRunner(session, postgres));
      if (!postgres) {
        await session.query(`SAVEPOINT ${PUT_SAVEPOINT}`);
        inSavepoint = true;
      }
      await writer.write(session, rows, tables);
      await session.query(`RELEASE SAVEPOINT ${PUT_SAVEPOINT}`);
      this.#holdsWrites = true;
    } catch (error) {
      throw await this.#failedPut(session, error, inSavepoint);
    }
  }

  async flush(): Promise<void> {
    if (this.#lost) throw this.#lost;
    const session = this.#session;
    if (!session) return;
    try {
      await session.query('COMMIT');
    } catch (error) {
      // Whatever the reason, the transaction is gone with every put since the last flush:
      // retrying the flush cannot bring them back, their messages must come again.
      this.#end(true);
      const reason = this.#reason(error);
      this.#lost = new NonRetriableError(
        `JdbcSink: the commit failed, so the records put since the last flush were not written and will come again: ${reason}`,
        { cause: error },
      );
      throw this.#lost;
    }
    this.#end(false);
  }

  async stop(): Promise<void> {
    const session = this.#session;
    if (session) {
      const rolledBack = await session.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      this.#end(!rolledBack);
    }
    this.#lost = undefined;
  }

  /** The open transaction's connection; reserves one and BEGINs first if none is open. */
  async #begin(client: SqlClient): Promise<ReservedSession> {
    if (this.#session) return this.#session;
    let session: ReservedSession | undefined;
    try {
      session = await client.reserve();
      await session.query('BEGIN');
    } catch (error) {
      session?.release(true);
      throw connectionError(client.settings, error);
    }
    this.#session = session;
    this.#holdsWrites = false;
    return session;
  }

  /** Gives the connection back (closed when `broken`); the transaction is over. */
  #end(broken: boolean): void {
    this.#session?.release(broken);
    this.#session = undefined;
    this.#holdsWrites = false;
    // PostgreSQL's DDL is undone with its transaction; what was read of the tables may be too.
    if (broken) this.#writer?.forgetTables();
  }

  /**
   * PostgreSQL runs DDL inside the transaction, under a savepoint of its own so that a failure
   * (another task created the table first) leaves the put able to read the table again. MySQL
   * commits implicitly before DDL: the sink commits what it holds first (written earlier than
   * its flush, which at-least-once allows), then opens a new transaction after.
   */
  #ddlRunner(session: ReservedSession, postgres: boolean): DdlRunner {
    if (postgres) {
      return async (sql) => {
        await session.query(`SAVEPOINT ${DDL_SAVEPOINT}`);
        try {
          await session.query(sql);
        } catch (error) {
          await session.query(`ROLLBACK TO SAVEPOINT ${DDL_SAVEPOINT}`);
          throw error;
        }
        await session.query(`RELEASE SAVEPOINT ${DDL_SAVEPOINT}`);
      };
    }
    return async (sql) => {
      await session.query('COMMIT');
      this.#holdsWrites = false;
      try {
        await session.query(sql);
      } finally {
        await session.query('BEGIN');
      }
    };
  }

  /**
   * The error a failed put throws, the transaction brought back to where the put began. A
   * refused statement is the records' fault (not retriable); a deadlock or a lock timeout may
   * pass (retriable); a lost connection is retriable only if it lost nothing already put.
   */
  async #failedPut(session: ReservedSession, error: unknown, inSavepoint: boolean): Promise<Error> {
    const cause = error instanceof TableWriteError ? error.cause : error;
    const kind = error instanceof ConnectError ? 'refused' : classifyDbError(cause);
    if (kind !== 'connection' && inSavepoint) {
      try {
        await session.query(`ROLLBACK TO SAVEPOINT ${PUT_SAVEPOINT}`);
        await session.query(`RELEASE SAVEPOINT ${PUT_SAVEPOINT}`);
      } catch (rollbackError) {
        // MySQL rolls a deadlocked transaction back whole, its savepoints with it.
        return this.#lostTransaction(rollbackError);
      }
      if (this.#session) this.#writer?.forgetTables();
    } else if (kind !== 'connection') {
      // Failed before the savepoint (MySQL's DDL): nothing of this put was written.
    } else {
      return this.#lostTransaction(cause);
    }
    if (error instanceof ConnectError) return error;
    const message = `JdbcSink: ${error instanceof TableWriteError ? error.message : this.#reason(error)}`;
    return kind === 'transient'
      ? new RetriableError(message, { cause: error })
      : new NonRetriableError(message, { cause: error });
  }

  /** The transaction is gone with the connection: retriable if it held no earlier puts. */
  #lostTransaction(error: unknown): Error {
    const client = this.#client;
    const heldWrites = this.#holdsWrites;
    this.#end(true);
    if (!heldWrites && client) return connectionError(client.settings, error);
    this.#lost = new NonRetriableError(
      `JdbcSink: the transaction was lost with its connection, and with it the records put since the last flush, which will come again: ${this.#reason(error)}`,
      { cause: error },
    );
    return this.#lost;
  }

  #reason(error: unknown): string {
    return reasonOf(error, this.#client?.settings.password);
  }
}
