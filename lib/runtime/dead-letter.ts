import { deadLetterProperties } from './error-handling.js';
import type { OutgoingMessage } from './message-mapping.js';
import type { MessageProducer } from './messaging.js';
import { produceAll } from './produce.js';
import type { SliceEnv, StageFailure } from './record-stage.js';

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
