import { describe, expect, test } from 'vitest';
import { SchemaBuilder } from '../../../../lib/api/schema-builder.js';
import { Schemas } from '../../../../lib/api/schema.js';
import { ExtractNestedField } from '../../../../lib/transforms/rocketmq/extract-nested-field.js';
import { configured, record, refusal, refusedKey } from './records.js';

const config = {
  'input.outer.field.name': 'address',
  'input.inner.field.name': 'state',
  'output.field.name': 'state',
};
const extract = (part: 'key' | 'value' = 'value', more: Record<string, string> = {}) =>
  configured(new ExtractNestedField(part), { ...config, ...more });

const address = SchemaBuilder.struct()
  .name('Address')
  .field('city', Schemas.STRING)
  .field('state', Schemas.STRING)
  .build();
const person = SchemaBuilder.struct()
  .field('first_name', Schemas.STRING)
  .field('last_name', Schemas.STRING)
  .field('address', address)
  .build();
const ada = {
  first_name: 'test',
  last_name: 'developer',
  address: { city: 'Austin', state: 'tx' },
};

describe('ExtractNestedField$Key / $Value', () => {
  test("RocketMQ Connect's example: address.state is copied up into state, 50 times over", () => {
    const t = extract();
    const input = record({ valueSchema: person, value: ada });
    const outs = Array.from({ length: 50 }, () => t.apply(input));
    for (const out of outs) {
      expect(out?.value).toEqual({ ...ada, state: 'tx' });
      expect(out?.valueSchema).toMatchObject({
        type: 'STRUCT',
        optional: false,
        fields: [
          { name: 'first_name', schema: Schemas.STRING },
          { name: 'last_name', schema: Schemas.STRING },
          { name: 'address', schema: address },
          { name: 'state', index: 3, schema: Schemas.STRING },
        ],
      });
      expect(out?.valueSchema).toBe(outs[0]?.valueSchema);
    }
    expect(input.value).toEqual(ada);
  });

  test('output.field.name names the new field (RocketMQ Connect ignores it)', () => {
    const out = extract('value', { 'output.field.name': 'region' }).apply(
      record({ valueSchema: person, value: ada }),
    );
    expect(out?.value).toEqual({ ...ada, region: 'tx' });
    const schema = out?.valueSchema;
    expect(schema?.type === 'STRUCT' && schema.fields.map((f) => f.name)).toEqual([
      'first_name',
      'last_name',
      'address',
      'region',
    ]);
  });

  test('without output.field.name the field takes the inner name', () => {
    const t = configured(new ExtractNestedField('value'), {
      'input.outer.field.name': 'address',
      'input.inner.field.name': 'city',
    });
    expect(t.apply(record({ valueSchema: person, value: ada }))?.value).toMatchObject({
      city: 'Austin',
    });
  });

  test('an optional nested struct that is null gives null, in a field made optional', () => {
    const optionalAddress = SchemaBuilder.struct()
      .field('state', Schemas.STRING)
      .optional()
      .build();
    const schema = SchemaBuilder.struct().field('address', optionalAddress).build();
    const out = extract().apply(record({ valueSchema: schema, value: { address: null } }));
    expect(out?.value).toEqual({ address: null, state: null });
    expect(out?.valueSchema).toMatchObject({
      fields: [{ name: 'address' }, { name: 'state', schema: { type: 'STRING', optional: true } }],
    });
  });

  test('a tombstone stays one, with the extended schema', () => {
    const out = extract().apply(record({ valueSchema: person, value: null }));
    expect(out?.value).toBeNull();
    expect(out?.valueSchema?.type === 'STRUCT' && out.valueSchema.fields.length).toBe(4);
    const schemaless = record();
    expect(extract().apply(schemaless)).toBe(schemaless);
  });

  test('schemaless maps work too (RocketMQ Connect refuses them)', () => {
    const t = extract();
    expect(t.apply(record({ value: { id: 1, address: { state: 'tx' } } }))?.value).toEqual({
      id: 1,
      address: { state: 'tx' },
      state: 'tx',
    });
    expect(t.apply(record({ value: { id: 1, address: null } }))?.value).toEqual({
      id: 1,
      address: null,
      state: null,
    });
    expect(t.apply(record({ value: { id: 1 } }))?.value).toEqual({ id: 1, state: null });
  });

  test('$Key works on the key and leaves the value', () => {
    const out = extract('key').apply(record({ keySchema: person, key: ada, value: 'v' }));
    expect(out?.key).toMatchObject({ state: 'tx' });
    expect(out?.value).toBe('v');
    expect(out?.valueSchema).toBeUndefined();
  });

  test('records it cannot extract from are refused, saying why', () => {
    const t = extract();
    expect(refusal(() => t.apply(record({ value: { address: 'Austin' } })))).toBe(
      "ExtractNestedField$Value: field 'address' must be a map, got a string",
    );
    expect(refusal(() => t.apply(record({ value: { state: 'x', address: {} } })))).toBe(
      "ExtractNestedField$Value: the value already has a field 'state'",
    );
    const flat = SchemaBuilder.struct().field('address', Schemas.STRING).build();
    expect(refusal(() => t.apply(record({ valueSchema: flat, value: { address: 'x' } })))).toBe(
      "ExtractNestedField$Value: field 'address' is STRING, not a STRUCT",
    );
    const noAddress = SchemaBuilder.struct().field('id', Schemas.INT32).build();
    expect(refusal(() => t.apply(record({ valueSchema: noAddress, value: { id: 1 } })))).toBe(
      "ExtractNestedField$Value: the value has no field 'address'",
    );
    const other = extract('value', { 'input.inner.field.name': 'zip' });
    expect(refusal(() => other.apply(record({ valueSchema: person, value: ada })))).toBe(
      "ExtractNestedField$Value: field 'address' has no field 'zip'",
    );
    expect(refusal(() => t.apply(record({ value: [1] })))).toMatch(/must be a map, got an array/);
  });

  test('bad configs are refused, naming the key', () => {
    expect(
      refusedKey(() =>
        new ExtractNestedField('value').configure({ 'input.inner.field.name': 'state' }),
      ).key,
    ).toBe('input.outer.field.name');
    expect(
      refusedKey(() =>
        new ExtractNestedField('key').configure({
          'input.outer.field.name': 'address',
          'input.inner.field.name': ' ',
        }),
      ).key,
    ).toBe('input.inner.field.name');
  });
});
