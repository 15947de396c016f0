// In-memory ports for the slice loops: a clock, a producer, a consumer and a slice env, no network.
import type { PluginRegistry } from '../../../lib/api/registry.js';
import { parseConnectorConfig, type CommonConfig } from '../../../lib/config/parse.js';
import { createBuiltinRegistry } from '../../../lib/platform/builtins.js';
import { DeadLetterQueue } from '../../../lib/runtime/dead-letter.js';
import type { IncomingMessage, OutgoingMessage } from '../../../lib/runtime/message-mapping.js';
import type {
  AckOutcome,
  MessageConsumer,
  MessageProducer,
  SendOutcome,
} from '../../../lib/runtime/messaging.js';
import { createPipeline, type Pipeline } from '../../../lib/runtime/pipeline.js';
import { SliceCounters } from '../../../lib/runtime/slice-counters.js';
import type { Clock, SliceEnv } from '../../../lib/runtime/slice-context.js';

export const registry: PluginRegistry = createBuiltinRegistry();

/** A clock that moves only when slept on or advanced, and remembers each sleep. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(private at = 1_000_000) {}
  now(): number {
    return this.at;
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.at += ms;
    return Promise.resolve();
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

/** What happened, in order, across the fakes: sends, acknowledgements, commits, acks, flushes. */
export type Events = string[];

/** A promise resolved from outside. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => undefined as void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Waits until `condition` holds, letting pending promises run (never real time). */
export async function until(condition: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 1_000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`${what} never held`);
}

/**
 * A producer that acknowledges every message, unless `outcome` says otherwise; `hold` keeps a
 * batch's receipts back until released.
 */
export class FakeProducer implements MessageProducer {
  readonly sent: OutgoingMessage[] = [];
  /** Decides each message's fate; undefined means acknowledged. */
  outcome: (message: OutgoingMessage, attempt: number) => Error | undefined = () => undefined;
  /** While set, batches wait for it before their receipts come back. */
  hold: Promise<void> | undefined;
  /** Batches whose receipts are being held back now. */
  waiting = 0;
  readonly #attempts = new Map<OutgoingMessage, number>();

  constructor(private readonly events: Events = []) {}

  async send(messages: readonly OutgoingMessage[]): Promise<SendOutcome[]> {
    for (const m of messages) this.events.push(`send ${m.topic} ${m.body.toString('utf8')}`);
    if (this.hold) {
      this.waiting++;
      await this.hold;
      this.waiting--;
    }
    return messages.map((message): SendOutcome => {
      const attempt = (this.#attempts.get(message) ?? 0) + 1;
      this.#attempts.set(message, attempt);
      const error = this.outcome(message, attempt);
      if (error) {
        this.events.push(`failed ${message.topic} ${message.body.toString('utf8')}`);
        return { ok: false, error };
      }
      this.sent.push(message);
      this.events.push(`acknowledged ${message.topic} ${message.body.toString('utf8')}`);
      return { ok: true, messageId: `id-${this.sent.length}` };
    });
  }

  /** Bodies acknowledged on `topic`, as text. */
  bodies(topic: string): string[] {
    return this.sent.filter((m) => m.topic === topic).map((m) => m.body.toString('utf8'));
  }
}

/** A consumer over a fixed list of messages; `receive` hands them out in order, once each. */
export class FakeConsumer implements MessageConsumer {
  readonly acked: IncomingMessage[] = [];
  readonly invisibleMs: number[] = [];
  /** Decides whether receive number `call` (from 1) fails; undefined means it answers. */
  receiveFails: (call: number) => Error | undefined = () => undefined;
  /** Decides whether the ack of `message`, try number `attempt` (from 1), fails; undefined: acked. */
  ackFails: (message: IncomingMessage, attempt: number) => Error | undefined = () => undefined;
  /** Each ack call with the messages it carried. */
  readonly ackCalls: IncomingMessage[][] = [];
  readonly #ackAttempts = new Map<IncomingMessage, number>();
  /** Runs at each ack before it is taken: to look at a sink's target at that moment. */
  beforeAck: ((message: IncomingMessage) => Promise<void>) | undefined;
  #next = 0;
  #calls = 0;

  constructor(
    private readonly messages: readonly IncomingMessage[],
    private readonly events: Events = [],
  ) {}

  async receive(max: number, invisibleMs: number): Promise<IncomingMessage[]> {
    this.invisibleMs.push(invisibleMs);
    // A receive is I/O: it answers on a later turn of the event loop, as the real one does.
    await new Promise((resolve) => setImmediate(resolve));
    const failure = this.receiveFails(++this.#calls);
    if (failure) throw failure;
    const batch = this.messages.slice(this.#next, this.#next + max);
    this.#next += batch.length;
    return batch;
  }

  async ack(messages: readonly IncomingMessage[]): Promise<AckOutcome[]> {
    this.ackCalls.push([...messages]);
    const outcomes: AckOutcome[] = [];
    for (const message of messages) {
      const attempt = (this.#ackAttempts.get(message) ?? 0) + 1;
      this.#ackAttempts.set(message, attempt);
      const error = this.ackFails(message, attempt);
      if (error) {
        outcomes.push({ ok: false, error });
        continue;
      }
      await this.beforeAck?.(message);
      this.acked.push(message);
      this.events.push(`ack ${message.messageId}`);
      outcomes.push({ ok: true });
    }
    return outcomes;
  }
}

/** A received message of topic `in`. */
export function incoming(
  i: number,
  body: string,
  properties: Record<string, string> = {},
): IncomingMessage {
  return {
    topic: 'in',
    body: Buffer.from(body),
    keys: [`key-${i}`],
    properties: new Map(Object.entries(properties)),
    offset: i,
    messageId: `m${i}`,
  };
}

/**
 * A connector config parsed as the slice runner parses it, and its pipeline; `plugins` finds
 * connectors other than the built-in ones (the conformance suite's test connectors).
 */
export function configure(
  config: Record<string, string>,
  plugins: PluginRegistry = registry,
): {
  common: CommonConfig;
  pipeline: Pipeline;
} {
  const { common } = parseConnectorConfig({ name: 'conn', ...config }, plugins);
  return { common, pipeline: createPipeline(common, plugins) };
}

export interface TestEnv {
  readonly env: SliceEnv;
  readonly clock: FakeClock;
  readonly warnings: string[];
}

/** The slice env of task 0 of `conn`, whose budget ends `budgetMs` from now. */
export function sliceEnv(common: CommonConfig, budgetMs = 60_000): TestEnv {
  const clock = new FakeClock();
  const warnings: string[] = [];
  const env: SliceEnv = {
    connector: common.name,
    taskId: 0,
    policy: common.errors,
    clock,
    deadline: clock.now() + budgetMs,
    counters: new SliceCounters(),
    log: { info: () => undefined, warn: (message) => warnings.push(message) },
  };
  return { env, clock, warnings };
}

/** The slice's dead-letter topic, sending through `producer`. */
export function deadLetterQueue(env: SliceEnv, producer: MessageProducer): DeadLetterQueue {
  return new DeadLetterQueue(
    env,
    env.policy.deadLetterQueueTopic,
    env.policy.deadLetterQueueContextHeaders,
    () => Promise.resolve(producer),
  );
}
