/**
 * Cases from Kafka's own JsonConverterTest (connect/json/src/test/java/org/apache/kafka/connect/
 * json/JsonConverterTest.java), each named after its Kafka test. Kafka compares parsed JSON trees;
 * we assert bytes, in the member order Kafka's asJsonSchema and Jackson actually write. Where
 * Kafka's test text lists members in another order (struct fields with "field" first), we also
 * check it parses to the same tree, as Kafka's assertion does.
 */
import { describe, expect, it } from 'vitest';
import { Schemas } from '../../../lib/api/schema.js';
import { SchemaBuilder } from '../../../lib/api/schema-builder.js';
import { JsonConverter } from '../../../lib/converters/json-converter.js';

const DAY_MS = 86_400_000;
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (s: string) => new TextEncoder().encode(s);

function converter(config: Record<string, string> = {}): JsonConverter {
  const c = new JsonConverter();
  c.configure(config, false);
  return c;
}
const write = (
  schema: Parameters<JsonConverter['fromConnectData']>[1],
  value: unknown,
  config = {},
) => text(converter(config).fromConnectData('topic', schema, value));
const read = (json: string, config: Record<string, string> = {}) =>
  converter(config).toConnectData('topic', bytes(json));

const DECIMAL_SCHEMA_2 =
  '{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}}';

describe("JsonConverter output, byte for byte against Kafka's JsonConverterTest", () => {
  it('decimalToJson: BASE64 two-complement bytes {0, -100}', () => {
    expect(write(Schemas.decimal(2), { unscaled: 156n, scale: 2 })).toBe(
      `{"schema":${DECIMAL_SCHEMA_2},"payload":"AJw="}`,
    );
  });

  it('decimalToNumericJson and decimalWithTrailingZerosToNumericJson', () => {
    const numeric = { 'decimal.format': 'NUMERIC' };
    expect(write(Schemas.decimal(2), { unscaled: 156n, scale: 2 }, numeric)).toBe(
      `{"schema":${DECIMAL_SCHEMA_2},"payload":1.56}`,
    );
    expect(write(Schemas.decimal(4), { unscaled: 15600n, scale: 4 }, numeric)).toBe(
      '{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"4"}},"payload":1.5600}',
    );
  });

  it('dateToJson, timeToJson, timestampToJson', () => {
    const logical = (type: string, name: string, payload: number) =>
      `{"schema":{"type":"${type}","optional":false,"name":"org.apache.kafka.connect.data.${name}","version":1},"payload":${payload}}`;
    expect(write(Schemas.DATE, new Date(10000 * DAY_MS))).toBe(logical('int32', 'Date', 10000));
    expect(write(Schemas.TIME, new Date(14400000))).toBe(logical('int32', 'Time', 14400000));
    expect(write(Schemas.TIMESTAMP, new Date(4000000000))).toBe(
      logical('int64', 'Timestamp', 4000000000),
    );
  });

  it('testJsonSchemaMetadataTranslation: name, version, doc, parameters, default', () => {
    const bool = SchemaBuilder.bool()
      .name('bool')
      .version(3)
      .doc('the documentation')
      .parameter('foo', 'bar')
      .build();
    expect(write(bool, true)).toBe(
      '{"schema":{"type":"boolean","optional":false,"name":"bool","version":3,"doc":"the documentation","parameters":{"foo":"bar"}},"payload":true}',
    );
    expect(write(SchemaBuilder.bool().defaultValue(true).build(), true)).toBe(
      '{"schema":{"type":"boolean","optional":false,"default":true},"payload":true}',
    );
  });

  it('arrayToJson and mapToJsonStringKeys', () => {
    expect(write(SchemaBuilder.array(Schemas.INT32).build(), [1, 2, 3])).toBe(
      '{"schema":{"type":"array","items":{"type":"int32","optional":false},"optional":false},"payload":[1,2,3]}',
    );
    const map = SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build();
    expect(write(map, { key1: 12, key2: 15 })).toBe(
      '{"schema":{"type":"map","keys":{"type":"string","optional":false},"values":{"type":"int32","optional":false},"optional":false},"payload":{"key1":12,"key2":15}}',
    );
  });

  it('structToJson: each field schema ends with "field"', () => {
    const schema = SchemaBuilder.struct()
      .field('field1', Schemas.BOOLEAN)
      .field('field2', Schemas.STRING)
      .field('field3', Schemas.STRING)
      .field('field4', Schemas.BOOLEAN)
      .build();
    const out = write(schema, {
      field1: true,
      field2: 'string2',
      field3: 'string3',
      field4: false,
    });
    expect(out).toBe(
      '{"schema":{"type":"struct","fields":[{"type":"boolean","optional":false,"field":"field1"},{"type":"string","optional":false,"field":"field2"},{"type":"string","optional":false,"field":"field3"},{"type":"boolean","optional":false,"field":"field4"}],"optional":false},' +
        '"payload":{"field1":true,"field2":"string2","field3":"string3","field4":false}}',
    );
    // Kafka's expected schema text, verbatim (its own member order):
    const kafkaSchema =
      '{ "type": "struct", "optional": false, "fields": [{ "field": "field1", "type": "boolean", "optional": false }, { "field": "field2", "type": "string", "optional": false }, { "field": "field3", "type": "string", "optional": false }, { "field": "field4", "type": "boolean", "optional": false }] }';
    expect((JSON.parse(out) as { schema: unknown }).schema).toEqual(JSON.parse(kafkaSchema));
  });

  it('serializeFieldNullToDefault and serializeFieldNullToNull', () => {
    const field = SchemaBuilder.string().optional().defaultValue('default').build();
    const struct = SchemaBuilder.struct().field('field1', field).build();
    const schema =
      '{"type":"struct","fields":[{"type":"string","optional":true,"default":"default","field":"field1"}],"optional":false}';
    expect(write(struct, {})).toBe(`{"schema":${schema},"payload":{"field1":"default"}}`);
    expect(write(struct, {}, { 'replace.null.with.default': 'false' })).toBe(
      `{"schema":${schema},"payload":{"field1":null}}`,
    );
    // Kafka's serializeFieldNullToDefault text, verbatim, as a tree:
    const kafka =
      '{"schema":{"type":"struct","fields":[{"field":"field1","type":"string","optional":true,"default":"default"}],"optional":false},"payload":{"field1":"default"}}';
    expect(JSON.parse(write(struct, {}))).toEqual(JSON.parse(kafka));
  });

  it('serializeNullToDefault differs: our interface writes a null value as empty bytes', () => {
    // Kafka writes {"schema":{...,"default":"default"},"payload":"default"} here; our Converter
    // interface (lib/api/converter.ts) makes every null value a tombstone.
    const schema = SchemaBuilder.string().optional().defaultValue('default').build();
    expect(converter().fromConnectData('topic', schema, null)).toHaveLength(0);
  });

  it('nullSchemaAndPrimitiveToJson and noSchemaToJson', () => {
    expect(write(undefined, true)).toBe('{"schema":null,"payload":true}');
    expect(write(undefined, true, { 'schemas.enable': 'false' })).toBe('true');
  });

  it('decimalToJsonWithoutSchema: refused', () => {
    expect(() => write(undefined, { unscaled: 156n, scale: 2 })).toThrow(/Decimal needs a schema/);
  });
});

