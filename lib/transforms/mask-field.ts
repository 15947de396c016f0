import { z } from 'zod';
import { NonRetriableError } from '../api/errors.js';
import { BUILTIN_VERSION } from '../api/plugin.js';
import { optionalKey, parsePluginConfig, pluginKeys, requiredKey } from '../api/plugin-keys.js';
import type { ConnectRecord } from '../api/record.js';
import { decimalScale, LogicalType, type Schema, type StructSchema } from '../api/schema.js';
import type { Transform, TransformPlugin } from '../api/transform.js';
import { kafkaListValue } from './kafka-lists.js';
import { javaClassOf, requireMap, requireStruct } from './requirements.js';
import {
  fieldValue,
  type Part,
  partOf,
  partSuffix,
  replaceNullWithDefaultKey,
  withPart,
} from './schema-util.js';
import { doubleValue, longValue } from './java-cast.js';
import { parseBigDecimal } from './value-parser.js';

const maskFieldKeys = pluginKeys({
  fields: requiredKey(
    { type: 'LIST', importance: 'HIGH', documentation: 'Names of fields to mask.' },
    kafkaListValue({ emptyAllowed: false }),
  ),
  replacement: optionalKey(
    {
      type: 'STRING',
      importance: 'LOW',
      documentation:
        "Custom value replacement, that will be applied to all 'fields' values (numeric or non-empty string values only).",
    },
    z.string().trim().min(1, { error: 'String must be non-empty' }),
  ),
  'replace.null.with.default': replaceNullWithDefaultKey(),
});

const PURPOSE = 'mask fields';
const INT_BITS = { INT8: 8, INT16: 16, INT32: 32, INT64: 64 } as const;

/**
 * Kafka's MaskField$Key / $Value: the listed fields of a struct (or schemaless map) become their
 * type's empty value (0, false, "", an empty list or map, the epoch), or `replacement` parsed as
 * the field's type. A null field stays null; a schemaless map gains listed fields it lacks, as
 * null, as Kafka's does.
 */
export class MaskField implements Transform {
  #fields = new Set<string>();
  #replacement: string | undefined;
  #replaceNullWithDefault = true;

  constructor(private readonly part: Part) {}

