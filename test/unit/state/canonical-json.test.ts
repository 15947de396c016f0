import { describe, expect, test } from 'vitest';
import { canonicalJson, parseJsonObject } from '../../../lib/state/canonical-json.js';
import { StateError, StateInputError } from '../../../lib/state/errors.js';

describe('canonicalJson', () => {
  test('sorts object keys recursively and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }, 'x'], c: { z: null, y: true } }, 'v')).toBe(
      '{"a":[{"c":3,"d":2},"x"],"b":1,"c":{"y":true,"z":null}}',
    );
  });

  test('reads back equal to what it was given', () => {
    const value = { s: 'é"\n', n: -1.5e-7, big: 2 ** 53 - 1, list: [[], {}, [null]], t: false };
    expect(JSON.parse(canonicalJson(value, 'v'))).toEqual(value);
  });

  test('leaves out undefined properties, as JSON.stringify does', () => {
    expect(canonicalJson({ a: undefined, b: 1 }, 'v')).toBe('{"b":1}');
  });

  test.each([
    [{ n: Number.NaN }, /at \$\.n: NaN is not a JSON number/],
    [{ n: [1, Infinity] }, /at \$\.n\[1\]: Infinity is not a JSON number/],
    [{ f: () => 1 }, /at \$\.f: a value of type function is not JSON/],
    [{ b: 10n }, /at \$\.b: a value of type bigint is not JSON/],
    [{ l: [undefined] }, /at \$\.l\[0\]: a value of type undefined is not JSON/],
    [{ d: new Date(0) }, /at \$\.d: a Date is not a plain JSON object/],
    [{ m: new Map() }, /at \$\.m: a Map is not a plain JSON object/],
  ])('refuses what is not JSON, naming where: %o', (value, message) => {
    expect(() => canonicalJson(value, 'source partition')).toThrow(StateInputError);
    expect(() => canonicalJson(value, 'source partition')).toThrow(message);
  });

  test('refuses a value that refers to itself, but not one shared twice', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => canonicalJson(loop, 'offset')).toThrow(/offset is not valid JSON at \$\.self/);
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared }, 'offset')).toBe('{"a":{"x":1},"b":{"x":1}}');
  });

  test('accepts objects without a prototype', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { b: 2, a: 1 });
    expect(canonicalJson(bare, 'v')).toBe('{"a":1,"b":2}');
  });
});

describe('parseJsonObject', () => {
  test('parses an object and refuses anything else, naming the stored item', () => {
    expect(parseJsonObject('{"a":1}', 'offset of x')).toEqual({ a: 1 });
    expect(() => parseJsonObject('[1]', 'offset of x')).toThrow('offset of x is not a JSON object');
    expect(() => parseJsonObject('{', 'offset of x')).toThrow(StateError);
  });
});
