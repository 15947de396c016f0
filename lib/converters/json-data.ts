import {
  decimalScale,
  type DecimalValue,
  LogicalType,
  type Schema,
  type StructSchema,
} from '../api/schema.js';
import {
  bigDecimalText,
  decimalOf,
  fromTwosComplement,
  javaDouble,
  javaFloat,
  toTwosComplement,
  unscaledOf,
} from './json-numbers.js';
import { describeNode, isJsonArray, isJsonObject, JsonNumber, type JsonNode } from './json-text.js';

/** How JsonConverter writes and reads values: its `decimal.format` and null handling. */
export interface JsonDataOptions {
  readonly decimalFormat: 'base64' | 'numeric';
  readonly replaceNullWithDefault: boolean;
}

/** A value or schema that cannot be converted; `path` is where, e.g. `payload.items[2]`. */
export class JsonDataError extends Error {
  override readonly name = 'JsonDataError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

const DAY_MS = 86_400_000;
const INT_TEXT = /^-?\d+$/;
const INT_RANGES = {
  INT8: [-(2n ** 7n), 2n ** 7n - 1n],
  INT16: [-(2n ** 15n), 2n ** 15n - 1n],
  INT32: [-(2n ** 31n), 2n ** 31n - 1n],
  INT64: [-(2n ** 63n), 2n ** 63n - 1n],
} as const;
// Jackson writes non-finite doubles as these strings by default; they are read back too.
const NON_FINITE: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

/**
 * A Connect value as JSON, as Kafka's `convertToJson`. With a schema the value must already
 * pass `validateValue`; without one the JSON shape follows the JavaScript value.
 */
export function toJsonNode(
  schema: Schema | undefined,
  value: unknown,
  o: JsonDataOptions,
  path: string,
): JsonNode {
  if (value === null || value === undefined) {
    if (!schema) return null;
    if (schema.defaultValue !== undefined && o.replaceNullWithDefault) {
      return toJsonNode(schema, schema.defaultValue, o, path);
    }
    if (schema.optional) return null;
    throw new JsonDataError(path, 'null value for a required field without a default');
  }
  if (!schema) return inferredToJson(value, o, path);
  switch (schema.name) {
    case LogicalType.DATE:
      return new JsonNumber(String((value as Date).getTime() / DAY_MS));
    case LogicalType.TIME:
    case LogicalType.TIMESTAMP:
      return new JsonNumber(String((value as Date).getTime()));
    case LogicalType.DECIMAL: {
      const scale = decimalScale(schema) ?? 0;
      const unscaled = decimalOf(value as DecimalValue | string, scale);
      return o.decimalFormat === 'numeric'
        ? new JsonNumber(bigDecimalText(unscaled, scale))
        : base64(toTwosComplement(unscaled));
    }
  }
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
      return new JsonNumber((value as number | bigint).toString());
    case 'FLOAT32':
    case 'FLOAT64':
      return floatToJson(value as number, schema.type === 'FLOAT32' ? javaFloat : javaDouble);
    case 'BOOLEAN':
      return value as boolean;
    case 'STRING':
      return value as string;
    case 'BYTES':
      return base64(value as Uint8Array);
    case 'ARRAY':
      return (value as unknown[]).map((item, i) =>
        toJsonNode(schema.valueSchema, item, o, `${path}[${i}]`),
      );
    case 'MAP': {
      const entries = value instanceof Map ? [...value] : Object.entries(value);
      const nodes = entries.map(([k, v]): [JsonNode, JsonNode] => [
        toJsonNode(schema.keySchema, k, o, at(path, k)),
        toJsonNode(schema.valueSchema, v, o, at(path, k)),
      ]);
      // Kafka writes string-keyed maps as objects and the rest as [key, value] pairs.
      return schema.keySchema.type === 'STRING' ? new Map(nodes as [string, JsonNode][]) : nodes;
    }
    case 'STRUCT': {
      const struct = value as Record<string, unknown>;
      return new Map(
        schema.fields.map((f) => [
          f.name,
          toJsonNode(f.schema, struct[f.name], o, `${path}.${f.name}`),
        ]),
      );
    }
  }
}

function inferredToJson(value: unknown, o: JsonDataOptions, path: string): JsonNode {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return new JsonNumber(value.toString());
  if (typeof value === 'number') {
    return Number.isInteger(value) ? new JsonNumber(String(value)) : floatToJson(value, javaDouble);
  }
  if (value instanceof Uint8Array) return base64(value);
  if (Array.isArray(value)) {
    return value.map((item, i) => toJsonNode(undefined, item, o, `${path}[${i}]`));
  }
  // Kafka refuses these without a schema too (JsonConverterTest.decimalToJsonWithoutSchema).
  if (value instanceof Date) throw new JsonDataError(path, 'a Date needs a schema');
  if (isRecord(value) && typeof value.unscaled === 'bigint' && typeof value.scale === 'number') {
    throw new JsonDataError(path, 'a Decimal needs a schema');
  }
  if (!(value instanceof Map) && !isRecord(value)) {
    throw new JsonDataError(path, `cannot write a ${typeof value} as JSON`);
  }
  const entries = value instanceof Map ? [...value] : Object.entries(value);
  const nodes = entries.map(([k, v]): [JsonNode, JsonNode] => [
    toJsonNode(undefined, k, o, at(path, k)),
    toJsonNode(undefined, v, o, at(path, k)),
  ]);
  const stringKeys = entries.every(([k]) => typeof k === 'string');
  return stringKeys ? new Map(nodes as [string, JsonNode][]) : nodes;
}