describe("JsonConverter input from Kafka's JsonConverterTest", () => {
  it('numberWithLeadingZerosToConnect', () => {
    expect(read('{ "schema": { "type": "int8" }, "payload": 0012 }').value).toBe(12);
    expect(read('{ "schema": { "type": "int64" }, "payload": 00000123456789 }').value).toBe(
      123456789,
    );
  });

  it('decimalToConnect, numeric variants and decimalToConnectWithDefaultValue', () => {
    const decimal = (scale: number, rest: string) =>
      `{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "parameters": { "scale": "${scale}" }${rest}`;
    expect(read(decimal(2, ' }, "payload": "AJw=" }')).value).toEqual({ unscaled: 156n, scale: 2 });
    expect(read(decimal(2, ' }, "payload": 1.56 }')).value).toEqual({ unscaled: 156n, scale: 2 });
    expect(read(decimal(4, ' }, "payload": 1.5600 }')).value).toEqual({
      unscaled: 15600n,
      scale: 4,
    });
    expect(read(decimal(17, ' }, "payload": 1.23456789123456789 }')).value).toEqual({
      unscaled: 123456789123456789n,
      scale: 17,
    });
    expect(read(decimal(2, ', "default": "AJw=" }, "payload": null }')).value).toEqual({
      unscaled: 156n,
      scale: 2,
    });
  });

  it('dateToConnect and timestampToConnect', () => {
    const logical = (type: string, name: string, payload: number) =>
      `{ "schema": { "type": "${type}", "name": "org.apache.kafka.connect.data.${name}", "version": 1 }, "payload": ${payload} }`;
    expect(read(logical('int32', 'Date', 10000)).value).toEqual(new Date(10000 * DAY_MS));
    expect(read(logical('int64', 'Timestamp', 4000000000)).value).toEqual(new Date(4000000000));
  });

  it('testConnectSchemaMetadataTranslation: a null payload reads as the default', () => {
    const out = read('{ "schema": { "type": "boolean", "default": true }, "payload": null }');
    expect(out).toEqual({ schema: SchemaBuilder.bool().defaultValue(true).build(), value: true });
  });

  it('structWithOptionalFieldToConnect and mapToConnectNonStringKeys', () => {
    const struct =
      '{ "schema": { "type": "struct", "fields": [{ "field":"optional", "type": "string", "optional": true }, {  "field": "required", "type": "string" }] }, "payload": { "required": "required" } }';
    expect(read(struct).value).toEqual({ optional: null, required: 'required' });
    const map =
      '{ "schema": { "type": "map", "keys": { "type" : "int32" }, "values": { "type" : "int32" } }, "payload": [ [1, 12], [2, 15] ] }';
    expect(read(map).value).toEqual(
      new Map([
        [1, 12],
        [2, 15],
      ]),
    );
  });

  it('deserializeFieldNullToDefault and deserializeFieldNullToNull', () => {
    const value =
      '{"schema":{"type":"struct","fields":[{"field":"field1","type":"string","optional":true,"default":"default"}],"optional":false},"payload":{"field1":null}}';
    expect(read(value).value).toEqual({ field1: 'default' });
    expect(read(value, { 'replace.null.with.default': 'false' }).value).toEqual({ field1: null });
  });

  it('schemalessWithEmptyFieldValueToConnect and emptyBytesToConnect', () => {
    const plain = { 'schemas.enable': 'false' };
    expect(read('{ "a": "", "b": null}', plain)).toEqual({ value: { a: '', b: null } });
    expect(converter(plain).toConnectData('topic', new Uint8Array(0))).toEqual({ value: null });
  });

  it('a null default on a required schema is refused, as Kafka asConnectSchema does', () => {
    expect(() => read('{ "schema": { "type": "int32", "default": null }, "payload": 1 }')).toThrow(
      /schema\.default: null for a required INT32/,
    );
    expect(
      read('{ "schema": { "type": "int32", "optional": true, "default": null }, "payload": 1 }'),
    ).toEqual({ schema: Schemas.OPTIONAL_INT32, value: 1 });
  });
});
