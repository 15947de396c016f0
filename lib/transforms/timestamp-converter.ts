import { z } from 'zod';
import { ConfigError, NonRetriableError } from '../api/errors.js';
import { BUILTIN_VERSION } from '../api/plugin.js';
import { defaultedKey, parsePluginConfig, pluginKeys, requiredKey } from '../api/plugin-keys.js';
import type { ConnectRecord } from '../api/record.js';
import { LogicalType, type Schema, Schemas, type StructSchema } from '../api/schema.js';
import { SchemaBuilder } from '../api/schema-builder.js';
import type { Transform, TransformPlugin } from '../api/transform.js';
import {
  compileDateFormat,
  compileDateParser,
  type DateFormatter,
  type DateParser,
  DatePatternError,
  UnsupportedPatternError,
} from './date-format.js';
import { int64 } from './java-cast.js';
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
  schemaText,
  withPart,
} from './schema-util.js';

const TYPES = ['string', 'unix', 'Date', 'Time', 'Timestamp'] as const;
type TimestampType = (typeof TYPES)[number];
const PRECISIONS = ['nanoseconds', 'microseconds', 'milliseconds', 'seconds'] as const;
type Precision = (typeof PRECISIONS)[number];

/** Kafka's `ValidString.in`: one of the words, exactly (case counts), its message. */
function oneOf<const T extends readonly string[]>(values: T) {
  return z.string().transform((raw, ctx): T[number] => {
    const text = raw.trim();
    if (values.includes(text)) return text;
    ctx.addIssue({ code: 'custom', message: `String must be one of: ${values.join(', ')}` });
    return z.NEVER;
  });
}

const timestampConverterKeys = pluginKeys({
  field: defaultedKey(
    {
      type: 'STRING',
      importance: 'HIGH',
      documentation:
        'The field containing the timestamp, or empty if the entire value is a timestamp',
    },
    '',
    z.string().trim(),
  ),
  'target.type': requiredKey(
    {
      type: 'STRING',
      importance: 'HIGH',
      documentation: 'The desired timestamp representation: string, unix, Date, Time, or Timestamp',
    },
    oneOf(TYPES),
  ),
  format: defaultedKey(
    {
      type: 'STRING',
      importance: 'MEDIUM',
      documentation:
        'A SimpleDateFormat-compatible format for the timestamp. Used to generate the output when type=string or used to parse the input if the input is a string. Dates are in UTC; the week-based letters Y, w, W and F are not supported.',
    },
    '',
    z.string().trim(),
  ),
  'unix.precision': defaultedKey(
    {
      type: 'STRING',
      importance: 'LOW',
      documentation:
        'The desired Unix precision for the timestamp: seconds, milliseconds, microseconds, or nanoseconds. Used to generate the output when type=unix or used to parse the input if the input is a Long.Note: This SMT will cause precision loss during conversions from, and to, values with sub-millisecond components.',
    },
    'milliseconds',
    oneOf(PRECISIONS),
  ),
  'replace.null.with.default': replaceNullWithDefaultKey(),
});

const PURPOSE = 'converting timestamp formats';
const DAY_MS = 86_400_000;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
/** Per unit of `unix.precision`: how many of it make a millisecond, or a millisecond holds. */
const PER_MILLI: Record<Precision, { readonly times?: bigint; readonly per?: bigint }> = {
  seconds: { per: 1000n },
  milliseconds: {},
  microseconds: { times: 1000n },
  nanoseconds: { times: 1_000_000n },
};

function typeSchema(type: TimestampType, optional: boolean): Schema {
  switch (type) {
    case 'string':
      return optional ? Schemas.OPTIONAL_STRING : Schemas.STRING;
    case 'unix':
      return optional ? Schemas.OPTIONAL_INT64 : Schemas.INT64;
    case 'Date':
      return optional ? OPTIONAL_DATE : Schemas.DATE;
    case 'Time':
      return optional ? OPTIONAL_TIME : Schemas.TIME;
    case 'Timestamp':
      return optional ? OPTIONAL_TIMESTAMP : Schemas.TIMESTAMP;
  }
}
const OPTIONAL_DATE = SchemaBuilder.date().optional().build();
const OPTIONAL_TIME = SchemaBuilder.time().optional().build();
const OPTIONAL_TIMESTAMP = SchemaBuilder.timestamp().optional().build();

