import { describe, expect, it } from 'vitest';
import { ConfigError, NonRetriableError } from '../../../lib/api/errors.js';
import { type Schema, Schemas } from '../../../lib/api/schema.js';
import { SchemaBuilder } from '../../../lib/api/schema-builder.js';
import { JsonConverter } from '../../../lib/converters/json-converter.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (s: string) => new TextEncoder().encode(s);

function converter(config: Record<string, string> = {}, isKey = false): JsonConverter {
  const c = new JsonConverter();
  c.configure(config, isKey);
  return c;
}

function roundTrip(schema: Schema, value: unknown, config: Record<string, string> = {}) {
  const c = converter(config);
  return c.toConnectData('orders', c.fromConnectData('orders', schema, value));
}

const order = SchemaBuilder.struct()
  .name('com.example.Order')
  .version(1)
  .field('id', Schemas.INT64)
  .field('name', Schemas.OPTIONAL_STRING)
  .field('price', Schemas.decimal(2))
  .field('created', Schemas.TIMESTAMP)
  .field('tags', SchemaBuilder.array(Schemas.STRING))
  .build();

describe('JsonConverter with schemas', () => {
  it("writes Kafka's envelope byte for byte", () => {
    const value = {
      id: 42n,
      name: 'widget',
      price: '12.34',
      created: new Date(1_700_000_000_000),
      tags: ['a'],
    };
    // Member order as Kafka's JsonConverter.asJsonSchema writes it (checked against its source).
    const expected =
      '{"schema":{"type":"struct","fields":[' +
      '{"type":"int64","optional":false,"field":"id"},' +
      '{"type":"string","optional":true,"field":"name"},' +
      '{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"},"field":"price"},' +
      '{"type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1,"field":"created"},' +
      '{"type":"array","items":{"type":"string","optional":false},"optional":false,"field":"tags"}' +
      '],"optional":false,"name":"com.example.Order","version":1},' +
      '"payload":{"id":42,"name":"widget","price":"BNI=","created":1700000000000,"tags":["a"]}}';
    expect(text(converter().fromConnectData('orders', order, value))).toBe(expected);
  });

  it('writes doc, parameters and default after the other schema members', () => {
    const schema = SchemaBuilder.int32().optional().doc('d').defaultValue(7).build();
    expect(text(converter().fromConnectData('t', schema, 1))).toBe(
      '{"schema":{"type":"int32","optional":true,"doc":"d","default":7},"payload":1}',
    );
  });

  it.each<[string, Schema, unknown]>([
    ['int8', Schemas.INT8, -128],
    ['int16', Schemas.INT16, 32767],
    ['int32', Schemas.INT32, -2147483648],
    ['int64', Schemas.INT64, 9007199254740993n],
    ['float32', Schemas.FLOAT32, 1.5],
    ['float64', Schemas.FLOAT64, 0.1],
    ['boolean', Schemas.BOOLEAN, true],
    ['string', Schemas.STRING, 'héllo "\n'],
    ['bytes', Schemas.BYTES, new Uint8Array([0, 255, 7])],
    ['date', Schemas.DATE, new Date(Date.UTC(2024, 1, 29))],
    ['time', Schemas.TIME, new Date(45_296_789)],
    ['timestamp', Schemas.TIMESTAMP, new Date(-1)],
    ['decimal', Schemas.decimal(3), { unscaled: -123456789012345678901234n, scale: 3 }],
    ['array', SchemaBuilder.array(Schemas.OPTIONAL_INT32).build(), [1, null, 3]],
    ['string map', SchemaBuilder.map(Schemas.STRING, Schemas.INT64).build(), { a: 1, b: 2 }],
    [
      'int map',
      SchemaBuilder.map(Schemas.INT32, Schemas.STRING).build(),
      new Map([
        [1, 'x'],
        [2, 'y'],
      ]),
    ],
    [
      'nested struct',
      SchemaBuilder.struct()
        .field('inner', SchemaBuilder.struct().field('n', Schemas.OPTIONAL_INT32).optional())
        .field('list', SchemaBuilder.array(SchemaBuilder.struct().field('s', Schemas.STRING)))
        .build(),
      { inner: { n: null }, list: [{ s: 'a' }, { s: 'b' }] },
    ],
  ])('round-trips %s values with their schema', (_name, schema, value) => {
    const out = roundTrip(schema, value);
    expect(out.schema).toEqual(schema);
    expect(out.value).toEqual(value);
  });

  it('reads decimal strings back as exact unscaled values, in either format', () => {
    for (const format of ['BASE64', 'NUMERIC']) {
      expect(roundTrip(Schemas.decimal(2), '-0.5', { 'decimal.format': format }).value).toEqual({
        unscaled: -50n,
        scale: 2,
      });
    }
  });

  it('writes NUMERIC decimals as BigDecimal text and doubles as Java does', () => {
    const c = converter({ 'decimal.format': 'NUMERIC', 'schemas.enable': 'false' });
    expect(text(c.fromConnectData('t', Schemas.decimal(2), '12.30'))).toBe('12.30');
    expect(text(c.fromConnectData('t', Schemas.decimal(7), '0.0000001'))).toBe('1E-7');
    expect(text(c.fromConnectData('t', Schemas.FLOAT64, 2))).toBe('2.0');
    expect(text(c.fromConnectData('t', Schemas.FLOAT64, 1e7))).toBe('1.0E7');
    expect(text(c.fromConnectData('t', Schemas.FLOAT32, Math.fround(0.1)))).toBe('0.1');
  });

  it('replaces null fields with their default on write and read', () => {
    const schema = SchemaBuilder.struct()
      .field('n', SchemaBuilder.int32().optional().defaultValue(5))
      .build();
    const written = text(converter().fromConnectData('t', schema, { n: null }));
    expect(written).toContain('"payload":{"n":5}');
    const kept = converter({ 'replace.null.with.default': 'false' });
    expect(text(kept.fromConnectData('t', schema, { n: null }))).toContain('"payload":{"n":null}');
    expect(converter().toConnectData('t', bytes(written.replace('{"n":5}', '{}'))).value).toEqual({
      n: 5,
    });
  });

  it('turns null into empty bytes and empty bytes into null', () => {
    // Our Converter interface's rule, not Kafka's: see json-converter-kafka.test.ts.
    const c = converter();
    expect(c.fromConnectData('t', Schemas.OPTIONAL_STRING, null)).toHaveLength(0);
    expect(c.toConnectData('t', new Uint8Array(0))).toEqual({ value: null });
  });

  it('reads an envelope with a null schema as a schemaless value', () => {
    expect(converter().toConnectData('t', bytes('{"schema":null,"payload":[1,2]}'))).toEqual({
      value: [1, 2],
    });
  });
});

