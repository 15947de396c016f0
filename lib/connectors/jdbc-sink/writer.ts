/**
 * Writes rows into their tables through one session whose transaction the task holds: makes
 * each table fit first (auto.create, auto.evolve), then runs its rows in order as multi-row
 * statements. Knows nothing of transactions beyond the `ddl` runner it is given.
 */
import { NonRetriableError, type Schema } from '../../api/plugin-kit.js';
import type { SqlSession } from '../jdbc/connection.js';
import { dialectOf, parseTableName, tableText, type TableId } from '../jdbc/dialect.js';
import type { DialectName } from '../jdbc/url.js';
import type { JdbcSinkConfig } from './config.js';
import { planGroups } from './plan.js';
import type { ColumnValue, SinkRow } from './rows.js';
import { sqlTypeOf } from './sql-types.js';
import {
  addColumnsStatement,
  chunkRows,
  createTableStatement,
  deleteStatement,
  insertStatement,
  sqlWriter,
  tableSql,
  updateStatement,
  type SqlWriter,
  type Statement,
} from './statements.js';
import { columnOf, readTableInfo, type TableInfo } from './table-info.js';
import { toParam, type ParamContext } from './values.js';

/** A statement the database refused, with the table it was for. */
export class TableWriteError extends Error {
  override readonly name = 'TableWriteError';

