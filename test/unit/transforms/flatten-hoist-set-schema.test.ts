import { describe, expect, test } from 'vitest';
import { SchemaBuilder } from '../../../lib/api/schema-builder.js';
import { Schemas } from '../../../lib/api/schema.js';
import { Flatten } from '../../../lib/transforms/flatten.js';
import { HoistField } from '../../../lib/transforms/hoist-field.js';
import { SetSchemaMetadata } from '../../../lib/transforms/set-schema-metadata.js';
import { configured, valueRecord } from './value-transforms-helpers.js';

describe("Flatten (the example of Kafka's and Confluent's docs)", () => {
  const value = { content: { id: 42, name: { first: 'David', middle: null, last: 'Wong' } } };

  test('a schemaless map flattens with the delimiter', () => {
    const out = configured(new Flatten('value'), { delimiter: '.' }).apply(valueRecord(value));
    expect(out?.value).toEqual({
      'content.id': 42,
      'content.name.first': 'David',
      'content.name.middle': null,
      'content.name.last': 'Wong',
    });
  });

  test('a struct flattens; fields under an optional parent become optional; arrays stay', () => {
    const name = SchemaBuilder.struct()
      .optional()
      .field('first', Schemas.STRING)
      .field('tags', SchemaBuilder.array(Schemas.STRING).build())
      .build();
    const schema = SchemaBuilder.struct()
      .name('c')
      .field('id', Schemas.INT32)
      .field('name', name)
      .build();
    const out = configured(new Flatten('value'), { delimiter: '_' }).apply(
      valueRecord({ id: 42, name: { first: 'David', tags: ['a'] } }, schema),
    );
    expect(out?.value).toEqual({ id: 42, name_first: 'David', name_tags: ['a'] });
    expect(out?.valueSchema).toMatchObject({
      name: 'c',
      fields: [
        { name: 'id', schema: { type: 'INT32', optional: false } },
        { name: 'name_first', schema: { type: 'STRING', optional: true } },
        { name: 'name_tags', schema: { type: 'ARRAY', optional: true } },
      ],
    });
  });

  test('a MAP field of a struct is refused as Kafka refuses it', () => {
    const schema = SchemaBuilder.struct()
      .field('m', SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build())
      .build();
    expect(() =>
      configured(new Flatten('value'), {}).apply(valueRecord({ m: {} }, schema)),
    ).toThrow('Flatten transformation does not support MAP for record with schemas (for field m).');
  });
});

describe("HoistField (the example of Kafka's and Confluent's docs)", () => {
  test('42 with field=line becomes {line: 42}, with a struct schema when there is one', () => {
    const hoist = configured(new HoistField('value'), { field: 'line' });
    expect(hoist.apply(valueRecord(42))?.value).toEqual({ line: 42 });
    const out = hoist.apply(valueRecord(42, Schemas.INT32));
    expect(out?.value).toEqual({ line: 42 });
    expect(out?.valueSchema).toMatchObject({
      type: 'STRUCT',
      fields: [{ name: 'line', schema: { type: 'INT32' } }],
    });
  });
});

describe("SetSchemaMetadata (the example of Kafka's and Confluent's docs)", () => {
  const schema = SchemaBuilder.struct().name('old').field('id', Schemas.INT32).build();

  test('the schema gets the configured name and version, the value is kept', () => {
    const out = configured(new SetSchemaMetadata('value'), {
      'schema.name': 'order-value',
      'schema.version': '2',
    }).apply(valueRecord({ id: 1 }, schema));
    expect(out?.value).toEqual({ id: 1 });
    expect(out?.valueSchema).toMatchObject({ name: 'order-value', version: 2, type: 'STRUCT' });
  });

  test('neither name nor version is refused; a record without a schema fails as in Kafka', () => {
    expect(() => configured(new SetSchemaMetadata('value'), {})).toThrow(
      /Neither schema name nor version/,
    );
    const t = configured(new SetSchemaMetadata('value'), { 'schema.name': 'x' });
    expect(() => t.apply(valueRecord({ id: 1 }))).toThrow(
      'Schema required for [updating schema metadata]',
    );
  });
});
