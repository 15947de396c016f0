import { inflateSync } from 'node:zlib';

/**
 * Messages in RocketMQ's remoting formats (org.apache.rocketmq.common.message.MessageDecoder):
 * the body of a batch send, and the stored form a pull answers with.
 */

/** Properties are `name \u0001 value \u0002` pairs (MessageDecoder's separators). */
const NAME_VALUE_SEPARATOR = '\u0001';
const PROPERTY_SEPARATOR = '\u0002';

/** Property names RocketMQ keeps for itself (MessageConst); the rest are the user's. */
export const SystemProperty = {
  KEYS: 'KEYS',
  TAGS: 'TAGS',
  WAIT_STORE_MSG_OK: 'WAIT',
  UNIQ_KEY: 'UNIQ_KEY',
  SHARDING_KEY: '__SHARDINGKEY',
} as const;

/**
 * Every name in MessageConst's reserved set (rocketmq-common 5.3.3), so that what a pull
 * returns shows the user's properties only, as the proxy's gRPC answers do.
 */
const SYSTEM_PROPERTIES: ReadonlySet<string> = new Set([
  'KEYS', 'TAGS', 'WAIT', 'DELAY', 'RETRY_TOPIC', 'REAL_TOPIC', 'REAL_QID', 'TRAN_MSG', 'PGROUP',
  'MIN_OFFSET', 'MAX_OFFSET', 'BUYER_ID', 'ORIGIN_MESSAGE_ID', 'TRANSFER_FLAG',
  'CORRECTION_FLAG', 'MQ2_FLAG', 'RECONSUME_TIME', 'MSG_REGION', 'TRACE_ON', 'UNIQ_KEY',
  'EXTEND_UNIQ_INFO', 'MAX_RECONSUME_TIMES', 'CONSUME_START_TIME', 'INNER_NUM', 'INNER_BASE',
  'CHECK_IMMUNITY_TIME_IN_SECONDS', 'TRAN_PREPARED_QUEUE_OFFSET', '__transactionId__',
  'TRANSACTION_CHECK_TIMES', 'INSTANCE_ID', 'CORRELATION_ID', 'REPLY_TO_CLIENT', 'TTL',
  'ARRIVE_TIME', 'PUSH_REPLY_TIME', 'CLUSTER', 'MSG_TYPE', 'POP_CK', 'POP_CK_OFFSET',
  '1ST_POP_TIME', '__SHARDINGKEY', 'PROPERTY_FORWARD_QUEUE_ID', 'REDIRECT',
  'INNER_MULTI_DISPATCH', 'INNER_MULTI_QUEUE_OFFSET', 'TRACE_CONTEXT', 'TIMER_DELAY_SEC',
  'TIMER_DELIVER_MS', '__BORNHOST', 'BORN_TIMESTAMP', 'TIMER_ENQUEUE_MS', 'TIMER_DEQUEUE_MS',
  'TIMER_ROLL_TIMES', 'TIMER_OUT_MS', 'TIMER_DEL_UNIQKEY', 'TIMER_DELAY_LEVEL', 'TIMER_DELAY_MS',
  '__CRC32#', 'DLQ_ORIGIN_TOPIC', 'DLQ_ORIGIN_MESSAGE_ID', '__STARTDELIVERTIME',
]); // prettier-ignore
const TRANSIENT_PREFIX = '__RMQ.TRANSIENT.';

export function isSystemProperty(name: string): boolean {
  return SYSTEM_PROPERTIES.has(name) || name.startsWith(TRANSIENT_PREFIX);
}

export function encodeProperties(properties: ReadonlyMap<string, string>): string {
  let text = '';
  for (const [name, value] of properties) {
    text += name + NAME_VALUE_SEPARATOR + value + PROPERTY_SEPARATOR;
  }
  return text;
}

/** A stored message's properties: the user's, and RocketMQ's own. */
export interface SplitProperties {
  readonly user: Map<string, string>;
  readonly system: Map<string, string>;
}

/** Properties split into the user's and RocketMQ's own, in one pass. */
export function decodeSplitProperties(text: string): SplitProperties {
  const user = new Map<string, string>();
  const system = new Map<string, string>();
  eachProperty(text, (name, value) => (isSystemProperty(name) ? system : user).set(name, value));
  return { user, system };
}

/** Each `name \u0001 value` pair; a pair without the separator is skipped, as Java does. */
function eachProperty(text: string, take: (name: string, value: string) => void): void {
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf(PROPERTY_SEPARATOR, at);
    if (end < 0) end = text.length;
    const separator = text.indexOf(NAME_VALUE_SEPARATOR, at);
    if (separator > at && separator < end) {
      take(text.slice(at, separator), text.slice(separator + 1, end));
    }
    at = end + 1;
  }
}

/** The longest properties text a message may carry: its length travels in two bytes. */
export const MAX_PROPERTIES_BYTES = 32_767;

/**
 * A message's properties (system ones included) as a batch entry carries them; throws a
 * RangeError for properties too long to encode.
 */
export function encodedProperties(properties: ReadonlyMap<string, string>): Buffer {
  const bytes = Buffer.from(encodeProperties(properties), 'utf8');
  if (bytes.length > MAX_PROPERTIES_BYTES) {
    throw new RangeError(
      `message properties take ${bytes.length} bytes, over RocketMQ's ${MAX_PROPERTIES_BYTES}`,
    );
  }
  return bytes;
}

