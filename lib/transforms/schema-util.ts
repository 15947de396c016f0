/**
 * What several of Kafka's transforms share (its `SchemaUtil`, `Struct.get`, the Key / Value
 * split): schemas copied with their name, version, doc and parameters, struct fields read with
 * or without their default, and the part of a record a transform works on.
 */
import { boolValue } from '../api/config-values.js';
import { NonRetriableError } from '../api/errors.js';
import { defaultedKey } from '../api/plugin-keys.js';
import type { ConnectRecord } from '../api/record.js';
import type { Field, Schema, SchemaType } from '../api/schema.js';
import { SchemaBuilder } from '../api/schema-builder.js';
import { javaClassOf } from './requirements.js';

/** Which half of a record a `$Key` or `$Value` transform works on. */
export type Part = 'key' | 'value';

/** `Key` or `Value`, for class names and messages. */
export function partSuffix(part: Part): 'Key' | 'Value' {
  return part === 'key' ? 'Key' : 'Value';
}

/** The key or the value of a record, with its schema. */
export function partOf(
  record: ConnectRecord,
  part: Part,
): { readonly value: unknown; readonly schema: Schema | undefined } {
  return part === 'key'
    ? { value: record.key, schema: record.keySchema }
    : { value: record.value, schema: record.valueSchema };
}

/** A copy of the record with its key or value (and that one's schema) replaced. */
export function withPart<R extends ConnectRecord>(
  record: R,
  part: Part,
  schema: Schema | undefined,
  value: unknown,
): R {
  // Object.assign, not a spread with the schema key after it: V8's spread falls off its fast
  // path when that key is new to the record (a schemaless record has none), 4-6x slower.
  return Object.assign(
    {},
    record,
    part === 'key' ? { key: value, keySchema: schema } : { value, valueSchema: schema },
  );
}

/** A mutable schema under construction; `freeze` makes it one. */
export interface SchemaDraft {
  type: SchemaType;
  optional: boolean;
  defaultValue?: unknown;
  name?: string;
  version?: number;
  doc?: string;
  parameters?: Readonly<Record<string, string>>;
  keySchema?: Schema;
  valueSchema?: Schema;
  fields?: readonly Field[];
}

/**
 * Kafka's `SchemaUtil.copySchemaBasics`: a new schema of `type` with the source's name, version,
 * doc and parameters, required and without a default (callers add those as Kafka does).
 */
export function copySchemaBasics(source: Schema, type: SchemaType): SchemaDraft {
  return {
    type,
    optional: false,
    ...(source.name !== undefined && { name: source.name }),
    ...(source.version !== undefined && { version: source.version }),
    ...(source.doc !== undefined && { doc: source.doc }),
    ...(source.parameters && { parameters: source.parameters }),
  };
}

/**
 * Kafka's `SchemaUtil.copySchemaBasics(source, SchemaBuilder.struct())`: a struct builder with the
 * source's name, version, doc and parameters, required, without a default or fields.
 */
export function structBuilderLike(source: Schema): SchemaBuilder<'STRUCT'> {
  const builder = SchemaBuilder.struct();
  if (source.name !== undefined) builder.name(source.name);
  if (source.version !== undefined) builder.version(source.version);
  if (source.doc !== undefined) builder.doc(source.doc);
  for (const [k, v] of Object.entries(source.parameters ?? {})) builder.parameter(k, v);
  return builder;
}

/** A finished schema from a draft. Built directly: a default may not fit a kept logical name. */
export function freeze(draft: SchemaDraft): Schema {
  return Object.freeze({ ...draft }) as Schema;
}

/**
 * Kafka's `replace.null.with.default` key: whether a null field reads as its default
 * (`fieldValue`). Kafka's ExtractField and ValueToKey word its documentation their own way.
 */
export function replaceNullWithDefaultKey(
  documentation = 'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.',
) {
  return defaultedKey(
    { type: 'BOOLEAN', importance: 'MEDIUM', documentation },
    'true',
    boolValue(),
  );
}

/** Kafka's `Struct.get(field)` (a null field reads as its default) or `getWithoutDefault`. */
export function fieldValue(
  struct: Readonly<Record<string, unknown>>,
  field: Field,
  replaceNullWithDefault: boolean,
): unknown {
  const raw = struct[field.name] ?? null;
  return raw === null && replaceNullWithDefault ? (field.schema.defaultValue ?? null) : raw;
}

/**
 * Kafka's `Struct.put` check of a null: a required field must hold a value (its default is only
 * used when reading).
 */
export function checkNotNull(field: Field, value: unknown): void {
  if ((value === null || value === undefined) && !field.schema.optional) {
    throw new NonRetriableError(
      `Invalid value: null used for required field: "${field.name}", schema type: ${field.schema.type}`,
    );
  }
}

/** Kafka's `Schema.toString`: `Schema{name:TYPE}` or `Schema{TYPE}`. */
export function schemaText(schema: Schema): string {
  return schema.name !== undefined
    ? `Schema{${schema.name}:${schema.type}}`
    : `Schema{${schema.type}}`;
}

/** What Java's `value.getClass()` prints (`class java.lang.Integer`), the schema telling widths. */
export function javaClass(value: unknown, schema?: Schema): string {
  return `class ${javaClassOf(value, schema)}`;
}