describe('JsonConverter without schemas', () => {
  const plain = converter({ 'schemas.enable': 'false' });

  it('writes plain JSON, bigints exactly', () => {
    const value = { id: 12345678901234567890n, ok: true, list: [1.5, 'x', null] };
    expect(text(plain.fromConnectData('t', undefined, value))).toBe(
      '{"id":12345678901234567890,"ok":true,"list":[1.5,"x",null]}',
    );
  });

  it('reads JSON to plain values, large integers as bigints', () => {
    expect(
      plain.toConnectData('t', bytes('{"a":9007199254740993,"b":[1,2.5],"__proto__":1}')),
    ).toEqual({ value: { a: 9007199254740993n, b: [1, 2.5], ['__proto__']: 1 } });
  });
});

describe('JsonConverter errors', () => {
  const fails = (c: JsonConverter, input: string) => () => c.toConnectData('orders', bytes(input));

  it('says where JSON is malformed', () => {
    expect(fails(converter(), '{"schema": nul}')).toThrow(
      /^JsonConverter: value of topic orders is not valid JSON at position 11/,
    );
    expect(fails(converter({}, true), '[1,')).toThrow(/key of topic orders is not valid JSON/);
  });

  it('requires the envelope when schemas are enabled', () => {
    expect(fails(converter(), '{"payload":1}')).toThrow(/schemas.enable=false/);
    expect(fails(converter(), '{"schema":null,"payload":1,"x":2}')).toThrow(NonRetriableError);
  });

  it('names the payload field that does not match its schema', () => {
    const input =
      '{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"zip"}]},' +
      '"payload":{"zip":"123"}}';
    expect(fails(converter(), input)).toThrow(/payload\.zip: expected an integer \(INT32\)/);
    expect(fails(converter(), '{"schema":{"type":"int8"},"payload":300}')).toThrow(/INT8 range/);
  });

  it('names bad schemas', () => {
    expect(fails(converter(), '{"schema":{"type":"nope"},"payload":1}')).toThrow(
      /schema\.type: unknown schema type "nope"/,
    );
    expect(fails(converter(), '{"schema":{"type":"array"},"payload":[]}')).toThrow(/schema\.items/);
  });

  it('refuses values that do not match the schema on write', () => {
    const c = converter();
    expect(() => c.fromConnectData('orders', Schemas.INT32, 'x')).toThrow(
      /value of topic orders does not match its schema: value: expected INT32, got string/,
    );
    expect(() => c.fromConnectData('orders', undefined, new Date())).toThrow(/needs a schema/);
  });

  it('refuses bad config with a ConfigError naming the key', () => {
    expect(() => converter({ 'decimal.format': 'HEX' })).toThrow(ConfigError);
    expect(() => converter({ 'schemas.enable': 'yes' })).toThrow(/"schemas.enable"/);
  });
});

describe("JsonConverter's schema cache (schemas.cache.size)", () => {
  const envelope = (id: number) =>
    Buffer.from(
      `{"schema":{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"}],"optional":false},"payload":{"id":${id}}}`,
    );
  const reader = (config: Record<string, string> = {}) => {
    const c = new JsonConverter();
    c.configure(config, false);
    return c;
  };

  it('gives records of one schema one schema object, as Kafka caches it', () => {
    const c = reader();
    const a = c.toConnectData('t', envelope(1));
    const b = c.toConnectData('t', envelope(2));
    expect(a.schema).toBe(b.schema);
    expect(b.value).toEqual({ id: 2 });
  });

  it('keeps none with a size of 0, and the newest ones when full', () => {
    const none = reader({ 'schemas.cache.size': '0' });
    expect(none.toConnectData('t', envelope(1)).schema).not.toBe(
      none.toConnectData('t', envelope(1)).schema,
    );
    const one = reader({ 'schemas.cache.size': '1' });
    const first = one.toConnectData('t', envelope(1)).schema;
    one.toConnectData(
      't',
      Buffer.from('{"schema":{"type":"string","optional":false},"payload":"x"}'),
    );
    expect(one.toConnectData('t', envelope(1)).schema).not.toBe(first);
    expect(one.toConnectData('t', envelope(1)).schema).toEqual(first);
  });
});
