/**
 * One table (or the query) a task reads: where it stands (Confluent's offset), and the next
 * statement that continues from there. Each statement is a keyset query bounded by
 * `batch.max.rows`, so a poll is one short query and a slice can stop between any two of them.
 */
import {
  NonRetriableError,
  type SourceOffset,
  type SourcePartition,
} from '../../api/plugin-kit.js';
import { qualifiedTable, tableText, type Dialect, type TableId } from '../jdbc/dialect.js';
import { utcTimestampText, wallClockText, type Instant } from '../jdbc/time.js';
import type { Mode } from './config.js';

/** What is read: a table, or the `query` key's query. */
export type Subject = { readonly table: TableId } | { readonly query: string };

/** Where a subject's reading stands; what its offset says. */
export interface Position {
  /** The last incrementing value read, as the database's integer text. */
  incrementing?: string | undefined;
  /** The last timestamp read. */
  timestamp?: Instant | undefined;
  /** Bulk mode: when the current pass began, and the key (or row count) it has reached. */
  bulk?: BulkPass | undefined;
}

export interface BulkPass {
  readonly started: number;
  /** The primary key of the last row read, for tables that have one. */
  readonly after?: readonly unknown[] | undefined;
  /** Rows read so far, for a query or a table without a primary key. */
  readonly rows?: number | undefined;
}

/** The partition of a subject's offsets: Confluent's protocol-1 shape. */
export function partitionOf(subject: Subject): SourcePartition {
  return 'query' in subject
    ? { query: 'query' }
    : { protocol: '1', table: tableText(subject.table) };
}

/** An offset in Confluent's shape (`incrementing`, `timestamp`, `timestamp_nanos`). */
export function offsetOf(position: Position): SourceOffset {
  const offset: Record<string, unknown> = {};
  if (position.timestamp) {
    offset['timestamp'] = position.timestamp.epochMs;
    offset['timestamp_nanos'] = position.timestamp.nanos;
  }
  if (position.incrementing !== undefined) {
    // A number as Confluent writes it while exact; past 2^53 a string, so nothing is lost.
    const value = BigInt(position.incrementing);
    offset['incrementing'] =
      value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
        ? Number(value)
        : position.incrementing;
  }
  if (position.bulk) {
    offset['bulk_started'] = position.bulk.started;
    if (position.bulk.after) offset['bulk_after'] = position.bulk.after;
    if (position.bulk.rows !== undefined) offset['bulk_rows'] = position.bulk.rows;
  }
  return offset;
}

/** A committed offset back as a position; throws naming the field that is not what it must be. */
export function positionOf(offset: SourceOffset | undefined, what: string): Position {
  if (!offset) return {};
  const bad = (field: string) =>
    new NonRetriableError(
      `the committed offset of ${what} has a bad "${field}": ${JSON.stringify(offset[field])}`,
    );
  const position: Position = {};
  const incrementing = offset['incrementing'];
  if (incrementing !== undefined && incrementing !== null) {
    const text =
      typeof incrementing === 'number' || typeof incrementing === 'string'
        ? String(incrementing)
        : '';
    if (!/^-?\d+$/.test(text)) throw bad('incrementing');
    position.incrementing = text;
  }
  const timestamp = offset['timestamp'];
  if (timestamp !== undefined && timestamp !== null) {
    if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp)) throw bad('timestamp');
    const nanosRaw = offset['timestamp_nanos'];
    // Without nanos (an older offset), the milliseconds' own.
    const nanos =
      typeof nanosRaw === 'number' && Number.isInteger(nanosRaw) && nanosRaw >= 0 && nanosRaw < 1e9
        ? nanosRaw
        : (((timestamp % 1000) + 1000) % 1000) * 1_000_000;
    position.timestamp = { epochMs: timestamp, nanos };
  }
  const started = offset['bulk_started'];
  if (typeof started === 'number') {
    const after = offset['bulk_after'];
    const rows = offset['bulk_rows'];
    position.bulk = {
      started,
      ...(Array.isArray(after) && { after }),
      ...(typeof rows === 'number' && { rows }),
    };
  }
  return position;
}

/** What a statement needs besides the position. */
export interface StatementPlan {
  readonly dialect: Dialect;
  readonly subject: Subject;
  readonly mode: Mode;
  readonly incrementingColumn: string | undefined;
  readonly timestampColumns: readonly string[];
  /** A table's primary key columns, for bulk passes by key. */
  readonly keyColumns: readonly string[];
  readonly delayMs: number;
  readonly suffix: string;
  readonly limit: number;
  /** `db.timezone`: MySQL compares wall clocks in it. */
  readonly zone: string;
}

export interface Statement {
  readonly sql: string;
  readonly params: unknown[];
}

