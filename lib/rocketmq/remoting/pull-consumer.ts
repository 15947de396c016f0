import { setTimeout as sleep } from 'node:timers/promises';
import { RetriableError } from '../../api/errors.js';
import type { IncomingMessage } from '../../runtime/message-mapping.js';
import type { AckOutcome, ConsumerMember, MessageConsumer } from '../../runtime/messaging.js';
import { mapBounded } from '../../util/concurrency.js';
import { consumerOffset, maxOffset, minOffset } from './broker.js';
import type { RemotingClient } from './client.js';
import { RequestCode, ResponseCode } from './codes.js';
import { decodeStoredMessages, SystemProperty } from './message-codec.js';
import type { QueueAddress, TopicRoutes } from './routes.js';

/**
 * Messages one pull asks for. The broker brings at most its `maxTransferCountOnMessageInMemory`
 * (32 by default; the local stack raises it to 1,024, which cuts the broker's CPU per message
 * 4-5x) and `maxTransferBytesOnMessageInMemory`; what comes waits in the buffer.
 */
const PULL_BATCH = 1024;
/** Queues pulled side by side. */
const PULLS_IN_FLIGHT = 8;
// PullSysFlag: hold the request until messages arrive; the subscription is in the request.
const FLAG_SUSPEND = 0x2;
const FLAG_SUBSCRIPTION = 0x4;

/** A pulled message: what the runtime reads, and where it came from (for its commit). */
class PulledMessage implements IncomingMessage {
  constructor(
    readonly queue: QueueState,
    readonly offset: number,
    readonly topic: string,
    readonly body: Buffer,
    readonly keys: readonly string[],
    readonly properties: ReadonlyMap<string, string>,
    readonly bornTimestamp: Date,
    readonly messageId: string,
  ) {}

  get queueId(): number {
    return this.queue.address.queueId;
  }
}

/** One assigned queue: where the next pull starts, and what was handed out but not acked. */
interface QueueState {
  readonly address: QueueAddress;
  /** The next offset to pull. */
  position: number;
  /** The offset committed to the broker (the group's position there). */
  committed: number;
  /** Offsets handed to the runtime and not yet acked. */
  readonly outstanding: Set<number>;
  pulling: boolean;
}

/**
 * A consumer group member that pulls its share of the topics' queues (RocketMQ's remoting
 * PULL_MESSAGE, as Kafka Connect's sink tasks read their partitions) and commits the group's
 * offset per queue once messages are acked, the oldest unacked message bounding it. Task `i` of
 * `n` reads queues `i, i+n, ...` of the topics' queues in a stable order, so tasks never share
 * a queue, and a queue's messages reach one task in order. What a slice pulled and did not ack
 * is pulled again by the next slice, from the committed offset.
 *
 * A queue the group never committed starts at its earliest stored message (Kafka Connect's
 * `auto.offset.reset=earliest` for sinks).
 */
export class PullConsumer implements MessageConsumer {
  private queues: Promise<QueueState[]> | undefined;
  private buffer: PulledMessage[] = [];
  private filling: Promise<void> | undefined;
  /** The fill waiting for any held pull to bring messages (one fill runs at a time). */
  private waiting: (() => void) | undefined;

  constructor(
    private readonly client: RemotingClient,
    private readonly routes: TopicRoutes,
    private readonly group: string,
    private readonly topics: readonly string[],
    private readonly member: ConsumerMember,
    private readonly longPollMs: number,
  ) {}

  async receive(max: number): Promise<IncomingMessage[]> {
    if (this.buffer.length === 0) {
      this.filling ??= this.fill().finally(() => (this.filling = undefined));
      await this.filling;
    }
    return this.buffer.splice(0, max);
  }

  async ack(messages: readonly IncomingMessage[]): Promise<AckOutcome[]> {
    const touched = new Set<QueueState>();
    for (const m of messages) {
      if (!(m instanceof PulledMessage)) {
        throw new TypeError(`message ${m.messageId} was not pulled by this consumer`);
      }
      m.queue.outstanding.delete(m.offset);
      touched.add(m.queue);
    }
    const failed = new Map<QueueState, Error>();
    await Promise.all(
      [...touched].map(async (queue) => {
        try {
          await this.commit(queue);
        } catch (error) {
          failed.set(queue, asRetriable(error));
        }
      }),
    );
    return messages.map((m) => {
      const error = failed.get((m as PulledMessage).queue);
      if (error === undefined) return { ok: true };
      // Acked again on a retry: the commit is worked out afresh then.
      (m as PulledMessage).queue.outstanding.add(m.offset as number);
      return { ok: false, error };
    });
  }

