/**
 * SQL columns as Connect sees them: the Connect schema of each result column, and its values
 * converted exactly (Confluent's JDBC source type mapping, written down in the source's README).
 * Values arrive as the drivers hand them over raw (connection.ts): text, numbers, buffers.
 */
import { LogicalType, SchemaBuilder, Schemas, type Schema } from '../../api/plugin-kit.js';
import type { ResultField, SqlClient } from './connection.js';
import { parseWallClock, type Instant } from './time.js';

/** What the type mapping needs to know of a column. */
export interface ColumnInfo {
  readonly name: string;
  /** The type's name, lower case, as the database spells it: `int4`, `numeric`, `datetime`. */
  readonly sqlType: string;
  /** The Connect mapping family of the type (see `familyOf`). */
  readonly family: TypeFamily;
  readonly nullable: boolean;
  /** NUMERIC/DECIMAL precision and scale; undefined for an unconstrained NUMERIC. */
  readonly precision?: number | undefined;
  readonly scale?: number | undefined;
  readonly unsigned: boolean;
  /** The element family of a PostgreSQL array. */
  readonly element?: TypeFamily | undefined;
}

export type TypeFamily =
  | 'boolean'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint64'
  | 'float32'
  | 'float64'
  | 'decimal'
  | 'string'
  | 'bytes'
  | 'date'
  | 'time'
  | 'timetz'
  | 'timestamp'
  | 'timestamptz'
  | 'array';

/** `numeric.mapping`, as Confluent's JDBC source takes it. */
export type NumericMapping = 'none' | 'precision_only' | 'best_fit' | 'best_fit_eager_double';

// PostgreSQL's built-in type OIDs (pg_type.dat), by family.
const PG_TYPES: Readonly<Record<number, [string, TypeFamily, TypeFamily?]>> = {
  16: ['bool', 'boolean'],
  17: ['bytea', 'bytes'],
  18: ['char', 'string'],
  19: ['name', 'string'],
  20: ['int8', 'int64'],
  21: ['int2', 'int16'],
  23: ['int4', 'int32'],
  25: ['text', 'string'],
  26: ['oid', 'int64'],
  114: ['json', 'string'],
  142: ['xml', 'string'],
  700: ['float4', 'float32'],
  701: ['float8', 'float64'],
  790: ['money', 'string'],
  829: ['macaddr', 'string'],
  869: ['inet', 'string'],
  650: ['cidr', 'string'],
  1042: ['bpchar', 'string'],
  1043: ['varchar', 'string'],
  1082: ['date', 'date'],
  1083: ['time', 'time'],
  1114: ['timestamp', 'timestamp'],
  1184: ['timestamptz', 'timestamptz'],
  1186: ['interval', 'string'],
  1266: ['timetz', 'timetz'],
  1560: ['bit', 'string'],
  1562: ['varbit', 'string'],
  1700: ['numeric', 'decimal'],
  2950: ['uuid', 'string'],
  3802: ['jsonb', 'string'],
  1000: ['_bool', 'array', 'boolean'],
  1005: ['_int2', 'array', 'int16'],
  1007: ['_int4', 'array', 'int32'],
  1016: ['_int8', 'array', 'int64'],
  1021: ['_float4', 'array', 'float32'],
  1022: ['_float8', 'array', 'float64'],
  1009: ['_text', 'array', 'string'],
  1015: ['_varchar', 'array', 'string'],
  1014: ['_bpchar', 'array', 'string'],
  1231: ['_numeric', 'array', 'string'],
};

