import type { DynamoDBRecord } from 'aws-lambda';
import type { Item } from '../state/attributes.js';
import { decodeItem, type StateItem } from '../state/items.js';
import type { ConnectorConfig } from '../state/types.js';
import { messageGroupOf } from '../rocketmq/message-group.js';

/** The version of the state-change payload; consumers check it before reading the rest. */
export const STATE_CHANGE_FORMAT = 1;

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

/** The kinds of items mirrored; the coordinator's own lease is internal and is not. */
export type MirroredKind = 'connector' | 'taskConfigs' | 'connectorStatus' | 'task' | 'offset';

const TOPIC_OF: Readonly<Record<MirroredKind, keyof StateTopics>> = {
  connector: 'config',
  taskConfigs: 'config',
  connectorStatus: 'status',
  task: 'status',
  offset: 'offset',
};

/** What a state topic message holds (its body, as JSON). */
export interface StateChangePayload {
  readonly format: typeof STATE_CHANGE_FORMAT;
  readonly kind: MirroredKind;
  /** The item's key in the state table: last version per key wins. */
  readonly key: { readonly pk: string; readonly sk: string };
  /** The item as its record (configs masked); null when it was deleted (a tombstone). */
  readonly value: unknown;
  /** The change's stream sequence number: decimal digits, greater for later changes of a key. */
  readonly version: string;
  /** When the change was made, epoch ms (to the second, as the stream gives it). */
  readonly time: number;
}

/** One change, ready to publish: the topic, the FIFO message group (per key) and the payload. */
export interface StateChange {
  readonly topic: string;
  readonly messageGroup: string;
  readonly payload: StateChangePayload;
}

/** A stream record that cannot be mirrored: corrupt, or not from this table's stream. */
export class StateChangeError extends Error {
  override readonly name = 'StateChangeError';
}

/**
 * The state change a stream record describes, or undefined for items that are not mirrored.
 * `mask` hides secrets in connector configs (the same masking as the API's).
 */
export function stateChangeOf(
  record: DynamoDBRecord,
  topics: StateTopics,
  mask: (config: ConnectorConfig) => Record<string, string>,
): StateChange | undefined {
  const stream = record.dynamodb;
  const version = stream?.SequenceNumber;
  if (!stream || version === undefined || !/^\d+$/.test(version)) {
    throw new StateChangeError(
      `stream record ${record.eventID ?? '(no id)'} has no sequence number`,
    );
  }
  // The stream's attribute values have the shape of the SDK's.
  const image = (
    record.eventName === 'REMOVE' ? (stream.OldImage ?? stream.Keys) : stream.NewImage
  ) as Item | undefined;
  if (!image) {
    throw new StateChangeError(
      `stream record ${version} has no item image (the stream must be NEW_AND_OLD_IMAGES)`,
    );
  }
  const pk = image.pk?.S;
  const sk = image.sk?.S;
  if (pk === undefined || sk === undefined) {
    throw new StateChangeError(`stream record ${version} is of an item without a string pk and sk`);
  }
  const decoded = decodeItem(image);
  const kind = mirroredKind(decoded);
  if (kind === undefined) return undefined;
  const value = record.eventName === 'REMOVE' ? null : valueOf(decoded, mask);
  return {
    topic: topics[TOPIC_OF[kind]],
    messageGroup: messageGroupOf(`${pk}/${sk}`),
    payload: {
      format: STATE_CHANGE_FORMAT,
      kind,
      key: { pk, sk },
      value,
      version,
      time: (stream.ApproximateCreationDateTime ?? 0) * 1000,
    },
  };
}

function mirroredKind(item: StateItem): MirroredKind | undefined {
  switch (item.kind) {
    case 'connector':
    case 'taskConfigs':
    case 'connectorStatus':
    case 'task':
    case 'offset':
      return item.kind;
    case 'coordinatorLease':
    case 'unknown':
      return undefined;
  }
}

function valueOf(
  item: StateItem,
  mask: (config: ConnectorConfig) => Record<string, string>,
): unknown {
  switch (item.kind) {
    case 'connector':
      return { ...item.record, config: mask(item.record.config) };
    case 'taskConfigs':
      // Task configs usually repeat `connector.class`, so the plugin's secret keys are known;
      // without it, keys are masked by their names.
      return { ...item.record, tasks: item.record.tasks.map((task) => mask(task)) };
    case 'offset':
      return { connector: item.connector, ...item.entry };
    case 'connectorStatus':
    case 'task':
      return item.record;
    case 'coordinatorLease':
    case 'unknown':
      return null;
  }
}
