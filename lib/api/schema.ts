/**
 * Kafka Connect's data schemas, as plain immutable objects. Build them with `SchemaBuilder`
 * (schema-builder.ts) or take a ready one from `Schemas`; check values with `validateValue`
 * (schema-validation.ts), which documents how each type is held in JavaScript.
 */

export type PrimitiveType =
  'INT8' | 'INT16' | 'INT32' | 'INT64' | 'FLOAT32' | 'FLOAT64' | 'BOOLEAN' | 'STRING' | 'BYTES';

export type SchemaType = PrimitiveType | 'ARRAY' | 'MAP' | 'STRUCT';

/** What every schema has, whatever its type. */
export interface SchemaBase {
  readonly optional: boolean;
  /** Used when a value is null or absent; checked against the schema when built. */
  readonly defaultValue?: unknown;
  /** Names a logical type (e.g. `org.apache.kafka.connect.data.Date`) or a record type. */
  readonly name?: string;
  readonly version?: number;
  readonly doc?: string;
  readonly parameters?: Readonly<Record<string, string>>;
}

export interface PrimitiveSchema extends SchemaBase {
  readonly type: PrimitiveType;
}

export interface ArraySchema extends SchemaBase {
  readonly type: 'ARRAY';
  readonly valueSchema: Schema;
}

export interface MapSchema extends SchemaBase {
  readonly type: 'MAP';
  readonly keySchema: Schema;
  readonly valueSchema: Schema;
}

/** One field of a struct; `index` is its position in `fields`. */
export interface Field {
  readonly name: string;
  readonly index: number;
  readonly schema: Schema;
}

export interface StructSchema extends SchemaBase {
  readonly type: 'STRUCT';
  readonly fields: readonly Field[];
}

export type Schema = PrimitiveSchema | ArraySchema | MapSchema | StructSchema;

/** The schema shape that a given type builds. */
export type SchemaOf<T extends SchemaType> = T extends 'ARRAY'
  ? ArraySchema
  : T extends 'MAP'
    ? MapSchema
    : T extends 'STRUCT'
      ? StructSchema
      : PrimitiveSchema;

/** Kafka Connect's logical type names, so that schemas travel between the two unchanged. */
export const LogicalType = {
  /** INT32: days since the Unix epoch; held as a `Date` at UTC midnight. */
  DATE: 'org.apache.kafka.connect.data.Date',
  /** INT32: milliseconds since midnight; held as a `Date` on 1970-01-01 UTC. */
  TIME: 'org.apache.kafka.connect.data.Time',
  /** INT64: milliseconds since the Unix epoch; held as a `Date`. */
  TIMESTAMP: 'org.apache.kafka.connect.data.Timestamp',
  /** BYTES: a two's-complement unscaled integer with the `scale` parameter. */
  DECIMAL: 'org.apache.kafka.connect.data.Decimal',
} as const;

/**
 * A Decimal value as an exact unscaled integer: `{ unscaled: 12345n, scale: 2 }` is 123.45.
 * A decimal string ("123.45") is accepted too; see `validateValue`.
 */
export interface DecimalValue {
  readonly unscaled: bigint;
  readonly scale: number;
}

/** The parameter of a Decimal schema that holds its scale. */
export const DECIMAL_SCALE_PARAMETER = 'scale';

function primitive(type: PrimitiveType, optional: boolean): PrimitiveSchema {
  return Object.freeze({ type, optional });
}

function logical(
  type: PrimitiveType,
  name: string,
  optional: boolean,
  parameters?: Record<string, string>,
): PrimitiveSchema {
  return Object.freeze({
    type,
    optional,
    name,
    version: 1,
    ...(parameters && { parameters: Object.freeze(parameters) }),
  });
}

/** The ready-made schemas of Kafka Connect's `Schema.*_SCHEMA` constants and logical types. */
export const Schemas = {
  INT8: primitive('INT8', false),
  INT16: primitive('INT16', false),
  INT32: primitive('INT32', false),
  INT64: primitive('INT64', false),
  FLOAT32: primitive('FLOAT32', false),
  FLOAT64: primitive('FLOAT64', false),
  BOOLEAN: primitive('BOOLEAN', false),
  STRING: primitive('STRING', false),
  BYTES: primitive('BYTES', false),
  OPTIONAL_INT8: primitive('INT8', true),
  OPTIONAL_INT16: primitive('INT16', true),
  OPTIONAL_INT32: primitive('INT32', true),
  OPTIONAL_INT64: primitive('INT64', true),
  OPTIONAL_FLOAT32: primitive('FLOAT32', true),
  OPTIONAL_FLOAT64: primitive('FLOAT64', true),
  OPTIONAL_BOOLEAN: primitive('BOOLEAN', true),
  OPTIONAL_STRING: primitive('STRING', true),
  OPTIONAL_BYTES: primitive('BYTES', true),
  DATE: logical('INT32', LogicalType.DATE, false),
  TIME: logical('INT32', LogicalType.TIME, false),
  TIMESTAMP: logical('INT64', LogicalType.TIMESTAMP, false),
  /** A required Decimal schema of the given scale. */
  decimal(scale: number, optional = false): PrimitiveSchema {
    if (!Number.isInteger(scale))
      throw new RangeError(`decimal scale must be an integer: ${scale}`);
    return logical('BYTES', LogicalType.DECIMAL, optional, {
      [DECIMAL_SCALE_PARAMETER]: String(scale),
    });
  },
} as const;

/** The scale of a Decimal schema, or undefined when the schema is not a valid Decimal. */
export function decimalScale(schema: Schema): number | undefined {
  if (schema.name !== LogicalType.DECIMAL || schema.type !== 'BYTES') return undefined;
  const raw = schema.parameters?.[DECIMAL_SCALE_PARAMETER];
  if (raw === undefined || !/^-?\d+$/.test(raw)) return undefined;
  return Number(raw);
}

/** A struct's field by name. */
export function fieldOf(schema: StructSchema, name: string): Field | undefined {
  return schema.fields.find((f) => f.name === name);
}
