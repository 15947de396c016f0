import type { ParsedConnectorConfig } from '../config/parse.js';
import type { KeyProblem } from '../config/validate-result.js';
import type { TopicType } from '../rocketmq/topic-admin.js';

/**
 * What the management API knows of RocketMQ topics: whether one exists and of which message
 * type, and (only where this platform may) how to create one. A SimpleConsumer cannot subscribe
 * to a missing topic and a producer cannot send to one, so a connector whose topics are missing
 * would stall: they are checked, or created, before the connector is stored.
 */
export interface TopicCatalog {
  /** The topic's message type; undefined when it does not exist; 'OTHER' for delay/transaction topics. */
  typeOf(topic: string): Promise<TopicType | 'OTHER' | undefined>;
  /** Absent where topics cannot be created from here (deployed: the operator creates them). */
  readonly create?: (topic: string, type: TopicType) => Promise<void>;
}

/** A topic a connector uses, the key that names it, and the message type it must have. */
export interface TopicNeed {
  readonly key: string;
  readonly topic: string;
  /** The type it must have; undefined when any type will do (a sink reads both). */
  readonly type: TopicType | undefined;
  /** Why it must have that type, for the error message. */
  readonly because?: string;
}

/**
 * The topics a parsed config names: a sink's `topics`, a source's default `topic` (FIFO when
 * `message.group.by.key` sends message groups, NORMAL otherwise: the broker refuses a message
 * whose type differs from its topic's), and the dead-letter topic (NORMAL). Keys still holding
 * `${...}` references are left out: their value is known only inside the task. Topics that
 * records or transforms choose at run time cannot be known here.
 */
export function topicNeeds(
  parsed: ParsedConnectorConfig,
  config: Readonly<Record<string, string>>,
): TopicNeed[] {
  const { common } = parsed;
  const referenced = new Set(parsed.references.map((r) => r.key));
  const keyOf = (...keys: string[]) => keys.find((k) => config[k] !== undefined) ?? keys[0]!;
  const needs: TopicNeed[] = [];
  if (common.type === 'sink') {
    const key = keyOf('topics', 'connect.topicnames');
    for (const topic of common.topics ?? []) needs.push({ key, topic, type: undefined });
  } else if (common.topic !== undefined) {
    const key = keyOf('topic', 'connect.topicname');
    needs.push(
      common.messageGroupByKey
        ? {
            key,
            topic: common.topic,
            type: 'FIFO',
            because: 'message.group.by.key=true sends FIFO messages',
          }
        : {
            key,
            topic: common.topic,
            type: 'NORMAL',
            because: 'message.group.by.key=false sends NORMAL messages',
          },
    );
  }
  const dlq = common.errors.deadLetterQueueTopic;
  if (dlq !== undefined && dlq !== '') {
    needs.push({
      key: 'errors.deadletterqueue.topic.name',
      topic: dlq,
      type: 'NORMAL',
      because: 'dead letters are NORMAL messages',
    });
  }
  return needs.filter((n) => !referenced.has(n.key));
}

/**
 * Checks every needed topic; with `create`, creates the missing ones where the catalog can.
 * Without `create` (validation), a missing topic the catalog could create is no problem.
 * Errors of the catalog itself (RocketMQ unreachable) are thrown, not reported as problems.
 */
export async function checkTopics(
  catalog: TopicCatalog,
  needs: readonly TopicNeed[],
  options: { readonly create: boolean },
): Promise<KeyProblem[]> {
  const problems: KeyProblem[] = [];
  for (const need of needs) {
    const actual = await catalog.typeOf(need.topic);
    if (actual === undefined) {
      if (!catalog.create) {
        const type = need.type ?? 'NORMAL';
        problems.push({
          key: need.key,
          message: `topic "${need.topic}" does not exist, and topics cannot be created from here: create it first (mqadmin updateTopic -t ${need.topic} -a +message.type=${type})`,
        });
      } else if (options.create) {
        await catalog.create(need.topic, need.type ?? 'NORMAL');
      }
    } else if (need.type !== undefined && actual !== need.type) {
      problems.push({
        key: need.key,
        message: `topic "${need.topic}" is a ${actual} topic, but ${need.because ?? `it must be ${need.type}`}: use a ${need.type} topic`,
      });
    }
  }
  return problems;
}
