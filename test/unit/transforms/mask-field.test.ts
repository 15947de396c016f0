import { describe, expect, test } from 'vitest';
import type { ConnectRecord } from '../../../lib/api/record.js';
import { SchemaBuilder } from '../../../lib/api/schema-builder.js';
import { Schemas } from '../../../lib/api/schema.js';
import { MaskField } from '../../../lib/transforms/mask-field.js';

const mask = (config: Record<string, string>, part: 'key' | 'value' = 'value') => {
  const t = new MaskField(part);
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

describe("MaskField: Confluent's documented examples", () => {
  test('masks string_field with the empty string', () => {
    const out = mask({ fields: 'string_field' }).apply(
      record({ integer_field: 22, string_field: 'foo' }),
    );
    expect(out?.value).toEqual({ integer_field: 22, string_field: '' });
  });

  test('replaces SSN, IP address and phone numbers with the replacement text', () => {
    const chain = [
      mask({ fields: 'SSN', replacement: '***-***-****' }),
      mask({ fields: 'IPAddress', replacement: 'xxx.xxx.xxx.xxx' }),
      mask({ fields: 'office,mobile', replacement: '+0-000-000-0000' }),
    ];
    let current: ConnectRecord | null = record({
      SSN: '123-45-6789',
      IPAddress: '10.0.0.1',
      office: '+1-555-555-0100',
      mobile: '+1-555-555-0199',
      name: 'Ann',
    });
    for (const t of chain) current = t.apply(current!);
    expect(current?.value).toEqual({
      SSN: '***-***-****',
      IPAddress: 'xxx.xxx.xxx.xxx',
      office: '+0-000-000-0000',
      mobile: '+0-000-000-0000',
      name: 'Ann',
    });
  });
});

describe('MaskField (Kafka semantics)', () => {
  const schema = SchemaBuilder.struct()
    .field('i8', Schemas.INT8)
    .field('i32', Schemas.INT32)
    .field('f32', Schemas.FLOAT32)
    .field('flag', Schemas.BOOLEAN)
    .field('at', Schemas.TIMESTAMP)
    .field('price', Schemas.decimal(2))
    .field('tags', SchemaBuilder.array(Schemas.STRING).build())
    .field('blob', Schemas.OPTIONAL_BYTES)
    .build();
  const value = {
    i8: 5,
    i32: 7,
    f32: 1.5,
    flag: true,
    at: new Date(1_700_000_000_000),
    price: { unscaled: 1234n, scale: 2 },
    tags: ['a'],
    blob: null,
  };

  test("with a schema: each type's empty value, a null field stays null", () => {
    const out = mask({ fields: 'i8,i32,f32,flag,at,tags,blob' }).apply(record(value, schema));
    expect(out?.value).toEqual({
      ...value,
      i8: 0,
      i32: 0,
      f32: 0,
      flag: false,
      at: new Date(0),
      tags: [],
      blob: null,
    });
  });

  test('the replacement is parsed as the field type: integers truncate and wrap, as Java casts', () => {
    const out = mask({ fields: 'i8,i32,f32', replacement: '300.7' }).apply(record(value, schema));
    expect(out?.value).toMatchObject({ i8: 44, i32: 300, f32: Math.fround(300.7) });
  });

  test('a Decimal takes the replacement with its own scale; another scale fails as Kafka does', () => {
    expect(
      mask({ fields: 'price', replacement: '9.99' }).apply(record(value, schema))?.value,
    ).toMatchObject({
      price: { unscaled: 999n, scale: 2 },
    });
    expect(() => mask({ fields: 'price' }).apply(record(value, schema))).toThrow(
      'Decimal value has mismatching scale for given Decimal schema. Schema has scale 2, value has scale 0.',
    );
  });

  test("Kafka's messages for values it cannot mask", () => {
    expect(() => mask({ fields: 'flag', replacement: 'x' }).apply(record(value, schema))).toThrow(
      'Cannot mask value of type class java.lang.Boolean with custom replacement.',
    );
    expect(() => mask({ fields: 'i32', replacement: 'x' }).apply(record(value, schema))).toThrow(
      'Unable to convert x (class java.lang.String) to a number',
    );
    expect(() =>
      mask({ fields: 'blob' }).apply(record({ ...value, blob: new Uint8Array([1]) }, schema)),
    ).toThrow('Cannot mask value of type: class [B');
    expect(() => mask({ fields: 'a' }).apply(record(null))).toThrow(
      'Only Map objects supported in absence of schema for [mask fields], found: null',
    );
  });

  test('schemaless: a listed field the map lacks is added as null', () => {
    expect(mask({ fields: 'gone,n' }).apply(record({ n: 2.5 }))?.value).toEqual({
      n: 0,
      gone: null,
    });
  });

  test('refuses an empty field list or item and an empty replacement, naming the key', () => {
    expect(() => mask({ fields: '' })).toThrow(/"fields"/);
    expect(() => mask({ fields: 'a,,b' })).toThrow(/"fields"/);
    expect(() => mask({ fields: 'a', replacement: '' })).toThrow(/"replacement"/);
  });
});