// MySQL's protocol column types (mysql2's `columnType`).
const MYSQL_TYPES: Readonly<Record<number, [string, TypeFamily]>> = {
  0: ['decimal', 'decimal'],
  1: ['tinyint', 'int8'],
  2: ['smallint', 'int16'],
  3: ['int', 'int32'],
  4: ['float', 'float32'],
  5: ['double', 'float64'],
  7: ['timestamp', 'timestamp'],
  8: ['bigint', 'int64'],
  9: ['mediumint', 'int32'],
  10: ['date', 'date'],
  11: ['time', 'time'],
  12: ['datetime', 'timestamp'],
  13: ['year', 'int32'],
  14: ['date', 'date'],
  15: ['varchar', 'string'],
  16: ['bit', 'bytes'],
  17: ['timestamp', 'timestamp'],
  18: ['datetime', 'timestamp'],
  19: ['time', 'time'],
  245: ['json', 'string'],
  246: ['decimal', 'decimal'],
  247: ['enum', 'string'],
  248: ['set', 'string'],
  249: ['tinyblob', 'string'],
  250: ['mediumblob', 'string'],
  251: ['longblob', 'string'],
  252: ['blob', 'string'],
  253: ['varchar', 'string'],
  254: ['char', 'string'],
  255: ['geometry', 'bytes'],
};

const MYSQL_NOT_NULL = 1;
const MYSQL_UNSIGNED = 32;
const MYSQL_BINARY_CHARSET = 63;

/**
 * The columns of a result. PostgreSQL's result metadata says nothing of nullability: it is read
 * from pg_attribute for columns that come straight from a table (others are nullable).
 */
export async function describeColumns(
  client: SqlClient,
  fields: readonly ResultField[],
): Promise<ColumnInfo[]> {
  const notNull = await pgNotNullColumns(client, fields);
  return fields.map((f) => {
    if (f.driver === 'pg') {
      const { field } = f;
      const [sqlType, family, element] = PG_TYPES[field.dataTypeID] ?? [
        `oid ${field.dataTypeID}`,
        'string',
      ];
      const numeric = family === 'decimal' && field.dataTypeModifier >= 4;
      return {
        name: field.name,
        sqlType,
        family,
        nullable: !notNull.has(`${field.tableID}:${field.columnID}`),
        precision: numeric ? ((field.dataTypeModifier - 4) >> 16) & 0xffff : undefined,
        scale: numeric ? (field.dataTypeModifier - 4) & 0xffff : undefined,
        unsigned: false,
        element,
      };
    }
    const { field } = f;
    const code = field.columnType ?? 253;
    const [sqlType, base] = MYSQL_TYPES[code] ?? [`type ${code}`, 'string'];
    const flags = Number(field.flags ?? 0);
    const unsigned = (flags & MYSQL_UNSIGNED) !== 0;
    const binary = field.characterSet === MYSQL_BINARY_CHARSET;
    const length = field.columnLength ?? 0;
    const scale = field.decimals ?? 0;
    let family: TypeFamily = base;
    // TINYINT(1) is MySQL's BOOLEAN (Connector/J reports it as BIT, which Confluent maps so).
    if (code === 1 && length === 1) family = 'boolean';
    // YEAR comes flagged unsigned, but 1901…2155 fits its INT32.
    else if (unsigned && code !== 13) family = widened(base);
    if (family === 'string' && binary && code !== 245) family = 'bytes';
    if (code === 16 && length === 1) family = 'boolean';
    return {
      name: field.name,
      sqlType: binary && family === 'bytes' && code >= 249 && code <= 254 ? 'binary' : sqlType,
      family,
      nullable: (flags & MYSQL_NOT_NULL) === 0,
      precision:
        family === 'decimal' ? length - (scale > 0 ? 1 : 0) - (unsigned ? 0 : 1) : undefined,
      scale: family === 'decimal' ? scale : undefined,
      unsigned,
    };
  });
}

/** Unsigned integers take the next wider type, so every value fits (BIGINT UNSIGNED: Decimal). */
function widened(family: TypeFamily): TypeFamily {
  switch (family) {
    case 'int8':
      return 'int16';
    case 'int16':
      return 'int32';
    case 'int32':
      return 'int64';
    case 'int64':
      return 'uint64';
    default:
      return family;
  }
}

