import { z } from 'zod';
import { textValue } from '../api/config-values.js';
import { ConfigError, NonRetriableError } from '../api/errors.js';
import { BUILTIN_VERSION } from '../api/plugin.js';
import { optionalKey, parsePluginConfig, pluginKeys } from '../api/plugin-keys.js';
import type { ConnectRecord, SinkRecord } from '../api/record.js';
import { Schemas, type Field, type Schema, type StructSchema } from '../api/schema.js';
import { SchemaBuilder } from '../api/schema-builder.js';
import type { Transform, TransformPlugin } from '../api/transform.js';
import { requireMap, requireStruct } from './requirements.js';
import {
  checkNotNull,
  fieldValue,
  type Part,
  partOf,
  partSuffix,
  replaceNullWithDefaultKey,
  structBuilderLike,
  withPart,
} from './schema-util.js';

const OPTIONALITY =
  'Suffix with ! to make this a required field, or ? to keep it optional (the default).';

// Every key but the last names a field (the static value is a string too): one shape.
const field = (documentation: string) =>
  ({ type: 'STRING', importance: 'MEDIUM', documentation }) as const;

const insertFieldKeys = pluginKeys({
  'topic.field': optionalKey(field(`Field name for the topic. ${OPTIONALITY}`), textValue()),
  'partition.field': optionalKey(
    field(`Field name for the queue id (Kafka's partition), sink records only. ${OPTIONALITY}`),
    textValue(),
  ),
  'offset.field': optionalKey(
    field(`Field name for the queue offset (Kafka's offset), sink records only. ${OPTIONALITY}`),
    textValue(),
  ),
  'timestamp.field': optionalKey(
    field(`Field name for the record timestamp. ${OPTIONALITY}`),
    textValue(),
  ),
  'static.field': optionalKey(
    field(`Field name for static data field. ${OPTIONALITY}`),
    textValue(),
  ),
  'static.value': optionalKey(field('Static field value, if field name configured.'), z.string()),
  'replace.null.with.default': replaceNullWithDefaultKey(),
});

const PURPOSE = 'field insertion';
const OPTIONAL_TIMESTAMP = SchemaBuilder.timestamp().optional().build();
const FIELD_KEYS = [
  'topic.field',
  'partition.field',
  'offset.field',
  'timestamp.field',
  'static.field',
] as const;

/** Kafka's `InsertionSpec`: `name` or `name?` is an optional field, `name!` a required one. */
interface Spec {
  readonly name: string;
  readonly optional: boolean;
}

function spec(owner: string, key: string, raw: string | undefined): Spec | undefined {
  if (raw === undefined) return undefined;
  const optional = !raw.endsWith('!');
  const name = raw.endsWith('?') || raw.endsWith('!') ? raw.slice(0, -1) : raw;
  // Kafka takes "!" as a field named "", then fails on every struct; refused here at once.
  if (name === '') {
    throw new ConfigError(
      key,
      `${owner}: Invalid value ${raw} for configuration ${key}: a field name is required`,
    );
  }
  return { name, optional };
}

/** One field to insert: where it goes, its schema, and what it holds for a record. */
interface Insertion {
  readonly spec: Spec;
  readonly schema: Schema;
  /** Undefined: nothing to insert (Kafka skips a null partition). */
  readonly schemaless: (record: ConnectRecord) => unknown;
  readonly struct: (record: ConnectRecord) => unknown;
}

/**
 * A sink record: what Kafka's `requireSinkRecord` asks of offset insertion. Source records
 * carry their source partition; sink records never do.
 */
function requireSinkRecord(record: ConnectRecord): SinkRecord {
  if (record.partition === undefined) return record as SinkRecord;
  throw new NonRetriableError(
    `Only SinkRecord supported for [${PURPOSE}], found: org.apache.kafka.connect.source.SourceRecord`,
  );
}

/** Kafka's kafkaPartition: the queue id of a sink record; a source record has none. */
const partitionOf = (record: ConnectRecord) => (record as SinkRecord).queueId;

function offsetOf(record: ConnectRecord): number {
  const offset = requireSinkRecord(record).queueOffset;
  if (offset !== undefined) return offset;
  // Kafka's sink records always carry one; the proxy's gRPC consumer gives none.
  throw new NonRetriableError(
    `The sink record carries no queue offset for [${PURPOSE}]: the consumer does not give it`,
  );
}

/**
 * Kafka's InsertField$Key / $Value: adds the record's topic, partition (the queue id), offset
 * (the queue offset, sink records only), timestamp and a static string to a struct, whose schema
 * gains the fields, or to a schemaless map. As in Kafka: a null key or value passes unchanged;
 * a null partition is not inserted; the widened schema keeps the name, version, doc and
 * parameters but not the optionality of the original; a field name already there is refused.
 */
export class InsertField implements Transform {
  #insertions: readonly Insertion[] = [];
  #replaceNullWithDefault = true;
  // Records of one schema share the widened schema; a WeakMap lets unused schemas go.
  readonly #schemas = new WeakMap<Schema, StructSchema>();

