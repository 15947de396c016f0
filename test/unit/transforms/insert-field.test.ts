import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/api/errors.js';
import type { SinkRecord } from '../../../lib/api/record.js';
import { Schemas } from '../../../lib/api/schema.js';
import { SchemaBuilder } from '../../../lib/api/schema-builder.js';
import { validateValue } from '../../../lib/api/schema-validation.js';
import { InsertField } from '../../../lib/transforms/insert-field.js';

const record = (value: unknown, valueSchema?: SinkRecord['valueSchema']): SinkRecord => ({
  topic: 'orders',
  partition: undefined,
  offset: undefined,
  timestamp: 1_700_000_000_000,
  key: null,
  value,
  ...(valueSchema && { valueSchema }),
  headers: [],
});

function insertField(config: Record<string, string>, part: 'key' | 'value' = 'value') {
  const t = new InsertField(part);
  t.configure(config);
  return t;
}

const config = {
  'topic.field': 'topic!',
  'timestamp.field': 'ts',
  'static.field': 'src',
  'static.value': 'db1',
};

describe('InsertField', () => {
  it('adds fields to a schemaless object, the timestamp as epoch milliseconds', () => {
    expect(insertField(config).apply(record({ id: 1 }))?.value).toEqual({
      id: 1,
      topic: 'orders',
      ts: 1_700_000_000_000,
      src: 'db1',
    });
  });

  it('adds fields to a struct and its schema, required with ! and optional otherwise', () => {
    const schema = SchemaBuilder.struct().name('Order').field('id', Schemas.INT32).build();
    const out = insertField(config).apply(record({ id: 1 }, schema));
    expect(out?.value).toEqual({
      id: 1,
      topic: 'orders',
      ts: new Date(1_700_000_000_000),
      src: 'db1',
    });
    expect(out?.valueSchema).toMatchObject({
      name: 'Order',
      fields: [
        { name: 'id', schema: Schemas.INT32 },
        { name: 'topic', schema: Schemas.STRING },
        { name: 'ts', schema: { type: 'INT64', optional: true, name: Schemas.TIMESTAMP.name } },
        { name: 'src', schema: Schemas.OPTIONAL_STRING },
      ],
    });
    expect(out?.valueSchema && validateValue(out.valueSchema, out.value)).toBeUndefined();
  });

  it('reuses the widened schema for records of the same schema', () => {
    const schema = SchemaBuilder.struct().field('id', Schemas.INT32).build();
    const t = insertField({ 'topic.field': 't' });
    expect(t.apply(record({ id: 1 }, schema))?.valueSchema).toBe(
      t.apply(record({ id: 2 }, schema))?.valueSchema,
    );
  });

  it('works on the key with $Key, and passes tombstones unchanged', () => {
    const t = insertField({ 'topic.field': 't' }, 'key');
    expect(t.apply({ ...record(null), key: {} })?.key).toEqual({ t: 'orders' });
    const tombstone = record(null);
    expect(insertField({ 'topic.field': 't' }).apply(tombstone)).toBe(tombstone);
  });

  it('refuses a schemaless value that is not an object, naming the transform', () => {
    expect(() => insertField(config).apply(record('text'))).toThrow(
      /InsertField\$Value: a schemaless value must be a plain object, got a string/,
    );
  });

  it('validates its config at configure, naming the key', () => {
    expect(() => insertField({ 'static.field': 's' })).toThrow(ConfigError);
    expect(() => insertField({ 'static.field': 's' })).toThrow(/static.value/);
    expect(() => insertField({ 'offset.field': 'o' })).toThrow(/offset.field is not supported/);
    expect(() => insertField({ 'topic.field': ' ' })).toThrow(/"topic.field"/);
  });
});
