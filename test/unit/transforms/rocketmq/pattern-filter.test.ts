import { describe, expect, test } from 'vitest';
import { SchemaBuilder } from '../../../../lib/api/schema-builder.js';
import { Schemas } from '../../../../lib/api/schema.js';
import { PatternFilter } from '../../../../lib/transforms/rocketmq/pattern-filter.js';
import { configured, record, refusedKey } from './records.js';

const filter = (part: 'key' | 'value' = 'value', more: Record<string, string> = {}) =>
  configured(new PatternFilter(part), { fields: 'input', pattern: '^filter$', ...more });

const schema = SchemaBuilder.struct()
  .field('input', Schemas.OPTIONAL_STRING)
  .field('count', Schemas.OPTIONAL_INT32)
  .build();
const struct = (input: string | null) =>
  record({ valueSchema: schema, value: { input, count: 1 } });
const map = (input: unknown) => record({ value: { input } });

describe('PatternFilter$Key / $Value', () => {
  test("RocketMQ Connect's example: a struct or map whose field matches is dropped", () => {
    expect(filter().apply(struct('filter'))).toBeNull();
    expect(filter().apply(map('filter'))).toBeNull();
  });

  test("RocketMQ Connect's example: one that does not match is kept, unchanged", () => {
    const ok = struct('ok');
    expect(filter().apply(ok)).toBe(ok);
    expect(filter().apply(map('ok'))).not.toBeNull();
  });

  test('the whole value must match, not a part of it (Java matches())', () => {
    const t = filter('value', { pattern: 'filter' });
    expect(t.apply(map('filter'))).toBeNull();
    expect(t.apply(map('filtered'))).not.toBeNull();
    expect(t.apply(map('a|filter'))).not.toBeNull();
  });

  test('any listed field matching drops the record; unlisted and non-string fields are not tested', () => {
    const t = filter('value', { fields: 'a, b', pattern: 'x+' });
    expect(t.apply(record({ value: { a: 'y', b: 'xx' } }))).toBeNull();
    expect(t.apply(record({ value: { a: 'y', c: 'xx' } }))).not.toBeNull();
    const numbers = configured(new PatternFilter('value'), { fields: 'count', pattern: '1' });
    expect(numbers.apply(struct('1'))).not.toBeNull();
    expect(numbers.apply(record({ value: { count: 1 } }))).not.toBeNull();
  });

  test('null values, tombstones and values that are not structs or maps are kept', () => {
    for (const r of [
      struct(null),
      record({ valueSchema: schema, value: null }),
      record({ value: null }),
      record({ value: 'filter' }),
      record({ valueSchema: Schemas.STRING, value: 'filter' }),
    ]) {
      expect(filter().apply(r)).toBe(r);
    }
  });

  test('a Map with a MAP schema is tested', () => {
    const mapSchema = SchemaBuilder.map(Schemas.STRING, Schemas.STRING).build();
    const r = record({ valueSchema: mapSchema, value: new Map([['input', 'filter']]) });
    expect(filter().apply(r)).toBeNull();
  });

  test('$Key tests the key and not the value', () => {
    expect(filter('key').apply(record({ key: { input: 'filter' } }))).toBeNull();
    const onlyValue = map('filter');
    expect(filter('key').apply(onlyValue)).toBe(onlyValue);
  });

  test('bad configs are refused, naming the key', () => {
    const p = new PatternFilter('value');
    expect(refusedKey(() => p.configure({ pattern: 'x' })).key).toBe('fields');
    expect(refusedKey(() => p.configure({ pattern: 'x', fields: ' , ' })).key).toBe('fields');
    expect(refusedKey(() => p.configure({ fields: 'a' })).key).toBe('pattern');
    const bad = refusedKey(() => p.configure({ fields: 'a', pattern: '(' }));
    expect(bad).toEqual({
      key: 'pattern',
      message:
        'PatternFilter$Value: Invalid value for configuration: Not a valid regular expression "pattern"',
    });
  });
});
