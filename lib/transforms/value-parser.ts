/**
 * Kafka Connect's `Values.parseString`, which InsertHeader applies to its `value.literal`: a
 * number, boolean, ISO 8601 date, list or map in the text becomes that value, anything else
 * stays the text. Ported with its quirks (its tokens split at `: , { } [ ] "`, so "10:30" reads
 * as the number 10), since the header's text is what Kafka writes for the parsed value.
 */
import type { JavaValue } from './connect-values.js';
import { compileDateParser, type DateParser } from './date-format.js';
import { doubleValue, type JavaNumber, longValue } from './java-cast.js';

/** The part of a parsed value's schema that decides how lists and maps of them align. */
interface Kind {
  readonly type: 'INT8' | 'INT16' | 'INT32' | 'INT64' | 'FLOAT32' | 'FLOAT64' | 'BOOLEAN';
  readonly name?: undefined;
}
type ParsedKind =
  | Kind
  | { readonly type: 'STRING' | 'ARRAY' | 'MAP'; readonly name?: undefined }
  | { readonly type: 'BYTES'; readonly name: 'Decimal' }
  | { readonly type: 'INT32'; readonly name: 'Date' | 'Time' }
  | { readonly type: 'INT64'; readonly name: 'Timestamp' };

interface Parsed {
  readonly kind: ParsedKind | undefined;
  readonly value: JavaValue;
}

class ParseFailure extends Error {}

const DELIMITERS = new Set([':', ',', '{', '}', '[', ']', '"']);

/** Values.Parser: tokens are delimiters or the text between them (backslash escapes one). */
class Tokens {
  #at = 0;
  #next: string | undefined;
  #previous: string | undefined;

  constructor(readonly original: string) {}

  position(): number {
    return this.#at;
  }

  mark(): number {
    return this.#at - (this.#next?.length ?? 0);
  }

  rewindTo(position: number): void {
    this.#at = position;
    this.#next = undefined;
    this.#previous = undefined;
  }

  hasNext(): boolean {
    return this.#next !== undefined || this.#at < this.original.length;
  }

  next(): string {
    this.#previous = this.#next ?? this.#consume();
    this.#next = undefined;
    return this.#previous;
  }

  nextN(n: number): string | undefined {
    const start = this.mark();
    for (let i = 0; i < n; i++) {
      if (!this.hasNext()) {
        this.rewindTo(start);
        return undefined;
      }
      this.next();
    }
    return this.original.slice(start, this.position());
  }

  previous(): string | undefined {
    return this.#previous;
  }

