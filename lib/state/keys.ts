import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { SourcePartition } from '../api/source-offsets.js';

/** The primary key of a state item: partition key `pk`, sort key `sk` (see types.ts for the layout). */
export interface StateKey {
  readonly pk: string;
  readonly sk: string;
}

export const CONNECTORS_PK = 'connectors';
export const TASK_CONFIGS_SK = 'tasks';
export const CONNECTOR_STATUS_SK = 'status';
export const COORDINATOR_LEASE_KEY: StateKey = { pk: 'coordinator', sk: 'lease' };
export const CONNECTOR_PK_PREFIX = 'connector#';
export const OFFSETS_PK_PREFIX = 'offsets#';
export const TASK_SK_PREFIX = 'task#';

/** Task ids are zero-padded to 4 digits so that task items sort by id. */
export const MAX_TASK_ID = 9999;

// DynamoDB's limit on a sort key; a longer partition key is replaced by its hash.
const MAX_SORT_KEY_BYTES = 1024;
const HASHED_SORT_KEY_PREFIX = 'sha256:';

export const connectorKey = (name: string): StateKey => ({ pk: CONNECTORS_PK, sk: name });

/** The partition holding a connector's task configs, status and task items. */
export const connectorPk = (name: string): string => `${CONNECTOR_PK_PREFIX}${name}`;

export const taskConfigsKey = (name: string): StateKey => ({
  pk: connectorPk(name),
  sk: TASK_CONFIGS_SK,
});

export const connectorStatusKey = (name: string): StateKey => ({
  pk: connectorPk(name),
  sk: CONNECTOR_STATUS_SK,
});

/** `task#0007` for task 7. */
export const taskSortKey = (taskId: number): string =>
  `${TASK_SK_PREFIX}${String(taskId).padStart(4, '0')}`;

export const taskKey = (name: string, taskId: number): StateKey => ({
  pk: connectorPk(name),
  sk: taskSortKey(taskId),
});

/** The task id of a task item's sort key, or undefined when `sk` is not one. */
export function parseTaskSortKey(sk: string): number | undefined {
  const match = /^task#(\d{4,})$/.exec(sk);
  return match ? Number(match[1]) : undefined;
}

/** The partition holding a connector's offsets; it outlives the connector, as in Kafka Connect. */
export const offsetsPk = (name: string): string => `${OFFSETS_PK_PREFIX}${name}`;

/**
 * The sort key of a source partition's offset item: its canonical JSON, so that the same
 * partition always finds the same item whatever the order of its keys. A partition whose JSON
 * is longer than DynamoDB allows for a sort key gets `sha256:<hex of the JSON>` instead (the
 * partition itself is stored in the item either way).
 */
export function partitionSortKey(partition: SourcePartition): string {
  return sortKeyOfPartitionJson(canonicalJson(partition, 'source partition'));
}

/** partitionSortKey for a partition already in canonical JSON. */
export function sortKeyOfPartitionJson(json: string): string {
  if (Buffer.byteLength(json, 'utf8') <= MAX_SORT_KEY_BYTES) return json;
  return HASHED_SORT_KEY_PREFIX + createHash('sha256').update(json, 'utf8').digest('hex');
}

export const offsetKey = (name: string, partition: SourcePartition): StateKey => ({
  pk: offsetsPk(name),
  sk: partitionSortKey(partition),
});

/** What a key addresses, read back from the key alone (for snapshots and the state mirror). */
export type KeyKind =
  | { readonly kind: 'connector'; readonly connector: string }
  | { readonly kind: 'taskConfigs'; readonly connector: string }
  | { readonly kind: 'connectorStatus'; readonly connector: string }
  | { readonly kind: 'task'; readonly connector: string; readonly taskId: number }
  | { readonly kind: 'offset'; readonly connector: string }
  | { readonly kind: 'coordinatorLease' }
  | { readonly kind: 'unknown' };

export function classifyKey(key: StateKey): KeyKind {
  const { pk, sk } = key;
  if (pk === CONNECTORS_PK) return { kind: 'connector', connector: sk };
  if (pk === COORDINATOR_LEASE_KEY.pk && sk === COORDINATOR_LEASE_KEY.sk) {
    return { kind: 'coordinatorLease' };
  }
  if (pk.startsWith(OFFSETS_PK_PREFIX)) {
    return { kind: 'offset', connector: pk.slice(OFFSETS_PK_PREFIX.length) };
  }
  if (pk.startsWith(CONNECTOR_PK_PREFIX)) {
    const connector = pk.slice(CONNECTOR_PK_PREFIX.length);
    if (sk === TASK_CONFIGS_SK) return { kind: 'taskConfigs', connector };
    if (sk === CONNECTOR_STATUS_SK) return { kind: 'connectorStatus', connector };
    const taskId = parseTaskSortKey(sk);
    if (taskId !== undefined) return { kind: 'task', connector, taskId };
  }
  return { kind: 'unknown' };
}
