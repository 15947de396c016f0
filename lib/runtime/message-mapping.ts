import type { Converter, SchemaAndValue } from '../api/converter.js';
import type { ConnectHeader, SinkRecord, SourceRecord } from '../api/record.js';
import {
  isValidMessageKey,
  messageGroupOf,
  NO_KEY_MESSAGE_GROUP,
} from '../rocketmq/message-group.js';

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
  /** The queue it was read from, where the adapter knows it (remoting pulls do). */
  readonly queueId?: number;
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
  options: MessageOptions,
): OutgoingMessage {
  const topic = record.topic ?? options.defaultTopic;
  return buildMessage(record, {
    key:
      record.key === null || record.key === undefined
        ? undefined
        : converters.key.fromConnectData(topic, record.keySchema, record.key),
    value: converters.value.fromConnectData(topic, record.valueSchema, record.value),
    ...options,
  });
}

export interface MessageOptions {
  readonly defaultTopic: string;
  readonly fifo: boolean;
}

/**
 * The message of a record whose key (undefined: no key) and value are converted already: the
 * runtime converts each under its own error stage, then builds the message with this.
 */
export function buildMessage(
  record: SourceRecord,
  converted: MessageOptions & { readonly key: Uint8Array | undefined; readonly value: Uint8Array },
): OutgoingMessage {
  const topic = record.topic ?? converted.defaultTopic;
  // A view, not a copy: the converter's bytes are not changed after it returned them.
  const value = converted.value;
  const body = Buffer.isBuffer(value)
    ? value
    : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  // RocketMQ properties are a map: of several headers with one key, the last one is kept, as
  // Kafka Connect's `lastWithName` would read it.
  const properties = new Map<string, string>();
  for (const header of record.headers) properties.set(header.key, header.value);
  const keys: string[] = [];
  let messageGroup: string | undefined;
  if (converted.key !== undefined) {
    const keyBytes = Buffer.from(converted.key);
    const keyText = keyBytes.toString('utf8');
    properties.set(KEY_PROPERTY, keyBytes.toString('base64'));
    // The proxy refuses keys with control characters; the exact bytes are in the property.
    if (keyText.length > 0 && isValidMessageKey(keyText)) keys.push(keyText);
    if (converted.fifo)
      messageGroup = keyText === '' ? NO_KEY_MESSAGE_GROUP : messageGroupOf(keyText, keyBytes);
  }
  // A FIFO topic takes only messages with a group: keyless records share one.
  if (converted.fifo && messageGroup === undefined) messageGroup = NO_KEY_MESSAGE_GROUP;
  return { topic, body, keys, properties, ...(messageGroup === undefined ? {} : { messageGroup }) };
}

/** A received message as a sink record: the inverse of {@link toMessage}. */
export function toSinkRecord(message: IncomingMessage, converters: Converters): SinkRecord {
  const keyBytes = messageKeyBytes(message);
  return fromMessage(
    message,
    keyBytes && converters.key.toConnectData(message.topic, keyBytes),
    converters.value.toConnectData(message.topic, message.body),
  );
}

/** The key's exact bytes, or undefined when the message has no key. */
export function messageKeyBytes(message: IncomingMessage): Buffer | undefined {
  const encodedKey = message.properties.get(KEY_PROPERTY);
  if (encodedKey !== undefined) return Buffer.from(encodedKey, 'base64');
  // Sent by a producer that is not this runtime: its first message key, as text.
  return message.keys[0] !== undefined ? Buffer.from(message.keys[0], 'utf8') : undefined;
}

/**
 * The sink record of a message whose key (undefined: no key) and value are converted already:
 * the runtime converts each under its own error stage, then builds the record with this.
 */
export function fromMessage(
  message: IncomingMessage,
  key: SchemaAndValue | undefined,
  value: SchemaAndValue,
): SinkRecord {
  const headers: ConnectHeader[] = [];
  for (const [name, text] of message.properties) {
    if (!RUNTIME_PROPERTIES.has(name)) headers.push({ key: name, value: text });
  }
  return {
    topic: message.topic,
    partition: undefined,
    offset: undefined,
    ...(message.queueId !== undefined && { queueId: message.queueId }),
    ...(message.offset !== undefined && { queueOffset: message.offset }),
    timestamp: message.bornTimestamp?.getTime() ?? Date.now(),
    key: key?.value ?? null,
    ...(key?.schema ? { keySchema: key.schema } : {}),
    value: value.value,
    ...(value.schema ? { valueSchema: value.schema } : {}),
    headers,
  };
}
