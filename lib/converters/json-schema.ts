import { ConnectError } from '../api/errors.js';
import type { Schema, SchemaType } from '../api/schema.js';
import { SchemaBuilder } from '../api/schema-builder.js';
import { fromJsonNode, JsonDataError, toJsonNode, type JsonDataOptions } from './json-data.js';
import {
  isJsonArray,
  isJsonObject,
  JsonNumber,
  type JsonNode,
  type JsonObject,
} from './json-text.js';

/** Kafka's JSON names of schema types (JsonSchema.*_TYPE_NAME). */
const TYPE_NAMES: Record<SchemaType, string> = {
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  FLOAT32: 'float',
  FLOAT64: 'double',
  BOOLEAN: 'boolean',
  STRING: 'string',
  BYTES: 'bytes',
  ARRAY: 'array',
  MAP: 'map',
  STRUCT: 'struct',
};
const TYPES_BY_NAME = new Map(
  Object.entries(TYPE_NAMES).map(([type, name]) => [name, type as SchemaType]),
);

/**
 * A schema as Kafka's `asJsonSchema` writes it, members in its order: type, items / keys,
 * values / fields, optional, name, version, doc, parameters, default; a struct field's schema
 * ends with `field`.
 */
export function schemaToJson(schema: Schema, o: JsonDataOptions): JsonObject {
  const json = new Map<string, JsonNode>([['type', TYPE_NAMES[schema.type]]]);
  switch (schema.type) {
    case 'ARRAY':
      json.set('items', schemaToJson(schema.valueSchema, o));
      break;
    case 'MAP':
      json.set('keys', schemaToJson(schema.keySchema, o));
      json.set('values', schemaToJson(schema.valueSchema, o));
      break;
    case 'STRUCT':
      json.set(
        'fields',
        schema.fields.map((f) => new Map([...schemaToJson(f.schema, o), ['field', f.name]])),
      );
      break;
  }
  json.set('optional', schema.optional);
  if (schema.name !== undefined) json.set('name', schema.name);
  if (schema.version !== undefined) json.set('version', new JsonNumber(String(schema.version)));
  if (schema.doc !== undefined) json.set('doc', schema.doc);
  if (schema.parameters) json.set('parameters', new Map(Object.entries(schema.parameters)));
  if (schema.defaultValue !== undefined) {
    json.set('default', toJsonNode(schema, schema.defaultValue, o, 'schema.default'));
  }
  return json;
}

/** A schema from Kafka's JSON form; undefined for a null schema (schemaless payload). */
export function schemaFromJson(
  node: JsonNode,
  o: JsonDataOptions,
  path = 'schema',
): Schema | undefined {
  if (node === null) return undefined;
  if (!isJsonObject(node)) throw new JsonDataError(path, 'a schema must be an object or null');
  const typeName = node.get('type');
  const type = typeof typeName === 'string' ? TYPES_BY_NAME.get(typeName) : undefined;
  if (type === undefined) {
    const found = typeof typeName === 'string' ? `"${typeName}"` : 'none';
    throw new JsonDataError(`${path}.type`, `unknown schema type ${found}`);
  }
  const builder = baseBuilder(type, node, o, path);
  if (node.get('optional') === true) builder.optional();
  const name = node.get('name');
  if (typeof name === 'string') builder.name(name);
  const version = node.get('version');
  if (version instanceof JsonNumber && /^-?\d+$/.test(version.text)) {
    builder.version(Number(version.text));
  }
  const doc = node.get('doc');
  if (typeof doc === 'string') builder.doc(doc);
  const parameters = node.get('parameters');
  // Like Kafka's asConnectSchema, "parameters" that is not an object is ignored.
  if (isJsonObject(parameters)) {
    for (const [key, value] of parameters) {
      if (typeof value !== 'string') {
        throw new JsonDataError(`${path}.parameters.${key}`, 'parameter values must be strings');
      }
      builder.parameter(key, value);
    }
  }
  const defaultNode = node.get('default');
  return build(() => {
    if (defaultNode === undefined) return builder.build();
    // The default is read with the schema it belongs to, as Kafka does: "default": null means
    // no default on an optional schema and is refused on a required one.
    const value = fromJsonNode(builder.build(), defaultNode, o, `${path}.default`);
    return value === null ? builder.build() : builder.defaultValue(value).build();
  }, path);
}

function baseBuilder(type: SchemaType, node: JsonObject, o: JsonDataOptions, path: string) {
  const child = (key: string): Schema => {
    const found = schemaFromJson(node.get(key) ?? null, o, `${path}.${key}`);
    if (!found) throw new JsonDataError(`${path}.${key}`, `a ${TYPE_NAMES[type]} schema needs it`);
    return found;
  };
  switch (type) {
    case 'ARRAY':
      return SchemaBuilder.array(child('items')) as SchemaBuilder;
    case 'MAP':
      return SchemaBuilder.map(child('keys'), child('values')) as SchemaBuilder;
    case 'STRUCT': {
      const fields = node.get('fields');
      if (!isJsonArray(fields)) throw new JsonDataError(`${path}.fields`, 'not an array');
      const struct = SchemaBuilder.struct();
      for (const [i, field] of fields.entries()) {
        const at = `${path}.fields[${i}]`;
        const name = isJsonObject(field) ? field.get('field') : undefined;
        if (typeof name !== 'string') throw new JsonDataError(at, 'a field needs a "field" name');
        const schema = schemaFromJson(field, o, at);
        if (!schema) throw new JsonDataError(at, 'a field needs a schema');
        build(() => struct.field(name, schema), at);
      }
      return struct as SchemaBuilder;
    }
    default:
      return SchemaBuilder.type(type) as SchemaBuilder;
  }
}

/** Runs a SchemaBuilder step, turning its complaints (bad default, duplicate field) into ours. */
function build<T>(step: () => T, path: string): T {
  try {
    return step();
  } catch (err) {
    if (err instanceof ConnectError) throw new JsonDataError(path, err.message);
    throw err;
  }
}
