import { z } from 'zod';
import { textValue } from '../api/config-values.js';
import { ConfigError, NonRetriableError } from '../api/errors.js';
import { BUILTIN_VERSION } from '../api/plugin.js';
import { optionalKey, parsePluginConfig, pluginKeys } from '../api/plugin-keys.js';
import type { ConnectRecord } from '../api/record.js';
import { Schemas, type Schema, type StructSchema } from '../api/schema.js';
import { SchemaBuilder } from '../api/schema-builder.js';
import type { Transform, TransformPlugin } from '../api/transform.js';
import { isPlainObject } from './requirements.js';

// Every key names a field of a string (the static value is the string itself): one shape.
const field = (documentation: string) =>
  ({ type: 'STRING', importance: 'MEDIUM', documentation }) as const;

const insertFieldKeys = pluginKeys({
  'topic.field': optionalKey(
    field('Field name for the record topic. Suffix ! to make it required, ? optional.'),
    textValue(),
  ),
  'timestamp.field': optionalKey(field('Field name for the record timestamp.'), textValue()),
  'static.field': optionalKey(field('Field name for a static value.'), textValue()),
  'static.value': optionalKey(field('The static value, a string.'), z.string()),
  'partition.field': optionalKey(
    field('Not supported: records carry no broker partition.'),
    textValue(),
  ),
  'offset.field': optionalKey(field('Not supported: records carry no broker offset.'), textValue()),
});

/** A field to insert: Kafka's `name`, `name?` (optional, the default) or `name!` (required). */
interface Spec {
  readonly name: string;
  readonly optional: boolean;
}

function spec(raw: string | undefined): Spec | undefined {
  if (raw === undefined) return undefined;
  if (raw.endsWith('!')) return { name: raw.slice(0, -1), optional: false };
  return { name: raw.endsWith('?') ? raw.slice(0, -1) : raw, optional: true };
}

type Part = 'key' | 'value';

/**
 * Kafka's InsertField$Key / $Value: adds the record's topic, timestamp and a static string to a
 * struct (whose schema gains the fields) or a schemaless plain object. A null key or value
 * (a tombstone) passes unchanged, as in Kafka.
 */
export class InsertField implements Transform {
  #topic?: Spec;
  #timestamp?: Spec;
  #static?: Spec;
  #staticValue?: string;
  // Records of one schema share the widened schema; a WeakMap lets unused schemas go.
  readonly #schemas = new WeakMap<Schema, StructSchema>();

  constructor(private readonly part: Part) {}

  configure(config: Readonly<Record<string, string>>): void {
    const parsed = parsePluginConfig(this.#owner(), insertFieldKeys.configSchema, config);
    // Records here carry no broker partition or offset (sink records lack them, source ones
    // hold the source system's position), so Kafka's INT32 / INT64 fields have nothing to hold.
    for (const key of ['partition.field', 'offset.field'] as const) {
      if (parsed[key] !== undefined) {
        throw new ConfigError(
          key,
          `${this.#owner()}: ${key} is not supported here: records carry no broker partition or offset`,
        );
      }
    }
    if (parsed['static.field'] !== undefined && parsed['static.value'] === undefined) {
      throw new ConfigError(
        'static.value',
        `${this.#owner()}: static.value is required with static.field`,
      );
    }
    this.#topic = spec(parsed['topic.field']);
    this.#timestamp = spec(parsed['timestamp.field']);
    this.#static = spec(parsed['static.field']);
    this.#staticValue = parsed['static.value'];
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const value = record[this.part];
    if (value === null || value === undefined) return record;
    const schema = this.part === 'key' ? record.keySchema : record.valueSchema;
    const updated = schema
      ? this.#withSchema(record, schema, value)
      : this.#schemaless(record, value);
    return { ...record, ...updated };
  }

  #schemaless(record: ConnectRecord, value: unknown): Partial<ConnectRecord> {
    if (!isPlainObject(value)) {
      const kind = Array.isArray(value) ? 'an array' : `a ${typeof value}`;
      throw new NonRetriableError(
        `${this.#owner()}: a schemaless ${this.part} must be a plain object, got ${kind}`,
      );
    }
    const out: Record<string, unknown> = { ...value };
    // Kafka puts the raw epoch milliseconds into schemaless values.
    for (const [field, inserted] of this.#inserts(record, record.timestamp))
      out[field.name] = inserted;
    return { [this.part]: out };
  }

  #withSchema(record: ConnectRecord, schema: Schema, value: unknown): Partial<ConnectRecord> {
    if (schema.type !== 'STRUCT' || !isPlainObject(value)) {
      throw new NonRetriableError(
        `${this.#owner()}: a ${this.part} with a schema must be a STRUCT, got ${schema.type}`,
      );
    }
    const widened = this.#widened(schema);
    const out: Record<string, unknown> = { ...value };
    for (const [field, inserted] of this.#inserts(record, new Date(record.timestamp))) {
      if (inserted === undefined && !field.optional) {
        throw new NonRetriableError(
          `${this.#owner()}: required field ${field.name} has no value (the record has no topic)`,
        );
      }
      out[field.name] = inserted ?? null;
    }
    return this.part === 'key'
      ? { key: out, keySchema: widened }
      : { value: out, valueSchema: widened };
  }

  #inserts(record: ConnectRecord, timestamp: unknown): [Spec, unknown][] {
    const out: [Spec, unknown][] = [];
    if (this.#topic) out.push([this.#topic, record.topic]);
    if (this.#timestamp) out.push([this.#timestamp, timestamp]);
    if (this.#static) out.push([this.#static, this.#staticValue]);
    return out;
  }

  #widened(schema: StructSchema): StructSchema {
    const cached = this.#schemas.get(schema);
    if (cached) return cached;
    const builder = SchemaBuilder.struct();
    if (schema.name !== undefined) builder.name(schema.name);
    if (schema.version !== undefined) builder.version(schema.version);
    if (schema.doc !== undefined) builder.doc(schema.doc);
    for (const [k, v] of Object.entries(schema.parameters ?? {})) builder.parameter(k, v);
    // Kafka's copy drops `optional`; keeping it is what a user of an optional struct expects.
    if (schema.optional) builder.optional();
    for (const f of schema.fields) builder.field(f.name, f.schema);
    const add = (s: Spec | undefined, required: Schema, optional: Schema) => {
      if (!s) return;
      try {
        builder.field(s.name, s.optional ? optional : required);
      } catch (err) {
        throw new NonRetriableError(
          `${this.#owner()}: ${err instanceof Error ? err.message : String(err)}`,
          { cause: err },
        );
      }
    };
    add(this.#topic, Schemas.STRING, Schemas.OPTIONAL_STRING);
    add(this.#timestamp, Schemas.TIMESTAMP, SchemaBuilder.timestamp().optional().build());
    add(this.#static, Schemas.STRING, Schemas.OPTIONAL_STRING);
    const widened = builder.build();
    this.#schemas.set(schema, widened);
    return widened;
  }

  #owner(): string {
    return `InsertField$${this.part === 'key' ? 'Key' : 'Value'}`;
  }
}

function plugin(part: Part): TransformPlugin {
  const suffix = part === 'key' ? 'Key' : 'Value';
  return {
    type: 'transformation',
    className: `org.apache.kafka.connect.transforms.InsertField$${suffix}`,
    aliases: [],
    version: BUILTIN_VERSION,
    ...insertFieldKeys,
    create: () => new InsertField(part),
  };
}

export const insertFieldKeyPlugin = plugin('key');
export const insertFieldValuePlugin = plugin('value');