  canConsume(expected: string): boolean {
    if (this.#next === undefined) {
      if (!this.hasNext()) return false;
      this.#next = this.#consume();
    }
    while (this.#next.trim() === '' && this.#at < this.original.length) {
      this.#next = this.#consume();
    }
    if (this.#next.trim() !== expected) return false;
    this.#next = undefined;
    return true;
  }

  #consume(): string {
    const text = this.original;
    const start = this.#at;
    let escaped = false;
    while (this.#at < text.length) {
      const c = text[this.#at]!;
      if (c === '\\') escaped = !escaped;
      else if (DELIMITERS.has(c) && !escaped) {
        if (start < this.#at) return text.slice(start, this.#at);
        this.#at++;
        return c;
      } else escaped = false;
      this.#at++;
    }
    return text.slice(start, this.#at);
  }
}

/** `Values.parseString`: undefined when Kafka's answer is null (the text "null"). */
export function parseJavaValue(text: string): Parsed | undefined {
  if (text === '') return { kind: { type: 'STRING' }, value: { t: 'string', v: '' } };
  return new ValueParser(new Tokens(text)).parse(false);
}

class ValueParser {
  constructor(private readonly p: Tokens) {}

  #singleToken(embedded: boolean, literal: string): boolean {
    const start = this.p.mark();
    if (this.p.canConsume(literal) && (embedded || !this.p.hasNext())) return true;
    this.p.rewindTo(start);
    return false;
  }

  parse(embedded: boolean): Parsed | undefined {
    if (!this.p.hasNext()) return undefined;
    if (embedded && this.p.canConsume('"')) return this.#quoted();
    if (this.#singleToken(embedded, 'null')) return undefined;
    if (this.#singleToken(embedded, 'true')) return bool(true);
    if (this.#singleToken(embedded, 'false')) return bool(false);
    const start = this.p.mark();
    try {
      if (this.p.canConsume('[')) return this.#array();
      if (this.p.canConsume('{')) return this.#map();
    } catch (error) {
      if (!(error instanceof ParseFailure)) throw error;
      this.p.rewindTo(start);
    }
    const token = this.p.next();
    if (token.trim() === '') return { kind: { type: 'STRING' }, value: { t: 'string', v: token } };
    return this.#nextToken(embedded, token.trim());
  }

  #nextToken(embedded: boolean, token: string): Parsed {
    const digit = /^\d/.test(token);
    if (digit) {
      const temporal = this.#temporalTokens(token);
      if (temporal) return temporal;
    }
    if (digit || token.startsWith('+') || token.startsWith('-')) {
      const number = parseNumber(token);
      if (number) return number;
    }
    if (embedded) throw new ParseFailure('Failed to parse embedded value');
    return { kind: { type: 'STRING' }, value: { t: 'string', v: this.p.original } };
  }

  #quoted(): Parsed {
    let content = '';
    while (this.p.hasNext()) {
      if (this.p.canConsume('"')) break;
      content += this.p.next();
    }
    return (
      parseTemporal(content) ?? { kind: { type: 'STRING' }, value: { t: 'string', v: content } }
    );
  }

  #array(): Parsed {
    const items: JavaValue[] = [];
    const merger = new KindMerger();
    while (this.p.hasNext()) {
      if (this.p.canConsume(']')) {
        const kind = merger.common();
        return {
          kind: { type: 'ARRAY' },
          value: { t: 'list', items: kind ? items.map((v) => convertTo(kind, v)) : items },
        };
      }
      if (this.p.canConsume(',')) throw new ParseFailure('empty array element');
      const element = this.parse(true);
      merger.merge(element);
      items.push(element?.value ?? null);
      const at = this.p.mark();
      if (this.p.canConsume(']')) this.p.rewindTo(at);
      else if (!this.p.canConsume(',')) throw new ParseFailure("Array elements missing ','");
    }
    throw new ParseFailure('Array is missing terminating');
  }

  #map(): Parsed {
    const entries: [JavaValue, JavaValue][] = [];
    const keys = new KindMerger();
    const values = new KindMerger();
    while (this.p.hasNext()) {
      if (this.p.canConsume('}')) {
        const k = keys.common();
        const v = values.common();
        const aligned = entries.map(([key, value]): [JavaValue, JavaValue] => [
          k ? convertTo(k, key) : key,
          k && v ? convertTo(v, value) : value,
        ]);
        return { kind: { type: 'MAP' }, value: { t: 'map', entries: dedupe(aligned) } };
      }
      if (this.p.canConsume(',')) throw new ParseFailure('map entry with no key or value');
      const key = this.parse(true);
      if (!key || key.value === null) throw new ParseFailure('null key');
      if (!this.p.canConsume(':')) throw new ParseFailure("Map entry is missing ':'");
      const value = this.parse(true);
      entries.push([key.value, value?.value ?? null]);
      this.p.canConsume(',');
      keys.merge(key);
      values.merge(value);
    }
    throw new ParseFailure('Map is missing terminating');
  }

  #temporalTokens(token: string): Parsed | undefined {
    const at = this.p.mark();
    const rest = this.p.nextN(4);
    if (rest !== undefined) {
      const temporal = parseTemporal(token + rest);
      if (temporal) return temporal;
    }
    this.p.rewindTo(at);
    return parseTemporal(token);
  }
}

function bool(v: boolean): Parsed {
  return { kind: { type: 'BOOLEAN' }, value: { t: 'bool', v } };
}

