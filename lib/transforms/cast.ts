import { z } from 'zod';
import { NonRetriableError } from '../api/errors.js';
import { BUILTIN_VERSION } from '../api/plugin.js';
import { parsePluginConfig, pluginKeys, requiredKey } from '../api/plugin-keys.js';
import type { ConnectRecord } from '../api/record.js';
import {
  decimalScale,
  type DecimalValue,
  type Field,
  LogicalType,
  type Schema,
  type SchemaType,
} from '../api/schema.js';
import type { Transform, TransformPlugin } from '../api/transform.js';
import {
  castJava,
  type CastTarget,
  type JavaPrimitive,
  JavaNumberFormatError,
} from './java-cast.js';
import { isPlainObject, requireMap, requireStruct } from './requirements.js';
import {
  checkNotNull,
  copySchemaBasics,
  fieldValue,
  freeze,
  javaClass,
  type Part,
  partOf,
  partSuffix,
  replaceNullWithDefaultKey,
  type SchemaDraft,
  withPart,
} from './schema-util.js';

const INPUT_TYPES: readonly SchemaType[] = [
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FLOAT32',
  'FLOAT64',
  'BOOLEAN',
  'STRING',
  'BYTES',
];
const OUTPUT_TYPES = INPUT_TYPES.filter((type): type is CastTarget => type !== 'BYTES');
const ALL_TYPES: readonly string[] = [...INPUT_TYPES, 'ARRAY', 'MAP', 'STRUCT'];

/** What `spec` says: one type for the whole key or value, or a type per field. */
interface CastSpec {
  readonly whole?: CastTarget;
  readonly fields: ReadonlyMap<string, CastTarget>;
}

/** The type a spec names, or Kafka's message refusing it. */
function targetType(raw: string): { type: CastTarget } | { problem: string } {
  const name = raw.trim().toUpperCase();
  if (!ALL_TYPES.includes(name))
    return { problem: `Invalid type found in casting spec: ${raw.trim()}` };
  const type = OUTPUT_TYPES.find((t) => t === name);
  if (type === undefined) {
    return {
      problem: `Cast transformation does not support casting to ${name}; supported types are [${OUTPUT_TYPES.join(', ')}]`,
    };
  }
  return { type };
}

/** Kafka's `parseFieldTypes`, with its LIST parsing (blank items kept) and its messages. */
function castSpec() {
  return z.string().transform((raw, ctx): CastSpec => {
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    const trimmed = raw.trim();
    const mappings = trimmed === '' ? [] : trimmed.split(/\s*,\s*/);
    if (mappings.length === 0) return fail('Must specify at least one field to cast.');
    let whole: CastTarget | undefined;
    const fields = new Map<string, CastTarget>();
    for (const mapping of mappings) {
      // Java's split drops trailing empty parts: "a:" is a one-part mapping.
      const parts = mapping.split(':');
      while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
      if (parts.length > 2) {
        // Kafka names ReplaceField's key here, a slip of its own.
        return fail(`Invalid rename mapping: ${mapping} (Kafka's message names "renames")`);
      }
      const found = targetType(parts.length === 2 ? parts[1]! : (parts[0] ?? ''));
      if ('problem' in found) return fail(found.problem);
      if (parts.length === 2) fields.set(parts[0]!.trim(), found.type);
      else whole = found.type;
    }
    if (whole !== undefined && mappings.length > 1) {
      return fail(
        'Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec',
      );
    }
    return { ...(whole !== undefined && { whole }), fields };
  });
}

const castKeys = pluginKeys({
  spec: requiredKey(
    {
      type: 'LIST',
      importance: 'HIGH',
      documentation:
        'List of fields and the type to cast them to of the form field1:type,field2:type to cast fields of Maps or Structs. A single type to cast the entire value. Valid types are int8, int16, int32, int64, float32, float64, boolean, and string. Note that binary fields can only be cast to string.',
    },
    castSpec(),
  ),
  'replace.null.with.default': replaceNullWithDefaultKey(),
});

const PURPOSE = 'cast types';

/**
 * Kafka's Cast$Key / $Value: the whole key or value, or some top-level fields of a struct or
 * map, cast to another primitive type as Java casts (integers wrap, text is parsed, anything
 * becomes text, bytes become base64 text). Logical values cast to numbers as their encoding
 * (days, milliseconds), to text as ISO-8601; a Decimal as its number. A whole-value cast keeps
 * the schema's name and parameters, as Kafka's does. A null key or value passes unchanged.
 */
export class Cast implements Transform {
  #spec: CastSpec = { fields: new Map() };
  #replaceNullWithDefault = true;
  readonly #schemas = new WeakMap<Schema, Schema>();

  constructor(private readonly part: Part) {}

