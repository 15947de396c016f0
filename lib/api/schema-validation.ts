import {
  decimalScale,
  LogicalType,
  type MapSchema,
  type Schema,
  type StructSchema,
} from './schema.js';

/**
 * Where and why a value does not fit its schema. `path` is '' for the value itself, then
 * struct fields joined by '.', array items as `[i]` and map entries as `[key]`:
 * `address.zip`, `items[2].sku`, `tags["eu"]`.
 */
export interface SchemaMismatch {
  readonly path: string;
  readonly reason: string;
  /** E.g. "field 'address.zip': expected INT32, got string". */
  readonly message: string;
}

const INT_RANGES = {
  INT8: [-(2 ** 7), 2 ** 7 - 1],
  INT16: [-(2 ** 15), 2 ** 15 - 1],
  INT32: [-(2 ** 31), 2 ** 31 - 1],
} as const;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const DAY_MS = 86_400_000;

/**
 * Checks a JavaScript value against a schema and returns the first mismatch, or undefined.
 *
 * How values are held:
 * - INT8, INT16, INT32: integer `number`s, range-checked; FLOAT32, FLOAT64: any `number`.
 * - INT64: a `bigint` (full 64-bit range) or a safe-integer `number` (what JSON gives; larger
 *   numbers have already lost precision, so they are refused).
 * - BOOLEAN: `boolean`; STRING: `string`; BYTES: `Uint8Array` (a `Buffer` is one).
 * - Date, Time, Timestamp: `Date` objects; a Date has no time of day (UTC), a Time lies on
 *   1970-01-01 UTC.
 * - Decimal: `{ unscaled: bigint, scale }` with the schema's scale, or a decimal string
 *   ("-12.5") with at most `scale` fraction digits, which rescales exactly.
 * - ARRAY: arrays; MAP: a `Map`, or a plain object (its keys are strings).
 * - STRUCT: a plain object with the schema's fields and no others.
 * - null or undefined: accepted when the schema is optional or has a default value.
 *
 * @example
 * validateValue(person, { id: 1, address: { zip: '12345' } })?.message
 * // "field 'address.zip': expected INT32, got string"
 */
export function validateValue(schema: Schema, value: unknown): SchemaMismatch | undefined {
  return check(schema, value, '');
}

function check(schema: Schema, value: unknown, path: string): SchemaMismatch | undefined {
  if (value === null || value === undefined) {
    if (schema.optional || schema.defaultValue !== undefined) return undefined;
    return mismatch(path, `expected ${expected(schema)}, got ${kindOf(value)}`);
  }
  switch (schema.name) {
    case LogicalType.DATE:
    case LogicalType.TIME:
    case LogicalType.TIMESTAMP:
      return checkTemporal(schema, value, path);
    case LogicalType.DECIMAL:
      return checkDecimal(schema, value, path);
  }
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32': {
      if (typeof value !== 'number') return wrongKind(schema, value, path);
      if (!Number.isInteger(value)) return mismatch(path, `expected ${schema.type}, got ${value}`);
      const [min, max] = INT_RANGES[schema.type];
      if (value < min || value > max) {
        return mismatch(path, `expected ${schema.type}, got ${value}, out of range ${min}..${max}`);
      }
      return undefined;
    }
    case 'INT64':
      return checkInt64(value, path);
    case 'FLOAT32':
    case 'FLOAT64':
      return typeof value === 'number' ? undefined : wrongKind(schema, value, path);
    case 'BOOLEAN':
      return typeof value === 'boolean' ? undefined : wrongKind(schema, value, path);
    case 'STRING':
      return typeof value === 'string' ? undefined : wrongKind(schema, value, path);
    case 'BYTES':
      return value instanceof Uint8Array ? undefined : wrongKind(schema, value, path);
    case 'ARRAY': {
      if (!Array.isArray(value)) return wrongKind(schema, value, path);
      for (const [i, item] of (value as unknown[]).entries()) {
        const found = check(schema.valueSchema, item, `${path}[${i}]`);
        if (found) return found;
      }
      return undefined;
    }
    case 'MAP':
      return checkMap(schema, value, path);
    case 'STRUCT':
      return checkStruct(schema, value, path);
  }
}