/** A LinkedHashMap keeps a key once, in its first place, with its last value. */
function dedupe(entries: [JavaValue, JavaValue][]): [JavaValue, JavaValue][] {
  const out = new Map<string, [JavaValue, JavaValue]>();
  for (const [k, v] of entries) {
    const id = JSON.stringify(k, (_, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
    const seen = out.get(id);
    if (seen) seen[1] = v;
    else out.set(id, [k, v]);
  }
  return [...out.values()];
}

/** Values.SchemaMerger: the common kind of list items or map keys or values, if they have one. */
class KindMerger {
  #common: ParsedKind | undefined;
  #compatible = true;

  merge(latest: Parsed | undefined): void {
    if (!latest?.kind || !this.#compatible) return;
    this.#common = this.#common ? mergeKinds(this.#common, latest.kind) : latest.kind;
    this.#compatible = this.#common !== undefined;
  }

  common(): ParsedKind | undefined {
    return this.#common;
  }
}

const WIDENING = ['INT8', 'INT16', 'INT32', 'INT64', 'FLOAT32', 'FLOAT64'];

function mergeKinds(previous: ParsedKind, next: ParsedKind): ParsedKind | undefined {
  if (previous.type === next.type) {
    // Kafka keeps the newer of two schemas of one type (a Date after an INT32 wins).
    return next;
  }
  const a = WIDENING.indexOf(previous.type);
  const b = WIDENING.indexOf(next.type);
  if (a < 0 || b < 0) return undefined;
  return b > a ? next : previous;
}

const INT_BITS = { INT8: 8, INT16: 16, INT32: 32, INT64: 64 } as const;

/** Values.convertTo for the kinds a list or map aligns to; a failure leaves the text a string. */
function convertTo(kind: ParsedKind, value: JavaValue): JavaValue {
  if (value === null) throw new ParseFailure('null for a required value');
  if (kind.name === 'Date' || kind.name === 'Time' || kind.name === 'Timestamp') {
    if (value.t === 'date') return value;
    const n = longValue(numberOf(value));
    return { t: 'date', ms: Number(kind.name === 'Date' ? n * 86_400_000n : n) };
  }
  if (kind.name === 'Decimal') {
    if (value.t === 'decimal') return value;
    throw new ParseFailure('not a decimal');
  }
  switch (kind.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
      return { t: 'int', v: BigInt.asIntN(INT_BITS[kind.type], longValue(numberOf(value))) };
    case 'FLOAT32':
      return { t: 'float', v: Math.fround(doubleValue(numberOf(value))) };
    case 'FLOAT64':
      return { t: 'double', v: doubleValue(numberOf(value)) };
    case 'BOOLEAN':
      if (value.t === 'bool') return value;
      return { t: 'bool', v: longValue(numberOf(value)) !== 0n };
    case 'STRING':
      if (value.t === 'string') return value;
      throw new ParseFailure('not a string');
    case 'ARRAY':
      if (value.t === 'list') return value;
      throw new ParseFailure('not a list');
    case 'MAP':
      if (value.t === 'map') return value;
      throw new ParseFailure('not a map');
  }
}

/** The value as a Java Number, for Number.longValue() and doubleValue(). */
function numberOf(value: Exclude<JavaValue, null>): JavaNumber {
  switch (value.t) {
    case 'int':
    case 'float':
    case 'double':
    case 'decimal':
      return value;
    default:
      throw new ParseFailure('not a number');
  }
}

/** Java's BigDecimal(String) grammar. */
const BIG_DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** `new BigDecimal(text)`, or undefined where Java throws NumberFormatException. */
export function parseBigDecimal(
  text: string,
): { readonly t: 'decimal'; readonly unscaled: bigint; readonly scale: number } | undefined {
  const m = BIG_DECIMAL.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const fraction = m[3] ?? '';
  const unscaled = BigInt(`${m[2] || '0'}${fraction}`);
  const scale = fraction.length - Number(m[4] ?? '0');
  return { t: 'decimal', unscaled: m[1] === '-' ? -unscaled : unscaled, scale };
}

/** ValueParser.parseAsNumber: the smallest integer type that holds it, else float, double, Decimal. */
function parseNumber(token: string): Parsed | undefined {
  const decimal = parseBigDecimal(token);
  if (!decimal) return undefined;
  const { unscaled, scale } = decimal;
  const d = doubleValue(decimal);
  const integral = scale <= 0 || unscaled % 10n ** BigInt(scale) === 0n;
  if (integral) {
    const n = scale <= 0 ? unscaled * 10n ** BigInt(-scale) : unscaled / 10n ** BigInt(scale);
    if (n >= -(2n ** 63n) && n < 2n ** 63n) {
      for (const type of ['INT8', 'INT16', 'INT32', 'INT64'] as const) {
        if (BigInt.asIntN(INT_BITS[type], n) === n)
          return { kind: { type }, value: { t: 'int', v: n } };
      }
    }
  }
  const f = Math.fround(d);
  if (Number.isFinite(f) && scale !== 0)
    return { kind: { type: 'FLOAT32' }, value: { t: 'float', v: f } };
  if (Number.isFinite(d) && scale !== 0)
    return { kind: { type: 'FLOAT64' }, value: { t: 'double', v: d } };
  return { kind: { type: 'BYTES', name: 'Decimal' }, value: { t: 'decimal', unscaled, scale } };
}

// Kafka's ISO 8601 patterns, each tried on text of its length once the quotes are gone.
const TEMPORALS = new Map<number, { name: 'Date' | 'Time' | 'Timestamp'; parse: DateParser }>([
  [13, { name: 'Time', parse: compileDateParser("HH:mm:ss.SSS'Z'") }],
  [24, { name: 'Timestamp', parse: compileDateParser("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'") }],
  [10, { name: 'Date', parse: compileDateParser('yyyy-MM-dd') }],
]);

/** ValueParser.parseAsTemporal: text of an ISO pattern's length, read by a lenient parser. */
function parseTemporal(text: string): Parsed | undefined {
  const token = text.replaceAll('\\:', ':');
  const pattern = TEMPORALS.get(token.length);
  const date = pattern?.parse(token);
  return pattern && date ? temporal(pattern.name, date.getTime()) : undefined;
}

function temporal(name: 'Date' | 'Time' | 'Timestamp', ms: number): Parsed {
  return {
    kind: name === 'Timestamp' ? { type: 'INT64', name } : { type: 'INT32', name },
    value: { t: 'date', ms },
  };
}
