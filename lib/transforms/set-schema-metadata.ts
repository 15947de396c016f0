import { z } from 'zod';
import { intValue } from '../api/config-values.js';
import { ConfigError, NonRetriableError } from '../api/errors.js';
import { BUILTIN_VERSION } from '../api/plugin.js';
import { optionalKey, parsePluginConfig, pluginKeys } from '../api/plugin-keys.js';
import type { ConnectRecord } from '../api/record.js';
import type { Schema, StructSchema } from '../api/schema.js';
import type { Transform, TransformPlugin } from '../api/transform.js';
import { isPlainObject, requireSchema } from './requirements.js';
import {
  checkNotNull,
  fieldValue,
  type Part,
  partOf,
  partSuffix,
  replaceNullWithDefaultKey,
  withPart,
} from './schema-util.js';

const setSchemaMetadataKeys = pluginKeys({
  'schema.name': optionalKey(
    { type: 'STRING', importance: 'HIGH', documentation: 'Schema name to set.' },
    z.string().trim(),
  ),
  'schema.version': optionalKey(
    { type: 'INT', importance: 'HIGH', documentation: 'Schema version to set.' },
    intValue(),
  ),
  'replace.null.with.default': replaceNullWithDefaultKey(),
});

const PURPOSE = 'updating schema metadata';

/**
 * Kafka's SetSchemaMetadata$Key / $Value: the schema gets a new name, version or both; a
 * struct's fields are copied into the renamed schema (null fields read as their defaults unless
 * replace.null.with.default=false). As in Kafka (its `ConnectSchema` constructor lists the
 * schema's fields), only a STRUCT schema can be renamed: any other fails the record.
 */
export class SetSchemaMetadata implements Transform {
  #name?: string;
  #version?: number;
  #replaceNullWithDefault = true;
  readonly #schemas = new WeakMap<Schema, Schema>();

  constructor(private readonly part: Part) {}

  configure(config: Readonly<Record<string, string>>): void {
    const owner = `SetSchemaMetadata$${partSuffix(this.part)}`;
    const parsed = parsePluginConfig(owner, setSchemaMetadataKeys.configSchema, config);
    if (parsed['schema.name'] === undefined && parsed['schema.version'] === undefined) {
      throw new ConfigError(
        'schema.name',
        `${owner}: Neither schema name nor version configured (set schema.name or schema.version)`,
      );
    }
    this.#name = parsed['schema.name'];
    this.#version = parsed['schema.version'];
    this.#replaceNullWithDefault = parsed['replace.null.with.default'];
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const { value = null, schema: given } = partOf(record, this.part);
    if (value === null && given === undefined) return record;
    const schema = requireSchema(given, PURPOSE);
    const updated = this.#updated(schema);
    if (!isPlainObject(value) || updated.type !== 'STRUCT')
      return withPart(record, this.part, updated, value);
    const struct: Record<string, unknown> = {};
    for (const field of updated.fields) {
      const v = fieldValue(value, field, this.#replaceNullWithDefault);
      checkNotNull(field, v);
      struct[field.name] = v;
    }
    return withPart(record, this.part, updated, struct);
  }

  #updated(schema: Schema): Schema {
    if (schema.type !== 'STRUCT')
      throw new NonRetriableError('Cannot list fields on non-struct type');
    let updated = this.#schemas.get(schema);
    if (!updated) {
      const name = this.#name ?? schema.name;
      const version = this.#version ?? schema.version;
      const copy: { -readonly [K in keyof StructSchema]?: StructSchema[K] } = { ...schema };
      delete copy.name;
      delete copy.version;
      updated = Object.freeze({
        ...(copy as StructSchema),
        ...(name !== undefined && { name }),
        ...(version !== undefined && { version }),
      });
      this.#schemas.set(schema, updated);
    }
    return updated;
  }
}

function plugin(part: Part): TransformPlugin {
  return {
    type: 'transformation',
    className: `org.apache.kafka.connect.transforms.SetSchemaMetadata$${partSuffix(part)}`,
    aliases: [],
    version: BUILTIN_VERSION,
    ...setSchemaMetadataKeys,
    create: () => new SetSchemaMetadata(part),
  };
}

export const setSchemaMetadataKeyPlugin = plugin('key');
export const setSchemaMetadataValuePlugin = plugin('value');
