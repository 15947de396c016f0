import { parseBodyJson } from './body-json.js';
import type { RemotingClient } from './client.js';
import { RequestCode, ResponseCode } from './codes.js';
import { RemotingError } from './errors.js';

/** What `mqadmin updateTopic` gives a topic unless told otherwise. */
export const DEFAULT_QUEUES = 8;
// PermName.PERM_READ | PermName.PERM_WRITE
const PERM_READ_WRITE = 6;
// The template topic a CreateTopicRequestHeader names (TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC).
const TEMPLATE_TOPIC = 'TBW102';

/** The header fields of UPDATE_AND_CREATE_TOPIC (CreateTopicRequestHeader), as strings. */
export function createTopicFields(topic: string, messageType: string, queues: number) {
  return {
    topic,
    defaultTopic: TEMPLATE_TOPIC,
    readQueueNums: String(queues),
    writeQueueNums: String(queues),
    perm: String(PERM_READ_WRITE),
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: '0',
    order: 'false',
    // The admin tool's `-a +message.type=FIFO`: "+" adds or sets an attribute.
    attributes: `+message.type=${messageType}`,
  };
}

/** Creates the topic on one broker, or updates it to these settings. */
export async function createTopic(
  client: RemotingClient,
  broker: string,
  topic: string,
  messageType: string,
  queues = DEFAULT_QUEUES,
): Promise<void> {
  await client.invoke(broker, `creating topic ${topic}`, {
    code: RequestCode.UPDATE_AND_CREATE_TOPIC,
    extFields: createTopicFields(topic, messageType, queues),
    timeoutMs: 10_000,
  });
}

/**
 * The topic's `message.type` attribute on one broker (NORMAL when unset, as the broker takes
 * it); undefined when the broker has no such topic.
 */
export async function topicMessageType(
  client: RemotingClient,
  broker: string,
  topic: string,
): Promise<string | undefined> {
  const response = await client.invoke(
    broker,
    `the config of topic ${topic}`,
    { code: RequestCode.GET_TOPIC_CONFIG, extFields: { topic } },
    [ResponseCode.SUCCESS, ResponseCode.TOPIC_NOT_EXIST],
  );
  if (response.code === ResponseCode.TOPIC_NOT_EXIST) return undefined;
  // TopicConfigAndQueueMapping: a TopicConfig's fields, at the top.
  const config = parseBodyJson(response.body) as { attributes?: Record<string, string> } | null;
  return config?.attributes?.['message.type'] ?? 'NORMAL';
}

/**
 * Creates the consumer group on one broker, or updates it. Unset fields keep the broker's
 * defaults (SubscriptionGroupConfig); `consumeMessageOrderly` makes a FIFO topic's messages
 * come one message group at a time, in order.
 */
export async function createSubscriptionGroup(
  client: RemotingClient,
  broker: string,
  group: string,
  orderly: boolean,
): Promise<void> {
  await client.invoke(broker, `creating consumer group ${group}`, {
    code: RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP,
    body: Buffer.from(JSON.stringify({ groupName: group, consumeMessageOrderly: orderly })),
  });
}

/** Where a queue is: topic, queue id, on the broker the call goes to. */
export interface QueueRef {
  readonly topic: string;
  readonly queueId: number;
}

/** The group's committed offset of one queue; undefined when it has none. */
export async function consumerOffset(
  client: RemotingClient,
  broker: string,
  group: string,
  queue: QueueRef,
): Promise<number | undefined> {
  const response = await client.invoke(
    broker,
    `the offset of group ${group} on ${queue.topic} queue ${queue.queueId}`,
    {
      code: RequestCode.QUERY_CONSUMER_OFFSET,
      extFields: {
        consumerGroup: group,
        topic: queue.topic,
        queueId: String(queue.queueId),
        // Otherwise the broker answers 0 for a group that never committed on a young queue.
        setZeroIfNotFound: 'false',
      },
    },
    [ResponseCode.SUCCESS, ResponseCode.QUERY_NOT_FOUND],
  );
  if (response.code === ResponseCode.QUERY_NOT_FOUND) return undefined;
  return offsetOf(broker, response.extFields);
}

/** The queue's next offset (one past its last message). */
export function maxOffset(
  client: RemotingClient,
  broker: string,
  queue: QueueRef,
): Promise<number> {
  return queueBound(client, broker, queue, 'max');
}

/** The queue's oldest offset still stored. */
export function minOffset(
  client: RemotingClient,
  broker: string,
  queue: QueueRef,
): Promise<number> {
  return queueBound(client, broker, queue, 'min');
}

async function queueBound(
  client: RemotingClient,
  broker: string,
  queue: QueueRef,
  bound: 'min' | 'max',
): Promise<number> {
  const response = await client.invoke(
    broker,
    `the ${bound} offset of ${queue.topic} queue ${queue.queueId}`,
    {
      code: bound === 'max' ? RequestCode.GET_MAX_OFFSET : RequestCode.GET_MIN_OFFSET,
      extFields: { topic: queue.topic, queueId: String(queue.queueId) },
    },
  );
  return offsetOf(broker, response.extFields);
}

/**
 * Moves the group's position in one queue (the admin's server-side reset). Unlike a plain
 * offset commit, the broker applies it to pop consumption too (SimpleConsumer): the next
 * receive starts there, whatever the group had in flight. The broker refuses an offset outside
 * the queue's [min, max].
 */
export async function resetOffset(
  client: RemotingClient,
  broker: string,
  group: string,
  queue: QueueRef,
  offset: number,
): Promise<void> {
  await client.invoke(
    broker,
    `moving group ${group} to offset ${offset} of ${queue.topic} queue ${queue.queueId}`,
    {
      code: RequestCode.INVOKE_BROKER_TO_RESET_OFFSET,
      extFields: {
        group,
        topic: queue.topic,
        queueId: String(queue.queueId),
        offset: String(offset),
        timestamp: '0',
        isForce: 'true',
      },
    },
  );
}

function offsetOf(broker: string, fields: Readonly<Record<string, string>> | undefined): number {
  const offset = Number(fields?.offset);
  if (!Number.isSafeInteger(offset)) {
    throw new RemotingError(broker, `answered without an offset (${JSON.stringify(fields)})`, {
      retriable: false,
    });
  }
  return offset;
}