async function pgNotNullColumns(
  client: SqlClient,
  fields: readonly ResultField[],
): Promise<Set<string>> {
  const pairs = fields.flatMap((f) =>
    f.driver === 'pg' && f.field.tableID !== 0 ? [[f.field.tableID, f.field.columnID]] : [],
  );
  if (pairs.length === 0) return new Set();
  const result = await client.query(
    'SELECT attrelid::int8::text, attnum::text FROM pg_attribute WHERE attnotnull AND attrelid = ANY($1::oid[]) AND attnum = ANY($2::int2[])',
    [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
  );
  return new Set(result.rows.map((r) => `${String(r[0])}:${String(r[1])}`));
}

/** The Connect schema of a column, optional when the column is nullable. */
export function connectSchemaOf(column: ColumnInfo, numericMapping: NumericMapping): Schema {
  const base = requiredSchemaOf(column, numericMapping);
  return column.nullable ? { ...base, optional: true } : base;
}

function requiredSchemaOf(column: ColumnInfo, numericMapping: NumericMapping): Schema {
  switch (column.family) {
    case 'boolean':
      return Schemas.BOOLEAN;
    case 'int8':
      return Schemas.INT8;
    case 'int16':
      return Schemas.INT16;
    case 'int32':
      return Schemas.INT32;
    case 'int64':
      return Schemas.INT64;
    case 'uint64':
      return Schemas.decimal(0);
    case 'float32':
      return Schemas.FLOAT32;
    case 'float64':
      return Schemas.FLOAT64;
    case 'decimal':
      return numericSchema(column, numericMapping);
    case 'bytes':
      return Schemas.BYTES;
    case 'date':
      return Schemas.DATE;
    case 'time':
    case 'timetz':
      return Schemas.TIME;
    case 'timestamp':
    case 'timestamptz':
      return Schemas.TIMESTAMP;
    case 'array': {
      const element = requiredSchemaOf(
        { ...column, family: column.element ?? 'string', nullable: true },
        numericMapping,
      );
      return SchemaBuilder.array({ ...element, optional: true }).build();
    }
    case 'string':
      return Schemas.STRING;
  }
}

/**
 * NUMERIC/DECIMAL under `numeric.mapping` (Confluent's rules): `none` keeps Decimal;
 * `precision_only` maps scale-0 numbers to the smallest integer type that holds the precision;
 * `best_fit` also maps numbers with a fraction to FLOAT64 when the precision is under 19;
 * `best_fit_eager_double` maps every number with a fraction to FLOAT64. An unconstrained
 * PostgreSQL NUMERIC has no scale a Decimal schema could carry: STRING, exact (FLOAT64 under
 * `best_fit_eager_double`).
 */
function numericSchema(column: ColumnInfo, mapping: NumericMapping): Schema {
  const { precision, scale } = column;
  if (precision === undefined || scale === undefined) {
    return mapping === 'best_fit_eager_double' ? Schemas.FLOAT64 : Schemas.STRING;
  }
  if (mapping !== 'none' && scale === 0 && precision > 0 && precision < 19) {
    if (precision > 9) return Schemas.INT64;
    if (precision > 4) return Schemas.INT32;
    if (precision > 2) return Schemas.INT16;
    return Schemas.INT8;
  }
  if (mapping === 'best_fit' && scale > 0 && precision < 19) return Schemas.FLOAT64;
  if (mapping === 'best_fit_eager_double' && scale > 0) return Schemas.FLOAT64;
  return Schemas.decimal(scale);
}

/**
 * A raw value as its Connect schema holds it; `zone` is `db.timezone` (wall-clock columns).
 * Throws naming the column when a value cannot be held (PostgreSQL's `infinity` dates).
 */
export function connectValueOf(
  column: ColumnInfo,
  schema: Schema,
  raw: unknown,
  zone: string,
): unknown {
  if (raw === null || raw === undefined) return null;
  switch (schema.name) {
    case LogicalType.DECIMAL:
      return decimalOf(textOf(raw), Number(schema.parameters?.['scale'] ?? 0), column);
    case LogicalType.DATE:
      return new Date(dayOf(textOf(raw), column));
    case LogicalType.TIME:
      return new Date(timeOfDayMs(textOf(raw), column));
    case LogicalType.TIMESTAMP:
      return new Date(instantOf(column, raw, zone).epochMs);
  }
  switch (schema.type) {
    case 'BOOLEAN':
      return typeof raw === 'string' ? raw === 't' || raw === 'true' || raw === '1' : raw !== 0;
    case 'INT8':
    case 'INT16':
    case 'INT32':
      return integerOf(raw, column);
    case 'INT64': {
      const value = BigInt(integerText(raw, column));
      return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value;
    }
    case 'FLOAT32':
    case 'FLOAT64':
      return Number(raw);
    case 'BYTES':
      return Buffer.isBuffer(raw) ? raw : Buffer.from(textOf(raw));
    case 'ARRAY':
      return (raw as unknown[]).map((item) =>
        item === null ? null : elementOf(item, column.element ?? 'string'),
      );
    default:
      return textOf(raw);
  }
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function elementOf(item: unknown, family: TypeFamily): unknown {
  switch (family) {
    case 'int64':
      return BigInt(String(item));
    case 'int16':
    case 'int32':
    case 'float32':
    case 'float64':
      return Number(item);
    case 'boolean':
      return Boolean(item);
    default:
      return textOf(item);
  }
}

/** A raw value's text: the drivers give strings, numbers, bigints and buffers. */
export function textOf(raw: unknown): string {
  if (typeof raw === 'string') return raw;
  if (Buffer.isBuffer(raw)) return raw.toString('utf8');
  if (typeof raw === 'number' || typeof raw === 'bigint' || typeof raw === 'boolean') {
    return String(raw);
  }
  return JSON.stringify(raw);
}

function integerText(raw: unknown, column: ColumnInfo): string {
  const text = textOf(raw);
  if (!/^-?\d+$/.test(text)) throw new Error(`column ${column.name}: ${text} is not an integer`);
  return text;
}

function integerOf(raw: unknown, column: ColumnInfo): number {
  return typeof raw === 'number' ? raw : Number(integerText(raw, column));
}

/** A decimal's text at the schema's scale, exactly. */
export function decimalOf(
  text: string,
  scale: number,
  column: Pick<ColumnInfo, 'name'>,
): { unscaled: bigint; scale: number } {
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!match) throw new Error(`column ${column.name}: ${text} is not a number`);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > scale && /[1-9]/.test(fraction.slice(scale))) {
    throw new Error(`column ${column.name}: ${text} has more than ${scale} fraction digits`);
  }
  const digits = `${whole || '0'}${fraction.slice(0, scale).padEnd(scale, '0')}`;
  const unscaled = BigInt(digits);
  return { unscaled: sign === '-' ? -unscaled : unscaled, scale };
}