/** One message of a batch send: its body and its encoded properties. */
export interface BatchEntry {
  readonly body: Buffer;
  readonly properties: Buffer;
}

/**
 * The body of a SEND_BATCH_MESSAGE request (MessageDecoder.encodeMessages): per message its
 * size, magic code and body CRC (both 0: the broker sets them), flag, body and properties.
 */
export function encodeBatch(entries: readonly BatchEntry[]): Buffer {
  let total = 0;
  for (const entry of entries) total += 22 + entry.body.length + entry.properties.length;
  const batch = Buffer.allocUnsafe(total);
  let at = 0;
  for (const { body, properties } of entries) {
    at = batch.writeInt32BE(22 + body.length + properties.length, at);
    at = batch.writeInt32BE(0, at); // magic code
    at = batch.writeInt32BE(0, at); // body CRC
    at = batch.writeInt32BE(0, at); // flag
    at = batch.writeInt32BE(body.length, at);
    at += body.copy(batch, at);
    at = batch.writeInt16BE(properties.length, at);
    at += properties.copy(batch, at);
  }
  return batch;
}

/** A message as the broker stores it, read back from a pull. */
export interface StoredMessage {
  readonly topic: string;
  readonly queueId: number;
  readonly queueOffset: number;
  readonly bornTimestamp: number;
  readonly storeTimestamp: number;
  readonly reconsumeTimes: number;
  readonly body: Buffer;
  readonly properties: SplitProperties;
}

// MessageSysFlag bits.
const COMPRESSED_FLAG = 0x1;
// Bits 8-10: the compression type (0 is ZLIB, from before there were others).
const COMPRESSION_TYPE_MASK = 0x7 << 8;
const COMPRESSION_NAMES = ['ZLIB', 'LZ4', 'ZSTD', 'ZLIB'];
const BORNHOST_V6_FLAG = 0x1 << 4;
const STOREHOST_V6_FLAG = 0x1 << 5;
// MessageVersion: V2 stores the topic's length in two bytes, V1 in one.
const MAGIC_CODE_V1 = -626843481;
const MAGIC_CODE_V2 = -626843477;

export class MessageDecodeError extends Error {
  override readonly name = 'MessageDecodeError';
}

/**
 * The messages of a pull's body, in order. A compressed body (the Java producer compresses
 * bodies over 4 KiB, with ZLIB unless told otherwise) is inflated; LZ4 and ZSTD, which Node 20
 * cannot read, are refused by name.
 */
export function decodeStoredMessages(data: Buffer): StoredMessage[] {
  const messages: StoredMessage[] = [];
  let start = 0;
  while (start < data.length) {
    if (data.length - start < 4) throw new MessageDecodeError('truncated message size');
    const size = data.readInt32BE(start);
    if (size <= 0 || start + size > data.length) {
      throw new MessageDecodeError(`message size ${size} at byte ${start} is out of range`);
    }
    const m = data.subarray(start, start + size);
    const magic = m.readInt32BE(4);
    if (magic !== MAGIC_CODE_V1 && magic !== MAGIC_CODE_V2) {
      throw new MessageDecodeError(`unknown message magic code ${magic}`);
    }
    const queueId = m.readInt32BE(12);
    const queueOffset = Number(m.readBigInt64BE(20));
    const sysFlag = m.readInt32BE(36);
    let at = 40;
    const bornTimestamp = Number(m.readBigInt64BE(at));
    at += 8 + (sysFlag & BORNHOST_V6_FLAG ? 20 : 8);
    const storeTimestamp = Number(m.readBigInt64BE(at));
    at += 8 + (sysFlag & STOREHOST_V6_FLAG ? 20 : 8);
    const reconsumeTimes = m.readInt32BE(at);
    at += 4 + 8; // reconsume times, prepared transaction offset
    const bodyLength = m.readInt32BE(at);
    at += 4;
    let body: Buffer = Buffer.from(m.subarray(at, at + bodyLength));
    at += bodyLength;
    if (sysFlag & COMPRESSED_FLAG) body = inflated(body, sysFlag, `${queueId}@${queueOffset}`);
    let topicLength: number;
    if (magic === MAGIC_CODE_V2) {
      topicLength = m.readInt16BE(at);
      at += 2;
    } else {
      topicLength = m.readUInt8(at);
      at += 1;
    }
    const topic = m.toString('utf8', at, at + topicLength);
    at += topicLength;
    const propertiesLength = m.readInt16BE(at);
    at += 2;
    const properties = decodeSplitProperties(m.toString('utf8', at, at + propertiesLength));
    messages.push({
      topic,
      queueId,
      queueOffset,
      bornTimestamp,
      storeTimestamp,
      reconsumeTimes,
      body,
      properties,
    });
    start += size;
  }
  return messages;
}

function inflated(body: Buffer, sysFlag: number, where: string): Buffer {
  const type = COMPRESSION_NAMES[(sysFlag & COMPRESSION_TYPE_MASK) >> 8] ?? 'unknown';
  if (type !== 'ZLIB') {
    throw new MessageDecodeError(
      `message ${where} (queue@offset) is compressed with ${type}, which this runtime cannot read; have its producer use ZLIB or no compression`,
    );
  }
  try {
    return inflateSync(body);
  } catch (error) {
    throw new MessageDecodeError(`message ${where} (queue@offset) has a corrupt ZLIB body`, {
      cause: error,
    });
  }
}
