/**
 * JSON text as a tree that keeps numbers as written: JSON.parse turns 9007199254740993 and
 * 0.10 into doubles, losing INT64 and Decimal digits, and JSON.stringify cannot write a bigint.
 * Objects are Maps so that keys like `__proto__` stay plain data.
 */

/** A JSON number, kept as its text. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type JsonNode = null | boolean | string | JsonNumber | readonly JsonNode[] | JsonObject;
export type JsonObject = ReadonlyMap<string, JsonNode>;

export function isJsonObject(node: JsonNode | undefined): node is JsonObject {
  return node instanceof Map;
}

/** Array.isArray, keeping the element type (it narrows readonly arrays to any[]). */
export function isJsonArray(node: JsonNode | undefined): node is readonly JsonNode[] {
  return Array.isArray(node);
}

/** What a JSON value is, never its text: it may be a secret. */
export function describeNode(node: JsonNode): string {
  if (node === null) return 'null';
  if (node instanceof JsonNumber) return 'a number';
  if (isJsonArray(node)) return 'an array';
  if (isJsonObject(node)) return 'an object';
  return `a ${typeof node}`;
}

/** Text that is not JSON; `position` is the index of the first bad character. */
export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
  constructor(
    readonly position: number,
    readonly reason: string,
  ) {
    super(`${reason} at position ${position}`);
  }
}

// Jackson's default nesting limit; it also keeps deep input from overflowing the stack.
const MAX_DEPTH = 1000;
// Leading zeros ("0012") are allowed: Kafka's JsonDeserializer enables Jackson's
// ALLOW_LEADING_ZEROS_FOR_NUMBERS (JsonConverterTest.numberWithLeadingZerosToConnect).
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const SPACE = /[ \t\n\r]*/y;

/** Parses one JSON value, with nothing but whitespace around it. */
export function parseJson(text: string): JsonNode {
  const parser = new Parser(text);
  const node = parser.value(0);
  parser.space();
  if (parser.at < text.length) throw new JsonSyntaxError(parser.at, 'unexpected text after JSON');
  return node;
}

class Parser {
  at = 0;
  constructor(private readonly text: string) {}

  space(): void {
    // Compact JSON (what converters write) mostly has none: no pattern to run then.
    const c = this.text.charCodeAt(this.at);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
    SPACE.lastIndex = this.at;
    SPACE.exec(this.text);
    this.at = SPACE.lastIndex;
  }

  value(depth: number): JsonNode {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError(this.at, `nesting deeper than ${MAX_DEPTH}`);
    this.space();
    switch (this.text[this.at]) {
      case '{':
        return this.object(depth);
      case '[':
        return this.array(depth);
      case '"':
        return this.string();
      case 't':
        return this.word('true', true);
      case 'f':
        return this.word('false', false);
      case 'n':
        return this.word('null', null);
      case undefined:
        throw new JsonSyntaxError(this.at, 'unexpected end of input');
      default:
        return this.number();
    }
  }

  private object(depth: number): JsonObject {
    const entries = new Map<string, JsonNode>();
    this.at++;
    this.space();
    if (this.text[this.at] === '}') {
      this.at++;
      return entries;
    }
    for (;;) {
      this.space();
      if (this.text[this.at] !== '"') throw this.expected('a string key');
      const key = this.string();
      this.space();
      if (this.text[this.at++] !== ':') throw this.expected("':'", -1);
      entries.set(key, this.value(depth + 1));
      this.space();
      const next = this.text[this.at++];
      if (next === '}') return entries;
      if (next !== ',') throw this.expected("',' or '}'", -1);
    }
  }

  private array(depth: number): JsonNode[] {
    const items: JsonNode[] = [];
    this.at++;
    this.space();
    if (this.text[this.at] === ']') {
      this.at++;
      return items;
    }
    for (;;) {
      items.push(this.value(depth + 1));
      this.space();
      const next = this.text[this.at++];
      if (next === ']') return items;
      if (next !== ',') throw this.expected("',' or ']'", -1);
    }
  }

  private string(): string {
    // Most strings have no escape: up to the next quote, with no backslash or control
    // character before it, the text is the string itself.
    const start = this.at + 1;
    const end = this.text.indexOf('"', start);
    if (end > 0 && isPlain(this.text, start, end)) {
      this.at = end + 1;
      return this.text.slice(start, end);
    }
    STRING.lastIndex = this.at;
    const match = STRING.exec(this.text);
    if (!match) throw new JsonSyntaxError(this.at, 'unterminated or malformed string');
    this.at = STRING.lastIndex;
    // The match is a valid JSON string literal, so the platform's decoder does the escapes.
    return JSON.parse(match[0]) as string;
  }

  private number(): JsonNumber {
    NUMBER.lastIndex = this.at;
    const match = NUMBER.exec(this.text);
    if (!match) throw this.expected('a JSON value');
    this.at = NUMBER.lastIndex;
    return new JsonNumber(match[0]);
  }

  private word<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.at)) throw this.expected('a JSON value');
    this.at += word.length;
    return value;
  }

  private expected(what: string, back = 0): JsonSyntaxError {
    const at = this.at + back;
    const found = this.text[at];
    return new JsonSyntaxError(
      at,
      `expected ${what} but found ${found === undefined ? 'end of input' : JSON.stringify(found)}`,
    );
  }
}

/** Whether text[start, end) has no backslash and no control character (a plain JSON string). */
function isPlain(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c || c < 0x20) return false;
  }
  return true;
}

/** Writes compact JSON, byte for byte as Jackson does (Kafka's JsonConverter writer). */
export function writeJson(node: JsonNode): string {
  if (node === null) return 'null';
  if (typeof node === 'boolean') return node ? 'true' : 'false';
  if (typeof node === 'string') return quote(node);
  if (node instanceof JsonNumber) return node.text;
  if (isJsonObject(node)) {
    const members = [...node].map(([key, value]) => `${quote(key)}:${writeJson(value)}`);
    return `{${members.join(',')}}`;
  }
  return `[${node.map(writeJson).join(',')}]`;
}

/** JSON.stringify's escapes, but with Jackson's upper-case hex in `\u00XX`. */
function quote(text: string): string {
  const json = JSON.stringify(text);
  // Most text has no control characters: nothing to change, and no pattern to run.
  if (!json.includes('\\u00')) return json;
  // Pairs are matched left to right, so an escaped backslash followed by "u00.." is left alone.
  return json.replace(/\\(\\|u00[0-9a-f]{2})/g, (m) =>
    m.length === 2 ? m : `\\u${m.slice(2).toUpperCase()}`,
  );
}
