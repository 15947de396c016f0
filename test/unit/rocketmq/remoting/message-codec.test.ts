import { deflateSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import {
  decodeSplitProperties,
  decodeStoredMessages,
  encodeBatch,
  encodedProperties,
  encodeProperties,
  isSystemProperty,
  MAX_PROPERTIES_BYTES,
  MessageDecodeError,
} from '../../../../lib/rocketmq/remoting/message-codec.js';
import { groupHash } from '../../../../lib/rocketmq/remoting/producer.js';

const MAGIC_V1 = -626843481;
const MAGIC_V2 = -626843477;

/**
 * A message in the broker's stored layout (CommitLog's), written field by field from
 * MessageDecoder's documented order, IPv4 or IPv6 hosts.
 */
function stored(options: {
  topic: string;
  queueId: number;
  queueOffset: number;
  body: string;
  properties: string;
  magic?: number;
  v6?: boolean;
  sysFlag?: number;
  /** The body's bytes as stored, when not `body`'s text. */
  raw?: Buffer;
}): Buffer {
  const v6 = options.v6 ?? false;
  const host = v6 ? 20 : 8;
  const body = options.raw ?? Buffer.from(options.body);
  const topic = Buffer.from(options.topic);
  const properties = Buffer.from(options.properties);
  const magic = options.magic ?? MAGIC_V2;
  const topicLengthBytes = magic === MAGIC_V2 ? 2 : 1;
  const size =
    4 + 4 + 4 + 4 + 4 + 8 + 8 + 4 + 8 + host + 8 + host + 4 + 8 + 4 + body.length +
    topicLengthBytes + topic.length + 2 + properties.length; // prettier-ignore
  const b = Buffer.alloc(size);
  let at = b.writeInt32BE(size, 0);
  at = b.writeInt32BE(magic, at);
  at = b.writeInt32BE(0, at); // body CRC
  at = b.writeInt32BE(options.queueId, at);
  at = b.writeInt32BE(0, at); // flag
  at = b.writeBigInt64BE(BigInt(options.queueOffset), at);
  at = b.writeBigInt64BE(123n, at); // physical offset
  const sysFlag = (options.sysFlag ?? 0) | (v6 ? (1 << 4) | (1 << 5) : 0);
  at = b.writeInt32BE(sysFlag, at);
  at = b.writeBigInt64BE(1_700_000_000_000n, at); // born
  at += host;
  at = b.writeBigInt64BE(1_700_000_000_500n, at); // stored
  at += host;
  at = b.writeInt32BE(2, at); // reconsume times
  at = b.writeBigInt64BE(0n, at);
  at = b.writeInt32BE(body.length, at);
  at += body.copy(b, at);
  at = topicLengthBytes === 2 ? b.writeInt16BE(topic.length, at) : b.writeUInt8(topic.length, at);
  at += topic.copy(b, at);
  at = b.writeInt16BE(properties.length, at);
  properties.copy(b, at);
  return b;
}

describe('properties', () => {
  test('are name \\u0001 value \\u0002 pairs, both ways, unicode and spaces kept', () => {
    const properties = new Map([
      ['seq', '1'],
      ['a header', 'caf\u00e9 = x'],
    ]);
    const text = encodeProperties(properties);
    expect(text).toBe('seq\u00011\u0002a header\u0001caf\u00e9 = x\u0002');
    expect(decodeSplitProperties(text).user).toEqual(properties);
    expect(decodeSplitProperties('')).toEqual({ user: new Map(), system: new Map() });
    // A pair without its separator is skipped, as Java's string2messageProperties does.
    expect(decodeSplitProperties('bad\u0002k\u0001v\u0002').user).toEqual(new Map([['k', 'v']]));
    expect(decodeSplitProperties('k\u0001').user).toEqual(new Map([['k', '']]));
  });

  test("RocketMQ's own names are told apart from the user's", () => {
    for (const name of [
      'UNIQ_KEY',
      'KEYS',
      'WAIT',
      'CLUSTER',
      '__SHARDINGKEY',
      '__RMQ.TRANSIENT.X',
    ]) {
      expect(isSystemProperty(name)).toBe(true);
    }
    for (const name of ['seq', 'keys', '__connect.key', 'UNIQ']) {
      expect(isSystemProperty(name)).toBe(false);
    }
  });
});

describe('a batch send body', () => {
  test('holds each message with its size, zero magic and CRC, flag, body and own properties', () => {
    const body = encodeBatch([
      { body: Buffer.from('one'), properties: encodedProperties(new Map([['k', 'v1']])) },
      { body: Buffer.from('second'), properties: encodedProperties(new Map([['k', 'v2']])) },
    ]);
    const firstSize = body.readInt32BE(0);
    expect(firstSize).toBe(20 + 3 + 2 + 'k\u0001v1\u0002'.length);
    expect(body.readInt32BE(4)).toBe(0);
    expect(body.readInt32BE(8)).toBe(0);
    expect(body.readInt32BE(16)).toBe(3);
    expect(body.toString('utf8', 20, 23)).toBe('one');
    expect(body.readInt16BE(23)).toBe(5);
    expect(body.toString('utf8', 25, 30)).toBe('k\u0001v1\u0002');
    const second = body.subarray(firstSize);
    expect(second.readInt32BE(0)).toBe(second.length);
    expect(second.toString('utf8', 20, 26)).toBe('second');
  });

  test('refuses properties too long for their two-byte length', () => {
    const long = new Map([['p', 'x'.repeat(MAX_PROPERTIES_BYTES)]]);
    expect(() => encodedProperties(long)).toThrow(/properties take \d+ bytes/);
  });
});

describe('stored messages from a pull', () => {
  test('are read in order with topic, queue, offset, times, body and properties', () => {
    const data = Buffer.concat([
      stored({
        topic: 'orders',
        queueId: 3,
        queueOffset: 41,
        body: 'a',
        properties: 'x\u00011\u0002',
      }),
      stored({
        topic: 'orders',
        queueId: 3,
        queueOffset: 42,
        body: 'bb',
        properties: 'UNIQ_KEY\u0001ID\u0002',
        v6: true,
        magic: MAGIC_V1,
      }),
    ]);
    const [first, second] = decodeStoredMessages(data);
    expect(first).toMatchObject({
      topic: 'orders',
      queueId: 3,
      queueOffset: 41,
      bornTimestamp: 1_700_000_000_000,
      storeTimestamp: 1_700_000_000_500,
      reconsumeTimes: 2,
    });
    expect(first?.body.toString()).toBe('a');
    expect(first?.properties.user).toEqual(new Map([['x', '1']]));
    expect(second?.queueOffset).toBe(42);
    expect(second?.body.toString()).toBe('bb');
    expect(second?.properties.system.get('UNIQ_KEY')).toBe('ID');
    expect(second?.properties.user.size).toBe(0);
  });

  test("a ZLIB body (the Java producer's default over 4 KiB) is inflated", () => {
    const text = 'compressible '.repeat(500);
    const [message] = decodeStoredMessages(
      stored({
        topic: 't',
        queueId: 0,
        queueOffset: 1,
        body: '',
        properties: '',
        sysFlag: 1 | (3 << 8),
        raw: deflateSync(text),
      }),
    );
    expect(message?.body.toString()).toBe(text);
  });

  test('LZ4 or ZSTD, an unknown magic code or a cut message is refused by name', () => {
    const base = { topic: 't', queueId: 0, queueOffset: 5, body: 'z', properties: '' };
    expect(() => decodeStoredMessages(stored({ ...base, sysFlag: 1 | (1 << 8) }))).toThrow(
      /compressed with LZ4/,
    );
    expect(() => decodeStoredMessages(stored({ ...base, sysFlag: 1 | (2 << 8) }))).toThrow(
      /compressed with ZSTD/,
    );
    expect(() => decodeStoredMessages(stored({ ...base, magic: 7 }))).toThrow(MessageDecodeError);
    expect(() => decodeStoredMessages(stored(base).subarray(0, 30))).toThrow(/out of range/);
  });
});

describe('message groups', () => {
  test("hash as Java's String.hashCode, never negative", () => {
    expect(groupHash('')).toBe(0);
    expect(groupHash('a')).toBe(97);
    // "polygenelubricants".hashCode() is Integer.MIN_VALUE in Java.
    expect(groupHash('polygenelubricants')).toBeGreaterThanOrEqual(0);
    expect(groupHash('order-42')).toBe(groupHash('order-42'));
  });
});
