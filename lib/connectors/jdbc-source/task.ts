import {
  ConfigError,
  parsePluginConfig,
  splitList,
  type ConnectorConfig,
  type OffsetReader,
  type SourceRecord,
  type SourceTask,
  type SourceTaskContext,
} from '../../api/plugin-kit.js';
import {
  currentSchemaOf,
  primaryKeyOf,
  tableExists,
  tableNamed,
  tablesOf,
} from '../jdbc/catalog.js';
import type { NumericMapping } from '../jdbc/columns.js';
import { acquireSqlClient, type SqlClient } from '../jdbc/connection.js';
import { connectionSettingsOf } from '../jdbc/connection-keys.js';
import { tableText, type TableId } from '../jdbc/dialect.js';
import { parseWallClock } from '../jdbc/time.js';
import {
  jdbcSourceKeys,
  pollIntervalOf,
  TASK_COUNT_KEY,
  TASK_INDEX_KEY,
  TASK_TABLES_KEY,
  type JdbcSourceConfig,
  type Mode,
} from './config.js';
import { positionOf, type Position, type Subject } from './querier.js';
import { TableReader } from './table-reader.js';
import { ownsTable, tableMatches } from './tables.js';

/**
 * Confluent's JdbcSourceTask: each poll runs one keyset query on the table due first (at most
 * `batch.max.rows` rows) and returns its rows as records, each with Confluent's offset of its
 * table. New tables are picked up every `table.poll.interval.ms`.
 */
export class JdbcSourceTask implements SourceTask {
  #config!: JdbcSourceConfig;
  #raw: ConnectorConfig = {};
  #client!: SqlClient;
  #offsets!: OffsetReader;
  /** Where unqualified table names live; undefined when the connection names no database. */
  #schema: string | undefined;
  #readers = new Map<string, TableReader>();
  #tablesListedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly now: () => number = Date.now) {}

  async start(config: ConnectorConfig, context: SourceTaskContext): Promise<void> {
    this.#config = parsePluginConfig('JdbcSource', jdbcSourceKeys.configSchema, config);
    this.#raw = config;
    this.#client = await acquireSqlClient(context.resources, connectionSettingsOf(this.#config));
    this.#offsets = context.offsets;
    this.#schema = this.#config['schema.pattern'] ?? (await currentSchemaOf(this.#client));
    if (this.#config.query !== undefined) {
      await this.#addReaders([{ query: this.#config.query }]);
    } else {
      await this.#listTables();
    }
  }

  async poll(): Promise<SourceRecord[]> {
    if (this.#config.query === undefined) {
      if (this.now() - this.#tablesListedAt >= this.#config['table.poll.interval.ms']) {
        await this.#listTables();
      }
    }
    let due: TableReader | undefined;
    for (const reader of this.#readers.values()) {
      if (!due || reader.nextPollAt < due.nextPollAt) due = reader;
    }
    if (!due || due.nextPollAt > this.now()) return [];
    return due.read(this.#client);
  }

  stop(): Promise<void> {
    // The pool is a warm resource: the runtime gives it back when the slice ends.
    this.#readers.clear();
    return Promise.resolve();
  }

  /** The tables this task reads now: its own list, or its share of the schema's tables. */
  async #listTables(): Promise<void> {
    this.#tablesListedAt = this.now();
    const own = this.#raw[TASK_TABLES_KEY];
    let tables: TableId[];
    if (own !== undefined) {
      const listed = splitList(own).map((t) => tableNamed(t, this.#schema, 'table.whitelist'));
      tables = [];
      for (const table of listed) if (await tableExists(this.#client, table)) tables.push(table);
    } else {
      const index = Number(this.#raw[TASK_INDEX_KEY] ?? 0);
      const count = Number(this.#raw[TASK_COUNT_KEY] ?? 1);
      const include = [...this.#config['table.whitelist'], ...this.#config['table.include.list']];
      const exclude = [...this.#config['table.blacklist'], ...this.#config['table.exclude.list']];
      if (this.#schema === undefined) {
        throw new ConfigError(
          'schema.pattern',
          'connection.url names no database to find tables in: add it to the URL, set schema.pattern, or list database.table in table.whitelist',
        );
      }
      tables = (await tablesOf(this.#client, this.#schema)).filter(
        (table) =>
          (include.length === 0 || include.some((name) => tableMatches(name, table))) &&
          !exclude.some((name) => tableMatches(name, table)) &&
          ownsTable(table, index, count),
      );
    }
    await this.#addReaders(
      tables.filter((table) => !this.#readers.has(tableText(table))).map((table) => ({ table })),
    );
  }

  async #addReaders(subjects: readonly Subject[]): Promise<void> {
    if (subjects.length === 0) return;
    const readers = await Promise.all(subjects.map((s) => this.#readerOf(s)));
    const committed = await this.#offsets.read(readers.map((r) => r.reader.partition));
    for (const { reader, id } of readers) {
      const entry = committed.find(
        (c) => JSON.stringify(c.partition) === JSON.stringify(reader.partition),
      );
      if (entry) reader.restore(positionOf(entry.offset, id));
      this.#readers.set(id, reader);
    }
  }

  async #readerOf(subject: Subject): Promise<{ reader: TableReader; id: string }> {
    const config = this.#config;
    const mode = config.mode as Mode;
    const id = 'query' in subject ? 'query' : tableText(subject.table);
    const keyColumns =
      mode === 'bulk' && 'table' in subject ? await primaryKeyOf(this.#client, subject.table) : [];
    const reader = new TableReader(
      {
        plan: {
          dialect: this.#client.dialect,
          subject,
          mode,
          incrementingColumn: config['incrementing.column.name'],
          timestampColumns: config['timestamp.column.name'],
          keyColumns,
          delayMs: config['timestamp.delay.interval.ms'],
          suffix: config['query.suffix'],
          limit: config['batch.max.rows'],
          zone: config['db.timezone'],
        },
        topic:
          'query' in subject
            ? config['topic.prefix']
            : `${config['topic.prefix']}${subject.table.name}`,
        numericMapping: config['numeric.mapping'] as NumericMapping,
        validateNonNull: config['validate.non.null'],
        pollIntervalMs: pollIntervalOf(this.#raw),
        now: this.now,
      },
      await this.#initialPosition(mode),
    );
    return { reader, id };
  }

  /** Where a subject without a committed offset starts: `timestamp.initial`, else the start. */
  async #initialPosition(mode: Mode): Promise<Position> {
    const initial = this.#config['timestamp.initial'];
    if (!mode.startsWith('timestamp') || initial === undefined) return {};
    if (initial >= 0)
      return { timestamp: { epochMs: initial, nanos: (initial % 1000) * 1_000_000 } };
    const result = await this.#client.query(`SELECT ${this.#client.dialect.localNow}`);
    const now = parseWallClock(String(result.rows[0]?.[0]), this.#config['db.timezone']);
    return now ? { timestamp: now } : {};
  }
}