/** The next statement from `position`: rows after it, in order, at most `limit`. */
export function nextStatement(plan: StatementPlan, position: Position): Statement {
  const { dialect, limit } = plan;
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return dialect.param(params.length);
  };
  const q = (name: string) => dialect.quote(name);
  const base =
    'query' in plan.subject
      ? plan.subject.query
      : `SELECT * FROM ${qualifiedTable(dialect, plan.subject.table)}`;
  const ts = timestampExpression(plan);
  const inc = plan.incrementingColumn === undefined ? '' : q(plan.incrementingColumn);
  let where: string;
  let order: string;
  switch (plan.mode) {
    case 'incrementing':
      where = `${inc} > ${incrementingParam(plan, position.incrementing ?? '-1', param)}`;
      order = `${inc} ASC`;
      break;
    case 'timestamp':
      where = `${ts} > ${timestampParam(plan, position.timestamp, param)} AND ${ts} < ${upperBound(plan)}`;
      order = `${ts} ASC`;
      break;
    case 'timestamp+incrementing': {
      const last = timestampParam(plan, position.timestamp, param);
      const lastInc = incrementingParam(plan, position.incrementing ?? '-1', param);
      const again = timestampParam(plan, position.timestamp, param);
      where = `${ts} < ${upperBound(plan)} AND ((${ts} = ${last} AND ${inc} > ${lastInc}) OR ${ts} > ${again})`;
      order = `${ts} ASC, ${inc} ASC`;
      break;
    }
    case 'bulk': {
      const after = position.bulk?.after;
      if (plan.keyColumns.length > 0) {
        const key = plan.keyColumns.map(q).join(', ');
        const sql =
          `${base}${after ? ` WHERE (${key}) > (${after.map((v) => param(v)).join(', ')})` : ''}` +
          ` ORDER BY ${key} LIMIT ${limit}`;
        return { sql: withSuffix(sql, plan), params };
      }
      const rows = position.bulk?.rows ?? 0;
      const sql = `SELECT * FROM (${base}) AS bulk_pass LIMIT ${limit} OFFSET ${rows}`;
      return { sql: withSuffix(sql, plan), params };
    }
  }
  return {
    sql: withSuffix(`${base} WHERE ${where} ORDER BY ${order} LIMIT ${limit}`, plan),
    params,
  };
}

/** Every row whose timestamp equals `at` (timestamp mode completes a batch's last instant). */
export function sameInstantStatement(plan: StatementPlan, at: Instant): Statement {
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return plan.dialect.param(params.length);
  };
  const base =
    'query' in plan.subject
      ? plan.subject.query
      : `SELECT * FROM ${qualifiedTable(plan.dialect, plan.subject.table)}`;
  const ts = timestampExpression(plan);
  return {
    sql: withSuffix(`${base} WHERE ${ts} = ${timestampParam(plan, at, param)}`, plan),
    params,
  };
}

function withSuffix(sql: string, plan: StatementPlan): string {
  return plan.suffix.trim() === '' ? sql : `${sql} ${plan.suffix}`;
}

function timestampExpression(plan: StatementPlan): string {
  const columns = plan.timestampColumns.map((c) => plan.dialect.quote(c));
  return columns.length === 1 ? columns[0]! : `COALESCE(${columns.join(', ')})`;
}

/** Rows stamped at least `timestamp.delay.interval.ms` before the database's now. */
function upperBound(plan: StatementPlan): string {
  const { delayMs } = plan;
  if (plan.dialect.name === 'postgresql') {
    return delayMs === 0
      ? 'CURRENT_TIMESTAMP'
      : `CURRENT_TIMESTAMP - INTERVAL '${delayMs} milliseconds'`;
  }
  return delayMs === 0 ? 'NOW(6)' : `NOW(6) - INTERVAL ${delayMs * 1000} MICROSECOND`;
}

const EPOCH: Instant = { epochMs: 0, nanos: 0 };

function timestampParam(
  plan: StatementPlan,
  at: Instant | undefined,
  param: (value: unknown) => string,
): string {
  const instant = at ?? EPOCH;
  // PostgreSQL: an exact instant (a column without time zone is compared in the session's,
  // db.timezone). MySQL: the wall clock of db.timezone, the session's zone.
  return plan.dialect.name === 'postgresql'
    ? `${param(utcTimestampText(instant))}::timestamptz`
    : param(wallClockText(instant, plan.zone));
}

function incrementingParam(
  plan: StatementPlan,
  text: string,
  param: (value: unknown) => string,
): string {
  // MySQL compares an integer column with a string as doubles: BIGINTs past 2^53 need a number.
  return plan.dialect.name === 'postgresql' ? `${param(text)}::int8` : param(BigInt(text));
}