/** Epoch milliseconds of a `YYYY-MM-DD` date at UTC midnight. */
function dayOf(text: string, column: ColumnInfo): number {
  const match = /^(\d{4,})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) throw new Error(`column ${column.name}: the date ${text} has no Connect Date value`);
  const utc = new Date(0);
  utc.setUTCFullYear(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return utc.getTime();
}

/** Milliseconds since midnight of `HH:MM:SS[.ffffff][±HH[:MM]]`, shifted to UTC with an offset. */
function timeOfDayMs(text: string, column: ColumnInfo): number {
  const match = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([+-])(\d{2})(?::?(\d{2}))?)?$/.exec(text);
  if (!match) throw new Error(`column ${column.name}: the time ${text} has no Connect Time value`);
  const [, h, m, s, fraction = '', sign, oh = '0', om = '0'] = match;
  let ms =
    ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000 +
    Number(fraction.slice(0, 3).padEnd(3, '0'));
  if (sign) ms -= (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
  const day = 86_400_000;
  return ((ms % day) + day) % day;
}

/**
 * The instant a timestamp column's raw value stands for: text with an offset (PostgreSQL's
 * timestamptz) as it says; text without one (TIMESTAMP WITHOUT TIME ZONE, MySQL's DATETIME and,
 * in a session of db.timezone, TIMESTAMP) as a wall clock in `zone`.
 */
export function instantOf(column: Pick<ColumnInfo, 'name'>, raw: unknown, zone: string): Instant {
  const text = textOf(raw);
  const instant = parseWallClock(text, zone);
  if (!instant) {
    throw new Error(`column ${column.name}: the timestamp ${text} has no Connect Timestamp value`);
  }
  return instant;
}
