import type { DecimalValue } from '../api/schema.js';

/**
 * Number text as Java writes it, so that JsonConverter's output matches Kafka's byte for byte,
 * and the exact Decimal encodings (two's-complement bytes, BigDecimal text) both ways.
 */

/** `Double.toString`: "1.0", "0.001", "1.0E7", "1.0E-4", "NaN", "-Infinity". */
export function javaDouble(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const text = String(x);
    return text.includes('.') ? text : `${text}.0`;
  }
  // toExponential() without digits is the shortest text that reads back, as Java's is.
  const [mantissa = '', exponent = ''] = x.toExponential().split('e');
  const digits = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${digits}E${exponent.replace('+', '')}`;
}

/** `Float.toString`: the shortest text that reads back as the same 32-bit float. */
export function javaFloat(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const target = Math.fround(x);
  for (let digits = 1; digits < 9; digits++) {
    const shortest = Number(target.toPrecision(digits));
    if (Math.fround(shortest) === target) return javaDouble(shortest);
  }
  return javaDouble(target);
}

/** `BigInteger.toByteArray`: big-endian two's complement in the fewest bytes. */
export function toTwosComplement(n: bigint): Uint8Array {
  const magnitude = n < 0n ? -n - 1n : n;
  const bits = magnitude.toString(2).length + 1;
  const length = Math.ceil(bits / 8);
  let rest = n < 0n ? (1n << BigInt(length * 8)) + n : n;
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

/** `new BigInteger(bytes)`; undefined for no bytes, which Java refuses too. */
export function fromTwosComplement(bytes: Uint8Array): bigint | undefined {
  if (bytes.length === 0) return undefined;
  let n = 0n;
  for (const byte of bytes) n = (n << 8n) | BigInt(byte);
  const first = bytes[0] ?? 0;
  return first & 0x80 ? n - (1n << BigInt(bytes.length * 8)) : n;
}

/** `BigDecimal.toString`: plain unless the exponent is small ("1E-7"), as Jackson writes it. */
export function bigDecimalText(unscaled: bigint, scale: number): string {
  const sign = unscaled < 0n ? '-' : '';
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString();
  const adjusted = digits.length - 1 - scale;
  if (scale === 0) return sign + digits;
  if (scale > 0 && adjusted >= -6) {
    const padded = digits.padStart(scale + 1, '0');
    const point = padded.length - scale;
    return `${sign}${padded.slice(0, point)}.${padded.slice(point)}`;
  }
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const exponent = adjusted === 0 ? '' : `E${adjusted > 0 ? '+' : ''}${adjusted}`;
  return sign + mantissa + exponent;
}

const DECIMAL_TEXT = /^([+-]?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * The unscaled integer of decimal text ("12.5", "1.25E+1", JSON numbers) at `scale`; undefined
 * when that would drop non-zero digits.
 */
export function unscaledOf(text: string, scale: number): bigint | undefined {
  const m = DECIMAL_TEXT.exec(text);
  if (!m) return undefined;
  const fraction = m[3] ?? '';
  const exponent = Number(m[4] ?? '0');
  let unscaled = BigInt(`${m[2] ?? '0'}${fraction}`);
  const shift = scale - fraction.length + exponent;
  if (shift >= 0) unscaled *= 10n ** BigInt(shift);
  else {
    const divisor = 10n ** BigInt(-shift);
    if (unscaled % divisor !== 0n) return undefined;
    unscaled /= divisor;
  }
  return m[1] === '-' ? -unscaled : unscaled;
}

/** A Decimal value (already checked by `validateValue`) as an unscaled integer at `scale`. */
export function decimalOf(value: DecimalValue | string, scale: number): bigint {
  if (typeof value !== 'string') return value.unscaled;
  const unscaled = unscaledOf(value, scale);
  // validateValue allowed at most `scale` fraction digits, so this cannot happen.
  if (unscaled === undefined) throw new RangeError(`decimal ${value} does not fit scale ${scale}`);
  return unscaled;
}
