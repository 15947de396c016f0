import { z } from 'zod';
import { ConfigError, NonRetriableError } from '../api/errors.js';
import { BUILTIN_VERSION } from '../api/plugin.js';
import { parsePluginConfig, pluginKeys, requiredKey } from '../api/plugin-keys.js';
import type { ConnectHeader, ConnectRecord } from '../api/record.js';
import { fieldOf, type Schema, type StructSchema } from '../api/schema.js';
import type { Transform, TransformPlugin } from '../api/transform.js';
import { javaText, javaValueOf } from './connect-values.js';
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

const headerFromKeys = pluginKeys({
  fields: requiredKey(
    {
      type: 'LIST',
      importance: 'HIGH',
      documentation: 'Field names in the record whose values are to be copied or moved to headers.',
    },
    kafkaListValue({ emptyAllowed: false, validList: false }),
  ),
  headers: requiredKey(
    {
      type: 'LIST',
      importance: 'HIGH',
      documentation:
        'Header names, in the same order as the field names listed in the fields configuration property.',
    },
    kafkaListValue({ emptyAllowed: false, validList: false }),
  ),
  operation: requiredKey(
    {
      type: 'STRING',
      importance: 'HIGH',
      documentation:
        'Either move if the fields are to be moved to the headers (removed from the key/value), or copy if the fields are to be copied to the headers (retained in the key/value).',
    },
    // Kafka's ValidString: exactly one of these, in lower case.
    z
      .string()
      .trim()
      .pipe(z.enum(['move', 'copy'], { error: 'String must be one of: move, copy' })),
  ),
  'replace.null.with.default': replaceNullWithDefaultKey(),
});

/**
 * Kafka's HeaderFrom$Key / $Value: each of `fields` of the struct (or schemaless map) goes to
 * the header of the same place in `headers`, after the record's headers; `move` takes the fields
 * out (and out of the schema), `copy` leaves them. A header holds what Kafka's
 * SimpleHeaderConverter writes for the value (`Values.convertToString`). A null field value
 * makes a null header in Kafka; a RocketMQ property cannot be null, so none is added.
 */
export class HeaderFrom implements Transform {
  #fields: readonly string[] = [];
  #headers: readonly string[] = [];
  #move = false;
  #replaceNullWithDefault = true;
  readonly #movedSchemas = new WeakMap<Schema, StructSchema>();

  constructor(private readonly part: Part) {}

  configure(config: Readonly<Record<string, string>>): void {
    const parsed = parsePluginConfig(this.#owner(), headerFromKeys.configSchema, config);
    if (parsed.fields.length !== parsed.headers.length) {
      throw new ConfigError(
        'headers',
        `${this.#owner()}: 'fields' config must have the same number of elements as 'headers' config.`,
      );
    }
    this.#fields = parsed.fields;
    this.#headers = parsed.headers;
    this.#move = parsed.operation === 'move';
    this.#replaceNullWithDefault = parsed['replace.null.with.default'];
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const { value, schema } = partOf(record, this.part);
    const purpose = `header ${this.#move ? 'move' : 'copy'}`;
    const headers: ConnectHeader[] = [...record.headers];
    const add = (name: string, fieldSchema: Schema | undefined, fieldValue: unknown) => {
      const text = javaText(javaValueOf(fieldSchema, fieldValue));
      if (text !== null) headers.push({ key: name, value: text });
    };
    if (schema === undefined) {
      const map = requireMap(value, purpose);
      const fields: Record<string, unknown> =
        map instanceof Map ? Object.fromEntries(map as Map<PropertyKey, unknown>) : map;
      const updated: Record<string, unknown> = { ...fields };
      this.#fields.forEach((field, i) => {
        if (this.#move) delete updated[field];
        add(this.#headers[i]!, undefined, fields[field]);
      });
      return { ...withPart(record, this.part, undefined, updated), headers };
    }
    const struct = requireStruct(value, schema, purpose);
    // requireStruct has checked that the schema is a STRUCT's.
    const structSchema = schema as StructSchema;
    let updatedSchema = structSchema;
    let updated = struct;
    if (this.#move) {
      updatedSchema = this.#movedSchema(structSchema);
      updated = {};
      // A moved schema's fields are the original's, defaults and all.
      for (const field of updatedSchema.fields)
        updated[field.name] = fieldValue(struct, field, this.#replaceNullWithDefault);
    }
    this.#fields.forEach((name, i) => {
      const field = fieldOf(structSchema, name);
      if (!field) {
        // Kafka dereferences the missing field's schema: the JVM's message for that.
        throw new NonRetriableError(
          'Cannot invoke "org.apache.kafka.connect.data.Field.schema()" because the return value of "org.apache.kafka.connect.data.Schema.field(String)" is null',
        );
      }
      add(this.#headers[i]!, field.schema, fieldValue(struct, field, this.#replaceNullWithDefault));
    });
    return { ...withPart(record, this.part, updatedSchema, updated), headers };
  }

  #movedSchema(schema: StructSchema): StructSchema {
    const cached = this.#movedSchemas.get(schema);
    if (cached) return cached;
    const builder = structBuilderLike(schema);
    for (const field of schema.fields) {
      if (!this.#fields.includes(field.name)) builder.field(field.name, field.schema);
    }
    const moved = builder.build();
    this.#movedSchemas.set(schema, moved);
    return moved;
  }

  #owner(): string {
    return `HeaderFrom$${partSuffix(this.part)}`;
  }
}

function plugin(part: Part): TransformPlugin {
  return {
    type: 'transformation',
    className: `org.apache.kafka.connect.transforms.HeaderFrom$${partSuffix(part)}`,
    aliases: [],
    version: BUILTIN_VERSION,
    ...headerFromKeys,
    create: () => new HeaderFrom(part),
  };
}

export const headerFromKeyPlugin = plugin('key');
export const headerFromValuePlugin = plugin('value');
