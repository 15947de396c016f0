import type { Converter, ConverterPlugin, SchemaAndValue } from '../api/converter.js';
import { NonRetriableError } from '../api/errors.js';
import { BUILTIN_VERSION } from '../api/plugin.js';
import { pluginKeys } from '../api/plugin-keys.js';
import { Schemas, type Schema } from '../api/schema.js';

/** Kafka Connect's ByteArrayConverter: bytes pass through unchanged; anything else is refused. */
export class ByteArrayConverter implements Converter {
  #role = 'value';

  configure(_config: Readonly<Record<string, string>>, isKey: boolean): void {
    this.#role = isKey ? 'key' : 'value';
  }

  fromConnectData(topic: string, schema: Schema | undefined, value: unknown): Uint8Array {
    const where = `ByteArrayConverter: ${this.#role} of topic ${topic}`;
    if (schema && schema.type !== 'BYTES') {
      throw new NonRetriableError(`${where} has schema type ${schema.type}; only BYTES passes`);
    }
    if (value === null || value === undefined) return new Uint8Array(0);
    if (!(value instanceof Uint8Array)) {
      const kind = Array.isArray(value) ? 'an array' : `a ${typeof value}`;
      throw new NonRetriableError(`${where} is ${kind}, not bytes (a Uint8Array)`);
    }
    return value;
  }

  toConnectData(_topic: string, bytes: Uint8Array): SchemaAndValue {
    return { schema: Schemas.OPTIONAL_BYTES, value: bytes.length === 0 ? null : bytes };
  }
}

export const byteArrayConverterPlugin: ConverterPlugin = {
  type: 'converter',
  className: 'org.apache.kafka.connect.converters.ByteArrayConverter',
  aliases: ['org.apache.rocketmq.connect.runtime.converter.record.ByteArrayConverter'],
  version: BUILTIN_VERSION,
  // No keys of its own; declared all the same, so its manual and its parser agree like the rest.
  ...pluginKeys({}),
  create: () => new ByteArrayConverter(),
};
