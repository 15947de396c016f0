import type { OutgoingMessage } from '../runtime/message-mapping.js';
import type { MessageProducer, SendOutcome } from '../runtime/messaging.js';
import { groupBy } from '../util/group-by.js';
import { classifyClientError } from './client-errors.js';

/** What sendAll needs of a producer (BatchProducer in lib/rocketmq/batch-send.ts). */
export interface BatchSender<M> {
  /** The client's message; throws when it can never be sent (too large, refused options). */
  publishing(message: OutgoingMessage): M;
  /** One request of messages of one topic: their ids, or the request's failure for all. */
  sendBatch(messages: readonly M[]): Promise<string[]>;
}

export interface BatchLimits {
  readonly maxMessages: number;
  /** Bytes of bodies, keys and properties in one request (a single larger message goes alone). */
  readonly maxBytes: number;
}

/**
 * One message per request. Measured on the local stack (RocketMQ 5.3.3): a SendMessage of
 * several messages is stored as a broker batch, and the proxy gives that batch the FIRST
 * message's properties as batch properties, which the broker appends to every message: each
 * message then reads back the first one's user properties, keys and message id (see
 * test/integration/send.test.ts). Until the proxy keeps them per message, several messages per
 * request would corrupt records, so requests carry one; a batch's bytes stay bounded for when
 * they do (the broker refuses a batch over its 4 MiB `maxMessageSize`).
 */
export const BATCH_LIMITS: BatchLimits = { maxMessages: 1, maxBytes: 1024 * 1024 };

interface Item<M> {
  readonly index: number;
  readonly message: M;
  readonly bytes: number;
}

/**
 * Sends messages and resolves once every one has its receipt or its own failure: offsets may
 * only be committed for what is durable, and one bad message must not sink its neighbours.
 *
 * Messages without a message group go in requests of one topic each, in their order, bounded
 * by `limits`; a request the proxy refuses as a whole for good (one bad message makes the
 * whole batch fail) is sent again one message per request, so only the bad one fails. FIFO
 * messages (with a message group) go one per request, since the proxy routes a request of
 * several messages to a queue of its own choice, not by group; a group's messages go one after
 * the other, each once the one before it is stored, so they keep their order. After a failure
 * in a group the rest of that group is not sent (failed retriably), to be sent again in order.
 * Errors are the client's own; callers classify them (lib/rocketmq/client-errors.ts).
 */
export async function sendAll<M>(
  producer: BatchSender<M>,
  messages: readonly OutgoingMessage[],
  limits: BatchLimits = BATCH_LIMITS,
): Promise<SendOutcome[]> {
  const outcomes = new Array<SendOutcome>(messages.length);
  const fail = (index: number, error: unknown) => {
    outcomes[index] = {
      ok: false,
      error: error instanceof Error ? error : new Error(String(error)),
    };
  };
  const grouped: Item<M>[] = [];
  const plain: Item<M>[] = [];
  for (const [index, message] of messages.entries()) {
    try {
      const item = { index, message: producer.publishing(message), bytes: sizeOf(message) };
      (message.messageGroup === undefined ? plain : grouped).push(item);
    } catch (error) {
      fail(index, error);
    }
  }

  const send = async (items: readonly Item<M>[]): Promise<boolean> => {
    try {
      const ids = await producer.sendBatch(items.map((i) => i.message));
      for (const [k, item] of items.entries()) {
        outcomes[item.index] = { ok: true, messageId: ids[k] ?? '' };
      }
      return true;
    } catch (error) {
      if (items.length > 1 && !isRetriable(error)) {
        await Promise.all(items.map((item) => send([item])));
      } else {
        for (const item of items) fail(item.index, error);
      }
      return false;
    }
  };

  const byGroup = groupBy(grouped, (i) => {
    const m = messages[i.index] as OutgoingMessage;
    return `${m.topic}\u0000${m.messageGroup ?? ''}`;
  });
  const sendInOrder = async (items: readonly Item<M>[]) => {
    for (const [k, item] of items.entries()) {
      if (await send([item])) continue;
      for (const later of items.slice(k + 1)) {
        const m = messages[later.index] as OutgoingMessage;
        fail(
          later.index,
          new Error(
            `not sent: an earlier message of group ${m.messageGroup ?? ''} to ${m.topic} ` +
              'failed, and the group keeps its order',
          ),
        );
      }
      return;
    }
  };
  // The producer bounds the requests in flight; these only queue for it.
  await Promise.all([
    ...chunks(plain, messages, limits).map(send),
    ...[...byGroup.values()].map(sendInOrder),
  ]);
  return outcomes;
}

/** The runtime's producer over a batch sender: outcomes with their errors classified. */
export function messageProducer<M>(sender: BatchSender<M>, limits: BatchLimits): MessageProducer {
  return {
    async send(messages) {
      const outcomes = await sendAll(sender, messages, limits);
      return outcomes.map((o) => (o.ok ? o : { ok: false, error: classifyClientError(o.error) }));
    },
  };
}

function isRetriable(error: unknown): boolean {
  return classifyClientError(error instanceof Error ? error : new Error(String(error))).retriable;
}

/** What a message adds to a request, near enough: properties and keys are small next to it. */
function sizeOf(message: OutgoingMessage): number {
  let bytes = message.body.length + 64;
  for (const key of message.keys) bytes += key.length;
  for (const [name, value] of message.properties) bytes += name.length + value.length;
  return bytes;
}

/** Requests of one topic each, messages in their order, within the limits. */
function chunks<M>(
  items: readonly Item<M>[],
  messages: readonly OutgoingMessage[],
  limits: BatchLimits,
): Item<M>[][] {
  const requests: Item<M>[][] = [];
  const open = new Map<string, { items: Item<M>[]; bytes: number }>();
  for (const item of items) {
    const topic = (messages[item.index] as OutgoingMessage).topic;
    let request = open.get(topic);
    if (
      request &&
      (request.items.length >= limits.maxMessages || request.bytes + item.bytes > limits.maxBytes)
    ) {
      request = undefined;
    }
    if (!request) {
      request = { items: [], bytes: 0 };
      open.set(topic, request);
      requests.push(request.items);
    }
    request.items.push(item);
    request.bytes += item.bytes;
  }
  return requests;
}
