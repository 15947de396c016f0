/** What Kafka's transforms check of a key or value (its `Requirements`), shared by ours. */
import { NonRetriableError } from '../api/errors.js';
import type { Schema } from '../api/schema.js';

/** A plain object: a struct's value or a schemaless map. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const BOXED: Partial<Record<Schema['type'], string>> = {
  INT8: 'java.lang.Byte',
  INT16: 'java.lang.Short',
  INT32: 'java.lang.Integer',
  INT64: 'java.lang.Long',
  FLOAT32: 'java.lang.Float',
  FLOAT64: 'java.lang.Double',
};

/**
 * What Kafka's `nullSafeClassName` prints for a value of this kind, for its messages. A number
 * is a `Long` when whole and a `Double` otherwise, as JsonConverter reads schemaless JSON,
 * unless its schema says which (an INT32 is an `Integer`).
 */
export function javaClassOf(value: unknown, schema?: Schema): string {
  if (value === null || value === undefined) return 'null';
  if (schema?.type === 'STRUCT') return 'org.apache.kafka.connect.data.Struct';
  const boxed = schema && typeof value !== 'object' ? BOXED[schema.type] : undefined;
  if (boxed !== undefined) return boxed;
  if (Array.isArray(value)) return 'java.util.ArrayList';
  if (typeof value === 'string') return 'java.lang.String';
  if (typeof value === 'number')
    return Number.isInteger(value) ? 'java.lang.Long' : 'java.lang.Double';
  if (typeof value === 'bigint') return 'java.lang.Long';
  if (typeof value === 'boolean') return 'java.lang.Boolean';
  if (value instanceof Uint8Array) return '[B';
  if (value instanceof Date) return 'java.util.Date';
  if (isPlainObject(value) && typeof value.unscaled === 'bigint') return 'java.math.BigDecimal';
  if (value instanceof Map || isPlainObject(value)) return 'java.util.HashMap';
  return typeof value;
}

/** Kafka's `requireMap`: a schemaless key or value must be a map (a plain object or a Map). */
export function requireMap(
  value: unknown,
  purpose: string,
): Record<string, unknown> | Map<unknown, unknown> {
  if (isPlainObject(value) || value instanceof Map) return value;
  throw new NonRetriableError(
    `Only Map objects supported in absence of schema for [${purpose}], found: ${javaClassOf(value)}`,
  );
}

/** Kafka's `requireStruct`: a key or value with a STRUCT schema, held as a plain object. */
export function requireStruct(
  value: unknown,
  schema: Schema,
  purpose: string,
): Record<string, unknown> {
  if (schema.type === 'STRUCT' && isPlainObject(value)) return value;
  throw new NonRetriableError(
    `Only Struct objects supported for [${purpose}], found: ${javaClassOf(value, schema)}`,
  );
}

/** Kafka's `requireSchema`. */
export function requireSchema(schema: Schema | undefined, purpose: string): Schema {
  if (schema) return schema;
  throw new NonRetriableError(`Schema required for [${purpose}]`);
}
