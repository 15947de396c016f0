import { describe, expect, test } from 'vitest';
import { SchemaBuilder } from '../../../lib/api/schema-builder.js';
import { Schemas } from '../../../lib/api/schema.js';
import { Cast } from '../../../lib/transforms/cast.js';
import { configured, valueRecord } from './value-transforms-helpers.js';

const cast = (spec: string) => configured(new Cast('value'), { spec });

describe("Cast (the examples of Kafka's and Confluent's docs)", () => {
  test('a whole 64-bit float value becomes a string (Java text: the docs show 63521704.02)', () => {
    const out = cast('string').apply(valueRecord(63521704.02, Schemas.FLOAT64));
    // Double.toString writes 1e7 and above in E notation; Kafka's real output is this.
    expect(out?.value).toBe('6.352170402E7');
    expect(cast('string').apply(valueRecord(4761.5, Schemas.FLOAT64))?.value).toBe('4761.5');
    expect(out?.valueSchema).toMatchObject({ type: 'STRING', optional: false });
  });

  test('ID:string,score:float64 casts two fields of a struct and of a map', () => {
    const schema = SchemaBuilder.struct()
      .field('ID', Schemas.INT32)
      .field('score', Schemas.INT32)
      .build();
    const withSchema = cast('ID:string,score:float64').apply(
      valueRecord({ ID: 46920, score: 4761 }, schema),
    );
    expect(withSchema?.value).toEqual({ ID: '46920', score: 4761 });
    expect(withSchema?.valueSchema).toMatchObject({
      fields: [
        { name: 'ID', schema: { type: 'STRING' } },
        { name: 'score', schema: { type: 'FLOAT64' } },
      ],
    });
    const schemaless = cast('ID:string,score:float64').apply(
      valueRecord({ ID: 46920, score: 4761 }),
    );
    expect(schemaless?.value).toEqual({ ID: '46920', score: 4761 });
  });
});

describe('Cast (Java semantics)', () => {
  test('integers wrap, floats saturate and truncate, text is parsed', () => {
    expect(cast('int8').apply(valueRecord(300, Schemas.INT32))?.value).toBe(44);
    expect(cast('int32').apply(valueRecord(3e10, Schemas.FLOAT64))?.value).toBe(2147483647);
    expect(cast('int16').apply(valueRecord('-12', Schemas.STRING))?.value).toBe(-12);
    expect(cast('boolean').apply(valueRecord(0.5, Schemas.FLOAT64))?.value).toBe(false);
    expect(cast('float32').apply(valueRecord(' 1.5f ', Schemas.STRING))?.value).toBe(1.5);
  });

  test('text out of range fails the record with Kafka message', () => {
    expect(() => cast('int8').apply(valueRecord('128', Schemas.STRING))).toThrow(
      'Value (128) was out of range for requested data type',
    );
  });

  test('bytes become base64 text; a Decimal its number; logical values their encoding or ISO text', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    expect(cast('string').apply(valueRecord(bytes, Schemas.BYTES))?.value).toBe('AQID');
    const decimal = { unscaled: 12345n, scale: 2 };
    expect(cast('float64').apply(valueRecord(decimal, Schemas.decimal(2)))?.value).toBe(123.45);
    const day = new Date(Date.UTC(2023, 9, 5));
    const dates = SchemaBuilder.struct().field('d', SchemaBuilder.date().build()).build();
    expect(cast('d:int32').apply(valueRecord({ d: day }, dates))?.value).toEqual({ d: 19635 });
    expect(cast('d:string').apply(valueRecord({ d: day }, dates))?.value).toEqual({
      d: '2023-10-05',
    });
  });

  test('a spec Kafka refuses is refused naming spec', () => {
    expect(() => cast('')).toThrow(/spec/);
    expect(() => cast('id:bytes')).toThrow(/does not support casting to BYTES/);
    expect(() => cast('int8,id:int16')).toThrow(/may only specify a single cast/);
  });
});
