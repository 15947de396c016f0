import { describe, expect, it, test } from 'vitest';
import { SchemaBuilder } from '../../../../lib/api/schema-builder.js';
import { Schemas } from '../../../../lib/api/schema.js';
import {
  ChangeCase,
  convertCase,
  type CaseFormat,
} from '../../../../lib/transforms/rocketmq/change-case.js';
import { configured, record, refusal, refusedKey } from './records.js';

const upperCamel = (part: 'key' | 'value' = 'value') =>
  configured(new ChangeCase(part), { from: 'LOWER_UNDERSCORE', to: 'UPPER_CAMEL' });

describe('convertCase (Guava CaseFormat)', () => {
  it.each<[CaseFormat, CaseFormat, string, string]>([
    ['lower_underscore', 'upper_camel', 'first_name', 'FirstName'],
    ['lower_underscore', 'lower_camel', 'first_name', 'firstName'],
    ['upper_camel', 'lower_underscore', 'FirstName', 'first_name'],
    ['lower_camel', 'lower_hyphen', 'firstName', 'first-name'],
    ['lower_hyphen', 'upper_underscore', 'first-name', 'FIRST_NAME'],
    ['upper_underscore', 'lower_camel', 'FIRST_NAME', 'firstName'],
    ['upper_underscore', 'upper_camel', 'ORDER_LINE_ID', 'OrderLineId'],
    ['lower_camel', 'lower_underscore', 'userID', 'user_i_d'],
    ['lower_underscore', 'lower_camel', 'a__b', 'aB'],
    ['lower_underscore', 'lower_underscore', 'Keep_AS_is', 'Keep_AS_is'],
    // Only ASCII letters change case: 'ß' would become 'SS' and not come back.
    ['lower_underscore', 'upper_underscore', 'straße_nr', 'STRAßE_NR'],
  ])('%s -> %s: %s becomes %s', (from, to, name, expected) => {
    expect(convertCase(name, from, to)).toBe(expected);
  });
});

describe('ChangeCase$Key / $Value', () => {
  const schema = SchemaBuilder.struct()
    .name('com.example.Person')
    .version(2)
    .doc('a person')
    .optional()
    .field('first_name', Schemas.STRING)
    .field('last_name', Schemas.OPTIONAL_STRING)
    .build();

  test('renames the fields of a struct and of its schema, which keeps its name, doc and optional', () => {
    const input = record({ valueSchema: schema, value: { first_name: 'Ada', last_name: null } });
    const out = upperCamel().apply(input);
    expect(out?.value).toEqual({ FirstName: 'Ada', LastName: null });
    expect(out?.valueSchema).toMatchObject({
      type: 'STRUCT',
      name: 'com.example.Person',
      version: 2,
      doc: 'a person',
      optional: true,
      fields: [
        { name: 'FirstName', index: 0, schema: Schemas.STRING },
        { name: 'LastName', index: 1, schema: Schemas.OPTIONAL_STRING },
      ],
    });
    expect(out).toMatchObject({ topic: 'orders', headers: input.headers, offset: { pos: 1 } });
    expect(input.value).toEqual({ first_name: 'Ada', last_name: null });
  });

  test('records of one schema share one renamed schema', () => {
    const t = upperCamel();
    const a = t.apply(record({ valueSchema: schema, value: { first_name: 'a', last_name: null } }));
    const b = t.apply(record({ valueSchema: schema, value: { first_name: 'b', last_name: 'c' } }));
    expect(a?.valueSchema).toBe(b?.valueSchema);
  });

  test('$Key renames the key and leaves the value', () => {
    const out = upperCamel('key').apply(
      record({ keySchema: schema, key: { first_name: 'Ada' }, value: { first_name: 'x' } }),
    );
    expect(out?.key).toEqual({ FirstName: 'Ada' });
    expect(out?.value).toEqual({ first_name: 'x' });
  });

  test('schemaless maps have their keys renamed (RocketMQ Connect refuses them)', () => {
    const out = upperCamel().apply(record({ value: { order_id: 1, line_items: [1] } }));
    expect(out?.value).toEqual({ OrderId: 1, LineItems: [1] });
    expect(out?.valueSchema).toBeUndefined();
  });

  test('a Map with a MAP schema keeps its schema', () => {
    const mapSchema = SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build();
    const out = upperCamel().apply(
      record({ valueSchema: mapSchema, value: new Map([['order_id', 1]]) }),
    );
    expect(out?.value).toEqual(new Map([['OrderId', 1]]));
    expect(out?.valueSchema).toBe(mapSchema);
  });

  test('two fields that would get one name are refused rather than one overwriting the other', () => {
    const t = configured(new ChangeCase('value'), {
      from: 'UPPER_UNDERSCORE',
      to: 'LOWER_UNDERSCORE',
    });
    expect(refusal(() => t.apply(record({ value: { ID: 1, id: 2 } })))).toBe(
      "ChangeCase$Value: fields 'ID' and 'id' would both be named 'id'",
    );
    const clash = SchemaBuilder.struct()
      .field('ID', Schemas.INT32)
      .field('id', Schemas.INT32)
      .build();
    expect(refusal(() => t.apply(record({ valueSchema: clash, value: { ID: 1, id: 2 } })))).toMatch(
      /would both be named 'id'/,
    );
  });

  test('a tombstone stays one; with a schema, the schema is renamed all the same', () => {
    const out = upperCamel().apply(record({ valueSchema: schema, value: null }));
    expect(out?.value).toBeNull();
    expect(out?.valueSchema?.type === 'STRUCT' && out.valueSchema.fields[0]?.name).toBe(
      'FirstName',
    );
    const schemaless = record({ value: null });
    expect(upperCamel().apply(schemaless)).toBe(schemaless);
  });

  test('a value that is neither a struct nor a map is refused, naming the transform', () => {
    expect(refusal(() => upperCamel().apply(record({ value: 'text' })))).toBe(
      'ChangeCase$Value: a schemaless value must be a map, got a string',
    );
    expect(
      refusal(() => upperCamel().apply(record({ valueSchema: Schemas.STRING, value: 'x' }))),
    ).toMatch(/ChangeCase\$Value: the value must be a struct or a map/);
  });

  test('bad configs are refused, naming the key', () => {
    expect(refusedKey(() => new ChangeCase('value').configure({ to: 'UPPER_CAMEL' })).key).toBe(
      'from',
    );
    const bad = refusedKey(() =>
      new ChangeCase('key').configure({ from: 'LOWER_CAMEL', to: 'SNAKE' }),
    );
    expect(bad.key).toBe('to');
    expect(bad.message).toMatch(/^ChangeCase\$Key: /);
  });

  test('formats are accepted in any case', () => {
    const t = configured(new ChangeCase('value'), { from: 'lower_camel', to: 'Upper_Underscore' });
    expect(t.apply(record({ value: { orderId: 1 } }))?.value).toEqual({ ORDER_ID: 1 });
  });
});