  /** The group's offset of a queue moves to its oldest unacked message, never back. */
  private async commit(queue: QueueState): Promise<void> {
    let target = queue.position;
    for (const offset of queue.outstanding) target = Math.min(target, offset);
    if (target <= queue.committed) return;
    const { address } = queue;
    await this.client.invoke(
      address.address,
      `committing group ${this.group} at ${target} of ${address.topic} queue ${address.queueId}`,
      {
        code: RequestCode.UPDATE_CONSUMER_OFFSET,
        extFields: {
          consumerGroup: this.group,
          topic: address.topic,
          queueId: String(address.queueId),
          commitOffset: String(target),
        },
      },
    );
    queue.committed = Math.max(queue.committed, target);
  }

  /**
   * Pulls every idle queue once. When none had anything, every idle queue's pull is held at the
   * broker until messages come (long polling); the first that brings any ends the wait, and the
   * others go on and fill the buffer as they come back. The broker answers a held pull that
   * found nothing only at its next check of held requests (every 5 s), not at `longPollMs`.
   */
  private async fill(): Promise<void> {
    const queues = await this.assigned();
    const idle = () => queues.filter((q) => !q.pulling);
    await mapBounded(idle(), PULLS_IN_FLIGHT, (q) => this.pull(q, false));
    if (this.buffer.length > 0) return;
    const arrival = new Promise<void>((resolve) => (this.waiting = resolve));
    const held = idle().map((q) => this.pull(q, true));
    try {
      await Promise.race([arrival, held.length > 0 ? Promise.all(held) : sleep(this.longPollMs)]);
    } finally {
      this.waiting = undefined;
    }
  }

  private async pull(queue: QueueState, suspend: boolean): Promise<void> {
    queue.pulling = true;
    try {
      const { address } = queue;
      const answer = await pullMessages(this.client, address, this.group, queue.position, {
        max: PULL_BATCH,
        holdMs: suspend ? this.longPollMs : 0,
      });
      if (answer.moved !== undefined) {
        // The position is gone (messages expired) or ahead: the broker says where to go on.
        queue.position = answer.moved;
        return;
      }
      for (const stored of answer.messages) {
        if (stored.queueOffset < queue.position) continue;
        const message = new PulledMessage(
          queue,
          stored.queueOffset,
          ...messageFields(address, stored),
        );
        queue.outstanding.add(message.offset);
        this.buffer.push(message);
      }
      if (this.buffer.length > 0) this.waiting?.();
      if (answer.nextBegin !== undefined && answer.nextBegin > queue.position) {
        queue.position = answer.nextBegin;
      }
    } catch (error) {
      this.routes.forget(queue.address.topic);
      throw error;
    } finally {
      queue.pulling = false;
    }
  }

  /** This member's queues, each from the group's committed offset (else its earliest). */
  private assigned(): Promise<QueueState[]> {
    this.queues ??= this.loadAssignment();
    this.queues.catch(() => (this.queues = undefined));
    return this.queues;
  }

  private async loadAssignment(): Promise<QueueState[]> {
    const all = (await Promise.all(this.topics.map((t) => this.routes.readable(t)))).flat();
    const mine = all.filter((_, i) => i % this.member.count === this.member.index);
    return mapBounded(mine, PULLS_IN_FLIGHT, async (address) => {
      const ref = { topic: address.topic, queueId: address.queueId };
      const committed =
        (await consumerOffset(this.client, address.address, this.group, ref)) ??
        (await minOffset(this.client, address.address, ref));
      return { address, position: committed, committed, outstanding: new Set(), pulling: false };
    });
  }
}

type StoredMessage = ReturnType<typeof decodeStoredMessages>[number];

/** What one PULL_MESSAGE brought: messages, where to go on, or a position that moved. */
interface PullAnswer {
  readonly messages: readonly StoredMessage[];
  readonly nextBegin?: number;
  /** The asked offset is gone or ahead: pull from here instead. */
  readonly moved?: number;
}

/**
 * One PULL_MESSAGE of a queue from `offset` for `group`, held up to `holdMs` at the broker when
 * nothing is there. It never commits the group's offset (no commit flag): commits are
 * UPDATE_CONSUMER_OFFSET, on ack.
 */
