import { BadRequestException, InternalErrorException } from 'rocketmq-client-nodejs';
import { describe, expect, test } from 'vitest';
import { sendAll, type BatchSender } from '../../../lib/rocketmq/send.js';
import type { OutgoingMessage } from '../../../lib/runtime/message-mapping.js';

/** Bad request (40000) and internal error (50001): refused for good, and worth trying again. */
const refused = (why: string) => new BadRequestException(40000, why);
const internal = (why: string) => new InternalErrorException(50001, why);

/**
 * A producer that answers each request at once, unless `fails` names a message of it: then the
 * whole request fails with that error, as the proxy stores a batch whole or not at all.
 */
class FakeSender implements BatchSender<OutgoingMessage> {
  readonly requests: string[][] = [];
  fails: (m: OutgoingMessage) => Error | undefined = () => undefined;
  inFlight = 0;
  maxInFlight = 0;

  publishing(message: OutgoingMessage): OutgoingMessage {
    if (message.body.length > 100) throw new RangeError('too large');
    return message;
  }

  async sendBatch(messages: readonly OutgoingMessage[]): Promise<string[]> {
    this.requests.push(messages.map(text));
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    this.inFlight--;
    for (const m of messages) {
      const error = this.fails(m);
      if (error) throw error;
    }
    return messages.map((m) => `id-${text(m)}`);
  }
}

const text = (m: OutgoingMessage) => `${m.topic}:${m.body.toString('utf8')}`;

function message(topic: string, body: string, messageGroup?: string): OutgoingMessage {
  return {
    topic,
    body: Buffer.from(body),
    keys: [],
    properties: new Map(),
    ...(messageGroup === undefined ? {} : { messageGroup }),
  };
}

const limits = { maxMessages: 3, maxBytes: 1_000 };

describe('sending a batch', () => {
  test('sends messages without a group in requests of one topic each, in order, within the count', async () => {
    const sender = new FakeSender();
    const messages = ['a', 'b', 'a', 'a', 'a', 'b'].map((t, i) => message(t, String(i)));

    const outcomes = await sendAll(sender, messages, limits);

    expect(sender.requests).toEqual([['a:0', 'a:2', 'a:3'], ['b:1', 'b:5'], ['a:4']]);
    expect(outcomes).toEqual(messages.map((m) => ({ ok: true, messageId: `id-${text(m)}` })));
  });

  test('bounds the bytes of a request, and sends a message larger than the bound alone', async () => {
    const sender = new FakeSender();
    // Each message counts its body and 64 bytes for the rest: 104, 104, 163, 74.
    const messages = [40, 40, 99, 10].map((n, i) => message('a', String(i).repeat(n)));

    const outcomes = await sendAll(sender, messages, { maxMessages: 10, maxBytes: 220 });
    expect(sender.requests.map((r) => r.length)).toEqual([2, 1, 1]);

    const alone = new FakeSender();
    await sendAll(alone, messages.slice(2), { maxMessages: 10, maxBytes: 150 });
    expect(alone.requests.map((r) => r.length)).toEqual([1, 1]);
    expect(outcomes.every((o) => o.ok)).toBe(true);
  });

  test('a message that can never be sent fails alone, before any request', async () => {
    const sender = new FakeSender();
    const messages = [message('a', 'ok'), message('a', 'x'.repeat(101)), message('a', 'ok too')];

    const outcomes = await sendAll(sender, messages, limits);

    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(sender.requests).toEqual([['a:ok', 'a:ok too']]);
  });

  test('a request refused for good is sent again one message per request, so only the bad one fails', async () => {
    const sender = new FakeSender();
    sender.fails = (m) => (m.body.toString() === 'bad' ? refused('bad property') : undefined);
    const messages = ['1', 'bad', '3'].map((b) => message('a', b));

    const outcomes = await sendAll(sender, messages, limits);

    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.message))).toEqual([
      'ok',
      expect.stringContaining('bad property'),
      'ok',
    ]);
    expect(sender.requests).toEqual([['a:1', 'a:bad', 'a:3'], ['a:1'], ['a:bad'], ['a:3']]);
  });

  test('a request that failed retriably fails every message of it, for the caller to send again', async () => {
    const sender = new FakeSender();
    sender.fails = (m) => (m.body.toString() === '2' ? internal('flush timeout') : undefined);
    const messages = ['1', '2', '3', '4'].map((b) => message('a', b));

    const outcomes = await sendAll(sender, messages, limits);

    expect(outcomes.map((o) => o.ok)).toEqual([false, false, false, true]);
    expect(sender.requests).toHaveLength(2);
  });

  test("sends a FIFO group's messages one per request, each after the one before, groups side by side", async () => {
    const sender = new FakeSender();
    const messages = ['g1', 'g2', 'g1', 'g2', 'g1'].map((g, i) => message('f', `${g}-${i}`, g));

    const outcomes = await sendAll(sender, messages, limits);

    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(sender.requests.every((r) => r.length === 1)).toBe(true);
    const order = (g: string) => sender.requests.flat().filter((t) => t.startsWith(`f:${g}`));
    expect(order('g1')).toEqual(['f:g1-0', 'f:g1-2', 'f:g1-4']);
    expect(order('g2')).toEqual(['f:g2-1', 'f:g2-3']);
    expect(sender.maxInFlight).toBe(2);
  });

  test('after a failure in a FIFO group, the rest of that group is not sent and fails retriably', async () => {
    const sender = new FakeSender();
    sender.fails = (m) => (m.body.toString() === 'g1-1' ? refused('bad') : undefined);
    const messages = ['g1', 'g1', 'g2', 'g1'].map((g, i) => message('f', `${g}-${i}`, g));

    const outcomes = await sendAll(sender, messages, limits);

    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true, false]);
    expect(sender.requests.flat()).not.toContain('f:g1-3');
    const kept = outcomes[3];
    expect(kept?.ok === false && kept.error.message).toMatch(/earlier message of group g1/);
  });
});
