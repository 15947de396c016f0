import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas } from '../../../../lib/api/plugin-kit.js';
import {
  decimalText,
  jsonText,
  toParam,
  type ParamContext,
} from '../../../../lib/connectors/jdbc-sink/values.js';

const pg: ParamContext = { dialect: 'postgresql', timeZone: 'UTC' };
const my: ParamContext = { dialect: 'mysql', timeZone: 'UTC' };

describe('parameters of Connect values', () => {
  it('keep integers past 2^53 exact as their digits', () => {
    expect(toParam(9007199254740993n, Schemas.INT64, undefined, pg)).toBe('9007199254740993');
    expect(toParam(-(2n ** 63n), Schemas.INT64, undefined, my)).toBe('-9223372036854775808');
    expect(toParam(42, Schemas.INT64, undefined, pg)).toBe(42);
  });

  it.each([
    [12345n, 2, '123.45'],
    [-12345n, 2, '-123.45'],
    [5n, 3, '0.005'],
    [-5n, 3, '-0.005'],
    [0n, 2, '0.00'],
    [123n, 0, '123'],
    [123n, -2, '12300'],
    [-123456789012345678901234567890n, 10, '-12345678901234567890.1234567890'],
  ])('write the Decimal %s at scale %i as %s', (unscaled, scale, text) => {
    expect(decimalText({ unscaled, scale })).toBe(text);
    expect(toParam({ unscaled, scale }, Schemas.decimal(scale), undefined, pg)).toBe(text);
  });

  it('take a Decimal given as text as it is, without a plus sign or leading zeros', () => {
    expect(toParam('-12.5', Schemas.decimal(2), undefined, pg)).toBe('-12.5');
    expect(toParam('+007.25', Schemas.decimal(2), undefined, pg)).toBe('7.25');
  });

  it('write a Date as its calendar day and a Time as its time of day with milliseconds', () => {
    expect(toParam(new Date(Date.UTC(2024, 1, 29)), Schemas.DATE, undefined, pg)).toBe(
      '2024-02-29',
    );
    const time = new Date(Date.UTC(1970, 0, 1, 7, 8, 9, 10));
    expect(toParam(time, Schemas.TIME, undefined, my)).toBe('07:08:09.010');
    expect(toParam(time, Schemas.TIME, { dataType: 'time with time zone' }, pg)).toBe(
      '07:08:09.010+00',
    );
  });

  it('write a Timestamp as the wall clock of db.timezone, across daylight saving time', () => {
    const berlin = { ...pg, timeZone: 'Europe/Berlin' };
    const winter = new Date(Date.UTC(2024, 0, 10, 12, 0, 0, 123));
    const summer = new Date(Date.UTC(2024, 6, 10, 12, 0, 0, 123));
    const column = { dataType: 'timestamp without time zone' };
    expect(toParam(winter, Schemas.TIMESTAMP, column, berlin)).toBe('2024-01-10 13:00:00.123000');
    expect(toParam(summer, Schemas.TIMESTAMP, column, berlin)).toBe('2024-07-10 14:00:00.123000');
    expect(
      toParam(
        summer,
        Schemas.TIMESTAMP,
        { dataType: 'datetime' },
        { ...my, timeZone: 'Asia/Shanghai' },
      ),
    ).toBe('2024-07-10 20:00:00.123000');
  });

  it('write a Timestamp before 1970 with its milliseconds', () => {
    const before = new Date(Date.UTC(1969, 11, 31, 23, 59, 59, 999));
    expect(toParam(before, Schemas.TIMESTAMP, undefined, pg)).toBe('1969-12-31 23:59:59.999000');
  });

  it('write an exact instant into PostgreSQL timestamptz, whatever db.timezone', () => {
    const at = new Date(Date.UTC(2024, 6, 10, 12, 0, 0, 5));
    const column = { dataType: 'timestamp with time zone' };
    expect(toParam(at, Schemas.TIMESTAMP, column, { ...pg, timeZone: 'Asia/Tokyo' })).toBe(
      '2024-07-10 12:00:00.005000+00',
    );
  });

  it('write MySQL TIMESTAMP columns in the session time zone the connection set', () => {
    const at = new Date(Date.UTC(2024, 0, 10, 12, 0, 0, 0));
    const session = { ...my, timeZone: 'America/New_York', sessionOffsetMs: -4 * 3600_000 };
    expect(toParam(at, Schemas.TIMESTAMP, { dataType: 'timestamp' }, session)).toBe(
      '2024-01-10 08:00:00.000000',
    );
    // DATETIME keeps db.timezone's own offset of that day.
    expect(toParam(at, Schemas.TIMESTAMP, { dataType: 'datetime' }, session)).toBe(
      '2024-01-10 07:00:00.000000',
    );
  });

  it('write bytes as a Buffer over the same memory', () => {
    const bytes = new Uint8Array([1, 2, 3, 4]).subarray(1, 3);
    const param = toParam(bytes, Schemas.BYTES, undefined, pg) as Buffer;
    expect(Buffer.isBuffer(param)).toBe(true);
    expect([...param]).toEqual([2, 3]);
  });

  it('write null, or the schema default for null', () => {
    expect(toParam(null, Schemas.OPTIONAL_STRING, undefined, pg)).toBeNull();
    const defaulted = SchemaBuilder.string().optional().defaultValue('n/a').build();
    expect(toParam(null, defaulted, undefined, pg)).toBe('n/a');
    expect(toParam(undefined, undefined, undefined, pg)).toBeNull();
  });

  it('pass booleans, numbers and strings as they are', () => {
    expect(toParam(true, Schemas.BOOLEAN, undefined, my)).toBe(true);
    expect(toParam(1.5, Schemas.FLOAT64, undefined, pg)).toBe(1.5);
    expect(toParam('x', Schemas.STRING, undefined, pg)).toBe('x');
  });

  it('write nested values as JSON, and arrays as arrays into PostgreSQL array columns', () => {
    const tags = SchemaBuilder.array(Schemas.INT64).build();
    expect(toParam([1n, 2n], tags, { dataType: 'jsonb' }, pg)).toBe('[1,2]');
    expect(toParam([1n, 2n], tags, { dataType: 'array' }, pg)).toEqual(['1', '2']);
    expect(toParam([1n], tags, { dataType: 'array' }, my)).toBe('[1]');
    expect(toParam({ a: 1 }, undefined, undefined, pg)).toBe('{"a":1}');
  });
});

