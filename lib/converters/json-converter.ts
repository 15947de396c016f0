import { boolValue, enumValue, intValue } from '../api/config-values.js';
import type { Converter, ConverterPlugin, SchemaAndValue } from '../api/converter.js';
import { NonRetriableError } from '../api/errors.js';
import { BUILTIN_VERSION } from '../api/plugin.js';
import { defaultedKey, parsePluginConfig, pluginKeys } from '../api/plugin-keys.js';
import type { Schema } from '../api/schema.js';
import { validateValue } from '../api/schema-validation.js';
import { fromJsonNode, JsonDataError, toJsonNode, type JsonDataOptions } from './json-data.js';
import { schemaFromJson, schemaToJson } from './json-schema.js';
import { isJsonObject, type JsonNode, JsonSyntaxError, parseJson, writeJson } from './json-text.js';

const jsonConverterKeys = pluginKeys({
  'schemas.enable': defaultedKey(
    {
      type: 'BOOLEAN',
      importance: 'HIGH',
      documentation: 'Write and read the {"schema": ..., "payload": ...} envelope.',
    },
    'true',
    boolValue(),
  ),
  'schemas.cache.size': defaultedKey(
    {
      type: 'INT',
      importance: 'HIGH',
      documentation:
        'How many schemas read from envelopes are kept, so that records of one schema share one schema object (0: none kept).',
    },
    '1000',
    intValue(),
  ),
  'decimal.format': defaultedKey(
    {
      type: 'STRING',
      importance: 'LOW',
      documentation: 'How Decimal values are written: BASE64 bytes or NUMERIC JSON numbers.',
    },
    'BASE64',
    enumValue(['base64', 'numeric']),
  ),
  'replace.null.with.default': defaultedKey(
    {
      type: 'BOOLEAN',
      importance: 'LOW',
      documentation: "Write and read a null field as its schema's default value, when it has one.",
    },
    'true',
    boolValue(),
  ),
});

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Kafka Connect's JsonConverter, byte-compatible with it. With `schemas.enable` (the default)
 * each message is `{"schema": ..., "payload": ...}`; without it, plain JSON read without a
 * schema. INT64 values read as numbers when they are safe integers and as bigints beyond;
 * Decimals read as `{ unscaled, scale }`; string-keyed maps as plain objects, others as Maps.
 */
export class JsonConverter implements Converter {
  #schemasEnabled = true;
  #options: JsonDataOptions = { decimalFormat: 'base64', replaceNullWithDefault: true };
  #role = 'value';
  /**
   * Each schema's envelope text, written once: records of a task share a few schema objects,
   * and writing the schema for every record was a large share of a source's CPU.
   */
  #schemaTexts = new WeakMap<Schema, string>();
  /**
   * Schemas read, by their JSON text (Kafka's `toConnectSchemaCache`): records of one schema
   * share one schema object, so transforms' per-schema caches hit, and it is built once.
   */
  #readSchemas = new Map<string, Schema | undefined>();
  #readSchemasMax = 1000;

