import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/api/errors.js';
import type { ConnectRecord, SinkRecord, SourceRecord } from '../../../lib/api/record.js';
import { Schemas, type Schema, type StructSchema } from '../../../lib/api/schema.js';
import { SchemaBuilder } from '../../../lib/api/schema-builder.js';
import { validateValue } from '../../../lib/api/schema-validation.js';
import { InsertField } from '../../../lib/transforms/insert-field.js';

/** A sink record read from queue 0 at offset 7 of `test`. */
const sink = (value: unknown, valueSchema?: Schema, timestamp = 789): SinkRecord => ({
  topic: 'test',
  partition: undefined,
  offset: undefined,
  queueId: 0,
  queueOffset: 7,
  timestamp,
  key: null,
  value,
  ...(valueSchema && { valueSchema }),
  headers: [],
});

/** A source record: its position is the source system's; it has no queue id or offset. */
const source = (value: unknown, valueSchema?: Schema, timestamp = 789): SourceRecord => ({
  topic: 'test',
  partition: { file: 'a.txt' },
  offset: { line: 3 },
  timestamp,
  key: null,
  value,
  ...(valueSchema && { valueSchema }),
  headers: [],
});

function insertField(config: Record<string, string>, part: 'key' | 'value' = 'value') {
  const t = new InsertField(part);
  t.configure(config);
  return t;
}

/** The config of Kafka's own InsertFieldTest. */
const KAFKA_TEST_CONFIG = {
  'topic.field': 'topic_field!',
  'partition.field': 'partition_field',
  'timestamp.field': 'timestamp_field?',
  'static.field': 'instance_id',
  'static.value': 'my-instance-id',
};

const simpleStruct = SchemaBuilder.struct()
  .name('name')
  .version(1)
  .doc('doc')
  .field('magic', Schemas.OPTIONAL_INT64)
  .build();

describe("InsertField, Kafka's documented examples", () => {
  it('adds a static field to each line (Kafka quickstart: HoistField line, then InsertSource)', () => {
    const t = insertField({
      'static.field': 'data_source',
      'static.value': 'test-file-source',
    });
    for (const line of ['foo', 'bar', 'hello world']) {
      expect(t.apply(source({ line }))?.value).toEqual({ line, data_source: 'test-file-source' });
    }
  });

  it('copies the schema (name, version, doc) and inserts the configured fields into a struct', () => {
    const out = insertField(KAFKA_TEST_CONFIG).apply(sink({ magic: 42 }, simpleStruct));
    expect(out?.valueSchema).toMatchObject({ name: 'name', version: 1, doc: 'doc' });
    expect(out?.valueSchema).toMatchObject({
      fields: [
        { name: 'magic', schema: Schemas.OPTIONAL_INT64 },
        { name: 'topic_field', schema: Schemas.STRING },
        { name: 'partition_field', schema: Schemas.OPTIONAL_INT32 },
        { name: 'timestamp_field', schema: { ...Schemas.TIMESTAMP, optional: true } },
        { name: 'instance_id', schema: Schemas.OPTIONAL_STRING },
      ],
    });
    expect(out?.value).toEqual({
      magic: 42,
      topic_field: 'test',
      partition_field: 0,
      timestamp_field: new Date(789),
      instance_id: 'my-instance-id',
    });
    expect(out?.valueSchema && validateValue(out.valueSchema, out.value)).toBeUndefined();
  });

  it('reuses the widened schema for records of the same schema', () => {
    const t = insertField(KAFKA_TEST_CONFIG);
    expect(t.apply(sink({ magic: 42 }, simpleStruct))?.valueSchema).toBe(
      t.apply(sink({ magic: null }, simpleStruct))?.valueSchema,
    );
  });

  it('inserts the configured fields into a schemaless map, the timestamp as epoch milliseconds', () => {
    expect(
      insertField(KAFKA_TEST_CONFIG).apply(sink({ magic: 42 }, undefined, 123))?.value,
    ).toEqual({
      magic: 42,
      topic_field: 'test',
      partition_field: 0,
      timestamp_field: 123,
      instance_id: 'my-instance-id',
    });
  });

  it('leaves a tombstone unchanged, with or without a schema', () => {
    const t = insertField(KAFKA_TEST_CONFIG);
    const bare = sink(null);
    expect(t.apply(bare)).toBe(bare);
    const withSchema = sink(null, simpleStruct);
    expect(t.apply(withSchema)).toBe(withSchema);
  });

  it('inserts into the key of a tombstone with $Key, and leaves a null key unchanged', () => {
    const t = insertField(KAFKA_TEST_CONFIG, 'key');
    const out = t.apply({ ...sink(null), key: { magic: 42 } });
    expect(out?.key).toEqual({
      magic: 42,
      topic_field: 'test',
      partition_field: 0,
      timestamp_field: 789,
      instance_id: 'my-instance-id',
    });
    expect(out?.value).toBeNull();
    const nullKey = sink({ magic: 42 });
    expect(t.apply(nullKey)).toBe(nullKey);
  });

  it.each([
    [true, 42],
    [false, null],
  ])(
    'copies a null field with a default as its default when replace.null.with.default=%s',
    (replace, expected) => {
      const magic = SchemaBuilder.int64().optional().defaultValue(42).build();
      const schema = SchemaBuilder.struct().field('magic_with_default', magic).build();
      const out = insertField({
        ...KAFKA_TEST_CONFIG,
        'replace.null.with.default': String(replace),
      }).apply(sink({ magic_with_default: null }, schema));
      expect((out?.valueSchema as StructSchema).fields[0]?.schema).toBe(magic);
      expect((out?.value as Record<string, unknown>).magic_with_default).toBe(expected);
    },
  );

  it('refuses a value with a schema that is not a struct, with Kafka message', () => {
    const t = insertField({ 'topic.field': 'topic_field' });
    expect(() => t.apply(sink(42, Schemas.INT32))).toThrow(
      'Only Struct objects supported for [field insertion], found: java.lang.Integer',
    );
  });
});