function checkInt64(value: unknown, path: string): SchemaMismatch | undefined {
  if (typeof value === 'bigint') {
    return value < INT64_MIN || value > INT64_MAX
      ? mismatch(path, `expected INT64, got ${value}, out of the 64-bit range`)
      : undefined;
  }
  if (typeof value !== 'number') return mismatch(path, `expected INT64, got ${kindOf(value)}`);
  if (!Number.isSafeInteger(value)) {
    return mismatch(path, `expected INT64, got ${value}, not a safe integer (use a bigint)`);
  }
  return undefined;
}

function checkTemporal(schema: Schema, value: unknown, path: string): SchemaMismatch | undefined {
  const want = expected(schema);
  if (!(value instanceof Date)) return mismatch(path, `expected ${want}, got ${kindOf(value)}`);
  const ms = value.getTime();
  if (Number.isNaN(ms)) return mismatch(path, `expected ${want}, got an invalid Date`);
  if (schema.name === LogicalType.DATE && ms % DAY_MS !== 0) {
    return mismatch(path, `expected ${want}, got a Date with a time of day (UTC)`);
  }
  if (schema.name === LogicalType.TIME && (ms < 0 || ms >= DAY_MS)) {
    return mismatch(path, `expected ${want}, got a Date outside 1970-01-01 UTC`);
  }
  return undefined;
}

function checkDecimal(schema: Schema, value: unknown, path: string): SchemaMismatch | undefined {
  const scale = decimalScale(schema);
  if (scale === undefined) return mismatch(path, 'Decimal schema has no integer scale parameter');
  if (typeof value === 'string') {
    const m = /^[+-]?\d+(?:\.(\d+))?$/.exec(value);
    if (!m) return mismatch(path, `expected Decimal, got a string that is not a decimal number`);
    const digits = m[1]?.length ?? 0;
    return digits > scale
      ? mismatch(path, `expected Decimal of scale ${scale}, got ${digits} fraction digits`)
      : undefined;
  }
  if (typeof value === 'object' && value !== null && 'unscaled' in value && 'scale' in value) {
    if (typeof value.unscaled !== 'bigint') {
      return mismatch(path, `expected Decimal, got an unscaled ${kindOf(value.unscaled)}`);
    }
    return value.scale === scale
      ? undefined
      : mismatch(path, `expected Decimal of scale ${scale}, got scale ${String(value.scale)}`);
  }
  return mismatch(path, `expected Decimal, got ${kindOf(value)}`);
}

function checkMap(schema: MapSchema, value: unknown, path: string): SchemaMismatch | undefined {
  let entries: Iterable<[unknown, unknown]>;
  if (value instanceof Map) entries = value.entries();
  else if (isPlainObject(value)) entries = Object.entries(value);
  else return wrongKind(schema, value, path);
  for (const [k, v] of entries) {
    const at = `${path}[${typeof k === 'string' ? JSON.stringify(k) : String(k)}]`;
    const badKey = check(schema.keySchema, k, at);
    if (badKey) return mismatch(at, `key: ${badKey.reason}`);
    const badValue = check(schema.valueSchema, v, at);
    if (badValue) return badValue;
  }
  return undefined;
}

function checkStruct(
  schema: StructSchema,
  value: unknown,
  path: string,
): SchemaMismatch | undefined {
  if (!isPlainObject(value)) return wrongKind(schema, value, path);
  for (const field of schema.fields) {
    const found = check(field.schema, value[field.name], join(path, field.name));
    if (found) return found;
  }
  for (const name of Object.keys(value)) {
    if (!schema.fields.some((f) => f.name === name)) {
      return mismatch(join(path, name), 'not a field of the struct schema');
    }
  }
  return undefined;
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function expected(schema: Schema): string {
  switch (schema.name) {
    case LogicalType.DATE:
      return 'Date';
    case LogicalType.TIME:
      return 'Time';
    case LogicalType.TIMESTAMP:
      return 'Timestamp';
    case LogicalType.DECIMAL:
      return 'Decimal';
    default:
      return schema.type;
  }
}

function wrongKind(schema: Schema, value: unknown, path: string): SchemaMismatch {
  return mismatch(path, `expected ${expected(schema)}, got ${kindOf(value)}`);
}

/** A short name for what a value is; never a string's text, which may be a secret. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Uint8Array) return 'bytes';
  if (value instanceof Map) return 'Map';
  if (value instanceof Date) return 'Date';
  return typeof value;
}

function mismatch(path: string, reason: string): SchemaMismatch {
  return { path, reason, message: path === '' ? `value: ${reason}` : `field '${path}': ${reason}` };
}
