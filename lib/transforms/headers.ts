import { z } from 'zod';
import { BUILTIN_VERSION } from '../api/plugin.js';
import { parsePluginConfig, pluginKeys, requiredKey } from '../api/plugin-keys.js';
import type { ConnectRecord } from '../api/record.js';
import type { Transform, TransformPlugin } from '../api/transform.js';
import { javaText } from './connect-values.js';
import { kafkaListValue } from './kafka-lists.js';
import { parseJavaValue } from './value-parser.js';

// Kafka trims STRING config values before its NonNullValidator; an empty string passes.
const trimmed = () => z.string().trim();

const insertHeaderKeys = pluginKeys({
  header: requiredKey(
    { type: 'STRING', importance: 'HIGH', documentation: 'The name of the header.' },
    trimmed(),
  ),
  'value.literal': requiredKey(
    {
      type: 'STRING',
      importance: 'HIGH',
      documentation: 'The literal value that is to be set as the header value on all records.',
    },
    trimmed(),
  ),
});

const dropHeadersKeys = pluginKeys({
  headers: requiredKey(
    { type: 'LIST', importance: 'HIGH', documentation: 'The name of the headers to be removed.' },
    kafkaListValue({ emptyAllowed: false }),
  ),
});

/**
 * Kafka's InsertHeader: adds the header `header` to every record, after the ones it has. Kafka
 * parses `value.literal` with `Values.parseString` and its header converter writes the parsed
 * value back, so the text is Kafka's ("1.50" becomes "1.5", "[1, 2]" becomes "[1,2]"). The
 * literal `null` is a null header in Kafka; a RocketMQ property cannot be null, so none is added.
 */
export class InsertHeader implements Transform {
  #header = '';
  #text: string | null = null;

  configure(config: Readonly<Record<string, string>>): void {
    const parsed = parsePluginConfig('InsertHeader', insertHeaderKeys.configSchema, config);
    this.#header = parsed.header;
    this.#text = javaText(parseJavaValue(parsed['value.literal'])?.value ?? null);
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    if (this.#text === null) return record;
    return { ...record, headers: [...record.headers, { key: this.#header, value: this.#text }] };
  }
}

/** Kafka's DropHeaders: removes every header whose name is listed, keeping the others' order. */
export class DropHeaders implements Transform {
  #headers = new Set<string>();

  configure(config: Readonly<Record<string, string>>): void {
    const parsed = parsePluginConfig('DropHeaders', dropHeadersKeys.configSchema, config);
    this.#headers = new Set(parsed.headers);
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    return { ...record, headers: record.headers.filter((h) => !this.#headers.has(h.key)) };
  }
}

export const insertHeaderPlugin: TransformPlugin = {
  type: 'transformation',
  className: 'org.apache.kafka.connect.transforms.InsertHeader',
  aliases: [],
  version: BUILTIN_VERSION,
  ...insertHeaderKeys,
  create: () => new InsertHeader(),
};

export const dropHeadersPlugin: TransformPlugin = {
  type: 'transformation',
  className: 'org.apache.kafka.connect.transforms.DropHeaders',
  aliases: [],
  version: BUILTIN_VERSION,
  ...dropHeadersKeys,
  create: () => new DropHeaders(),
};
