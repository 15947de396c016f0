import { z } from 'zod';
import { NonRetriableError } from '../api/errors.js';
import { BUILTIN_VERSION } from '../api/plugin.js';
import { defaultedKey, optionalKey, parsePluginConfig, pluginKeys } from '../api/plugin-keys.js';
import type { ConnectRecord } from '../api/record.js';
import type { Schema, StructSchema } from '../api/schema.js';
import type { Transform, TransformPlugin } from '../api/transform.js';
import { kafkaListValue } from './kafka-lists.js';
import { requireMap, requireStruct } from './requirements.js';
import {
  fieldValue,
  type Part,
  partOf,
  partSuffix,
  replaceNullWithDefaultKey,
  structBuilderLike,
  withPart,
} from './schema-util.js';

const list = (documentation: string) =>
  ({ type: 'LIST', importance: 'MEDIUM', documentation }) as const;

/** Kafka's rename mappings: each item `from:to`, exactly one colon. */
const renamesValue = kafkaListValue({ emptyAllowed: true, validList: false }).transform(
  (items, ctx) => {
    const renames = new Map<string, string>();
    for (const mapping of items) {
      // Java's split drops trailing empty strings: "a:" is one part, ":b" two.
      const parts = mapping.split(':');
      while (parts.length > 0 && parts.at(-1) === '') parts.pop();
      if (parts.length !== 2) {
        ctx.addIssue({ code: 'custom', message: `Invalid rename mapping: ${mapping}` });
        return z.NEVER;
      }
      renames.set(parts[0]!, parts[1]!);
    }
    return renames;
  },
);

const replaceFieldKeys = pluginKeys({
  exclude: defaultedKey(
    list('Fields to exclude. This takes precedence over the fields to include.'),
    '',
    kafkaListValue({ emptyAllowed: true }),
  ),
  include: defaultedKey(
    list('Fields to include. If specified, only these fields will be used.'),
    '',
    kafkaListValue({ emptyAllowed: true }),
  ),
  // Kafka 4.0 dropped these (KAFKA-17530); they are read as Kafka 2.7 - 3.9 read them, so that
  // configs written then carry over: include or exclude wins when both are given.
  whitelist: optionalKey(
    { ...list('Deprecated. Use include instead.'), importance: 'LOW' },
    kafkaListValue({ emptyAllowed: true, validList: false }),
  ),
  blacklist: optionalKey(
    { ...list('Deprecated. Use exclude instead.'), importance: 'LOW' },
    kafkaListValue({ emptyAllowed: true, validList: false }),
  ),
  renames: defaultedKey(
    list('Field rename mappings: a list of colon-delimited pairs, e.g. foo:bar,abc:xyz.'),
    '',
    renamesValue,
  ),
  'replace.null.with.default': replaceNullWithDefaultKey(),
});

const PURPOSE = 'field replacement';

/**
 * Kafka's ReplaceField$Key / $Value: keeps the fields `include` lists (all when empty) less the
 * ones `exclude` lists, renamed by `renames`, of a struct (its schema narrowed the same way) or a
 * schemaless map. A null key or value passes unchanged.
 */
export class ReplaceField implements Transform {
  #exclude = new Set<string>();
  #include = new Set<string>();
  #renames = new Map<string, string>();
  #replaceNullWithDefault = true;
  readonly #schemas = new WeakMap<Schema, StructSchema>();

  constructor(private readonly part: Part) {}

  configure(config: Readonly<Record<string, string>>): void {
    const parsed = parsePluginConfig(this.#owner(), replaceFieldKeys.configSchema, config);
    this.#exclude = new Set(config.exclude === undefined ? parsed.blacklist : parsed.exclude);
    this.#include = new Set(config.include === undefined ? parsed.whitelist : parsed.include);
    this.#renames = parsed.renames;
    this.#replaceNullWithDefault = parsed['replace.null.with.default'];
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const { value, schema } = partOf(record, this.part);
    if (value === null || value === undefined) return record;
    if (schema === undefined) {
      const map = requireMap(value, PURPOSE);
      const fields: Record<string, unknown> =
        map instanceof Map ? Object.fromEntries(map as Map<PropertyKey, unknown>) : map;
      const updated: Record<string, unknown> = {};
      // When a rename meets a kept name, the later in Kafka's HashMap order wins.
      for (const name of javaHashMapOrder(Object.keys(fields))) {
        if (this.#kept(name)) updated[this.#renamed(name)] = fields[name];
      }
      return withPart(record, this.part, undefined, updated);
    }
    const struct = requireStruct(value, schema, PURPOSE);
    // requireStruct has checked that the schema is a STRUCT's.
    const structSchema = schema as StructSchema;
    const updatedSchema = this.#updatedSchema(structSchema);
    const updated: Record<string, unknown> = {};
    for (const field of updatedSchema.fields) {
      const original = structSchema.fields.find((f) => this.#renamed(f.name) === field.name)!;
      updated[field.name] = fieldValue(struct, original, this.#replaceNullWithDefault);
    }
    return withPart(record, this.part, updatedSchema, updated);
  }

  #kept(name: string): boolean {
    return !this.#exclude.has(name) && (this.#include.size === 0 || this.#include.has(name));
  }

  #renamed(name: string): string {
    return this.#renames.get(name) ?? name;
  }

  #updatedSchema(schema: StructSchema): StructSchema {
    const cached = this.#schemas.get(schema);
    if (cached) return cached;
    const builder = structBuilderLike(schema);
    for (const field of schema.fields) {
      if (!this.#kept(field.name)) continue;
      try {
        builder.field(this.#renamed(field.name), field.schema);
      } catch (error) {
        // Two fields renamed to one name: Kafka's SchemaBuilder says so in these words.
        throw new NonRetriableError(
          `Cannot create field because of field name duplication ${this.#renamed(field.name)}`,
          { cause: error },
        );
      }
    }
    const updated = builder.build();
    this.#schemas.set(schema, updated);
    return updated;
  }

  #owner(): string {
    return `ReplaceField$${partSuffix(this.part)}`;
  }
}

/**
 * The order a `java.util.HashMap` filled with these keys (in this order, no removals) iterates
 * them: by bucket of the final table (16, doubled while over 3/4 full), then in insertion order,
 * which resizing keeps within a bucket.
 */
function javaHashMapOrder(keys: readonly string[]): string[] {
  let capacity = 16;
  while (keys.length > capacity * 0.75) capacity *= 2;
  const bucket = (key: string) => {
    let h = 0;
    for (let i = 0; i < key.length; i++) h = (Math.imul(h, 31) + key.charCodeAt(i)) | 0;
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return keys
    .map((key, i) => ({ key, i, b: bucket(key) }))
    .sort((x, y) => x.b - y.b || x.i - y.i)
    .map((e) => e.key);
}

function plugin(part: Part): TransformPlugin {
  return {
    type: 'transformation',
    className: `org.apache.kafka.connect.transforms.ReplaceField$${partSuffix(part)}`,
    aliases: [],
    version: BUILTIN_VERSION,
    ...replaceFieldKeys,
    create: () => new ReplaceField(part),
  };
}

export const replaceFieldKeyPlugin = plugin('key');
export const replaceFieldValuePlugin = plugin('value');
