import { describe, expect, test } from 'vitest';
import type { Converter } from '../../../lib/api/converter.js';
import { NO_KEY_MESSAGE_GROUP } from '../../../lib/rocketmq/message-group.js';
import type { SourceRecord } from '../../../lib/api/record.js';
import {
  KEY_PROPERTY,
  toMessage,
  toSinkRecord,
  type IncomingMessage,
} from '../../../lib/runtime/message-mapping.js';

/** A converter of JSON text, enough to see what the mapping does with its bytes. */
const json: Converter = {
  configure: () => undefined,
  fromConnectData: (_topic, _schema, value) =>
    value === null ? new Uint8Array() : new TextEncoder().encode(JSON.stringify(value)),
  toConnectData: (_topic, bytes) => ({
    value: bytes.length === 0 ? null : (JSON.parse(new TextDecoder().decode(bytes)) as unknown),
  }),
};
/** Raw bytes both ways: a key that is not text. */
const bytes: Converter = {
  configure: () => undefined,
  fromConnectData: (_topic, _schema, value) => value as Uint8Array,
  toConnectData: (_topic, b) => ({ value: Buffer.from(b) }),
};

const record = (changes: Partial<SourceRecord> = {}): SourceRecord => ({
  partition: { filename: 'in.txt' },
  offset: { position: 10 },
  timestamp: 1_700_000_000_000,
  key: 'customer-7',
  value: { id: 1, total: 9.5 },
  headers: [
    { key: 'origin', value: 'shop' },
    { key: 'trace', value: 'a' },
    { key: 'trace', value: 'b' },
  ],
  ...changes,
});

function received(message: ReturnType<typeof toMessage>): IncomingMessage {
  return {
    topic: message.topic,
    body: message.body,
    keys: message.keys,
    properties: message.properties,
    messageId: 'm1',
    bornTimestamp: new Date(1_700_000_000_500),
  };
}

describe('records as RocketMQ messages', () => {
  test('a source record becomes a message: value bytes as body, key as message key, headers as properties', () => {
    const message = toMessage(
      record(),
      { key: json, value: json },
      { defaultTopic: 'orders', fifo: false },
    );
    expect(message.topic).toBe('orders');
    expect(JSON.parse(message.body.toString())).toEqual({ id: 1, total: 9.5 });
    expect(message.keys).toEqual(['"customer-7"']);
    expect(message.properties.get('origin')).toBe('shop');
    expect(message.properties.get('trace')).toBe('b');
    expect(message.messageGroup).toBeUndefined();
  });

  test('a record naming its topic goes there; FIFO groups messages by key', () => {
    const message = toMessage(
      record({ topic: 'vip-orders' }),
      { key: json, value: json },
      { defaultTopic: 'orders', fifo: true },
    );
    expect(message.topic).toBe('vip-orders');
    expect(message.messageGroup).toBe('"customer-7"');
  });

  test('a null key gives no message key and no key property; on a FIFO topic, the keyless group', () => {
    const message = toMessage(
      record({ key: null }),
      { key: json, value: json },
      { defaultTopic: 't', fifo: true },
    );
    expect(message.keys).toEqual([]);
    expect(message.properties.has(KEY_PROPERTY)).toBe(false);
    // The broker refuses a message without a group on a FIFO topic.
    expect(message.messageGroup).toBe(NO_KEY_MESSAGE_GROUP);
    const normal = toMessage(
      record({ key: null }),
      { key: json, value: json },
      { defaultTopic: 't', fifo: false },
    );
    expect(normal.messageGroup).toBeUndefined();
  });

  test('a key the proxy would refuse as a group (64 characters or more, control characters) is grouped by its digest', () => {
    const group = (key: string) =>
      toMessage(record({ key }), { key: json, value: json }, { defaultTopic: 't', fifo: true })
        .messageGroup;
    const long = 'k'.repeat(100);
    expect(group(long)).toMatch(/^sha256:[0-9a-f]{56}$/);
    expect(group(long)).toHaveLength(63);
    expect(group(long)).toBe(group(long));
    expect(group(long)).not.toBe(group(`${long}x`));
    const raw: Converter = {
      ...json,
      fromConnectData: (_t, _s, value) => Buffer.from(String(value)),
    };
    const withNewline = toMessage(
      record({ key: 'line\nbreak' }),
      { key: raw, value: json },
      {
        defaultTopic: 't',
        fifo: true,
      },
    );
    expect(withNewline.messageGroup).toMatch(/^sha256:/);
    // Nor does it take such a message key: the exact key travels in the key property.
    expect(withNewline.keys).toEqual([]);
    expect(withNewline.properties.get(KEY_PROPERTY)).toBe(
      Buffer.from('line\nbreak').toString('base64'),
    );
  });

  test('a message read back is the same record for a sink: key, value, headers and time', () => {
    const converters = { key: json, value: json };
    const sink = toSinkRecord(
      received(toMessage(record(), converters, { defaultTopic: 'orders', fifo: false })),
      converters,
    );
    expect(sink).toEqual({
      topic: 'orders',
      partition: undefined,
      offset: undefined,
      timestamp: 1_700_000_000_500,
      key: 'customer-7',
      value: { id: 1, total: 9.5 },
      headers: [
        { key: 'origin', value: 'shop' },
        { key: 'trace', value: 'b' },
      ],
    });
  });

  test('a key that is not text survives the round trip byte for byte', () => {
    const key = new Uint8Array([0xff, 0x00, 0xfe, 0x80]);
    const converters = { key: bytes, value: json };
    const sink = toSinkRecord(
      received(toMessage(record({ key }), converters, { defaultTopic: 't', fifo: false })),
      converters,
    );
    expect(Buffer.from(sink.key as Uint8Array)).toEqual(Buffer.from(key));
  });

  test('a message from another producer (message key, no key property) still gives its key', () => {
    const sink = toSinkRecord(
      {
        topic: 't',
        body: Buffer.from('{"a":1}'),
        keys: ['"k1"'],
        properties: new Map(),
        messageId: 'x',
      },
      { key: json, value: json },
    );
    expect(sink.key).toBe('k1');
    expect(sink.value).toEqual({ a: 1 });
    expect(sink).not.toHaveProperty('queueId');
  });

  test("a message read from a queue gives its sink record the queue id and offset (Kafka's partition and offset)", () => {
    const sink = toSinkRecord(
      {
        topic: 't',
        body: Buffer.from('1'),
        keys: [],
        properties: new Map(),
        messageId: 'x',
        queueId: 5,
        offset: 1234,
      },
      { key: json, value: json },
    );
    expect(sink).toMatchObject({ queueId: 5, queueOffset: 1234, partition: undefined });
  });
});
