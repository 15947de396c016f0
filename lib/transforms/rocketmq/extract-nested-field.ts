import { textValue } from '../../api/config-values.js';
import { NonRetriableError } from '../../api/errors.js';
import { BUILTIN_VERSION } from '../../api/plugin.js';
import { optionalKey, parsePluginConfig, pluginKeys, requiredKey } from '../../api/plugin-keys.js';
import type { ConnectRecord } from '../../api/record.js';
import { fieldOf, type Schema, type StructSchema } from '../../api/schema.js';
import type { Transform, TransformPlugin } from '../../api/transform.js';
import { isPlainObject } from '../requirements.js';
import { type Part, partOf, withPart } from '../schema-util.js';
import { asOptional, className, kindOf, ownerName, structLike } from './part.js';

const field = (documentation: string) =>
  ({ type: 'STRING', importance: 'HIGH', documentation }) as const;

const extractNestedFieldKeys = pluginKeys({
  'input.outer.field.name': requiredKey(
    field(
      'The field holding the nested struct. For example, to extract `address.state`, `address`.',
    ),
    textValue(),
  ),
  'input.inner.field.name': requiredKey(
    field(
      'The field of the nested struct to extract. For example, to extract `address.state`, `state`.',
    ),
    textValue(),
  ),
  'output.field.name': optionalKey(
    field('The new top-level field the extracted value goes into; by default the inner name.'),
    textValue(),
  ),
});

/**
 * RocketMQ Connect's ExtractNestedField$Key / $Value: copies one field of a nested struct (or
 * map) up into a new top-level field, keeping everything else: `{address: {state: 'tx'}}` gains
 * `state: 'tx'`. When the nested struct is null, or may be, the new field is null, or optional.
 */
export class ExtractNestedField implements Transform {
  #outer = '';
  #inner = '';
  #output = '';
  readonly #schemas = new WeakMap<StructSchema, StructSchema>();

  constructor(private readonly part: Part) {}

  configure(config: Readonly<Record<string, string>>): void {
    const parsed = parsePluginConfig(this.#owner(), extractNestedFieldKeys.configSchema, config);
    this.#outer = parsed['input.outer.field.name'];
    this.#inner = parsed['input.inner.field.name'];
    this.#output = parsed['output.field.name'] ?? this.#inner;
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const { value, schema } = partOf(record, this.part);
    const absent = value === null || value === undefined;
    if (schema === undefined) {
      if (absent) return record;
      if (!isPlainObject(value)) {
        throw this.#refuse(`a schemaless ${this.part} must be a map, got ${kindOf(value)}`);
      }
      const nested = value[this.#outer];
      if (nested !== null && nested !== undefined && !isPlainObject(nested)) {
        throw this.#refuse(`field '${this.#outer}' must be a map, got ${kindOf(nested)}`);
      }
      return withPart(record, this.part, undefined, this.#extended(value, nested));
    }
    if (schema.type !== 'STRUCT') {
      if (absent) return record;
      throw this.#refuse(`the ${this.part} must be a struct, its schema is ${schema.type}`);
    }
    const outSchema = this.#schemaOf(schema);
    if (absent) return withPart(record, this.part, outSchema, null);
    if (!isPlainObject(value)) {
      throw this.#refuse(
        `a ${this.part} with a STRUCT schema must be an object, got ${kindOf(value)}`,
      );
    }
    const nested = value[this.#outer];
    if (nested !== null && nested !== undefined && !isPlainObject(nested)) {
      throw this.#refuse(`field '${this.#outer}' must be an object, got ${kindOf(nested)}`);
    }
    return withPart(record, this.part, outSchema, this.#extended(value, nested));
  }

  /** The value with the output field added; never the input object itself. */
  #extended(value: Record<string, unknown>, nested: unknown): Record<string, unknown> {
    if (Object.hasOwn(value, this.#output)) {
      throw this.#refuse(`the ${this.part} already has a field '${this.#output}'`);
    }
    const extracted = isPlainObject(nested) ? (nested[this.#inner] ?? null) : null;
    return Object.fromEntries([...Object.entries(value), [this.#output, extracted]]);
  }

  #schemaOf(schema: StructSchema): StructSchema {
    const cached = this.#schemas.get(schema);
    if (cached) return cached;
    const outer = fieldOf(schema, this.#outer);
    if (!outer) throw this.#refuse(`the ${this.part} has no field '${this.#outer}'`);
    if (outer.schema.type !== 'STRUCT') {
      throw this.#refuse(`field '${this.#outer}' is ${outer.schema.type}, not a STRUCT`);
    }
    const inner = fieldOf(outer.schema, this.#inner);
    if (!inner) throw this.#refuse(`field '${this.#outer}' has no field '${this.#inner}'`);
    if (fieldOf(schema, this.#output)) {
      throw this.#refuse(`the ${this.part} already has a field '${this.#output}'`);
    }
    // Null whenever the nested struct is: optional then, whatever the inner field says.
    const extracted: Schema = outer.schema.optional ? asOptional(inner.schema) : inner.schema;
    const fields = schema.fields.map((f) => [f.name, f.schema] as const);
    const out = structLike(this.#owner(), schema, [...fields, [this.#output, extracted]]);
    this.#schemas.set(schema, out);
    return out;
  }

  #refuse(why: string): NonRetriableError {
    return new NonRetriableError(`${this.#owner()}: ${why}`);
  }

  #owner(): string {
    return ownerName('ExtractNestedField', this.part);
  }
}

function plugin(part: Part): TransformPlugin {
  return {
    type: 'transformation',
    className: className('ExtractNestedField', part),
    aliases: [],
    version: BUILTIN_VERSION,
    ...extractNestedFieldKeys,
    create: () => new ExtractNestedField(part),
  };
}

export const extractNestedFieldKeyPlugin = plugin('key');
export const extractNestedFieldValuePlugin = plugin('value');