/** A JSON value as a Connect value of `schema`, as Kafka's `convertToConnect`, but strict. */
export function fromJsonNode(
  schema: Schema | undefined,
  node: JsonNode,
  o: JsonDataOptions,
  path: string,
): unknown {
  if (!schema) return inferredFromJson(node);
  if (node === null) {
    if (schema.defaultValue !== undefined && o.replaceNullWithDefault) return schema.defaultValue;
    if (schema.optional) return null;
    throw new JsonDataError(path, `null for a required ${schema.type}`);
  }
  switch (schema.name) {
    case LogicalType.DATE:
      return new Date(Number(integer(node, 'INT32', path)) * DAY_MS);
    case LogicalType.TIME: {
      const ms = Number(integer(node, 'INT32', path));
      if (ms < 0 || ms >= DAY_MS) throw new JsonDataError(path, `Time ${ms} is not within a day`);
      return new Date(ms);
    }
    case LogicalType.TIMESTAMP: {
      const date = new Date(Number(integer(node, 'INT64', path)));
      if (Number.isNaN(date.getTime())) throw new JsonDataError(path, 'Timestamp out of range');
      return date;
    }
    case LogicalType.DECIMAL:
      return decimalFromJson(schema, node, path);
  }
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
      return integer(node, schema.type, path);
    case 'FLOAT32':
    case 'FLOAT64':
      if (node instanceof JsonNumber) return Number(node.text);
      if (typeof node === 'string' && node in NON_FINITE) return NON_FINITE[node];
      throw wrong(path, 'a number', node);
    case 'BOOLEAN':
      if (typeof node !== 'boolean') throw wrong(path, 'a boolean', node);
      return node;
    case 'STRING':
      if (typeof node !== 'string') throw wrong(path, 'a string', node);
      return node;
    case 'BYTES':
      return bytesFromJson(node, path);
    case 'ARRAY':
      if (!isJsonArray(node)) throw wrong(path, 'an array', node);
      return node.map((item, i) => fromJsonNode(schema.valueSchema, item, o, `${path}[${i}]`));
    case 'MAP': {
      if (schema.keySchema.type === 'STRING') {
        if (!isJsonObject(node)) throw wrong(path, 'an object', node);
        return Object.fromEntries(
          [...node].map(([k, v]) => [k, fromJsonNode(schema.valueSchema, v, o, at(path, k))]),
        );
      }
      if (!isJsonArray(node)) throw wrong(path, 'an array of [key, value] pairs', node);
      return new Map(
        node.map((pair, i) => {
          if (!isJsonArray(pair) || pair.length !== 2) {
            throw wrong(`${path}[${i}]`, 'a [key, value] pair', pair);
          }
          const [k = null, v = null] = pair;
          const where = `${path}[${i}]`;
          return [
            fromJsonNode(schema.keySchema, k, o, where),
            fromJsonNode(schema.valueSchema, v, o, where),
          ];
        }),
      );
    }
    case 'STRUCT':
      return structFromJson(schema, node, o, path);
  }
}

function structFromJson(schema: StructSchema, node: JsonNode, o: JsonDataOptions, path: string) {
  if (!isJsonObject(node)) throw wrong(path, 'an object', node);
  // Like Kafka, members that are not fields are ignored; absent fields read as null.
  return Object.fromEntries(
    schema.fields.map((f) => [
      f.name,
      fromJsonNode(f.schema, node.get(f.name) ?? null, o, `${path}.${f.name}`),
    ]),
  );
}

function inferredFromJson(node: JsonNode): unknown {
  if (node instanceof JsonNumber) {
    if (!INT_TEXT.test(node.text)) return Number(node.text);
    const n = BigInt(node.text);
    return Number.isSafeInteger(Number(n)) ? Number(n) : n;
  }
  if (isJsonArray(node)) return node.map(inferredFromJson);
  if (isJsonObject(node)) {
    return Object.fromEntries([...node].map(([k, v]) => [k, inferredFromJson(v)]));
  }
  return node;
}

/** An integer of the type's range: a number, or a bigint for INT64 beyond safe integers. */
function integer(node: JsonNode, type: keyof typeof INT_RANGES, path: string): number | bigint {
  if (!(node instanceof JsonNumber) || !INT_TEXT.test(node.text)) {
    throw wrong(path, `an integer (${type})`, node);
  }
  const n = BigInt(node.text);
  const [min, max] = INT_RANGES[type];
  if (n < min || n > max) throw new JsonDataError(path, `${node.text} is out of ${type} range`);
  return Number.isSafeInteger(Number(n)) ? Number(n) : n;
}

function decimalFromJson(schema: Schema, node: JsonNode, path: string): DecimalValue {
  const scale = decimalScale(schema);
  if (scale === undefined) throw new JsonDataError(path, 'Decimal schema has no integer scale');
  // Either format is read, whatever decimal.format says, as Kafka does.
  const unscaled =
    node instanceof JsonNumber
      ? unscaledOf(node.text, scale)
      : fromTwosComplement(bytesFromJson(node, path));
  if (unscaled === undefined) {
    throw new JsonDataError(path, `not a Decimal of scale ${scale}`);
  }
  return { unscaled, scale };
}

function bytesFromJson(node: JsonNode, path: string): Uint8Array {
  if (typeof node !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(node) || node.length % 4 !== 0) {
    throw wrong(path, 'base64 text', node);
  }
  return new Uint8Array(Buffer.from(node, 'base64'));
}

function floatToJson(x: number, format: (x: number) => string): JsonNode {
  return Number.isFinite(x) ? new JsonNumber(format(x)) : String(x);
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** A map entry's path, as validateValue writes it: `tags["eu"]`. */
function at(path: string, key: unknown): string {
  return `${path}[${typeof key === 'string' ? JSON.stringify(key) : String(key)}]`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function wrong(path: string, expected: string, node: JsonNode): JsonDataError {
  return new JsonDataError(path, `expected ${expected}, got ${describeNode(node)}`);
}
