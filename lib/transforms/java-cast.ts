/**
 * Java's conversions between Connect's primitive values, as Kafka's Cast transform makes them:
 * `Number.byteValue()` and friends (two's-complement wrap-around; floating values saturate, NaN
 * is 0), `Byte.parseByte`, `Double.parseDouble`, `Boolean.parseBoolean`, `toString` (Java's text
 * of floats and BigDecimals, base64 of bytes, `Values.dateFormatFor` of dates).
 */
import { NonRetriableError } from '../api/errors.js';
import type { PrimitiveType } from '../api/schema.js';
import { bigDecimalText, javaDouble, javaFloat } from '../converters/json-numbers.js';
import { compileDateFormat, type DateFormatter } from './date-format.js';

/** A value as Java holds it before a cast: its boxed class decides what each cast does. */
export type JavaValue =
  | { readonly kind: 'int'; readonly bits: 8 | 16 | 32 | 64; readonly v: bigint }
  | { readonly kind: 'float'; readonly bits: 32 | 64; readonly v: number }
  | { readonly kind: 'decimal'; readonly unscaled: bigint; readonly scale: number }
  | { readonly kind: 'boolean'; readonly v: boolean }
  | { readonly kind: 'string'; readonly v: string }
  | { readonly kind: 'bytes'; readonly v: Uint8Array }
  | { readonly kind: 'date'; readonly v: Date };

/** The types Cast writes. */
export type CastTarget = Exclude<PrimitiveType, 'BYTES'>;

/** Java's NumberFormatException: Cast reports it as a value out of range. */
export class JavaNumberFormatError extends Error {
  override readonly name = 'JavaNumberFormatError';
}

const INT_BITS = { INT8: 8, INT16: 16, INT32: 32, INT64: 64 } as const;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Casts `value` to `target`, as Kafka's `castToInt8` ... `castToString`. */
export function castJava(value: JavaValue, target: CastTarget): unknown {
  switch (target) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64': {
      const bits = INT_BITS[target];
      const n = integerOf(value, bits);
      return bits === 64 ? int64(n) : Number(n);
    }
    case 'FLOAT32':
    case 'FLOAT64':
      return floatOf(value, target === 'FLOAT32' ? 32 : 64);
    case 'BOOLEAN':
      switch (value.kind) {
        case 'boolean':
          return value.v;
        case 'string':
          return value.v.toLowerCase() === 'true';
        default:
          // Number.longValue() != 0: 0.5 is false.
          return integerOf(value, 64) !== 0n;
      }
    case 'STRING':
      return stringOf(value);
  }
}

/** An INT64 as the API holds it: a number while safe, a bigint beyond. */
export function int64(n: bigint): number | bigint {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(n)
    : n;
}

function integerOf(value: JavaValue, bits: 8 | 16 | 32 | 64): bigint {
  switch (value.kind) {
    case 'int':
      return BigInt.asIntN(bits, value.v);
    case 'float':
      // (byte) d in Java: to int first (saturating), then wrap; (long) d saturates at 64 bits.
      if (bits === 64) return saturatedLong(value.v);
      return BigInt.asIntN(bits, BigInt(saturatedInt(value.v)));
    case 'decimal': {
      const whole = truncated(value.unscaled, value.scale);
      return bits === 64 ? BigInt.asIntN(64, whole) : BigInt.asIntN(bits, BigInt.asIntN(32, whole));
    }
    case 'boolean':
      return value.v ? 1n : 0n;
    case 'string':
      return parseJavaInteger(value.v, bits);
    case 'bytes':
    case 'date':
      throw new NonRetriableError(
        `Unexpected type in Cast transformation: class ${value.kind === 'bytes' ? '[B' : 'java.util.Date'}`,
      );
  }
}

function floatOf(value: JavaValue, bits: 32 | 64): number {
  const round = bits === 32 ? Math.fround : (x: number) => x;
  switch (value.kind) {
    case 'int':
      return bits === 32 ? bigintToFloat(value.v) : Number(value.v);
    case 'float':
      return round(value.v);
    case 'decimal':
      return round(Number(bigDecimalText(value.unscaled, value.scale)));
    case 'boolean':
      return value.v ? 1 : 0;
    case 'string':
      return round(parseJavaDouble(value.v));
    case 'bytes':
    case 'date':
      throw new NonRetriableError(
        `Unexpected type in Cast transformation: class ${value.kind === 'bytes' ? '[B' : 'java.util.Date'}`,
      );
  }
}