  constructor(
    readonly table: string,
    cause: unknown,
  ) {
    super(`table "${table}": ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/** Runs one DDL statement the way the task's transaction allows (see task.ts). */
export type DdlRunner = (sql: string) => Promise<void>;

type WriterConfig = Pick<
  JdbcSinkConfig,
  | 'insert.mode'
  | 'batch.size'
  | 'auto.create'
  | 'auto.evolve'
  | 'quote.sql.identifiers'
  | 'db.timezone'
>;

export class TableWriter {
  readonly #dialect: DialectName;
  readonly #config: WriterConfig;
  readonly #sql: SqlWriter;
  /** Column names compare ignoring case: MySQL's do, and PostgreSQL folds unquoted ones. */
  readonly #ignoreCase: boolean;
  readonly #tables = new Map<string, TableInfo>();
  #session: { defaultSchema: string | undefined; offsetMs: number | undefined } | undefined;

  constructor(dialect: DialectName, config: WriterConfig) {
    this.#dialect = dialect;
    this.#config = config;
    this.#sql = sqlWriter(dialect, config['quote.sql.identifiers']);
    this.#ignoreCase = dialect === 'mysql' || config['quote.sql.identifiers'] === 'never';
  }

  /** Forgets what it read of the tables: DDL may have been rolled back. */
  forgetTables(): void {
    this.#tables.clear();
  }

  /**
   * Makes every table the rows name exist with their columns, creating and altering them as
   * auto.create and auto.evolve allow; returns each table's columns by the rows' table name.
   */
  async prepare(
    session: SqlSession,
    rows: readonly SinkRow[],
    ddl: DdlRunner,
  ): Promise<Map<string, TableInfo>> {
    const prepared = new Map<string, TableInfo>();
    for (const [name, tableRows] of byTable(rows)) {
      prepared.set(name, await this.#prepareTable(session, name, tableRows, ddl));
    }
    return prepared;
  }

  /** Writes the rows of each table in order: one table's, then the next's. */
  async write(
    session: SqlSession,
    rows: readonly SinkRow[],
    tables: ReadonlyMap<string, TableInfo>,
  ): Promise<void> {
    const context = await this.#context(session);
    for (const [name, tableRows] of byTable(rows)) {
      const table = tables.get(name);
      if (!table) throw new Error(`table "${name}" was not prepared`);
      const statements = this.#statements(table, tableRows, context);
      const label = tableText(table.id);
      for (const statement of statements) {
        try {
          await session.query(statement.sql, statement.params);
        } catch (error) {
          throw new TableWriteError(label, error);
        }
      }
    }
  }

  async #context(session: SqlSession): Promise<ParamContext & { defaultSchema?: string }> {
    if (!this.#session) {
      const dialect = dialectOf(this.#dialect);
      const sql =
        this.#dialect === 'mysql'
          ? `SELECT ${dialect.currentSchema}, @@session.time_zone`
          : `SELECT ${dialect.currentSchema}`;
      const [row] = (await session.query(sql)).rows;
      const schema = row?.[0];
      this.#session = {
        defaultSchema: typeof schema === 'string' && schema !== '' ? schema : undefined,
        offsetMs: offsetMs(row?.[1]),
      };
    }
    return {
      dialect: this.#dialect,
      timeZone: this.#config['db.timezone'],
      sessionOffsetMs: this.#session.offsetMs,
      ...(this.#session.defaultSchema !== undefined && {
        defaultSchema: this.#session.defaultSchema,
      }),
    };
  }

  async #tableId(session: SqlSession, name: string): Promise<TableId> {
    const { defaultSchema } = await this.#context(session);
    const foldCase =
      this.#dialect === 'postgresql' && this.#config['quote.sql.identifiers'] === 'never';
    const text = foldCase ? name.toLowerCase() : name;
    if (defaultSchema === undefined && !text.includes('.')) {
      throw new NonRetriableError(
        `JdbcSink: table "${name}" names no database, and connection.url names none: add the database to connection.url, or write database.table in table.name.format`,
      );
    }
    return parseTableName(text, defaultSchema ?? '');
  }

  async #prepareTable(
    session: SqlSession,
    name: string,
    rows: readonly SinkRow[],
    ddl: DdlRunner,
  ): Promise<TableInfo> {
    const cached = this.#tables.get(name);
    const id = cached?.id ?? (await this.#tableId(session, name));
    const label = tableText(id);
    const table = tableSql(this.#sql, id.schema, id.name);
    const wanted = columnsOf(rows);
    let info = cached ?? (await readTableInfo(session, this.#dialect, id));
    if (!info) {
      if (!this.#config['auto.create']) {
        throw new NonRetriableError(
          `JdbcSink: table "${label}" does not exist; create it, or set auto.create=true to create it from the records' value schemas`,
        );
      }
      const defs = wanted.map((c) => ({
        name: c.name,
        type: sqlTypeOf(this.#dialect, needSchema(c, label, 'auto.create'), c.key),
        nullable: !c.key && c.schema?.optional === true,
      }));
      const keys = wanted.filter((c) => c.key).map((c) => c.name);
      const created = await this.#runDdl(
        session,
        id,
        createTableStatement(this.#sql, table, defs, keys),
        ddl,
      );
      if (!created.info) throw new TableWriteError(label, created.failure);
      info = created.info;
    }
    const missingFrom = (t: TableInfo) =>
      wanted.filter((c) => !columnOf(t, c.name, this.#ignoreCase));
    const missing = missingFrom(info);
    if (missing.length > 0) {
      const names = missing.map((c) => `"${c.name}"`).join(', ');
      if (!this.#config['auto.evolve']) {
        throw new NonRetriableError(
          `JdbcSink: table "${label}" has no column ${names}; add it, or set auto.evolve=true to add missing columns`,
        );
      }
      const defs = missing.map((c) => ({
        name: c.name,
        type: sqlTypeOf(this.#dialect, needSchema(c, label, 'auto.evolve'), false),
      }));
      const altered = await this.#runDdl(
        session,
        id,
        addColumnsStatement(this.#sql, table, defs),
        ddl,
      );
      if (!altered.info || missingFrom(altered.info).length > 0) {
        throw new TableWriteError(label, altered.failure);
      }
      info = altered.info;
    }
    this.#tables.set(name, info);
    return info;
  }

  /**
   * Runs DDL, then reads the table again. A statement that failed because another task did the
   * same first (the table or the column exists now) is no failure: the caller judges the table
   * as read after it, and reports the failure only when the table still does not fit.
   */
  async #runDdl(
    session: SqlSession,
    id: TableId,
    sql: string,
    ddl: DdlRunner,
  ): Promise<{ info: TableInfo | undefined; failure: unknown }> {
    let failure: unknown = new Error('the table does not fit the records after the DDL');
    try {
      await ddl(sql);
    } catch (error) {
      failure = error;
    }
    return { info: await readTableInfo(session, this.#dialect, id), failure };
  }

  #statements(table: TableInfo, rows: readonly SinkRow[], context: ParamContext): Statement[] {
    const mode = this.#config['insert.mode'];
    const sqlTable = tableSql(this.#sql, table.id.schema, table.id.name);
    const param = (c: ColumnValue) =>
      toParam(c.value, c.schema, columnOf(table, c.name, this.#ignoreCase), context);
    const statements: Statement[] = [];
    for (const group of planGroups(rows, mode !== 'insert')) {
      for (const same of bySignature(group.rows)) {
        const first = same[0];
        if (!first) continue;
        const keyNames = first.key.map((c) => c.name);
        if (group.kind === 'delete') {
          for (const chunk of chunkRows(
            same.map((r) => r.key.map(param)),
            this.#config['batch.size'],
          )) {
            statements.push(deleteStatement(this.#sql, sqlTable, keyNames, chunk));
          }
          continue;
        }
        const valueNames = first.values.map((c) => c.name);
        if (mode === 'update') {
          for (const row of same) {
            const update = updateStatement(
              this.#sql,
              sqlTable,
              keyNames,
              row.key.map(param),
              valueNames,
              row.values.map(param),
            );
            if (update) statements.push(update);
          }
          continue;
        }
        const columns = [...keyNames, ...valueNames];
        const params = same.map((r) => [...r.key.map(param), ...r.values.map(param)]);
        for (const chunk of chunkRows(params, this.#config['batch.size'])) {
          statements.push(
            insertStatement(
              this.#sql,
              sqlTable,
              columns,
              chunk,
              mode === 'upsert' ? keyNames : undefined,
            ),
          );
        }
      }
    }
    return statements;
  }
}

/** The rows of each table, tables in the order they first come, rows in record order. */
function byTable(rows: readonly SinkRow[]): Map<string, SinkRow[]> {
  const tables = new Map<string, SinkRow[]>();
  for (const row of rows) {
    const list = tables.get(row.table);
    if (list) list.push(row);
    else tables.set(row.table, [row]);
  }
  return tables;
}

/** Rows with the same columns in the same order, which one statement can write together. */
function bySignature(rows: readonly SinkRow[]): SinkRow[][] {
  const groups = new Map<string, SinkRow[]>();
  for (const row of rows) {
    const signature = [...row.key, ...row.values].map((c) => c.name).join('\u0000');
    const list = groups.get(signature);
    if (list) list.push(row);
    else groups.set(signature, [row]);
  }
  return [...groups.values()];
}

interface WantedColumn {
  readonly name: string;
  readonly schema: Schema | undefined;
  readonly key: boolean;
}

/** Every column the rows write, key columns first, each with the first schema that names it. */
function columnsOf(rows: readonly SinkRow[]): WantedColumn[] {
  const columns = new Map<string, WantedColumn>();
  for (const row of rows) {
    for (const c of row.key) {
      if (!columns.has(c.name)) columns.set(c.name, { name: c.name, schema: c.schema, key: true });
    }
  }
  for (const row of rows) {
    for (const c of row.values) {
      const known = columns.get(c.name);
      if (!known || (known.schema === undefined && c.schema !== undefined)) {
        columns.set(c.name, { name: c.name, schema: c.schema, key: known?.key ?? false });
      }
    }
  }
  return [...columns.values()];
}

function needSchema(column: WantedColumn, table: string, key: 'auto.create' | 'auto.evolve') {
  if (column.schema) return column.schema;
  throw new NonRetriableError(
    `JdbcSink: ${key} cannot choose a type for column "${column.name}" of table "${table}": the record has no schema (schemaless JSON, e.g. schemas.enable=false); create the column yourself, or send records with schemas`,
  );
}

/** MySQL's session time zone (`+08:00`) in milliseconds; undefined for a named zone. */
function offsetMs(zone: unknown): number | undefined {
  const match = typeof zone === 'string' ? /^([+-])(\d{1,2}):(\d{2})$/.exec(zone) : null;
  if (!match) return undefined;
  const ms = (Number(match[2]) * 60 + Number(match[3])) * 60_000;
  return match[1] === '-' ? -ms : ms;
}
