import { z } from 'zod';
import { NonRetriableError } from '../api/errors.js';
import { BUILTIN_VERSION } from '../api/plugin.js';
import { defaultedKey, parsePluginConfig, pluginKeys } from '../api/plugin-keys.js';
import type { ConnectRecord } from '../api/record.js';
import type { Field, Schema, StructSchema } from '../api/schema.js';
import type { Transform, TransformPlugin } from '../api/transform.js';
import { isPlainObject, requireMap, requireStruct } from './requirements.js';
import {
  checkNotNull,
  copySchemaBasics,
  freeze,
  javaClass,
  type Part,
  partOf,
  partSuffix,
  withPart,
} from './schema-util.js';

const flattenKeys = pluginKeys({
  delimiter: defaultedKey(
    {
      type: 'STRING',
      importance: 'MEDIUM',
      documentation:
        'Delimiter to insert between field names from the input record when generating field names for the output record',
    },
    '.',
    // Kafka's STRING type: trimmed; an empty delimiter joins names with nothing between.
    z.string().trim(),
  ),
});

const PURPOSE = 'flattening';

/** A flattened struct: its schema and, per output field, the path of names that reaches it. */
interface Flattened {
  readonly schema: StructSchema;
  readonly paths: readonly (readonly Field[])[];
}

/**
 * Kafka's Flatten$Key / $Value: nested structs (or, without a schema, nested maps) become one
 * level, their names joined by `delimiter`. As in Kafka: arrays are kept as they are; a MAP field
 * in a struct is refused; a field under an optional parent becomes optional and takes its
 * default from the parent's default; the flattened struct keeps the name, version, doc and
 * parameters but not the optionality of the original; a null key or value passes unchanged.
 */
export class Flatten implements Transform {
  #delimiter = '.';
  readonly #schemas = new WeakMap<Schema, Flattened>();

  constructor(private readonly part: Part) {}

  configure(config: Readonly<Record<string, string>>): void {
    const parsed = parsePluginConfig(
      `Flatten$${partSuffix(this.part)}`,
      flattenKeys.configSchema,
      config,
    );
    this.#delimiter = parsed.delimiter;
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const { value = null, schema } = partOf(record, this.part);
    if (value === null) return record;
    if (schema === undefined) {
      const out: Record<string, unknown> = {};
      this.#flattenSchemaless(requireMap(value, PURPOSE), '', out);
      return withPart(record, this.part, undefined, out);
    }
    const struct = requireStruct(value, schema, PURPOSE);
    const flattened = this.#flattened(schema as StructSchema);
    const out: Record<string, unknown> = {};
    flattened.schema.fields.forEach((field, i) => {
      let v: unknown = struct;
      const path = flattened.paths[i]!;
      for (const [depth, step] of path.entries()) {
        const raw = isPlainObject(v) ? (v[step.name] ?? null) : null;
        // Kafka reads a nested struct as it is, a leaf with Struct.get (null as its default).
        v = depth === path.length - 1 ? (raw ?? step.schema.defaultValue ?? null) : raw;
        if (v === null) {
          // Under a null parent Kafka leaves the field unset, unchecked.
          if (depth === path.length - 1) checkNotNull(field, v);
          break;
        }
      }
      out[field.name] = v;
    });
    return withPart(record, this.part, flattened.schema, out);
  }

  #name(prefix: string, name: string): string {
    return prefix === '' ? name : `${prefix}${this.#delimiter}${name}`;
  }

  #flattenSchemaless(
    map: Record<string, unknown> | Map<unknown, unknown>,
    prefix: string,
    out: Record<string, unknown>,
  ): void {
    const entries = map instanceof Map ? [...map] : Object.entries(map);
    for (const [key, value] of entries) {
      const name = this.#name(prefix, String(key));
      if (value === null || value === undefined) out[name] = null;
      else if (isPlainObject(value) || value instanceof Map) {
        this.#flattenSchemaless(value, name, out);
      } else if (
        value instanceof Date ||
        (typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array))
      ) {
        throw new NonRetriableError(
          `Flatten transformation was passed a value of type ${javaClass(value)} which is not supported by Connect's data API`,
        );
      } else out[name] = value;
    }
  }

  #flattened(schema: StructSchema): Flattened {
    let flattened = this.#schemas.get(schema);
    if (!flattened) {
      const fields: Field[] = [];
      const paths: Field[][] = [];
      const defaultValue = isPlainObject(schema.defaultValue) ? schema.defaultValue : undefined;
      this.#flattenSchema(schema, '', schema.optional, defaultValue, [], fields, paths);
      const draft = copySchemaBasics(schema, 'STRUCT');
      draft.fields = Object.freeze(fields);
      flattened = { schema: freeze(draft) as StructSchema, paths };
      this.#schemas.set(schema, flattened);
    }
    return flattened;
  }

  #flattenSchema(
    schema: StructSchema,
    prefix: string,
    optional: boolean,
    parentDefault: Record<string, unknown> | undefined,
    path: readonly Field[],
    fields: Field[],
    paths: Field[][],
  ): void {
    for (const field of schema.fields) {
      const name = this.#name(prefix, field.name);
      const fieldOptional = optional || field.schema.optional;
      const fieldDefault =
        field.schema.defaultValue ??
        (parentDefault ? (parentDefault[field.name] ?? undefined) : undefined);
      switch (field.schema.type) {
        case 'STRUCT':
          this.#flattenSchema(
            field.schema,
            name,
            fieldOptional,
            isPlainObject(fieldDefault) ? fieldDefault : undefined,
            [...path, field],
            fields,
            paths,
          );
          break;
        case 'MAP':
          throw new NonRetriableError(
            `Flatten transformation does not support MAP for record with schemas (for field ${name}).`,
          );
        default: {
          if (fields.some((f) => f.name === name)) {
            throw new NonRetriableError(
              `Cannot create field because of field name duplication ${name}`,
            );
          }
          const draft = copySchemaBasics(field.schema, field.schema.type);
          if (field.schema.type === 'ARRAY') draft.valueSchema = field.schema.valueSchema;
          draft.optional = fieldOptional;
          if (fieldDefault !== undefined && fieldDefault !== null)
            draft.defaultValue = fieldDefault;
          fields.push(Object.freeze({ name, index: fields.length, schema: freeze(draft) }));
          paths.push([...path, field]);
        }
      }
    }
  }
}

function plugin(part: Part): TransformPlugin {
  return {
    type: 'transformation',
    className: `org.apache.kafka.connect.transforms.Flatten$${partSuffix(part)}`,
    aliases: [],
    version: BUILTIN_VERSION,
    ...flattenKeys,
    create: () => new Flatten(part),
  };
}

export const flattenKeyPlugin = plugin('key');
export const flattenValuePlugin = plugin('value');