describe('JSON text of nested values', () => {
  it('keeps big integers and decimals as exact JSON numbers', () => {
    const schema = SchemaBuilder.struct()
      .field('n', Schemas.INT64)
      .field('d', Schemas.decimal(2))
      .build();
    expect(jsonText({ n: 9007199254740993n, d: { unscaled: -5n, scale: 2 } }, schema)).toBe(
      '{"n":9007199254740993,"d":-0.05}',
    );
  });

  it('writes bytes as base64, logical dates as ISO text, maps as objects', () => {
    const schema = SchemaBuilder.struct()
      .field('b', Schemas.BYTES)
      .field('day', Schemas.DATE)
      .field('at', Schemas.TIMESTAMP)
      .field('m', SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build())
      .build();
    const value = {
      b: new Uint8Array([255]),
      day: new Date(Date.UTC(2024, 0, 2)),
      at: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)),
      m: new Map([['k', 1]]),
    };
    expect(JSON.parse(jsonText(value, schema))).toEqual({
      b: '/w==',
      day: '2024-01-02',
      at: '2024-01-02T03:04:05.006Z',
      m: { k: 1 },
    });
  });

  it('writes strings escaped and non-finite numbers as null', () => {
    expect(jsonText(['a"b', Number.NaN], undefined)).toBe('["a\\"b",null]');
  });
});