  configure(config: Readonly<Record<string, string>>): void {
    const parsed = parsePluginConfig(this.#owner(), maskFieldKeys.configSchema, config);
    this.#fields = new Set(parsed.fields);
    this.#replacement = parsed.replacement;
    this.#replaceNullWithDefault = parsed['replace.null.with.default'];
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const { value, schema } = partOf(record, this.part);
    if (schema === undefined) {
      const map = requireMap(value, PURPOSE);
      const updated: Record<string, unknown> =
        map instanceof Map
          ? Object.fromEntries(map as Map<PropertyKey, unknown>)
          : Object.assign({}, map);
      for (const field of this.#fields) updated[field] = this.#masked(undefined, updated[field]);
      return withPart(record, this.part, schema, updated);
    }
    const struct = requireStruct(value, schema, PURPOSE);
    const updated: Record<string, unknown> = {};
    // requireStruct has checked that the schema is a STRUCT's.
    for (const field of (schema as StructSchema).fields) {
      const original = fieldValue(struct, field, this.#replaceNullWithDefault);
      updated[field.name] = this.#fields.has(field.name)
        ? this.#masked(field.schema, original)
        : original;
    }
    return withPart(record, this.part, schema, updated);
  }

  #masked(schema: Schema | undefined, value: unknown): unknown {
    if (value === null || value === undefined) return null;
    return this.#replacement === undefined
      ? emptyValue(schema, value)
      : replacementValue(schema, value, this.#replacement);
  }

  #owner(): string {
    return `MaskField$${partSuffix(this.part)}`;
  }
}

/** Kafka's `maskWithNullValue`: the type's empty value, or its refusal. */
function emptyValue(schema: Schema | undefined, value: unknown): unknown {
  const javaClass = javaClassIn(schema, value);
  switch (javaClass) {
    case 'java.lang.Boolean':
      return false;
    case 'java.lang.String':
      return '';
    case 'java.util.Date':
      return new Date(0);
    case 'java.math.BigDecimal':
      return decimal(schema, 0n, 0);
    case 'java.util.ArrayList':
      return [];
    case 'java.util.HashMap':
      return {};
    case '[B':
    case 'org.apache.kafka.connect.data.Struct':
      throw new NonRetriableError(`Cannot mask value of type: class ${javaClass}`);
    default:
      // Long and Double: without a schema a JavaScript number says which by being whole.
      return javaClass === 'java.lang.Long' && typeof value === 'bigint' ? 0n : 0;
  }
}

/** Kafka's `maskWithCustomReplacement`: the text as the field's type (Values.convertTo*). */
function replacementValue(
  schema: Schema | undefined,
  value: unknown,
  replacement: string,
): unknown {
  const javaClass = javaClassIn(schema, value);
  if (javaClass === 'java.lang.String') return replacement;
  const number = parseBigDecimal(replacement);
  if (javaClass === 'java.math.BigDecimal') {
    if (!number) {
      throw new NonRetriableError(
        `Unable to convert ${replacement} (class java.lang.String) to number`,
      );
    }
    return decimal(schema, number.unscaled, number.scale);
  }
  const type = NUMBER_TYPES[javaClass];
  if (type === undefined) {
    throw new NonRetriableError(
      `Cannot mask value of type class ${javaClass} with custom replacement.`,
    );
  }
  if (!number) {
    throw new NonRetriableError(
      `Unable to convert ${replacement} (class java.lang.String) to a number`,
    );
  }
  if (type === 'FLOAT32') return Math.fround(doubleValue(number));
  if (type === 'FLOAT64') return doubleValue(number);
  const n = BigInt.asIntN(INT_BITS[type], longValue(number));
  return type === 'INT64' && !Number.isSafeInteger(Number(n)) ? n : Number(n);
}

/** The Java class of a field's value; a Decimal may be held as text, still a BigDecimal. */
function javaClassIn(schema: Schema | undefined, value: unknown): string {
  return schema?.name === LogicalType.DECIMAL ? 'java.math.BigDecimal' : javaClassOf(value, schema);
}

const NUMBER_TYPES: Partial<
  Record<string, 'INT8' | 'INT16' | 'INT32' | 'INT64' | 'FLOAT32' | 'FLOAT64'>
> = {
  'java.lang.Byte': 'INT8',
  'java.lang.Short': 'INT16',
  'java.lang.Integer': 'INT32',
  'java.lang.Long': 'INT64',
  'java.lang.Float': 'FLOAT32',
  'java.lang.Double': 'FLOAT64',
};

/**
 * A BigDecimal for a Decimal field. Kafka puts it in the struct whatever its scale, and its
 * JsonConverter then refuses a scale other than the schema's; our values carry their scale, so
 * the record fails here, with the converter's message.
 */
function decimal(schema: Schema | undefined, unscaled: bigint, scale: number): unknown {
  const expected = schema?.name === LogicalType.DECIMAL ? decimalScale(schema) : scale;
  if (expected !== scale) {
    throw new NonRetriableError(
      `Decimal value has mismatching scale for given Decimal schema. Schema has scale ${expected}, value has scale ${scale}.`,
    );
  }
  return { unscaled, scale };
}

function plugin(part: Part): TransformPlugin {
  return {
    type: 'transformation',
    className: `org.apache.kafka.connect.transforms.MaskField$${partSuffix(part)}`,
    aliases: [],
    version: BUILTIN_VERSION,
    ...maskFieldKeys,
    create: () => new MaskField(part),
  };
}

export const maskFieldKeyPlugin = plugin('key');
export const maskFieldValuePlugin = plugin('value');
