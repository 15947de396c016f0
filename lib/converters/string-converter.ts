import { z } from 'zod';
import type { Converter, ConverterPlugin, SchemaAndValue } from '../api/converter.js';
import { NonRetriableError } from '../api/errors.js';
import { BUILTIN_VERSION } from '../api/plugin.js';
import { defaultedKey, parsePluginConfig, pluginKeys } from '../api/plugin-keys.js';
import { Schemas, type Schema } from '../api/schema.js';

/**
 * Encodings by the names Java and WHATWG give them. Only those Node's Buffer can both encode
 * and decode: TextEncoder writes UTF-8 alone, and TextDecoder's "latin1" is really windows-1252.
 */
const ENCODINGS = new Map<string, BufferEncoding>([
  ['utf8', 'utf8'],
  ['utf-8', 'utf8'],
  ['utf-16le', 'utf16le'],
  ['utf16le', 'utf16le'],
  ['iso-8859-1', 'latin1'],
  ['iso8859_1', 'latin1'],
  ['latin1', 'latin1'],
  ['us-ascii', 'ascii'],
  ['ascii', 'ascii'],
]);

const stringConverterKeys = pluginKeys({
  'converter.encoding': defaultedKey(
    {
      type: 'STRING',
      importance: 'HIGH',
      documentation: 'Character encoding: UTF-8, UTF-16LE, ISO-8859-1 or US-ASCII.',
    },
    'UTF-8',
    z.string().transform((raw, ctx) => {
      const encoding = ENCODINGS.get(raw.trim().toLowerCase());
      if (encoding !== undefined) return encoding;
      ctx.addIssue({
        code: 'custom',
        message: 'Encoding must be one of UTF-8, UTF-16LE, ISO-8859-1, US-ASCII',
      });
      return z.NEVER;
    }),
  ),
});

/**
 * Kafka Connect's StringConverter: values as text in `converter.encoding` (UTF-8 by default).
 * Numbers, bigints and booleans are written as their text, as Java's `toString` would; other
 * objects are refused, since "[object Object]" helps nobody.
 */
export class StringConverter implements Converter {
  #encoding: BufferEncoding = 'utf8';
  #role = 'value';

  configure(config: Readonly<Record<string, string>>, isKey: boolean): void {
    this.#encoding = parsePluginConfig('StringConverter', stringConverterKeys.configSchema, config)[
      'converter.encoding'
    ];
    this.#role = isKey ? 'key' : 'value';
  }

  fromConnectData(topic: string, _schema: Schema | undefined, value: unknown): Uint8Array {
    if (value === null || value === undefined) return new Uint8Array(0);
    if (!['string', 'number', 'bigint', 'boolean'].includes(typeof value)) {
      throw new NonRetriableError(
        `StringConverter: ${this.#role} of topic ${topic} is ${value instanceof Uint8Array ? 'bytes' : `a ${typeof value}`}; ` +
          'it writes strings, numbers and booleans (use JsonConverter for structured values)',
      );
    }
    return new Uint8Array(Buffer.from(String(value as string), this.#encoding));
  }

  toConnectData(_topic: string, bytes: Uint8Array): SchemaAndValue {
    if (bytes.length === 0) return { schema: Schemas.OPTIONAL_STRING, value: null };
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { schema: Schemas.OPTIONAL_STRING, value: buffer.toString(this.#encoding) };
  }
}

export const stringConverterPlugin: ConverterPlugin = {
  type: 'converter',
  className: 'org.apache.kafka.connect.storage.StringConverter',
  aliases: ['org.apache.rocketmq.connect.runtime.converter.record.StringConverter'],
  version: BUILTIN_VERSION,
  ...stringConverterKeys,
  create: () => new StringConverter(),
};