describe('InsertField, partition and offset', () => {
  it("inserts the queue id and queue offset of a sink record as Kafka's INT32 and INT64", () => {
    const t = insertField({ 'partition.field': 'p!', 'offset.field': 'o!' });
    const out = t.apply(sink({ magic: 1 }, simpleStruct));
    expect(out?.value).toEqual({ magic: 1, p: 0, o: 7 });
    expect(out?.valueSchema).toMatchObject({
      fields: [{}, { schema: Schemas.INT32 }, { schema: Schemas.INT64 }],
    });
    expect(t.apply(sink({ magic: 1 }))?.value).toEqual({ magic: 1, p: 0, o: 7 });
  });

  it('leaves the partition out of a source record, which has none, as Kafka does', () => {
    const t = insertField({ 'partition.field': 'p' });
    expect(t.apply(source({ magic: 1 }))?.value).toEqual({ magic: 1 });
    expect(t.apply(source({ magic: 1 }, simpleStruct))?.value).toEqual({ magic: 1, p: null });
  });

  it("refuses offset insertion on a source record with Kafka's message", () => {
    const t = insertField({ 'offset.field': 'o' });
    for (const record of [source({ magic: 1 }), source({ magic: 1 }, simpleStruct)]) {
      expect(() => t.apply(record)).toThrow(
        'Only SinkRecord supported for [field insertion], found: org.apache.kafka.connect.source.SourceRecord',
      );
    }
  });

  it('refuses offset insertion on a sink record whose consumer gave no queue offset', () => {
    const noOffset: SinkRecord = { ...sink({ magic: 1 }), queueOffset: undefined };
    expect(() => insertField({ 'offset.field': 'o' }).apply(noOffset)).toThrow(/no queue offset/);
  });
});

describe('InsertField, as Kafka beyond its examples', () => {
  it('makes the copy of an optional struct schema required, as Kafka copies only its basics', () => {
    const optional = SchemaBuilder.struct().optional().field('id', Schemas.INT32).build();
    const out = insertField({ 'topic.field': 't' }).apply(sink({ id: 1 }, optional));
    expect(out?.valueSchema?.optional).toBe(false);
  });

  it('reads the last character alone as the suffix', () => {
    const schema = SchemaBuilder.struct().field('id', Schemas.INT32).build();
    const out = insertField({
      'topic.field': 'topic?!',
      'static.field': 'x!?',
      'static.value': 'v',
    }).apply(sink({ id: 1 }, schema));
    expect(out?.valueSchema).toMatchObject({
      fields: [
        {},
        { name: 'topic?', schema: Schemas.STRING },
        { name: 'x!', schema: Schemas.OPTIONAL_STRING },
      ],
    });
  });

  it("refuses a field name a struct already has with Kafka's message; a map's is overwritten", () => {
    const schema = SchemaBuilder.struct().field('id', Schemas.INT32).build();
    const t = insertField({ 'topic.field': 'id' });
    expect(() => t.apply(sink({ id: 1 }, schema))).toThrow(
      'Cannot create field because of field name duplication id',
    );
    expect(t.apply(sink({ id: 1 }))?.value).toEqual({ id: 'test' });
  });

  it("refuses a null for a required field with Kafka's Struct.put message", () => {
    const schema = SchemaBuilder.struct().field('id', Schemas.INT32).build();
    const noTopic: ConnectRecord = { ...source({ id: 1 }, schema), topic: undefined };
    expect(() => insertField({ 'topic.field': 't!' }).apply(noTopic)).toThrow(
      'Invalid value: null used for required field: "t", schema type: STRING',
    );
  });

  it("refuses a schemaless value that is not a map with Kafka's message", () => {
    expect(() => insertField({ 'topic.field': 't' }).apply(sink('text'))).toThrow(
      'Only Map objects supported in absence of schema for [field insertion], found: java.lang.String',
    );
  });

  it.each([
    [{}, 'topic.field', /No field insertion configured/],
    [{ 'static.value': 'v' }, 'topic.field', /No field insertion configured/],
    [{ 'static.field': 's' }, 'static.value', /No value specified for static field: s/],
    [{ 'topic.field': '!' }, 'topic.field', /a field name is required/],
    [{ 'topic.field': ' ' }, 'topic.field', /"topic.field"/],
    [
      { 'topic.field': 't', 'replace.null.with.default': 'maybe' },
      'replace.null.with.default',
      /true or false/,
    ],
  ])('refuses %j at configure, naming %s', (config, key, message) => {
    let error: unknown;
    try {
      insertField(config);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe(key);
    expect((error as ConfigError).message).toMatch(message);
  });
});
