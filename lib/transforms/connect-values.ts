/**
 * Kafka Connect's `Values.convertToString` and `Values.parseString`: the text a header holds
 * when Kafka's SimpleHeaderConverter writes a value (HeaderFrom), Cast's text of a value
 * (`java-cast.ts`), and how InsertHeader reads its literal (`value-parser.ts`). All work on
 * `JavaValue`, what the value is on Kafka's side (a Byte and a Long print the same, a Float and a
 * Double do not), so that the text is Java's byte for byte.
 */
import { decimalScale, type DecimalValue, LogicalType, type Schema } from '../api/schema.js';
import { bigDecimalText, javaDouble, javaFloat, unscaledOf } from '../converters/json-numbers.js';
import { compileDateFormat } from './date-format.js';
import { isPlainObject } from './requirements.js';

/** A value as Java holds it in Kafka Connect, for its text. */
export type JavaValue =
  | null
  | { readonly t: 'int'; readonly v: bigint }
  | { readonly t: 'float' | 'double'; readonly v: number }
  | { readonly t: 'decimal'; readonly unscaled: bigint; readonly scale: number }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'string'; readonly v: string }
  | { readonly t: 'bytes'; readonly v: Uint8Array }
  | { readonly t: 'date'; readonly ms: number }
  | { readonly t: 'list'; readonly items: readonly JavaValue[] }
  | { readonly t: 'map'; readonly entries: readonly (readonly [JavaValue, JavaValue])[] }
  | { readonly t: 'struct'; readonly fields: readonly (readonly [string, JavaValue])[] };

/**
 * What a value of this schema (or, without one, of its JavaScript kind, as JsonConverter reads
 * schemaless JSON: integers are Longs, other numbers Doubles) is in Java. A struct's null field
 * reads as its default, as `Struct.get` does.
 */
export function javaValueOf(schema: Schema | undefined, value: unknown): JavaValue {
  if (value === null || value === undefined) return null;
  if (schema === undefined) return inferred(value);
  switch (schema.name) {
    case LogicalType.DATE:
    case LogicalType.TIME:
    case LogicalType.TIMESTAMP:
      return { t: 'date', ms: (value as Date).getTime() };
    case LogicalType.DECIMAL: {
      const scale = decimalScale(schema) ?? 0;
      const d = value as DecimalValue | string;
      return {
        t: 'decimal',
        unscaled: typeof d === 'string' ? unscaledOf(d, scale)! : d.unscaled,
        scale,
      };
    }
  }
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
      return { t: 'int', v: BigInt(value as number | bigint) };
    case 'FLOAT32':
      return { t: 'float', v: value as number };
    case 'FLOAT64':
      return { t: 'double', v: value as number };
    case 'BOOLEAN':
      return { t: 'bool', v: value as boolean };
    case 'STRING':
      return { t: 'string', v: value as string };
    case 'BYTES':
      return { t: 'bytes', v: value as Uint8Array };
    case 'ARRAY':
      return {
        t: 'list',
        items: (value as unknown[]).map((v) => javaValueOf(schema.valueSchema, v)),
      };
    case 'MAP': {
      const entries = value instanceof Map ? [...value] : Object.entries(value);
      return {
        t: 'map',
        entries: entries.map(([k, v]) => [
          javaValueOf(schema.keySchema, k),
          javaValueOf(schema.valueSchema, v),
        ]),
      };
    }
    case 'STRUCT': {
      const struct = value as Record<string, unknown>;
      return {
        t: 'struct',
        fields: schema.fields.map((f) => [
          f.name,
          javaValueOf(f.schema, struct[f.name] ?? f.schema.defaultValue),
        ]),
      };
    }
  }
}

function inferred(value: unknown): JavaValue {
  if (typeof value === 'string') return { t: 'string', v: value };
  if (typeof value === 'boolean') return { t: 'bool', v: value };
  if (typeof value === 'bigint') return { t: 'int', v: value };
  if (typeof value === 'number') {
    return Number.isInteger(value) ? { t: 'int', v: BigInt(value) } : { t: 'double', v: value };
  }
  if (value instanceof Uint8Array) return { t: 'bytes', v: value };
  if (value instanceof Date) return { t: 'date', ms: value.getTime() };
  if (Array.isArray(value))
    return { t: 'list', items: value.map((v) => javaValueOf(undefined, v)) };
  const entries =
    value instanceof Map ? [...value] : isPlainObject(value) ? Object.entries(value) : [];
  return {
    t: 'map',
    entries: entries.map(([k, v]) => [javaValueOf(undefined, k), javaValueOf(undefined, v)]),
  };
}

const TIME_TEXT = compileDateFormat("HH:mm:ss.SSS'Z'");
const DATE_TEXT = compileDateFormat('yyyy-MM-dd');
const TIMESTAMP_TEXT = compileDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
const DAY_MS = 86_400_000;

/**
 * `Values.convertToString`: null for null, else the text (strings bare at the top, quoted and
 * escaped inside lists, maps and structs; bytes in base64; dates in ISO 8601, in UTC where Kafka
 * uses the worker's time zone).
 */
export function javaText(value: JavaValue): string | null {
  return value === null ? null : append(value, false);
}

function append(value: JavaValue, embedded: boolean): string {
  if (value === null) return 'null';
  switch (value.t) {
    case 'int':
      return value.v.toString();
    case 'float':
    case 'double':
      return value.t === 'float' ? javaFloat(value.v) : javaDouble(value.v);
    case 'decimal':
      return bigDecimalText(value.unscaled, value.scale);
    case 'bool':
      return String(value.v);
    case 'string':
      return embedded ? `"${value.v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"` : value.v;
    case 'bytes': {
      const text = Buffer.from(value.v).toString('base64');
      return embedded ? `"${text}"` : text;
    }
    case 'date':
      if (value.ms < DAY_MS) return TIME_TEXT(value.ms);
      return value.ms % DAY_MS === 0 ? DATE_TEXT(value.ms) : TIMESTAMP_TEXT(value.ms);
    case 'list':
      return `[${value.items.map((v) => append(v, true)).join(',')}]`;
    case 'map':
      return `{${value.entries.map(([k, v]) => `${append(k, true)}:${append(v, true)}`).join(',')}}`;
    case 'struct':
      return `{${value.fields.map(([k, v]) => `"${k.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}":${append(v, true)}`).join(',')}}`;
  }
}