/** Java's `(long)` saturating arithmetic of `TimeUnit`. */
const saturated = (n: bigint) => (n > LONG_MAX ? LONG_MAX : n < LONG_MIN ? LONG_MIN : n);

/**
 * Kafka's TimestampConverter$Key / $Value: a timestamp (the whole key or value, or one field of
 * a struct or map) converted between text in a `format` (Java's SimpleDateFormat at UTC), Unix
 * time in `unix.precision`, and Connect's Date, Time and Timestamp. The source kind comes from
 * the schema, or without one from the value (text, a whole number, a Date).
 */
export class TimestampConverter implements Transform {
  #field = '';
  #type: TimestampType = 'Timestamp';
  /** The `format` pattern, compiled both ways. */
  #format?: { readonly pattern: string; format: DateFormatter; parse: DateParser };
  #precision: Precision = 'milliseconds';
  #replaceNullWithDefault = true;
  readonly #schemas = new WeakMap<Schema, StructSchema>();

  constructor(private readonly part: Part) {}

  configure(config: Readonly<Record<string, string>>): void {
    const owner = `TimestampConverter$${partSuffix(this.part)}`;
    const parsed = parsePluginConfig(owner, timestampConverterKeys.configSchema, config);
    const pattern = parsed.format;
    if (parsed['target.type'] === 'string' && pattern === '') {
      throw new ConfigError(
        'format',
        `${owner}: TimestampConverter requires format option to be specified when using string timestamps`,
      );
    }
    this.#format = undefined;
    if (pattern !== '') {
      try {
        this.#format = {
          pattern,
          format: compileDateFormat(pattern),
          parse: compileDateParser(pattern),
        };
      } catch (err) {
        if (err instanceof DatePatternError) {
          throw new ConfigError(
            'format',
            `${owner}: TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: ${pattern} (format: ${err.message})`,
            { cause: err },
          );
        }
        if (err instanceof UnsupportedPatternError) {
          throw new ConfigError('format', `${owner}: format ${pattern}: ${err.message} here`, {
            cause: err,
          });
        }
        throw err;
      }
    }
    this.#field = parsed.field;
    this.#type = parsed['target.type'];
    this.#precision = parsed['unix.precision'];
    this.#replaceNullWithDefault = parsed['replace.null.with.default'];
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const { value = null, schema } = partOf(record, this.part);
    if (schema === undefined) {
      if (value === null || this.#field === '') {
        return withPart(record, this.part, undefined, this.#convert(value));
      }
      const map = requireMap(value, PURPOSE);
      if (map instanceof Map) {
        const updated = new Map(map);
        updated.set(this.#field, this.#convert(map.get(this.#field) ?? null));
        return withPart(record, this.part, undefined, updated);
      }
      const updated = { ...map, [this.#field]: this.#convert(map[this.#field] ?? null) };
      return withPart(record, this.part, undefined, updated);
    }
    if (this.#field === '') {
      const converted = this.#convert(value, sourceType(schema));
      return withPart(record, this.part, typeSchema(this.#type, schema.optional), converted);
    }
    const struct = value === null ? null : requireStruct(value, schema, PURPOSE);
    const updatedSchema = this.#updatedSchema(schema);
    const updated = this.#updatedStruct(struct, schema as StructSchema, updatedSchema);
    return withPart(record, this.part, updatedSchema, updated);
  }

  #updatedSchema(schema: Schema): StructSchema {
    const cached = this.#schemas.get(schema);
    if (cached) return cached;
    if (schema.type !== 'STRUCT')
      throw new NonRetriableError('Cannot list fields on non-struct type');
    const draft = copySchemaBasics(schema, 'STRUCT');
    draft.fields = schema.fields.map((field) =>
      field.name === this.#field
        ? Object.freeze({ ...field, schema: typeSchema(this.#type, field.schema.optional) })
        : field,
    );
    draft.optional = schema.optional;
    let updated = freeze(draft) as StructSchema;
    if (isPlainObject(schema.defaultValue)) {
      draft.defaultValue = this.#updatedStruct(schema.defaultValue, schema, updated);
      updated = freeze(draft) as StructSchema;
    }
    this.#schemas.set(schema, updated);
    return updated;
  }

  /** Kafka's `applyValueWithSchema`: the struct with its field converted. */
  #updatedStruct(
    struct: Readonly<Record<string, unknown>> | null,
    original: StructSchema,
    updatedSchema: StructSchema,
  ): Record<string, unknown> | null {
    if (struct === null) return null;
    const out: Record<string, unknown> = {};
    for (const field of original.fields) {
      const v = fieldValue(struct, field, this.#replaceNullWithDefault);
      const updated = field.name === this.#field ? this.#convert(v, sourceType(field.schema)) : v;
      checkNotNull(updatedSchema.fields[field.index]!, updated);
      out[field.name] = updated;
    }
    return out;
  }

  /** Kafka's `convertTimestamp`: null stays null; the source kind given or inferred. */
  #convert(value: unknown, source?: TimestampType): unknown {
    if (value === null || value === undefined) return null;
    const raw = this.#toRaw(value, source ?? inferredType(value));
    return this.#toType(raw);
  }

  #toRaw(value: unknown, source: TimestampType): Date {
    switch (source) {
      case 'string': {
        if (typeof value !== 'string') {
          throw new NonRetriableError(
            `Expected string timestamp to be a String, but found ${javaClass(value)}`,
          );
        }
        if (this.#format === undefined) {
          // Kafka calls the missing format and fails with a NullPointerException.
          throw new NonRetriableError(
            'Cannot invoke "java.text.SimpleDateFormat.parse(String)" because "config.format" is null',
          );
        }
        const date = this.#format.parse(value);
        if (date === undefined) {
          throw new NonRetriableError(
            `Could not parse timestamp: value (${value}) does not match pattern (${this.#format.pattern})`,
          );
        }
        return date;
      }
      case 'unix': {
        if (typeof value !== 'bigint' && !(typeof value === 'number' && Number.isInteger(value))) {
          throw new NonRetriableError(
            `Expected Unix timestamp to be a Long, but found ${javaClass(value)}`,
          );
        }
        const { times, per } = PER_MILLI[this.#precision];
        const n = BigInt(value);
        const ms = per !== undefined ? saturated(n * per) : times !== undefined ? n / times : n;
        const date = new Date(Number(ms));
        if (Number.isNaN(date.getTime())) {
          throw new NonRetriableError(
            `Unix timestamp ${n} is beyond the dates this platform holds`,
          );
        }
        return date;
      }
      default:
        if (!(value instanceof Date)) {
          throw new NonRetriableError(
            `Expected ${source} to be a java.util.Date, but found ${javaClass(value)}`,
          );
        }
        return value;
    }
  }

  #toType(date: Date): unknown {
    const ms = date.getTime();
    switch (this.#type) {
      case 'string':
        return this.#format!.format(date.getTime());
      case 'unix': {
        const { times, per } = PER_MILLI[this.#precision];
        const n = BigInt(ms);
        return int64(per !== undefined ? n / per : times !== undefined ? saturated(n * times) : n);
      }
      case 'Date':
        return new Date(Math.floor(ms / DAY_MS) * DAY_MS);
      case 'Time':
        return new Date(((ms % DAY_MS) + DAY_MS) % DAY_MS);
      case 'Timestamp':
        return date;
    }
  }
}

/** Kafka's `timestampTypeFromSchema`. */
function sourceType(schema: Schema): TimestampType {
  switch (schema.name) {
    case LogicalType.TIMESTAMP:
      return 'Timestamp';
    case LogicalType.DATE:
      return 'Date';
    case LogicalType.TIME:
      return 'Time';
  }
  if (schema.type === 'STRING') return 'string';
  if (schema.type === 'INT64') return 'unix';
  throw new NonRetriableError(
    `Schema ${schemaText(schema)} does not correspond to a known timestamp type format`,
  );
}

/** Kafka's `inferTimestampType`: a Date is a Timestamp, a whole number Unix time, text a string. */
function inferredType(value: unknown): TimestampType {
  if (value instanceof Date) return 'Timestamp';
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value))) {
    return 'unix';
  }
  if (typeof value === 'string') return 'string';
  throw new NonRetriableError(
    `TimestampConverter does not support ${javaClass(value)} objects as timestamps`,
  );
}

function plugin(part: Part): TransformPlugin {
  return {
    type: 'transformation',
    className: `org.apache.kafka.connect.transforms.TimestampConverter$${partSuffix(part)}`,
    aliases: [],
    version: BUILTIN_VERSION,
    ...timestampConverterKeys,
    create: () => new TimestampConverter(part),
  };
}

export const timestampConverterKeyPlugin = plugin('key');
export const timestampConverterValuePlugin = plugin('value');
