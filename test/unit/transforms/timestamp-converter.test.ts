import { describe, expect, test } from 'vitest';
import { SchemaBuilder } from '../../../lib/api/schema-builder.js';
import { Schemas } from '../../../lib/api/schema.js';
import { TimestampConverter } from '../../../lib/transforms/timestamp-converter.js';
import { configured, valueRecord } from './value-transforms-helpers.js';

const converter = (config: Record<string, string>) =>
  configured(new TimestampConverter('value'), config);

describe("TimestampConverter (the examples of Kafka's and Confluent's docs)", () => {
  test('a Unix-time field becomes text in the format', () => {
    const schema = SchemaBuilder.struct().field('event_date_long', Schemas.INT64).build();
    const out = converter({
      field: 'event_date_long',
      'target.type': 'string',
      format: 'yyyy-MM-dd',
    }).apply(valueRecord({ event_date_long: 1696464000000 }, schema));
    expect(out?.value).toEqual({ event_date_long: '2023-10-05' });
    expect(out?.valueSchema).toMatchObject({ fields: [{ schema: { type: 'STRING' } }] });
  });

  test('a text field becomes a Connect Date', () => {
    const out = converter({
      field: 'event_date_str',
      'target.type': 'Date',
      format: 'yyyy-MM-dd',
    }).apply(valueRecord({ event_date_str: '2017-01-01' }));
    expect(out?.value).toEqual({ event_date_str: new Date(Date.UTC(2017, 0, 1)) });
  });

  test('a whole Timestamp becomes Unix seconds', () => {
    const out = converter({ 'target.type': 'unix', 'unix.precision': 'seconds' }).apply(
      valueRecord(new Date(1696464000123), Schemas.TIMESTAMP),
    );
    expect(out?.value).toBe(1696464000);
    expect(out?.valueSchema).toMatchObject({ type: 'INT64' });
  });
});

describe('TimestampConverter (Kafka semantics)', () => {
  test('text that does not match fails with the pattern in the message', () => {
    expect(() =>
      converter({ 'target.type': 'unix', format: 'yyyy-MM-dd' }).apply(valueRecord('nope')),
    ).toThrow('Could not parse timestamp: value (nope) does not match pattern (yyyy-MM-dd)');
  });

  test('configs Kafka refuses are refused, naming the key', () => {
    expect(() => converter({ 'target.type': 'date' })).toThrow(/target\.type/);
    expect(() => converter({ 'target.type': 'string' })).toThrow(/format/);
    expect(() => converter({ 'target.type': 'string', format: 'yyyy-qq' })).toThrow(/format/);
    expect(() => converter({ 'target.type': 'string', format: 'YYYY-ww' })).toThrow(/format/);
  });
});