function stringOf(value: JavaValue): string {
  switch (value.kind) {
    case 'int':
      return value.v.toString();
    case 'float':
      if (!Number.isFinite(value.v)) return String(value.v);
      return value.bits === 32 ? javaFloat(value.v) : javaDouble(value.v);
    case 'decimal':
      return bigDecimalText(value.unscaled, value.scale);
    case 'boolean':
      return String(value.v);
    case 'string':
      return value.v;
    case 'bytes':
      return Buffer.from(value.v.buffer, value.v.byteOffset, value.v.byteLength).toString('base64');
    case 'date':
      return dateFormatFor(value.v)(value.v.getTime());
  }
}

const DAY_MS = 86_400_000;
const TIME_FORMAT = compileDateFormat("HH:mm:ss.SSS'Z'");
const DATE_FORMAT = compileDateFormat('yyyy-MM-dd');
const TIMESTAMP_FORMAT = compileDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

/**
 * Kafka's `Values.dateFormatFor`: a time of day before the first day's end (any date before
 * 1970 too), a date at midnight, a timestamp otherwise. Java formats at the JVM's zone; UTC here.
 */
function dateFormatFor(date: Date): DateFormatter {
  const ms = date.getTime();
  if (ms < DAY_MS) return TIME_FORMAT;
  return ms % DAY_MS === 0 ? DATE_FORMAT : TIMESTAMP_FORMAT;
}

function truncated(unscaled: bigint, scale: number): bigint {
  return scale >= 0 ? unscaled / 10n ** BigInt(scale) : unscaled * 10n ** BigInt(-scale);
}

function saturatedInt(x: number): number {
  if (Number.isNaN(x)) return 0;
  return Math.min(INT32_MAX, Math.max(INT32_MIN, Math.trunc(x)));
}

function saturatedLong(x: number): bigint {
  if (Number.isNaN(x)) return 0n;
  if (x >= 2 ** 63) return INT64_MAX;
  if (x <= -(2 ** 63)) return INT64_MIN;
  return BigInt(Math.trunc(x));
}

/** `(float) long`: rounded once to 24 significant bits, ties to even. */
function bigintToFloat(v: bigint): number {
  const abs = v < 0n ? -v : v;
  if (abs < 2n ** 53n) return Math.fround(Number(v));
  const shift = BigInt(abs.toString(2).length - 24);
  let mantissa = abs >> shift;
  const rest = abs & ((1n << shift) - 1n);
  const half = 1n << (shift - 1n);
  if (rest > half || (rest === half && (mantissa & 1n) === 1n)) mantissa += 1n;
  const rounded = Number(mantissa) * 2 ** Number(shift);
  return v < 0n ? -rounded : rounded;
}

/** `Byte.parseByte`, `Integer.parseInt`, `Long.parseLong`: a sign, digits, within range. */
function parseJavaInteger(text: string, bits: 8 | 16 | 32 | 64): bigint {
  if (!/^[+-]?\d+$/.test(text)) throw new JavaNumberFormatError(`For input string: "${text}"`);
  const n = BigInt(text);
  const limit = 1n << BigInt(bits - 1);
  if (n < -limit || n >= limit) throw new JavaNumberFormatError(`Value out of range: "${text}"`);
  return n;
}

// Java trims what is at most a space, then reads a sign, NaN, Infinity or a decimal number with
// an optional f/F/d/D suffix. Hexadecimal floats are left out.
const JAVA_DOUBLE = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;

/** `Double.parseDouble` (and, rounded once more, `Float.parseFloat`). */
function parseJavaDouble(text: string): number {
  // eslint-disable-next-line no-control-regex
  const trimmed = text.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  if (!JAVA_DOUBLE.test(trimmed)) throw new JavaNumberFormatError(`For input string: "${text}"`);
  return Number(trimmed.replace(/[fFdD]$/, ''));
}