  configure(config: Readonly<Record<string, string>>): void {
    const parsed = parsePluginConfig(
      `Cast$${partSuffix(this.part)}`,
      castKeys.configSchema,
      config,
    );
    this.#spec = parsed.spec;
    this.#replaceNullWithDefault = parsed['replace.null.with.default'];
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const { value = null, schema } = partOf(record, this.part);
    if (value === null) return record;
    const { whole, fields } = this.#spec;
    if (schema === undefined) {
      if (whole !== undefined)
        return withPart(record, this.part, undefined, cast(undefined, value, whole));
      const map = requireMap(value, PURPOSE);
      const get = (k: string) => (map instanceof Map ? map.get(k) : map[k]) ?? null;
      const updated: Record<string, unknown> | Map<unknown, unknown> =
        map instanceof Map ? new Map(map) : Object.assign({}, map);
      for (const [field, type] of fields) {
        const v = cast(undefined, get(field), type);
        if (updated instanceof Map) updated.set(field, v);
        else updated[field] = v;
      }
      return withPart(record, this.part, undefined, updated);
    }
    const updatedSchema = this.#updatedSchema(schema);
    if (whole !== undefined)
      return withPart(record, this.part, updatedSchema, cast(schema, value, whole));
    const struct = requireStruct(value, schema, PURPOSE);
    const out: Record<string, unknown> = {};
    for (const field of (updatedSchema as { fields: readonly Field[] }).fields) {
      const original = (schema as { fields: readonly Field[] }).fields[field.index]!;
      const v = fieldValue(struct, original, this.#replaceNullWithDefault);
      const type = fields.get(field.name);
      const updated = type !== undefined ? cast(original.schema, v, type) : v;
      checkNotNull(field, updated);
      out[field.name] = updated;
    }
    return withPart(record, this.part, updatedSchema, out);
  }

  #updatedSchema(schema: Schema): Schema {
    const cached = this.#schemas.get(schema);
    if (cached) return cached;
    const { whole, fields } = this.#spec;
    let draft: SchemaDraft;
    if (whole !== undefined) draft = copySchemaBasics(schema, whole);
    else {
      if (schema.type !== 'STRUCT') {
        throw new NonRetriableError('Cannot list fields on non-struct type');
      }
      draft = copySchemaBasics(schema, 'STRUCT');
      draft.fields = schema.fields.map((field) => {
        const type = fields.get(field.name);
        if (type === undefined) return field;
        const casted: SchemaDraft = { type, optional: field.schema.optional };
        const defaultValue = field.schema.defaultValue;
        if (defaultValue !== undefined && defaultValue !== null) {
          casted.defaultValue = cast(field.schema, defaultValue, type);
        }
        return Object.freeze({ ...field, schema: freeze(casted) });
      });
    }
    draft.optional = schema.optional;
    if (schema.defaultValue !== undefined && schema.defaultValue !== null) {
      draft.defaultValue =
        whole !== undefined ? cast(schema, schema.defaultValue, whole) : schema.defaultValue;
    }
    const updated = freeze(draft);
    this.#schemas.set(schema, updated);
    return updated;
  }
}

/** Kafka's `castValueToType`: null stays null; the schema (or, without one, the value) decides. */
function cast(schema: Schema | undefined, value: unknown, target: CastTarget): unknown {
  if (value === null || value === undefined) return null;
  const java = schema ? withSchema(schema, value, target) : inferred(value);
  try {
    return castJava(java, target);
  } catch (err) {
    if (!(err instanceof JavaNumberFormatError)) throw err;
    throw new NonRetriableError(
      // Only text fails to parse, so the value is a string.
      `Value (${value as string}) was out of range for requested data type`,
      { cause: err },
    );
  }
}

function unsupportedInput(type: SchemaType): never {
  throw new NonRetriableError(
    `Cast transformation does not support casting from ${type}; supported types are [${INPUT_TYPES.join(', ')}]`,
  );
}

function withSchema(schema: Schema, value: unknown, target: CastTarget): JavaPrimitive {
  if (!INPUT_TYPES.includes(schema.type)) unsupportedInput(schema.type);
  // Logical values are encoded (days, milliseconds) unless they become text.
  if (value instanceof Date) {
    const ms = value.getTime();
    if (target === 'STRING') return { t: 'date', ms };
    switch (schema.name) {
      case LogicalType.DATE:
        return { t: 'int', v: BigInt(Math.floor(ms / 86_400_000)) };
      case LogicalType.TIME:
        return { t: 'int', v: BigInt(ms) };
      default:
        return { t: 'int', v: BigInt(ms) };
    }
  }
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
      return { t: 'int', v: BigInt(value as number | bigint) };
    case 'FLOAT32':
    case 'FLOAT64':
      return { t: schema.type === 'FLOAT32' ? 'float' : 'double', v: value as number };
    case 'BOOLEAN':
      return { t: 'bool', v: value as boolean };
    case 'STRING':
      return { t: 'string', v: value as string };
    default: {
      const scale = decimalScale(schema);
      if (scale === undefined) return { t: 'bytes', v: value as Uint8Array };
      const decimal = value as DecimalValue | string;
      return typeof decimal === 'string'
        ? { t: 'string', v: decimal }
        : { t: 'decimal', unscaled: decimal.unscaled, scale: decimal.scale };
    }
  }
}

/** The Java class a schemaless value has (`ConnectSchema.schemaType`), as JsonConverter reads. */
function inferred(value: unknown): JavaPrimitive {
  if (typeof value === 'bigint') return { t: 'int', v: value };
  if (typeof value === 'number') {
    return Number.isInteger(value) ? { t: 'int', v: BigInt(value) } : { t: 'double', v: value };
  }
  if (typeof value === 'boolean') return { t: 'bool', v: value };
  if (typeof value === 'string') return { t: 'string', v: value };
  if (value instanceof Uint8Array) return { t: 'bytes', v: value };
  if (Array.isArray(value)) unsupportedInput('ARRAY');
  if (value instanceof Map || (isPlainObject(value) && typeof value.unscaled !== 'bigint')) {
    unsupportedInput('MAP');
  }
  throw new NonRetriableError(
    `Cast transformation was passed a value of type ${javaClass(value)} which is not supported by Connect's data API`,
  );
}

function plugin(part: Part): TransformPlugin {
  return {
    type: 'transformation',
    className: `org.apache.kafka.connect.transforms.Cast$${partSuffix(part)}`,
    aliases: [],
    version: BUILTIN_VERSION,
    ...castKeys,
    create: () => new Cast(part),
  };
}

export const castKeyPlugin = plugin('key');
export const castValuePlugin = plugin('value');
