import { describe, expect, test } from 'vitest';
import type { ConnectRecord } from '../../../lib/api/record.js';
import { SchemaBuilder } from '../../../lib/api/schema-builder.js';
import { Schemas } from '../../../lib/api/schema.js';
import { ValueToKey } from '../../../lib/transforms/value-to-key.js';

function transform(config: Record<string, string>): ValueToKey {
  const t = new ValueToKey();
  t.configure(config);
  return t;
}

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

describe('ValueToKey (Kafka semantics)', () => {
  const valueSchema = SchemaBuilder.struct()
    .name('orders')
    .field('id', Schemas.INT64)
    .field('region', SchemaBuilder.string().optional().defaultValue('eu').build())
    .field('total', Schemas.FLOAT64)
    .build();

  test('with a schema: the key is an unnamed struct of the fields, in the listed order', () => {
    const out = transform({ fields: 'region,id' }).apply(
      record({ id: 7, region: null, total: 1.5 }, valueSchema),
    );
    expect(out?.key).toEqual({ region: 'eu', id: 7 });
    expect(out?.keySchema).toMatchObject({
      type: 'STRUCT',
      optional: false,
      fields: [
        { name: 'region', index: 0, schema: { type: 'STRING', optional: true } },
        { name: 'id', index: 1, schema: { type: 'INT64', optional: false } },
      ],
    });
    expect(out?.keySchema?.name).toBeUndefined();
    expect(out?.value).toEqual({ id: 7, region: null, total: 1.5 });
  });

  test('replace.null.with.default=false keeps the null', () => {
    const out = transform({ fields: 'region', 'replace.null.with.default': 'false' }).apply(
      record({ id: 7, region: null, total: 1 }, valueSchema),
    );
    expect(out?.key).toEqual({ region: null });
  });

  test('schemaless: a map of the fields, missing ones null', () => {
    const out = transform({ fields: 'id,missing' }).apply(record({ id: 1, x: 2 }));
    expect(out?.key).toEqual({ id: 1, missing: null });
    expect(out?.keySchema).toBeUndefined();
  });

  test("refuses what Kafka refuses, with Kafka's messages", () => {
    expect(() =>
      transform({ fields: 'nope' }).apply(record({ id: 1, total: 1 }, valueSchema)),
    ).toThrow('Field does not exist: nope');
    expect(() => transform({ fields: 'id' }).apply(record(null))).toThrow(
      'Only Map objects supported in absence of schema for [copying fields from value to key], found: null',
    );
    expect(() => transform({ fields: 'id' }).apply(record(null, valueSchema))).toThrow(
      'Only Struct objects supported for [copying fields from value to key], found: null',
    );
    expect(() => transform({})).toThrow(/fields/);
  });
});