  configure(config: Readonly<Record<string, string>>, isKey: boolean): void {
    const parsed = parsePluginConfig('JsonConverter', jsonConverterKeys.configSchema, config);
    this.#schemasEnabled = parsed['schemas.enable'];
    this.#options = {
      decimalFormat: parsed['decimal.format'] === 'numeric' ? 'numeric' : 'base64',
      replaceNullWithDefault: parsed['replace.null.with.default'],
    };
    this.#role = isKey ? 'key' : 'value';
    this.#schemaTexts = new WeakMap();
    this.#readSchemas = new Map();
    this.#readSchemasMax = Math.max(0, parsed['schemas.cache.size']);
  }

  #readSchema(node: JsonNode): Schema | undefined {
    if (node === null) return undefined;
    const text = writeJson(node);
    const cached = this.#readSchemas.get(text);
    if (cached !== undefined) return cached;
    const schema = schemaFromJson(node, this.#options);
    if (this.#readSchemasMax > 0) {
      // The oldest schema goes first when the cache is full.
      if (this.#readSchemas.size >= this.#readSchemasMax) {
        this.#readSchemas.delete(this.#readSchemas.keys().next().value!);
      }
      this.#readSchemas.set(text, schema);
    }
    return schema;
  }

  fromConnectData(topic: string, schema: Schema | undefined, value: unknown): Uint8Array {
    // Our Converter interface maps a null value to empty bytes (a tombstone), schema or not.
    // Kafka returns null bytes only when schema and value are both null; a null value with a
    // schema becomes {"schema": ..., "payload": null} or the schema's default
    // (JsonConverter.fromConnectData; JsonConverterTest.serializeNullToDefault). Null *fields*
    // inside a value do follow Kafka, replace.null.with.default included.
    if (value === null || value === undefined) return new Uint8Array(0);
    const where = `${this.#role} of topic ${topic}`;
    if (schema) {
      const bad = validateValue(schema, value);
      if (bad)
        throw new NonRetriableError(
          `JsonConverter: ${where} does not match its schema: ${bad.message}`,
        );
    }
    try {
      const payload = writeJson(toJsonNode(schema, value, this.#options, 'payload'));
      if (!this.#schemasEnabled) return Buffer.from(payload, 'utf8');
      return Buffer.from(`{"schema":${this.#schemaText(schema)},"payload":${payload}}`, 'utf8');
    } catch (err) {
      if (!(err instanceof JsonDataError)) throw err;
      throw new NonRetriableError(`JsonConverter: cannot write ${where}: ${err.message}`, {
        cause: err,
      });
    }
  }

  #schemaText(schema: Schema | undefined): string {
    if (!schema) return 'null';
    let text = this.#schemaTexts.get(schema);
    if (text === undefined) {
      text = writeJson(schemaToJson(schema, this.#options));
      this.#schemaTexts.set(schema, text);
    }
    return text;
  }

  toConnectData(topic: string, bytes: Uint8Array): SchemaAndValue {
    // Our interface's rule: empty bytes are a null value. Kafka agrees with schemas.enable=false
    // (JsonConverterTest.emptyBytesToConnect); with it on, Kafka fails on empty bytes and only
    // a null array (a tombstone) reads as null (nullToConnect).
    if (bytes.length === 0) return { value: null };
    const where = `${this.#role} of topic ${topic}`;
    const fail = (problem: string, cause?: unknown) =>
      new NonRetriableError(`JsonConverter: ${where} ${problem}`, { cause });
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch (err) {
      throw fail('is not valid UTF-8', err);
    }
    let json: JsonNode;
    try {
      json = parseJson(text);
    } catch (err) {
      if (!(err instanceof JsonSyntaxError)) throw err;
      throw fail(`is not valid JSON at position ${err.position}: ${err.reason}`, err);
    }
    if (!this.#schemasEnabled) return { value: fromJsonNode(undefined, json, this.#options, '') };
    if (!isJsonObject(json) || json.size !== 2 || !json.has('schema') || !json.has('payload')) {
      throw fail(
        'is not a {"schema": ..., "payload": ...} envelope, which schemas.enable=true requires ' +
          '(set schemas.enable=false to read plain JSON)',
      );
    }
    try {
      const schema = this.#readSchema(json.get('schema') ?? null);
      const value = fromJsonNode(schema, json.get('payload') ?? null, this.#options, 'payload');
      return schema ? { schema, value } : { value };
    } catch (err) {
      if (!(err instanceof JsonDataError)) throw err;
      throw fail(`is not valid: ${err.message}`, err);
    }
  }
}

export const jsonConverterPlugin: ConverterPlugin = {
  type: 'converter',
  className: 'org.apache.kafka.connect.json.JsonConverter',
  aliases: ['org.apache.rocketmq.connect.runtime.converter.record.json.JsonConverter'],
  version: BUILTIN_VERSION,
  ...jsonConverterKeys,
  create: () => new JsonConverter(),
};
