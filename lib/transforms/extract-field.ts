import { enumValue, textValue } from '../api/config-values.js';
import { ConfigError, NonRetriableError } from '../api/errors.js';
import { BUILTIN_VERSION } from '../api/plugin.js';
import { defaultedKey, parsePluginConfig, pluginKeys, requiredKey } from '../api/plugin-keys.js';
import type { ConnectRecord } from '../api/record.js';
import { fieldOf } from '../api/schema.js';
import type { Transform, TransformPlugin } from '../api/transform.js';
import { isPlainObject, javaClassOf } from './requirements.js';
import {
  fieldValue,
  type Part,
  partOf,
  partSuffix,
  replaceNullWithDefaultKey,
  withPart,
} from './schema-util.js';

const extractFieldKeys = pluginKeys({
  field: requiredKey(
    {
      type: 'STRING',
      importance: 'MEDIUM',
      documentation: 'Field name to extract.',
    },
    textValue(),
  ),
  'field.syntax.version': defaultedKey(
    {
      type: 'STRING',
      importance: 'HIGH',
      documentation:
        'V1: the field name is the name of a top-level field. V2 (nested paths) is not supported yet.',
    },
    'V1',
    enumValue(['v1', 'v2']),
  ),
  'replace.null.with.default': replaceNullWithDefaultKey(
    'Whether to replace fields that have a default value and that are null with the default value.',
  ),
});

const PURPOSE = 'field extraction';

/**
 * Kafka's ExtractField$Key / $Value: the key or value becomes one field of it (a struct's, with
 * that field's schema, or a schemaless map's). A null key or value stays null, as in Kafka.
 */
export class ExtractField implements Transform {
  #field = '';
  #replaceNullWithDefault = true;

  constructor(private readonly part: Part) {}

  configure(config: Readonly<Record<string, string>>): void {
    const parsed = parsePluginConfig(this.#owner(), extractFieldKeys.configSchema, config);
    if (parsed['field.syntax.version'] === 'v2') {
      throw new ConfigError(
        'field.syntax.version',
        `${this.#owner()}: field.syntax.version=V2 (nested field paths) is not supported yet; use V1`,
      );
    }
    this.#field = parsed.field;
    this.#replaceNullWithDefault = parsed['replace.null.with.default'];
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const { value, schema } = partOf(record, this.part);
    if (schema === undefined) {
      if (value !== null && value !== undefined && !isPlainObject(value)) {
        throw new NonRetriableError(
          `Only Map objects supported in absence of schema for [${PURPOSE}], found: ${javaClassOf(value)}`,
        );
      }
      const extracted = value === null || value === undefined ? null : (value[this.#field] ?? null);
      return withPart(record, this.part, undefined, extracted);
    }
    if (
      schema.type !== 'STRUCT' ||
      (value !== null && value !== undefined && !isPlainObject(value))
    ) {
      throw new NonRetriableError(
        `Only Struct objects supported for [${PURPOSE}], found: ${javaClassOf(value)}`,
      );
    }
    const field = fieldOf(schema, this.#field);
    if (!field) throw new NonRetriableError(`Unknown field: ${this.#field}`);
    if (value === null || value === undefined)
      return withPart(record, this.part, field.schema, null);
    const extracted = fieldValue(value, field, this.#replaceNullWithDefault);
    return withPart(record, this.part, field.schema, extracted);
  }

  #owner(): string {
    return `ExtractField$${partSuffix(this.part)}`;
  }
}

function plugin(part: Part): TransformPlugin {
  return {
    type: 'transformation',
    className: `org.apache.kafka.connect.transforms.ExtractField$${partSuffix(part)}`,
    aliases: [],
    version: BUILTIN_VERSION,
    ...extractFieldKeys,
    create: () => new ExtractField(part),
  };
}

export const extractFieldKeyPlugin = plugin('key');
export const extractFieldValuePlugin = plugin('value');