  constructor(private readonly part: Part) {}

  configure(config: Readonly<Record<string, string>>): void {
    const owner = `InsertField$${partSuffix(this.part)}`;
    const parsed = parsePluginConfig(owner, insertFieldKeys.configSchema, config);
    if (FIELD_KEYS.every((key) => parsed[key] === undefined)) {
      throw new ConfigError(
        'topic.field',
        `${owner}: No field insertion configured: set one of ${FIELD_KEYS.join(', ')}`,
      );
    }
    const staticValue = parsed['static.value'];
    if (parsed['static.field'] !== undefined && staticValue === undefined) {
      throw new ConfigError(
        'static.value',
        `${owner}: Invalid value null for configuration static.value: No value specified for static field: ${parsed['static.field']}`,
      );
    }
    const insertions: Insertion[] = [];
    const add = (
      key: (typeof FIELD_KEYS)[number],
      [required, optional]: readonly [Schema, Schema],
      schemaless: Insertion['schemaless'],
      struct: Insertion['struct'] = schemaless,
    ) => {
      const s = spec(owner, key, parsed[key]);
      if (s)
        insertions.push({ spec: s, schema: s.optional ? optional : required, schemaless, struct });
    };
    add('topic.field', [Schemas.STRING, Schemas.OPTIONAL_STRING], (r) => r.topic ?? null);
    add('partition.field', [Schemas.INT32, Schemas.OPTIONAL_INT32], partitionOf);
    add('offset.field', [Schemas.INT64, Schemas.OPTIONAL_INT64], offsetOf);
    add(
      'timestamp.field',
      [Schemas.TIMESTAMP, OPTIONAL_TIMESTAMP],
      // Kafka puts the epoch milliseconds into a map, a java.util.Date into a struct.
      (r) => r.timestamp,
      (r) => new Date(r.timestamp),
    );
    add('static.field', [Schemas.STRING, Schemas.OPTIONAL_STRING], () => staticValue);
    this.#insertions = insertions;
    this.#replaceNullWithDefault = parsed['replace.null.with.default'];
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const { value = null, schema } = partOf(record, this.part);
    if (value === null) return record;
    return schema === undefined
      ? withPart(record, this.part, undefined, this.#schemaless(record, value))
      : this.#withSchema(record, schema, value);
  }

  #schemaless(record: ConnectRecord, value: unknown): unknown {
    const map = requireMap(value, PURPOSE);
    const out: Map<unknown, unknown> | Record<string, unknown> =
      // Object.assign: fields added to a spread copy take V8's slow path (see withPart).
      map instanceof Map ? new Map(map) : Object.assign({}, map);
    for (const insertion of this.#insertions) {
      const inserted = insertion.schemaless(record);
      if (inserted === undefined) continue;
      if (out instanceof Map) out.set(insertion.spec.name, inserted);
      else out[insertion.spec.name] = inserted;
    }
    return out;
  }

  #withSchema<R extends ConnectRecord>(record: R, schema: Schema, value: unknown): R {
    const struct = requireStruct(value, schema, PURPOSE);
    const widened = this.#widened(schema as StructSchema);
    const out: Record<string, unknown> = {};
    const put = (f: Field, v: unknown) => {
      checkNotNull(f, v);
      out[f.name] = v;
    };
    const original = (schema as StructSchema).fields;
    for (const f of original) put(f, fieldValue(struct, f, this.#replaceNullWithDefault));
    this.#insertions.forEach((insertion, i) => {
      const f = widened.fields[original.length + i]!;
      const inserted = insertion.struct(record);
      // Left unset, as Kafka leaves it: null when read, refused by a converter when required.
      if (inserted === undefined) out[f.name] = null;
      else put(f, inserted);
    });
    return withPart(record, this.part, widened, out);
  }

  #widened(schema: StructSchema): StructSchema {
    const cached = this.#schemas.get(schema);
    if (cached) return cached;
    const builder = structBuilderLike(schema);
    const names = new Set<string>();
    const fields = [
      ...schema.fields.map((f) => [f.name, f.schema] as const),
      ...this.#insertions.map((i) => [i.spec.name, i.schema] as const),
    ];
    for (const [name, fieldSchema] of fields) {
      if (names.has(name)) {
        throw new NonRetriableError(
          `Cannot create field because of field name duplication ${name}`,
        );
      }
      names.add(name);
      builder.field(name, fieldSchema);
    }
    const widened = builder.build();
    this.#schemas.set(schema, widened);
    return widened;
  }
}

function plugin(part: Part): TransformPlugin {
  return {
    type: 'transformation',
    className: `org.apache.kafka.connect.transforms.InsertField$${partSuffix(part)}`,
    aliases: [],
    version: BUILTIN_VERSION,
    ...insertFieldKeys,
    create: () => new InsertField(part),
  };
}

export const insertFieldKeyPlugin = plugin('key');
export const insertFieldValuePlugin = plugin('value');
