import { describe, expect, test } from 'vitest';
import { SchemaBuilder } from '../../../../lib/api/schema-builder.js';
import { Schemas } from '../../../../lib/api/schema.js';
import {
  DECIMAL_PRECISION_PARAMETER as PRECISION,
  digitsOf,
  SetMaximumPrecision,
} from '../../../../lib/transforms/rocketmq/set-maximum-precision.js';
import { configured, record, refusal, refusedKey } from './records.js';

const cap = (max: number, part: 'key' | 'value' = 'value') =>
  configured(new SetMaximumPrecision(part), { 'precision.max': String(max) });
const decimal = (precision?: string, optional = false) => {
  const b = SchemaBuilder.decimal(5);
  if (precision !== undefined) b.parameter(PRECISION, precision);
  if (optional) b.optional();
  return b.build();
};
const one = { unscaled: 100_000n, scale: 5 };

describe('SetMaximumPrecision$Key / $Value', () => {
  test("RocketMQ Connect's example: precisions above 32, or unstated, become 32; the values stay", () => {
    const schema = SchemaBuilder.struct()
      .field('first', decimal())
      .field('second', decimal('16', true))
      .field('third', decimal('48', true))
      .build();
    const value = { first: one, second: null, third: one };
    const out = cap(32).apply(record({ valueSchema: schema, value }));
    expect(out?.value).toEqual(value);
    expect(out?.valueSchema).toMatchObject({
      fields: [
        {
          name: 'first',
          schema: { optional: false, parameters: { scale: '5', [PRECISION]: '32' } },
        },
        { name: 'second', schema: decimal('16', true) },
        {
          name: 'third',
          schema: { optional: true, parameters: { scale: '5', [PRECISION]: '32' } },
        },
      ],
    });
  });

  test("RocketMQ Connect's example: a struct without decimals passes as it is", () => {
    const schema = SchemaBuilder.struct()
      .field('first', Schemas.STRING)
      .field('email', Schemas.STRING)
      .build();
    const input = record({ valueSchema: schema, value: { first: 'a', email: 'b' } });
    expect(cap(32).apply(input)).toBe(input);
  });

  test('the struct keeps being optional, and a field keeps its default (RocketMQ Connect drops both)', () => {
    const withDefault = SchemaBuilder.decimal(2).optional().defaultValue('1.50').build();
    const schema = SchemaBuilder.struct()
      .name('Price')
      .field('amount', withDefault)
      .optional()
      .build();
    const out = cap(10).apply(record({ valueSchema: schema, value: { amount: '2.00' } }));
    expect(out?.valueSchema).toMatchObject({
      name: 'Price',
      optional: true,
      fields: [{ schema: { optional: true, defaultValue: '1.50' } }],
    });
  });

  test('a value with more digits than precision.max is refused instead of travelling under a false schema', () => {
    const schema = SchemaBuilder.struct().field('amount', decimal()).build();
    const big = { unscaled: 10n ** 12n, scale: 5 };
    expect(
      refusal(() => cap(12).apply(record({ valueSchema: schema, value: { amount: big } }))),
    ).toBe("SetMaximumPrecision$Value: field 'amount' has 13 digits, more than precision.max 12");
    expect(
      refusal(() => cap(8).apply(record({ valueSchema: schema, value: { amount: '-1234.5' } }))),
    ).toMatch(/has 9 digits/);
    expect(
      cap(9).apply(record({ valueSchema: schema, value: { amount: '-1234.5' } })),
    ).not.toBeNull();
  });

  test.each<[unknown, number, number | undefined]>([
    [{ unscaled: 0n, scale: 2 }, 2, 1],
    [{ unscaled: -12345n, scale: 2 }, 2, 5],
    ['123.45', 2, 5],
    ['1', 5, 6],
    ['0.5', 1, 1],
    ['not a number', 2, undefined],
  ])('digitsOf(%o) at scale %i is %s', (value, scale, digits) => {
    expect(digitsOf(value, scale)).toBe(digits);
  });

  test('a Decimal key or value itself is capped too (RocketMQ Connect refuses it)', () => {
    const out = cap(20, 'key').apply(record({ keySchema: decimal(), key: one }));
    expect(out?.keySchema?.parameters).toEqual({ scale: '5', [PRECISION]: '20' });
    expect(out?.key).toBe(one);
  });

  test('schemaless records, other schemas and $Value with only a key decimal pass unchanged', () => {
    for (const r of [
      record({ value: { amount: '1.5' } }),
      record({ valueSchema: Schemas.STRING, value: 'x' }),
      record({ keySchema: decimal(), key: one }),
    ]) {
      expect(cap(10).apply(r)).toBe(r);
    }
  });

  test('a tombstone stays one, with the capped schema', () => {
    const schema = SchemaBuilder.struct().field('a', decimal()).optional().build();
    const out = cap(10).apply(record({ valueSchema: schema, value: null }));
    expect(out?.value).toBeNull();
    expect(out?.valueSchema).toMatchObject({
      optional: true,
      fields: [{ name: 'a', schema: { parameters: { scale: '5', [PRECISION]: '10' } } }],
    });
  });

  test('schemas it cannot cap are refused, naming the field', () => {
    const badPrecision = SchemaBuilder.struct().field('a', decimal('lots')).build();
    expect(
      refusal(() => cap(10).apply(record({ valueSchema: badPrecision, value: { a: one } }))),
    ).toBe(`SetMaximumPrecision$Value: field 'a' has ${PRECISION}=lots, not a number`);
    const schema = SchemaBuilder.struct().field('a', decimal()).build();
    expect(refusal(() => cap(4).apply(record({ valueSchema: schema, value: { a: one } })))).toBe(
      "SetMaximumPrecision$Value: field 'a' has scale 5, more than precision.max 4",
    );
  });

  test('bad configs are refused, naming the key (RocketMQ Connect reads a missing one as 0)', () => {
    const t = new SetMaximumPrecision('value');
    expect(refusedKey(() => t.configure({})).key).toBe('precision.max');
    expect(refusedKey(() => t.configure({ 'precision.max': '0' })).message).toMatch(/at least 1/);
    expect(refusedKey(() => t.configure({ 'precision.max': '3x' })).key).toBe('precision.max');
  });
});
