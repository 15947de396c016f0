import { z } from 'zod';
import { NonRetriableError } from '../api/errors.js';
import { BUILTIN_VERSION } from '../api/plugin.js';
import { parsePluginConfig, pluginKeys, requiredKey } from '../api/plugin-keys.js';
import type { ConnectRecord } from '../api/record.js';
import type { Schema, StructSchema } from '../api/schema.js';
import type { Transform, TransformPlugin } from '../api/transform.js';
import { checkNotNull, type Part, partOf, partSuffix, withPart } from './schema-util.js';

const hoistFieldKeys = pluginKeys({
  field: requiredKey(
    {
      type: 'STRING',
      importance: 'MEDIUM',
      documentation:
        'Field name for the single field that will be created in the resulting Struct or Map.',
    },
    // Kafka's STRING type: trimmed, and an empty name is taken as it is.
    z.string().trim(),
  ),
});

/**
 * Kafka's HoistField$Key / $Value: the key or value becomes the one field of a struct (with a
 * schema: an unnamed required struct whose field has the old schema) or of a map. As in Kafka,
 * a null without a schema becomes a map holding null.
 */
export class HoistField implements Transform {
  #field = '';
  // Records of one schema share the struct schema; a WeakMap lets unused schemas go.
  readonly #schemas = new WeakMap<Schema, StructSchema>();

  constructor(private readonly part: Part) {}

  configure(config: Readonly<Record<string, string>>): void {
    const parsed = parsePluginConfig(
      `HoistField$${partSuffix(this.part)}`,
      hoistFieldKeys.configSchema,
      config,
    );
    this.#field = parsed.field;
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const { value = null, schema } = partOf(record, this.part);
    if (schema === undefined)
      return withPart(record, this.part, undefined, { [this.#field]: value });
    // Kafka's SchemaBuilder.field refuses an empty name.
    if (this.#field === '') throw new NonRetriableError('fieldName cannot be null.');
    const hoisted = this.#hoisted(schema);
    checkNotNull(hoisted.fields[0]!, value);
    return withPart(record, this.part, hoisted, { [this.#field]: value });
  }

  #hoisted(schema: Schema): StructSchema {
    let hoisted = this.#schemas.get(schema);
    if (!hoisted) {
      const field = Object.freeze({ name: this.#field, index: 0, schema });
      hoisted = Object.freeze({ type: 'STRUCT', optional: false, fields: Object.freeze([field]) });
      this.#schemas.set(schema, hoisted);
    }
    return hoisted;
  }
}

function plugin(part: Part): TransformPlugin {
  return {
    type: 'transformation',
    className: `org.apache.kafka.connect.transforms.HoistField$${partSuffix(part)}`,
    aliases: [],
    version: BUILTIN_VERSION,
    ...hoistFieldKeys,
    create: () => new HoistField(part),
  };
}

export const hoistFieldKeyPlugin = plugin('key');
export const hoistFieldValuePlugin = plugin('value');
