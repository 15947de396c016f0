import { describe, expect, it } from 'vitest';
import { NonRetriableError } from '../../../lib/api/errors.js';
import { decimalScale, fieldOf, LogicalType, Schemas } from '../../../lib/api/schema.js';
import { SchemaBuilder } from '../../../lib/api/schema-builder.js';

describe('SchemaBuilder', () => {
  it('builds a struct whose fields keep their order and index', () => {
    const schema = SchemaBuilder.struct()
      .name('com.example.Person')
      .version(2)
      .doc('A person')
      .field('id', Schemas.INT64)
      .field('nick', SchemaBuilder.string().optional())
      .field('tags', SchemaBuilder.array(Schemas.STRING))
      .build();
    expect(schema.type).toBe('STRUCT');
    expect(schema.fields.map((f) => [f.name, f.index, f.schema.type, f.schema.optional])).toEqual([
      ['id', 0, 'INT64', false],
      ['nick', 1, 'STRING', true],
      ['tags', 2, 'ARRAY', false],
    ]);
    expect([schema.name, schema.version, schema.doc]).toEqual([
      'com.example.Person',
      2,
      'A person',
    ]);
    expect(fieldOf(schema, 'tags')?.schema).toMatchObject({ valueSchema: { type: 'STRING' } });
    expect(Object.isFrozen(schema)).toBe(true);
  });

  it('builds maps and arrays of nested schemas', () => {
    const schema = SchemaBuilder.map(Schemas.STRING, SchemaBuilder.array(Schemas.INT32))
      .optional()
      .build();
    expect(schema).toMatchObject({
      type: 'MAP',
      optional: true,
      keySchema: { type: 'STRING' },
      valueSchema: { type: 'ARRAY', valueSchema: { type: 'INT32' } },
    });
  });

  it("builds Kafka Connect's logical types", () => {
    expect(SchemaBuilder.date().build()).toMatchObject({ type: 'INT32', name: LogicalType.DATE });
    expect(SchemaBuilder.time().build()).toMatchObject({ type: 'INT32', name: LogicalType.TIME });
    expect(SchemaBuilder.timestamp().build()).toMatchObject({
      type: 'INT64',
      name: 'org.apache.kafka.connect.data.Timestamp',
    });
    const decimal = SchemaBuilder.decimal(2).optional().build();
    expect(decimal).toMatchObject({ type: 'BYTES', optional: true, parameters: { scale: '2' } });
    expect(decimalScale(decimal)).toBe(2);
    expect(Schemas.decimal(4)).toEqual({
      type: 'BYTES',
      optional: false,
      name: LogicalType.DECIMAL,
      version: 1,
      parameters: { scale: '4' },
    });
    expect(decimalScale(Schemas.BYTES)).toBeUndefined();
  });

  it('checks the default value against the schema', () => {
    expect(SchemaBuilder.int8().defaultValue(7).build().defaultValue).toBe(7);
    expect(() => SchemaBuilder.int8().defaultValue(300).build()).toThrow(
      'invalid default value: value: expected INT8, got 300, out of range -128..127',
    );
  });

  it('refuses a struct with two fields of one name', () => {
    const builder = SchemaBuilder.struct().field('id', Schemas.INT32);
    expect(() => builder.field('id', Schemas.STRING)).toThrow(NonRetriableError);
  });

  it('types field() for struct builders only', () => {
    // @ts-expect-error a string schema has no fields
    expect(() => SchemaBuilder.string().field('x', Schemas.INT8)).not.toThrow();
  });

  it('has required and optional ready-made schemas', () => {
    expect(Schemas.INT32).toEqual({ type: 'INT32', optional: false });
    expect(Schemas.OPTIONAL_STRING).toEqual({ type: 'STRING', optional: true });
  });
});
