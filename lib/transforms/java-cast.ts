/**
 * Java's conversions between Connect's primitive values, as Kafka's Cast transform makes them:
 * `Number.byteValue()` and friends (two's-complement wrap-around; floating values saturate, NaN
 * is 0), `Byte.parseByte`, `Double.parseDouble`, `Boolean.parseBoolean`, `toString` (Kafka's
 * `Values` text, `connect-values.ts`).
 */
import { NonRetriableError } from '../api/errors.js';
import type { PrimitiveType } from '../api/schema.js';
import { bigDecimalText } from '../converters/json-numbers.js';
import { javaText, type JavaValue } from './connect-values.js';

/** A value with no parts, as Java holds it before a cast: its class decides what a cast does. */
export type JavaPrimitive = Exclude<JavaValue, null | { readonly t: 'list' | 'map' | 'struct' }>;

/** A Java `Number`: Long (any integer), Float, Double or BigDecimal. */
export type JavaNumber = Extract<JavaValue, { readonly t: 'int' | 'float' | 'double' | 'decimal' }>;

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

/** `Number.longValue()`: doubles truncate (saturating; NaN is 0), decimals truncate and wrap. */
export function longValue(value: JavaNumber): bigint {
  switch (value.t) {
    case 'int':
      return value.v;
    case 'float':
    case 'double':
      if (Number.isNaN(value.v)) return 0n;
      if (value.v >= 2 ** 63) return INT64_MAX;
      if (value.v <= -(2 ** 63)) return INT64_MIN;
      return BigInt(Math.trunc(value.v));
    case 'decimal': {
      const { unscaled, scale } = value;
      return BigInt.asIntN(
        64,
        scale >= 0 ? unscaled / 10n ** BigInt(scale) : unscaled * 10n ** BigInt(-scale),
      );
    }
  }
}

/** `Number.doubleValue()`. */
export function doubleValue(value: JavaNumber): number {
  switch (value.t) {
    case 'int':
      return Number(value.v);
    case 'float':
    case 'double':
      return value.v;
    case 'decimal':
      return Number(bigDecimalText(value.unscaled, value.scale));
  }
}

/** Casts `value` to `target`, as Kafka's `castToInt8` ... `castToString`. */
export function castJava(value: JavaPrimitive, target: CastTarget): unknown {
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
      switch (value.t) {
        case 'bool':
          return value.v;
        case 'string':
          return value.v.toLowerCase() === 'true';
        default:
          // Number.longValue() != 0: 0.5 is false.
          return integerOf(value, 64) !== 0n;
      }
    case 'STRING':
      // Kafka's castToString: Values' date text, base64 of bytes, toString() of the rest.
      return javaText(value)!;
  }
}

/** An INT64 as the API holds it: a number while safe, a bigint beyond. */
export function int64(n: bigint): number | bigint {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(n)
    : n;
}

function integerOf(value: JavaPrimitive, bits: 8 | 16 | 32 | 64): bigint {
  switch (value.t) {
    case 'int':
    case 'decimal':
      // A BigDecimal's intValue() is its longValue() wrapped: the same low bits.
      return BigInt.asIntN(bits, longValue(value));
    case 'float':
    case 'double':
      // (byte) d in Java: to int first (saturating), then wrap; (long) d saturates at 64 bits.
      if (bits === 64) return longValue(value);
      return BigInt.asIntN(bits, BigInt(saturatedInt(value.v)));
    case 'bool':
      return value.v ? 1n : 0n;
    case 'string':
      return parseJavaInteger(value.v, bits);
    case 'bytes':
    case 'date':
      throw unexpected(value);
  }
}

function floatOf(value: JavaPrimitive, bits: 32 | 64): number {
  const round = bits === 32 ? Math.fround : (x: number) => x;
  switch (value.t) {
    case 'int':
      return bits === 32 ? bigintToFloat(value.v) : Number(value.v);
    case 'float':
    case 'double':
    case 'decimal':
      return round(doubleValue(value));
    case 'bool':
      return value.v ? 1 : 0;
    case 'string':
      return round(parseJavaDouble(value.v));
    case 'bytes':
    case 'date':
      throw unexpected(value);
  }
}

function unexpected(value: { readonly t: 'bytes' | 'date' }): NonRetriableError {
  return new NonRetriableError(
    `Unexpected type in Cast transformation: class ${value.t === 'bytes' ? '[B' : 'java.util.Date'}`,
  );
}

function saturatedInt(x: number): number {
  if (Number.isNaN(x)) return 0;
  return Math.min(INT32_MAX, Math.max(INT32_MIN, Math.trunc(x)));
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
