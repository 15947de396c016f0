import {
  NonRetriableError,
  SchemaBuilder,
  type Schema,
  type SourceRecord,
  type StructSchema,
} from '../../api/plugin-kit.js';
import {
  connectSchemaOf,
  connectValueOf,
  describeColumns,
  instantOf,
  textOf,
  type ColumnInfo,
  type NumericMapping,
} from '../jdbc/columns.js';
import { statementError, type QueryResult, type SqlClient } from '../jdbc/connection.js';
import { tableText } from '../jdbc/dialect.js';
import type { Instant } from '../jdbc/time.js';
import {
  nextStatement,
  offsetOf,
  partitionOf,
  sameInstantStatement,
  type Position,
  type StatementPlan,
  type Subject,
} from './querier.js';

/** How a result's rows become records: the columns, their schemas, the value schema. */
interface RowShape {
  readonly key: string;
  readonly columns: readonly ColumnInfo[];
  readonly schemas: readonly Schema[];
  readonly valueSchema: StructSchema;
  readonly incrementingIndex: number;
  readonly timestampIndexes: readonly number[];
  readonly keyIndexes: readonly number[];
}

export interface ReaderSettings {
  readonly plan: StatementPlan;
  readonly topic: string;
  readonly numericMapping: NumericMapping;
  readonly validateNonNull: boolean;
  readonly pollIntervalMs: number;
  readonly now: () => number;
}

/**
 * Reads one subject (a table or the query) batch by batch from its position, and knows when it
 * is due again: at once while batches come full, `poll.interval.ms` after it read to the end
 * (bulk: after the pass began).
 */
export class TableReader {
  readonly partition;
  nextPollAt = 0;
  #shape: RowShape | undefined;

  constructor(
    private readonly settings: ReaderSettings,
    private position: Position,
  ) {
    this.partition = partitionOf(settings.plan.subject);
  }

  /** Continues from a committed offset. */
  restore(position: Position): void {
    this.position = position;
  }

  get subject(): Subject {
    return this.settings.plan.subject;
  }

  /** The next batch of records; none when the subject has nothing new. */
  async read(client: SqlClient): Promise<SourceRecord[]> {
    const { plan, now, pollIntervalMs } = this.settings;
    if (plan.mode === 'bulk' && !this.position.bulk) {
      this.position = { bulk: { started: now() } };
    }
    const first = await this.#query(client, nextStatement(plan, this.position));
    let rows = first.rows;
    const shape = await this.#shapeOf(client, first);
    const full = rows.length >= plan.limit;
    if (plan.mode === 'timestamp' && full)
      rows = await this.#completeLastInstant(client, shape, rows);
    const records = rows.map((row) => this.#record(shape, row));
    if (full) {
      this.nextPollAt = now();
    } else if (plan.mode === 'bulk') {
      // The pass is over: the next begins poll.interval.ms after this one began.
      this.nextPollAt = (this.position.bulk?.started ?? now()) + pollIntervalMs;
      this.position = {};
    } else {
      this.nextPollAt = now() + pollIntervalMs;
    }
    return records;
  }

  /**
   * A full batch in timestamp mode may end inside a run of rows with the same timestamp; the
   * next query asks for later timestamps only, so the run's other rows are read now, or they
   * would be skipped.
   */
  async #completeLastInstant(
    client: SqlClient,
    shape: RowShape,
    rows: unknown[][],
  ): Promise<unknown[][]> {
    const last = this.#timestampOf(shape, rows[rows.length - 1]!);
    const same = (row: unknown[]) => {
      const at = this.#timestampOf(shape, row);
      return at.epochMs === last.epochMs && at.nanos === last.nanos;
    };
    const before = rows.filter((row) => !same(row));
    const run = await this.#query(client, sameInstantStatement(this.settings.plan, last));
    return [...before, ...run.rows];
  }

