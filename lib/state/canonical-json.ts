import { StateError, StateInputError } from './errors.js';

/**
 * JSON with object keys sorted (recursively), so that equal values always give the same text:
 * `{b: 1, a: [{d: 2, c: 3}]}` and `{a: [{c: 3, d: 2}], b: 1}` both give `{"a":[{"c":3,"d":2}],"b":1}`.
 * Used for source partitions as sort keys, and for stored offsets.
 *
 * Only JSON values are accepted (null, booleans, finite numbers, strings, arrays, plain objects),
 * so that what is stored reads back equal; anything else fails naming where it is. Properties
 * whose value is `undefined` are left out, as `JSON.stringify` does.
 */
export function canonicalJson(value: unknown, what: string): string {
  return encode(value, what, '$', new Set());
}

function encode(value: unknown, what: string, path: string, seen: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw invalid(what, path, `${value} is not a JSON number`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw invalid(what, path, `a value of type ${typeof value} is not JSON`);
  }
  if (seen.has(value)) throw invalid(what, path, 'the value refers to itself');
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      const items: unknown[] = value;
      return `[${items.map((item, i) => encode(item, what, `${path}[${i}]`, seen)).join(',')}]`;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const kind = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      throw invalid(what, path, `a ${kind} is not a plain JSON object`);
    }
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${encode(record[key], what, `${path}.${key}`, seen)}`);
    return `{${members.join(',')}}`;
  } finally {
    seen.delete(value);
  }
}

function invalid(what: string, path: string, why: string): StateInputError {
  return new StateInputError(`${what} is not valid JSON at ${path}: ${why}`);
}

/** Parses stored JSON text that must hold an object (a partition or an offset). */
export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new StateError(`${what} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new StateError(`${what} is not a JSON object`);
  }
  return parsed as Record<string, unknown>;
}
