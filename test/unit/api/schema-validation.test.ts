import { describe, expect, it } from 'vitest';
import { type Schema, Schemas } from '../../../lib/api/schema.js';
import { SchemaBuilder } from '../../../lib/api/schema-builder.js';
import { validateValue } from '../../../lib/api/schema-validation.js';

const address = SchemaBuilder.struct()
  .field('street', Schemas.STRING)
  .field('zip', Schemas.INT32)
  .build();
const person = SchemaBuilder.struct()
  .field('id', Schemas.INT64)
  .field('name', Schemas.OPTIONAL_STRING)
  .field('address', address)
  .field('tags', SchemaBuilder.array(Schemas.STRING).optional())
  .field('scores', SchemaBuilder.map(Schemas.STRING, Schemas.FLOAT64).optional())
  .build();

const day = new Date(Date.UTC(2024, 1, 29));

const valid: [string, Schema, unknown][] = [
  ['INT8 bounds', Schemas.INT8, -128],
  ['INT16 bound', Schemas.INT16, 32767],
  ['INT32 bound', Schemas.INT32, -(2 ** 31)],
  ['INT64 as bigint', Schemas.INT64, 2n ** 63n - 1n],
  ['INT64 as a safe number', Schemas.INT64, Number.MAX_SAFE_INTEGER],
  ['FLOAT32', Schemas.FLOAT32, 1.5],
  ['FLOAT64', Schemas.FLOAT64, -0.1],
  ['BOOLEAN', Schemas.BOOLEAN, false],
  ['STRING', Schemas.STRING, ''],
  ['BYTES as Uint8Array', Schemas.BYTES, new Uint8Array([1])],
  ['BYTES as Buffer', Schemas.BYTES, Buffer.from('x')],
  ['null for an optional schema', Schemas.OPTIONAL_INT32, null],
  ['null with a default', SchemaBuilder.int32().defaultValue(0).build(), undefined],
  ['Date at UTC midnight', Schemas.DATE, day],
  ['Time on the epoch day', Schemas.TIME, new Date(3_600_000)],
  ['Timestamp', Schemas.TIMESTAMP, new Date()],
  ['Decimal as unscaled', Schemas.decimal(2), { unscaled: 12345n, scale: 2 }],
  ['Decimal as a string', Schemas.decimal(2), '-123.4'],
  [
    'a struct with nested values',
    person,
    {
      id: 1n,
      name: null,
      address: { street: 'Main', zip: 12345 },
      tags: ['a'],
      scores: new Map([['x', 1.5]]),
    },
  ],
  [
    'a map as a plain object',
    SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build(),
    { a: 1, b: 2 },
  ],
];

const invalid: [string, Schema, unknown, string][] = [
  ['a string for INT32', Schemas.INT32, '1', 'value: expected INT32, got string'],
  ['INT8 over range', Schemas.INT8, 128, 'value: expected INT8, got 128, out of range -128..127'],
  [
    'INT16 under range',
    Schemas.INT16,
    -32769,
    'value: expected INT16, got -32769, out of range -32768..32767',
  ],
  [
    'INT32 over range',
    Schemas.INT32,
    2 ** 31,
    'value: expected INT32, got 2147483648, out of range -2147483648..2147483647',
  ],
  ['a fraction for INT32', Schemas.INT32, 1.5, 'value: expected INT32, got 1.5'],
  [
    'an unsafe INT64 number',
    Schemas.INT64,
    2 ** 60,
    'value: expected INT64, got 1152921504606847000, not a safe integer (use a bigint)',
  ],
  [
    'a bigint beyond 64 bits',
    Schemas.INT64,
    2n ** 63n,
    'value: expected INT64, got 9223372036854775808, out of the 64-bit range',
  ],
  ['null for a required schema', Schemas.STRING, null, 'value: expected STRING, got null'],
  ['a string for BYTES', Schemas.BYTES, 'x', 'value: expected BYTES, got string'],
  ['a number for BOOLEAN', Schemas.BOOLEAN, 0, 'value: expected BOOLEAN, got number'],
  ['a number for Date', Schemas.DATE, 0, 'value: expected Date, got number'],
  [
    'a Date with a time of day',
    Schemas.DATE,
    new Date(Date.UTC(2024, 0, 1, 12)),
    'value: expected Date, got a Date with a time of day (UTC)',
  ],
  [
    'a Time past the first day',
    Schemas.TIME,
    day,
    'value: expected Time, got a Date outside 1970-01-01 UTC',
  ],
  [
    'an invalid Date',
    Schemas.TIMESTAMP,
    new Date('nope'),
    'value: expected Timestamp, got an invalid Date',
  ],
  [
    'a Decimal of another scale',
    Schemas.decimal(2),
    { unscaled: 1n, scale: 3 },
    'value: expected Decimal of scale 2, got scale 3',
  ],
  [
    'a Decimal string with too many digits',
    Schemas.decimal(1),
    '1.25',
    'value: expected Decimal of scale 1, got 2 fraction digits',
  ],
  ['a Decimal number', Schemas.decimal(1), 1.5, 'value: expected Decimal, got number'],
  [
    'a struct field of the wrong type',
    person,
    { id: 1, address: { street: 'Main', zip: '12345' } },
    "field 'address.zip': expected INT32, got string",
  ],
  [
    'a missing required field',
    person,
    { id: 1 },
    "field 'address': expected STRUCT, got undefined",
  ],
  [
    'a field the schema does not have',
    address,
    { street: 's', zip: 1, city: 'x' },
    "field 'city': not a field of the struct schema",
  ],
  [
    'a bad array item',
    person,
    { id: 1, address: { street: 's', zip: 1 }, tags: ['a', 2] },
    "field 'tags[1]': expected STRING, got number",
  ],
  [
    'a bad map value',
    person,
    { id: 1, address: { street: 's', zip: 1 }, scores: { x: 'high' } },
    `field 'scores["x"]': expected FLOAT64, got string`,
  ],
  [
    'a bad map key',
    SchemaBuilder.map(Schemas.INT32, Schemas.STRING).build(),
    new Map([['k', 'v']]),
    `field '["k"]': key: expected INT32, got string`,
  ],
  ['an array for a struct', address, [], 'value: expected STRUCT, got array'],
  [
    'a Map for an array',
    SchemaBuilder.array(Schemas.INT8).build(),
    new Map(),
    'value: expected ARRAY, got Map',
  ],
];

describe('validateValue', () => {
  it.each(valid)('accepts %s', (_name, schema, value) => {
    expect(validateValue(schema, value)).toBeUndefined();
  });

  it.each(invalid)('refuses %s, saying where and why', (_name, schema, value, message) => {
    expect(validateValue(schema, value)?.message).toBe(message);
  });

  it('returns the path and the reason apart', () => {
    expect(validateValue(person, { id: 1, address: { street: 1, zip: 1 } })).toEqual({
      path: 'address.street',
      reason: 'expected STRING, got number',
      message: "field 'address.street': expected STRING, got number",
    });
  });

  it('never repeats a string value in its message', () => {
    const secret = 'hunter2-secret';
    expect(validateValue(Schemas.INT32, secret)?.message).not.toContain(secret);
    expect(validateValue(Schemas.decimal(2), secret)?.message).not.toContain(secret);
  });
});