  async #query(
    client: SqlClient,
    statement: { sql: string; params: unknown[] },
  ): Promise<QueryResult> {
    try {
      return await client.query(statement.sql, statement.params);
    } catch (error) {
      throw statementError(client.settings, error, `reading ${this.#what()}`);
    }
  }

  #what(): string {
    const subject = this.subject;
    return 'query' in subject ? 'the query' : `table ${tableText(subject.table)}`;
  }

  async #shapeOf(client: SqlClient, result: QueryResult): Promise<RowShape> {
    const key = result.fields
      .map((f) =>
        f.driver === 'pg'
          ? `${f.field.name}/${f.field.dataTypeID}/${f.field.dataTypeModifier}`
          : `${f.field.name}/${f.field.columnType}/${String(f.field.flags)}/${f.field.decimals}`,
      )
      .join('|');
    if (this.#shape?.key === key) return this.#shape;
    const columns = await describeColumns(client, result.fields);
    const { plan, numericMapping } = this.settings;
    const schemas = columns.map((c) => connectSchemaOf(c, numericMapping));
    let builder = SchemaBuilder.struct();
    if ('table' in plan.subject) builder = builder.name(plan.subject.table.name);
    columns.forEach((c, i) => {
      builder = builder.field(c.name, schemas[i]!);
    });
    const indexOf = (name: string) => {
      const index = columns.findIndex((c) => c.name === name);
      if (index < 0) {
        throw new NonRetriableError(`${this.#what()} has no column "${name}"`);
      }
      if (this.settings.validateNonNull && columns[index]!.nullable && this.#checksNulls(name)) {
        throw new NonRetriableError(
          `column "${name}" of ${this.#what()} may hold NULL, which mode=${plan.mode} cannot track; make it NOT NULL or set validate.non.null=false`,
        );
      }
      return index;
    };
    this.#shape = {
      key,
      columns,
      schemas,
      valueSchema: builder.build(),
      incrementingIndex:
        plan.incrementingColumn === undefined ? -1 : indexOf(plan.incrementingColumn),
      timestampIndexes: plan.mode.startsWith('timestamp') ? plan.timestampColumns.map(indexOf) : [],
      keyIndexes: plan.keyColumns.map((name) => columns.findIndex((c) => c.name === name)),
    };
    return this.#shape;
  }

  /** With several timestamp columns, one of them may be null (COALESCE takes the next). */
  #checksNulls(name: string): boolean {
    const { plan } = this.settings;
    return name === plan.incrementingColumn || plan.timestampColumns.length === 1;
  }

  #timestampOf(shape: RowShape, row: unknown[]): Instant {
    for (const index of shape.timestampIndexes) {
      const raw = row[index];
      if (raw !== null && raw !== undefined) {
        return instantOf(shape.columns[index]!, raw, this.settings.plan.zone);
      }
    }
    throw new NonRetriableError(
      `a row of ${this.#what()} has no timestamp in ${this.settings.plan.timestampColumns.join(', ')}`,
    );
  }

  #record(shape: RowShape, row: unknown[]): SourceRecord {
    const { plan } = this.settings;
    const value: Record<string, unknown> = {};
    shape.columns.forEach((column, i) => {
      try {
        value[column.name] = connectValueOf(column, shape.schemas[i]!, row[i], plan.zone);
      } catch (error) {
        throw new NonRetriableError(`${this.#what()}: ${(error as Error).message}`);
      }
    });
    this.position = this.#advance(shape, row);
    return {
      topic: this.settings.topic,
      partition: this.partition,
      offset: offsetOf(this.position),
      timestamp: this.settings.now(),
      key: null,
      value,
      valueSchema: shape.valueSchema,
      headers: [],
    };
  }

  #advance(shape: RowShape, row: unknown[]): Position {
    const { plan } = this.settings;
    switch (plan.mode) {
      case 'incrementing':
        return { incrementing: textOf(row[shape.incrementingIndex]) };
      case 'timestamp':
        return { timestamp: this.#timestampOf(shape, row) };
      case 'timestamp+incrementing':
        return {
          timestamp: this.#timestampOf(shape, row),
          incrementing: textOf(row[shape.incrementingIndex]),
        };
      case 'bulk': {
        const pass = this.position.bulk ?? { started: this.settings.now() };
        return shape.keyIndexes.length > 0 && shape.keyIndexes.every((i) => i >= 0)
          ? {
              bulk: { started: pass.started, after: shape.keyIndexes.map((i) => keyValue(row[i])) },
            }
          : { bulk: { started: pass.started, rows: (pass.rows ?? 0) + 1 } };
      }
    }
  }
}

/** A key value as an offset holds it (JSON): bytes as hex are not supported as keys here. */
function keyValue(raw: unknown): unknown {
  if (typeof raw === 'number' || typeof raw === 'string' || raw === null) return raw;
  return textOf(raw);
}
