import type { Stage, StageFailure } from './error-policy.js';
import type { OutgoingMessage } from './message-mapping.js';
import type { MessageProducer } from './messaging.js';
import { produceAll } from './produce.js';
import type { SliceEnv } from './slice-context.js';

/** A record that failed a stage, as it goes to the dead-letter topic. */
export interface DeadLetter {
  /** The original bytes: the received message's body (sinks), or the record as text (sources). */
  readonly body: Buffer;
  /** Properties to keep from the original message (sinks). */
  readonly properties?: ReadonlyMap<string, string>;
  readonly keys?: readonly string[];
  readonly failure: StageFailure;
  /** Where it came from: the consumed topic and queue offset, or the source partition and offset. */
  readonly origin: {
    readonly topic?: string;
    readonly partition?: string;
    readonly offset?: string;
  };
}

/**
 * The dead-letter topic of one slice (`errors.deadletterqueue.topic.name`). Without a topic,
 * failed records are only counted and logged (Kafka Connect's behaviour). With one, every
 * letter must be acknowledged by RocketMQ before the offsets that cover it are committed; a
 * letter that cannot be sent fails the task, whatever the tolerance, so nothing is lost.
 */
export class DeadLetterQueue {
  constructor(
    private readonly env: SliceEnv,
    private readonly topic: string | undefined,
    private readonly contextHeaders: boolean,
    private readonly producer: () => Promise<MessageProducer>,
  ) {}

  async send(letters: readonly DeadLetter[]): Promise<void> {
    const { policy, log, connector, taskId } = this.env;
    // errors.log.include.messages: the failed record itself goes to the log (Kafka's rule: off
    // by default, since records may hold what logs must not).
    if (policy.logEnable && policy.logIncludeMessages) {
      for (const letter of letters) {
        log.warn(
          `${connector}/${taskId}: failed record (${letter.failure.stage}): ` +
            letter.body.toString('utf8').slice(0, 2_000),
        );
      }
    }
    if (this.topic === undefined || letters.length === 0) return;
    const messages = letters.map((letter) => this.#message(letter, this.topic as string));
    await produceAll(this.env, await this.producer(), messages, {
      ...this.env.policy,
      tolerance: 'none',
    });
    this.env.counters.add('deadLettered', letters.length);
  }

  #message(letter: DeadLetter, topic: string): OutgoingMessage {
    const properties = new Map(letter.properties ?? []);
    if (this.contextHeaders) {
      const context = deadLetterProperties({
        connector: this.env.connector,
        taskId: this.env.taskId,
        stage: letter.failure.stage,
        className: letter.failure.className,
        error: letter.failure.error,
        ...letter.origin,
      });
      for (const [key, value] of context) properties.set(key, value);
    }
    return { topic, body: letter.body, keys: [...(letter.keys ?? [])], properties };
  }
}

/** What a dead-lettered record's context says: Kafka Connect's `__connect.errors.*` headers. */
export interface DeadLetterContext {
  readonly connector: string;
  readonly taskId: number;
  readonly stage: Stage;
  /** The plugin class that failed (converter, transform, task). */
  readonly className: string;
  readonly error: Error;
  /** Where the original came from: the source topic for sinks, the source partition for sources. */
  readonly topic?: string;
  readonly partition?: string;
  readonly offset?: string;
}

/** The context properties of a dead-lettered message, named as Kafka Connect names them. */
export function deadLetterProperties(context: DeadLetterContext): Map<string, string> {
  const properties = new Map<string, string>([
    ['__connect.errors.connector.name', context.connector],
    ['__connect.errors.task.id', String(context.taskId)],
    ['__connect.errors.stage', context.stage],
    ['__connect.errors.class.name', context.className],
    ['__connect.errors.exception.class.name', context.error.name],
    ['__connect.errors.exception.message', context.error.message],
    [
      '__connect.errors.exception.stacktrace',
      truncate(propertyText(context.error.stack ?? context.error.message)),
    ],
  ]);
  if (context.topic !== undefined) properties.set('__connect.errors.topic', context.topic);
  if (context.partition !== undefined)
    properties.set('__connect.errors.partition', context.partition);
  if (context.offset !== undefined) properties.set('__connect.errors.offset', context.offset);
  for (const [key, value] of properties) properties.set(key, propertyText(value));
  return properties;
}

// RocketMQ limits the total size of a message's properties (16 KiB on the proxy), and the
// original message's own properties travel too: a stack trace gets a few KiB at most.
const MAX_TRACE_BYTES = 6_000;
function truncate(text: string): string {
  if (Buffer.byteLength(text) <= MAX_TRACE_BYTES) return text;
  // Cut by bytes, then drop a character the cut may have split.
  const cut = Buffer.from(text)
    .subarray(0, MAX_TRACE_BYTES)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  return `${cut}... (truncated)`;
}

/**
 * The proxy refuses a property value with a control character (code 40007), and a stack trace
 * has newlines: they are written as `\n` and `\t`, other control characters as spaces.
 */
export function propertyText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) =>
    c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '' : ' ',
  );
}
