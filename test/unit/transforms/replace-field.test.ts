import { describe, expect, test } from 'vitest';
import type { ConnectRecord } from '../../../lib/api/record.js';
import { SchemaBuilder } from '../../../lib/api/schema-builder.js';
import { Schemas } from '../../../lib/api/schema.js';
import { ReplaceField } from '../../../lib/transforms/replace-field.js';

const replace = (config: Record<string, string>, part: 'key' | 'value' = 'value') => {
  const t = new ReplaceField(part);
  t.configure(config);
  return t;
};

const record = (value: unknown, valueSchema?: ConnectRecord['valueSchema']): ConnectRecord => ({
  topic: 't',
  partition: undefined,
  offset: undefined,
  timestamp: 0,
  key: null,
  value,
  ...(valueSchema && { valueSchema }),
  headers: [],
});

describe("ReplaceField: Confluent's documented examples", () => {
  const value = { foo: 'bar', c: 22, abc: 'x' };

  test('exclude drops the field c', () => {
    expect(replace({ exclude: 'c' }).apply(record(value))?.value).toEqual({ foo: 'bar', abc: 'x' });
  });

  test('include keeps only the listed fields', () => {
    expect(replace({ include: 'c' }).apply(record(value))?.value).toEqual({ c: 22 });
  });

  test('renames foo to c... pairs foo:bar,abc:xyz', () => {
    expect(
      replace({ exclude: 'c', renames: 'foo:bar,abc:xyz' }).apply(record(value))?.value,
    ).toEqual({
      bar: 'bar',
      xyz: 'x',
    });
  });
});

describe('ReplaceField (Kafka semantics)', () => {
  const schema = SchemaBuilder.struct()
    .name('orders')
    .field('id', Schemas.INT64)
    .field('region', SchemaBuilder.string().optional().defaultValue('eu').build())
    .field('secret', Schemas.STRING)
    .build();

  test('with a schema: the schema narrows and renames the same way, keeping its name', () => {
    const out = replace({ exclude: 'secret', renames: 'id:order_id' }).apply(
      record({ id: 1, region: null, secret: 's' }, schema),
    );
    expect(out?.value).toEqual({ order_id: 1, region: 'eu' });
    expect(out?.valueSchema).toMatchObject({
      name: 'orders',
      fields: [{ name: 'order_id' }, { name: 'region' }],
    });
  });

  test('replace.null.with.default=false keeps the null', () => {
    const out = replace({ include: 'region', 'replace.null.with.default': 'false' }).apply(
      record({ id: 1, region: null, secret: 's' }, schema),
    );
    expect(out?.value).toEqual({ region: null });
  });

  test('a tombstone passes unchanged', () => {
    const r = record(null);
    expect(replace({ exclude: 'a' }).apply(r)).toBe(r);
  });

  test('the deprecated whitelist and blacklist act as include and exclude unless those are given', () => {
    expect(replace({ whitelist: 'foo' }).apply(record({ foo: 1, c: 2 }))?.value).toEqual({
      foo: 1,
    });
    expect(replace({ blacklist: 'foo' }).apply(record({ foo: 1, c: 2 }))?.value).toEqual({ c: 2 });
    expect(
      replace({ whitelist: 'foo', include: 'c' }).apply(record({ foo: 1, c: 2 }))?.value,
    ).toEqual({ c: 2 });
  });

  test('refuses a rename that is not one colon-delimited pair, naming the key', () => {
    expect(() => replace({ renames: 'a' })).toThrow(/Invalid rename mapping: a.*"renames"/);
    expect(() => replace({ renames: 'a:b:c' })).toThrow(/"renames"/);
    expect(() => replace({ include: 'a,,b' })).toThrow(/"include"/);
  });
});
