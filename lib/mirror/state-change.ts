import type { DynamoDBRecord } from 'aws-lambda';
import type { Item } from '../state/attributes.js';
import { ItemReader, keyOf, stringMap } from '../state/attributes.js';
import { classifyKey } from '../state/keys.js';
import type { ConnectorConfig } from '../api/connector-config.js';
import { messageGroupOf } from '../rocketmq/message-group.js';
import { itemToJson } from './item-json.js';
import { STATE_CHANGE_FORMAT, type MirroredKind, type StateChangePayload } from './payload.js';

/** Where each kind of state goes: RocketMQ Connect's names for its state topics by default. */
export interface StateTopics {
  readonly config: string;
  readonly offset: string;
  readonly status: string;
}

export const DEFAULT_STATE_TOPICS: StateTopics = {
  config: 'connector-config-topic',
  offset: 'connector-offset-topic',
  status: 'connector-status-topic',
};

/** The topics' names, without repeats (one topic may take several kinds). */
export function stateTopicNames(topics: StateTopics): string[] {
  return [...new Set([topics.config, topics.offset, topics.status])];
}

const TOPIC_OF: Readonly<Record<MirroredKind, keyof StateTopics>> = {
  connector: 'config',
  taskConfigs: 'config',
  connectorStatus: 'status',
  task: 'status',
  offset: 'offset',
};

/** One change, ready to publish: the topic, the FIFO message group (per key) and the payload. */
export interface StateChange {
  readonly topic: string;
  readonly messageGroup: string;
  readonly payload: StateChangePayload;
}

/** A stream record that cannot be mirrored: corrupt, or not from a table's stream. */
export class StateChangeError extends Error {
  override readonly name = 'StateChangeError';
}

export type ConfigMask = (config: ConnectorConfig) => Record<string, string>;

/** DynamoDB's sequence numbers have at most 40 digits. */
const SEQUENCE_DIGITS = 40;

/**
 * A change's version: the stream's label (when its table was created, ISO time) and the
 * sequence number padded to 40 digits. Sequence numbers restart with each table, so a table
 * restored from the topics (a new table) must still order after the one it was restored from.
 */
export function changeVersion(streamArn: string, sequenceNumber: string): string {
  const label = /\/stream\/([^/]+)$/.exec(streamArn)?.[1];
  if (label === undefined) {
    throw new StateChangeError(`${JSON.stringify(streamArn)} is not a DynamoDB stream ARN`);
  }
  if (!/^\d{1,40}$/.test(sequenceNumber)) {
    throw new StateChangeError(
      `sequence number ${JSON.stringify(sequenceNumber)} is not 1 to 40 digits`,
    );
  }
  return `${label}:${sequenceNumber.padStart(SEQUENCE_DIGITS, '0')}`;
}

/**
 * The state change a stream record describes, or undefined for items that are not mirrored.
 * `mask` hides secrets in connector and task configs (the same masking as the API's).
 */
export function stateChangeOf(
  record: DynamoDBRecord,
  topics: StateTopics,
  mask: ConfigMask,
): StateChange | undefined {
  const stream = record.dynamodb;
  const sequence = stream?.SequenceNumber;
  if (!stream || sequence === undefined || record.eventSourceARN === undefined) {
    throw new StateChangeError(
      `stream record ${record.eventID ?? '(no id)'} has no sequence number or source ARN`,
    );
  }
  const version = changeVersion(record.eventSourceARN, sequence);
  const removed = record.eventName === 'REMOVE';
  // The stream's attribute values have the shape of the SDK's.
  const image = (removed ? (stream.OldImage ?? stream.Keys) : stream.NewImage) as Item | undefined;
  if (!image) {
    throw new StateChangeError(
      `stream record ${sequence} has no item image (the stream must be NEW_AND_OLD_IMAGES)`,
    );
  }
  const key = keyOf(image);
  if (!key) {
    throw new StateChangeError(
      `stream record ${sequence} is of an item without a string pk and sk`,
    );
  }
  const kind = classifyKey(key).kind;
  if (kind === 'coordinatorLease' || kind === 'unknown') return undefined;
  return {
    topic: topics[TOPIC_OF[kind]],
    messageGroup: messageGroupOf(`${key.pk}/${key.sk}`),
    payload: {
      format: STATE_CHANGE_FORMAT,
      kind,
      key,
      value: removed ? null : itemToJson(masked(kind, image, mask)),
      version,
      // Rounded: a stream trigger may give the time to the microsecond.
      time: Math.round((stream.ApproximateCreationDateTime ?? 0) * 1000),
    },
  };
}

/** The item with its configs masked: a state topic never holds a secret. */
function masked(kind: MirroredKind, item: Item, mask: ConfigMask): Item {
  const where = `${item.pk?.S ?? ''}/${item.sk?.S ?? ''}`;
  const read = new ItemReader(item, where);
  const maskMap = (config: Record<string, string>) => stringMap(mask(config));
  switch (kind) {
    case 'connector':
      return { ...item, config: maskMap(read.stringMap('config')) };
    case 'taskConfigs':
      // Task configs usually repeat `connector.class`, so the plugin's secret keys are known;
      // without it, keys are masked by their names.
      return {
        ...item,
        tasks: {
          L: read
            .list('tasks')
            .map((task, i) =>
              maskMap(new ItemReader({ task }, `${where}.tasks[${i}]`).stringMap('task')),
            ),
        },
      };
    case 'connectorStatus':
    case 'task':
    case 'offset':
      return item;
  }
}