async function pullMessages(
  client: RemotingClient,
  address: QueueAddress,
  group: string,
  offset: number,
  options: { readonly max: number; readonly holdMs: number },
): Promise<PullAnswer> {
  const response = await client.invoke(
    address.address,
    `pulling ${address.topic} queue ${address.queueId} for group ${group}`,
    {
      code: RequestCode.PULL_MESSAGE,
      extFields: {
        consumerGroup: group,
        topic: address.topic,
        queueId: String(address.queueId),
        queueOffset: String(offset),
        maxMsgNums: String(options.max),
        sysFlag: String(FLAG_SUBSCRIPTION | (options.holdMs > 0 ? FLAG_SUSPEND : 0)),
        commitOffset: '0',
        suspendTimeoutMillis: String(options.holdMs),
        subscription: '*',
        subVersion: '0',
        expressionType: 'TAG',
        bname: address.brokerName,
      },
      timeoutMs: options.holdMs + 10_000,
    },
    PULL_ANSWERS,
  );
  const next = Number(response.extFields?.nextBeginOffset);
  const nextBegin = Number.isSafeInteger(next) ? next : undefined;
  if (response.code === ResponseCode.PULL_OFFSET_MOVED && nextBegin !== undefined) {
    return { messages: [], moved: nextBegin };
  }
  if (response.code !== ResponseCode.SUCCESS || !response.body) {
    return { messages: [], ...(nextBegin !== undefined && { nextBegin }) };
  }
  return {
    messages: decodeStoredMessages(response.body),
    ...(nextBegin !== undefined && { nextBegin }),
  };
}

/** A stored message's fields as the runtime reads them (after its queue and offset). */
function messageFields(address: QueueAddress, stored: StoredMessage) {
  const { user, system } = stored.properties;
  const keys = system.get(SystemProperty.KEYS);
  return [
    stored.topic,
    stored.body,
    keys ? keys.split(' ').filter((k) => k !== '') : [],
    user,
    new Date(stored.bornTimestamp),
    system.get(SystemProperty.UNIQ_KEY) ??
      `${address.brokerName}:${address.topic}:${address.queueId}:${stored.queueOffset}`,
  ] as const;
}

/**
 * The last `max` messages of the topics (by the time they were born, oldest first), read for a
 * look only: pulled as `group` without a commit, so the group's offsets do not move (a preview).
 */
export async function peekLatest(
  client: RemotingClient,
  routes: TopicRoutes,
  group: string,
  topics: readonly string[],
  max: number,
): Promise<IncomingMessage[]> {
  const queues = (await Promise.all(topics.map((t) => routes.readable(t)))).flat();
  const perQueue = await mapBounded(queues, PULLS_IN_FLIGHT, async (address) => {
    const ref = { topic: address.topic, queueId: address.queueId };
    const [first, end] = await Promise.all([
      minOffset(client, address.address, ref),
      maxOffset(client, address.address, ref),
    ]);
    const from = Math.max(first, end - max);
    if (from >= end) return [];
    const answer = await pullMessages(client, address, group, from, { max, holdMs: 0 });
    return answer.messages
      .filter((m) => m.queueOffset >= from)
      .map((stored): IncomingMessage => {
        const [topic, body, keys, properties, bornTimestamp, messageId] = messageFields(
          address,
          stored,
        );
        return {
          topic,
          body,
          keys,
          properties,
          bornTimestamp,
          messageId,
          offset: stored.queueOffset,
          queueId: address.queueId,
        };
      });
  });
  return perQueue
    .flat()
    .sort((a, b) => (a.bornTimestamp?.getTime() ?? 0) - (b.bornTimestamp?.getTime() ?? 0))
    .slice(-max);
}

const PULL_ANSWERS = [
  ResponseCode.SUCCESS,
  ResponseCode.PULL_NOT_FOUND,
  ResponseCode.PULL_RETRY_IMMEDIATELY,
  ResponseCode.PULL_OFFSET_MOVED,
];

/**
 * A commit that failed, whatever the broker said, is tried again by the sink loop while the
 * time allows: the messages are written, and a commit that never lands means the next slice
 * writes the queue's messages again from the last commit. (A refusal that failed the slice did
 * exactly that in CI: one queue's 976 messages written twice.)
 */
function asRetriable(error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  return new RetriableError(`commit refused or lost: ${reason}`, { cause: error });
}
