import { NonRetriableError } from '../api/errors.js';
import { BUILTIN_VERSION } from '../api/plugin.js';
import { parsePluginConfig, pluginKeys, requiredKey } from '../api/plugin-keys.js';
import { listValue } from '../api/config-values.js';
import type { ConnectRecord } from '../api/record.js';
import { fieldOf, type Schema, type StructSchema } from '../api/schema.js';
import { SchemaBuilder } from '../api/schema-builder.js';
import type { Transform, TransformPlugin } from '../api/transform.js';
import { requireMap, requireStruct } from './requirements.js';
import { replaceNullWithDefaultKey, withPart } from './schema-util.js';

const valueToKeyKeys = pluginKeys({
  fields: requiredKey(
    {
      type: 'LIST',
      importance: 'HIGH',
      documentation: 'Field names on the record value to extract as the record key.',
    },
    listValue().refine((fields) => fields.length > 0, { error: 'List must not be empty' }),
  ),
  'replace.null.with.default': replaceNullWithDefaultKey(
    'Whether to replace fields that have a default value and that are null with the default value.',
  ),
});

const PURPOSE = 'copying fields from value to key';

/**
 * Kafka's ValueToKey: the record key becomes a struct (or, without a schema, a map) of these
 * fields of the value; the value is unchanged. As in Kafka, a value that is not a struct (a
 * tombstone too) is refused.
 */
export class ValueToKey implements Transform {
  #fields: readonly string[] = [];
  #replaceNullWithDefault = true;
  readonly #keySchemas = new WeakMap<Schema, StructSchema>();

  configure(config: Readonly<Record<string, string>>): void {
    const parsed = parsePluginConfig('ValueToKey', valueToKeyKeys.configSchema, config);
    this.#fields = parsed.fields;
    this.#replaceNullWithDefault = parsed['replace.null.with.default'];
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const { value, valueSchema } = record;
    if (valueSchema === undefined) {
      const map = requireMap(value, PURPOSE);
      const key: Record<string, unknown> = {};
      for (const field of this.#fields) {
        key[field] = (map instanceof Map ? map.get(field) : map[field]) ?? null;
      }
      return withPart(record, 'key', undefined, key);
    }
    const struct = requireStruct(value, valueSchema, PURPOSE);
    const keySchema = this.#keySchemaOf(valueSchema as StructSchema);
    const key: Record<string, unknown> = {};
    for (const field of this.#fields) {
      const raw = struct[field];
      const schema = fieldOf(valueSchema as StructSchema, field)!.schema;
      key[field] =
        (raw === null || raw === undefined) && this.#replaceNullWithDefault
          ? (schema.defaultValue ?? null)
          : (raw ?? null);
    }
    return withPart(record, 'key', keySchema, key);
  }

  #keySchemaOf(valueSchema: StructSchema): StructSchema {
    const cached = this.#keySchemas.get(valueSchema);
    if (cached) return cached;
    const builder = SchemaBuilder.struct();
    for (const name of this.#fields) {
      const field = fieldOf(valueSchema, name);
      if (!field) throw new NonRetriableError(`Field does not exist: ${name}`);
      builder.field(name, field.schema);
    }
    const keySchema = builder.build();
    this.#keySchemas.set(valueSchema, keySchema);
    return keySchema;
  }
}

export const valueToKeyPlugin: TransformPlugin = {
  type: 'transformation',
  className: 'org.apache.kafka.connect.transforms.ValueToKey',
  aliases: [],
  version: BUILTIN_VERSION,
  ...valueToKeyKeys,
  create: () => new ValueToKey(),
};
