/**
 * Connect values as SQL bind parameters, exactly: integers past 2^53 and decimals as their
 * digits, dates and times as SQL text computed here (never by the driver, so never in the
 * process's TZ), bytes as Buffers, nested values as JSON text. Pure.
 */
import { LogicalType, type Schema } from '../../api/plugin-kit.js';
import type { DialectName } from '../jdbc/url.js';
import { utcTimestampText, wallClockText, type Instant } from '../jdbc/time.js';
import { decimalScaleOf } from './sql-types.js';

/** What a value's SQL text may depend on besides its schema. */
export interface ParamContext {
  readonly dialect: DialectName;
  /** `db.timezone`: the wall clock of columns without a time zone. */
  readonly timeZone: string;
  /**
   * MySQL's session time zone offset (ms): a MySQL TIMESTAMP column reads its text in the
   * session's zone, which connection.ts sets to a fixed offset.
   */
  readonly sessionOffsetMs?: number | undefined;
}

/** What the conversion needs of the target column (from information_schema). */
export interface TargetColumn {
  /** information_schema's `data_type`, lower case: `timestamp with time zone`, `datetime`… */
  readonly dataType: string;
}

/**
 * A value (as schema-validation.ts describes how Connect values are held) as the parameter the
 * driver sends. A null takes the schema's default, as Connect's `Struct.get` does.
 *
 * @example
 * toParam(new Date(0), Schemas.TIMESTAMP, { dataType: 'datetime' }, { dialect: 'mysql', timeZone: 'Asia/Shanghai' })
 * // '1970-01-01 08:00:00.000000'
 */
export function toParam(
  value: unknown,
  schema: Schema | undefined,
  column: TargetColumn | undefined,
  context: ParamContext,
): unknown {
  if (value === null || value === undefined) {
    if (schema?.defaultValue === undefined || schema.defaultValue === null) return null;
    value = schema.defaultValue;
  }
  if (value instanceof Date) return temporalParam(value, schema?.name, column, context);
  if (schema?.name === LogicalType.DECIMAL || isDecimal(value)) return decimalOf(value, schema);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) {
    return Buffer.isBuffer(value)
      ? value
      : Buffer.from(value.buffer, value.byteOffset, value.length);
  }
  if (typeof value !== 'object') return value;
  // PostgreSQL array columns take arrays (pg writes the array literal); else JSON text.
  if (Array.isArray(value) && context.dialect === 'postgresql' && column?.dataType === 'array') {
    const items = schema?.type === 'ARRAY' ? schema.valueSchema : undefined;
    return (value as unknown[]).map((item) => toParam(item, items, undefined, context));
  }
  return jsonText(value, schema);
}

interface DecimalLike {
  readonly unscaled: bigint;
  readonly scale: number;
}

function isDecimal(value: unknown): value is DecimalLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    'unscaled' in value &&
    typeof value.unscaled === 'bigint' &&
    'scale' in value &&
    typeof value.scale === 'number'
  );
}

/** A Decimal (unscaled and scale, or decimal text) as plain decimal text. */
function decimalOf(value: unknown, schema: Schema | undefined): unknown {
  if (isDecimal(value)) return decimalText(value, schema);
  if (typeof value !== 'string') return value;
  const match = /^([+-]?)0*(\d+(?:\.\d+)?)$/.exec(value.trim());
  return match ? `${match[1] === '-' ? '-' : ''}${match[2]}` : value;
}

/** `{ unscaled: -12345n, scale: 2 }` as `-123.45`, exactly. */
export function decimalText(value: DecimalLike, schema?: Schema): string {
  const scale = Number.isInteger(value.scale) ? value.scale : schema ? decimalScaleOf(schema) : 0;
  if (scale <= 0) return (value.unscaled * 10n ** BigInt(-scale)).toString();
  const negative = value.unscaled < 0n;
  const digits = (negative ? -value.unscaled : value.unscaled).toString().padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function temporalParam(
  date: Date,
  logical: string | undefined,
  column: TargetColumn | undefined,
  context: ParamContext,
): string {
  const iso = date.toISOString();
  switch (logical) {
    case LogicalType.DATE:
      return iso.slice(0, 10);
    case LogicalType.TIME: {
      const time = iso.slice(11, 23);
      return column?.dataType === 'time with time zone' ? `${time}+00` : time;
    }
    default:
      return timestampText(date.getTime(), column, context);
  }
}

/**
 * A Timestamp for its column: an instant with its offset where the column keeps instants
 * (PostgreSQL timestamptz), the session's fixed offset for MySQL TIMESTAMP, else the wall clock
 * of db.timezone (TIMESTAMP WITHOUT TIME ZONE, DATETIME).
 */
export function timestampText(
  epochMs: number,
  column: TargetColumn | undefined,
  context: ParamContext,
): string {
  const instant: Instant = { epochMs, nanos: (((epochMs % 1000) + 1000) % 1000) * 1_000_000 };
  const type = column?.dataType;
  if (context.dialect === 'postgresql' && type === 'timestamp with time zone') {
    return utcTimestampText(instant);
  }
  if (
    context.dialect === 'mysql' &&
    type === 'timestamp' &&
    context.sessionOffsetMs !== undefined
  ) {
    return wallClockText({ ...instant, epochMs: epochMs + context.sessionOffsetMs }, 'UTC');
  }
  return wallClockText(instant, context.timeZone);
}

/**
 * A nested value (struct, map, array) as JSON text: integers past 2^53 and decimals as JSON
 * numbers with all their digits, bytes as base64, Date, Time and Timestamp as ISO text.
 */
export function jsonText(value: unknown, schema: Schema | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) {
    const iso = value.toISOString();
    if (schema?.name === LogicalType.DATE) return JSON.stringify(iso.slice(0, 10));
    if (schema?.name === LogicalType.TIME) return JSON.stringify(iso.slice(11, 23));
    return JSON.stringify(iso);
  }
  if (schema?.name === LogicalType.DECIMAL || isDecimal(value))
    return String(decimalOf(value, schema));
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (Array.isArray(value)) {
    const items = schema?.type === 'ARRAY' ? schema.valueSchema : undefined;
    return `[${(value as unknown[]).map((item) => jsonText(item, items)).join(',')}]`;
  }
  if (value instanceof Map) {
    const values = schema?.type === 'MAP' ? schema.valueSchema : undefined;
    const entries = [...(value as Map<unknown, unknown>).entries()];
    return `{${entries.map(([k, v]) => `${JSON.stringify(String(k))}:${jsonText(v, values)}`).join(',')}}`;
  }
  if (typeof value === 'object') {
    const fieldSchema = (name: string) =>
      schema?.type === 'STRUCT'
        ? schema.fields.find((f) => f.name === name)?.schema
        : schema?.type === 'MAP'
          ? schema.valueSchema
          : undefined;
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, v]) => v !== undefined,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v, fieldSchema(k))}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
