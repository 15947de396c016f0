import type { ComponentPluginBase } from './plugin.js';
import type { Schema } from './schema.js';

/** A value with the schema it was read with, when the format carries one. */
export interface SchemaAndValue {
  readonly schema?: Schema;
  readonly value: unknown;
}

/**
 * Turns record keys, values or header values into message bytes and back (Kafka Connect's
 * `Converter`). One instance serves one role: configured once as a key or a value converter.
 * Conversions are synchronous and pure, so one bad record fails alone.
 */
export interface Converter {
  /** `config` holds the `key.converter.` / `value.converter.` prefixed keys, prefix removed. */
  configure(config: Readonly<Record<string, string>>, isKey: boolean): void;
  /** The bytes to send; a null value converts to an empty array. */
  fromConnectData(topic: string, schema: Schema | undefined, value: unknown): Uint8Array;
  /** The value from received bytes; an empty array converts to a null value. */
  toConnectData(topic: string, bytes: Uint8Array): SchemaAndValue;
}

/** A converter as the registry holds it: `key.converter`, `value.converter`, `header.converter`. */
export interface ConverterPlugin extends ComponentPluginBase {
  readonly type: 'converter';
  create(): Converter;
}
