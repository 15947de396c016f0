import type { Converter } from '../api/converter.js';
import type { ConnectHeader, SinkRecord, SourceRecord } from '../api/record.js';

/** What the runtime sends to RocketMQ for one record (the producer's message options). */
export interface OutgoingMessage {
  readonly topic: string;
  readonly body: Buffer;
  readonly keys: string[];
  readonly properties: Map<string, string>;
  readonly messageGroup?: string;
}

/** What the runtime reads back from a received message (a subset of the client's MessageView). */
export interface IncomingMessage {
  readonly topic: string;
  readonly body: Buffer;
  readonly keys: readonly string[];
  readonly properties: ReadonlyMap<string, string>;
  readonly offset?: number;
  readonly bornTimestamp?: Date;
  readonly messageId: string;
}

/**
 * The converted key's exact bytes. RocketMQ message keys are strings for lookup, so a key that
 * is not text would not survive them; this property carries it unchanged.
 */
export const KEY_PROPERTY = '__connect.key';
/** Properties that belong to the runtime, not to the record's headers. */
const RUNTIME_PROPERTIES = new Set([KEY_PROPERTY]);

export interface Converters {
  readonly key: Converter;
  readonly value: Converter;
}

/**
 * A source record as a RocketMQ message: the value converter's bytes as the body, the key
 * converter's bytes as the message key (text) and a property (exact), headers as properties.
 * With `fifo`, records of one key share a message group, so their order is kept.
 */
export function toMessage(
  record: SourceRecord,
  converters: Converters,
  options: { readonly defaultTopic: string; readonly fifo: boolean },
): OutgoingMessage {
  const topic = record.topic ?? options.defaultTopic;
  const body = Buffer.from(
    converters.value.fromConnectData(topic, record.valueSchema, record.value),
  );
  // RocketMQ properties are a map: of several headers with one key, the last one is kept, as
  // Kafka Connect's `lastWithName` would read it.
  const properties = new Map<string, string>();
  for (const header of record.headers) properties.set(header.key, header.value);
  const keys: string[] = [];
  let messageGroup: string | undefined;
  if (record.key !== null && record.key !== undefined) {
    const keyBytes = Buffer.from(
      converters.key.fromConnectData(topic, record.keySchema, record.key),
    );
    const keyText = keyBytes.toString('utf8');
    properties.set(KEY_PROPERTY, keyBytes.toString('base64'));
    if (keyText.length > 0) keys.push(keyText);
    if (options.fifo) messageGroup = keyText || keyBytes.toString('base64');
  }
  return { topic, body, keys, properties, ...(messageGroup === undefined ? {} : { messageGroup }) };
}

/** A received message as a sink record: the inverse of {@link toMessage}. */
export function toSinkRecord(message: IncomingMessage, converters: Converters): SinkRecord {
  const value = converters.value.toConnectData(message.topic, message.body);
  const encodedKey = message.properties.get(KEY_PROPERTY);
  const keyBytes =
    encodedKey !== undefined
      ? Buffer.from(encodedKey, 'base64')
      : message.keys[0] !== undefined
        ? Buffer.from(message.keys[0], 'utf8') // sent by a producer that is not this runtime
        : undefined;
  const key = keyBytes ? converters.key.toConnectData(message.topic, keyBytes) : undefined;
  const headers: ConnectHeader[] = [];
  for (const [name, text] of message.properties) {
    if (!RUNTIME_PROPERTIES.has(name)) headers.push({ key: name, value: text });
  }
  return {
    topic: message.topic,
    partition: undefined,
    offset: undefined,
    timestamp: message.bornTimestamp?.getTime() ?? Date.now(),
    key: key?.value ?? null,
    ...(key?.schema ? { keySchema: key.schema } : {}),
    value: value.value,
    ...(value.schema ? { valueSchema: value.schema } : {}),
    headers,
  };
}
