import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ItemReader, keyItem, keyOf, map, num, str, stringMap, type Item } from './attributes.js';
import { parseJsonObject } from './canonical-json.js';
import { StateError } from './errors.js';
import {
  classifyKey,
  connectorKey,
  connectorStatusKey,
  taskConfigsKey,
  type StateKey,
} from './keys.js';
import type { OffsetEntry } from '../api/source-offsets.js';
import type {
  ConnectorRecord,
  ConnectorStatusRecord,
  RuntimeState,
  TargetState,
  TaskConfigsRecord,
  TaskLease,
  TaskRecord,
  TaskCounter,
  TaskCounters,
  TaskMetrics,
  TaskStatus,
} from './types.js';
import { TASK_COUNTERS } from './types.js';

// Item <-> record mapping. Records are read from the item's key first (the key is the truth:
// which connector, which task), then from its attributes.
//
// Attributes per item kind:
//   connector        name, config (map of S), targetState, version, createdAt, updatedAt
//   task configs     connector, generation, configVersion, tasks (list of maps of S), updatedAt
//   connector status connector, state, trace?, updatedAt
//   task             connector, taskId, generation, epoch, holder?, leaseExpiresAt, status (map),
//                    counters (map of N)?, lastSlice (map)?, lastError (map)?
//   offset           connector, partition (JSON), offset (JSON), taskId?, epoch, holder?, seq, updatedAt
//   coordinator      epoch, holder?, leaseExpiresAt
// The lease deadline is `leaseExpiresAt` (epoch ms), not the table's TTL attribute `expiresAt`
// (epoch seconds): a lease item must never be removed by TTL, or its epoch would start over.

const where = (item: Item): string => {
  const key = keyOf(item);
  return key ? `${key.pk}/${key.sk}` : '(an item without pk/sk)';
};

function requireKey(item: Item): StateKey {
  const key = keyOf(item);
  if (!key) throw new StateError('state item is corrupt: it has no string pk and sk');
  return key;
}

export function connectorItem(record: ConnectorRecord): Item {
  return {
    ...keyItem(connectorKey(record.name)),
    name: str(record.name),
    config: stringMap(record.config),
    targetState: str(record.targetState),
    version: num(record.version),
    createdAt: num(record.createdAt),
    updatedAt: num(record.updatedAt),
  };
}

export function connectorFromItem(item: Item): ConnectorRecord {
  const read = new ItemReader(item, where(item));
  return {
    name: requireKey(item).sk,
    config: read.stringMap('config'),
    targetState: read.string('targetState') as TargetState,
    version: read.number('version'),
    createdAt: read.number('createdAt'),
    updatedAt: read.number('updatedAt'),
  };
}

export function taskConfigsItem(record: TaskConfigsRecord, now: number): Item {
  return {
    ...keyItem(taskConfigsKey(record.connector)),
    connector: str(record.connector),
    generation: num(record.generation),
    configVersion: num(record.configVersion),
    tasks: { L: record.tasks.map(stringMap) },
    updatedAt: num(now),
  };
}

export function taskConfigsFromItem(item: Item, connector: string): TaskConfigsRecord {
  const at = where(item);
  const read = new ItemReader(item, at);
  return {
    connector,
    generation: read.number('generation'),
    configVersion: read.number('configVersion'),
    tasks: read
      .list('tasks')
      .map((task, i) => new ItemReader({ task }, `${at}.tasks[${i}]`).stringMap('task')),
  };
}

export function connectorStatusItem(status: ConnectorStatusRecord): Item {
  return {
    ...keyItem(connectorStatusKey(status.connector)),
    connector: str(status.connector),
    state: str(status.state),
    ...(status.trace === undefined ? {} : { trace: str(status.trace) }),
    updatedAt: num(status.updatedAt),
  };
}

export function connectorStatusFromItem(item: Item, connector: string): ConnectorStatusRecord {
  const read = new ItemReader(item, where(item));
  const trace = read.optionalString('trace');
  return {
    connector,
    state: read.string('state') as RuntimeState,
    ...(trace === undefined ? {} : { trace }),
    updatedAt: read.number('updatedAt'),
  };
}

/** A task's status as the `status` map of its task item. */
export function taskStatusValue(status: TaskStatus): AttributeValue {
  return map({
    state: str(status.state),
    ...(status.trace === undefined ? {} : { trace: str(status.trace) }),
    restartCount: num(status.restartCount),
    ...(status.nextRestartAt === undefined ? {} : { nextRestartAt: num(status.nextRestartAt) }),
    ...(status.workerId === undefined ? {} : { workerId: str(status.workerId) }),
    updatedAt: num(status.updatedAt),
  });
}

function taskStatusFrom(read: ItemReader): TaskStatus {
  const trace = read.optionalString('trace');
  const nextRestartAt = read.optionalNumber('nextRestartAt');
  const workerId = read.optionalString('workerId');
  return {
    state: read.string('state') as RuntimeState,
    ...(trace === undefined ? {} : { trace }),
    restartCount: read.number('restartCount'),
    ...(nextRestartAt === undefined ? {} : { nextRestartAt }),
    ...(workerId === undefined ? {} : { workerId }),
    updatedAt: read.number('updatedAt'),
  };
}

/** The `status` map of a (projected) task item; undefined when it has none. */
export function taskStatusOf(item: Item): TaskStatus | undefined {
  return item.status ? taskStatusFrom(new ItemReader(item, where(item)).map('status')) : undefined;
}

/** The status a task item starts with, before anyone reported one. */
export const initialTaskStatus = (now: number): TaskStatus => ({
  state: 'UNASSIGNED',
  restartCount: 0,
  updatedAt: now,
});

/** The lease part of a task or coordinator item. */
export function leaseFromItem(item: Item): TaskLease {
  const read = new ItemReader(item, where(item));
  const holder = read.optionalString('holder');
  return {
    ...(holder === undefined ? {} : { holder }),
    epoch: read.number('epoch'),
    expiresAt: read.optionalNumber('leaseExpiresAt') ?? 0,
  };
}

export function taskFromItem(item: Item, connector: string, taskId: number): TaskRecord {
  const read = new ItemReader(item, where(item));
  return {
    connector,
    taskId,
    generation: read.number('generation'),
    lease: leaseFromItem(item),
    status: taskStatusFrom(read.map('status')),
    metrics: taskMetricsFrom(item, read),
  };
}

/** Every counter at 0. */
export const ZERO_COUNTERS: TaskCounters = Object.freeze(
  Object.fromEntries(TASK_COUNTERS.map((c) => [c, 0])) as Record<TaskCounter, number>,
);

export function countersValue(counters: TaskCounters): AttributeValue {
  return map(Object.fromEntries(TASK_COUNTERS.map((c) => [c, num(counters[c])])));
}

/** Counters from a map; absent ones are 0 (a counter added later reads as 0 on older items). */
function countersFrom(read: ItemReader): TaskCounters {
  return Object.fromEntries(TASK_COUNTERS.map((c) => [c, read.optionalNumber(c) ?? 0])) as Record<
    TaskCounter,
    number
  >;
}

export function lastErrorValue(lastError: { at: number; message: string }): AttributeValue {
  return map({ at: num(lastError.at), message: str(lastError.message) });
}

// Task items written before any slice ended (or by the coordinator) have no metrics yet.
function taskMetricsFrom(item: Item, read: ItemReader): TaskMetrics {
  const last = item.lastSlice ? read.map('lastSlice') : undefined;
  const error = item.lastError ? read.map('lastError') : undefined;
  return {
    totals: item.counters ? countersFrom(read.map('counters')) : ZERO_COUNTERS,
    ...(last && {
      lastSlice: {
        startedAt: last.number('startedAt'),
        endedAt: last.number('endedAt'),
        counters: countersFrom(last.map('counters')),
      },
    }),
    ...(error && { lastError: { at: error.number('at'), message: error.string('message') } }),
  };
}

// Partitions and offsets are stored as canonical JSON text (S): it reads back exactly as written.
export function offsetFromItem(item: Item): OffsetEntry {
  const at = where(item);
  const read = new ItemReader(item, at);
  return {
    partition: parseJsonObject(read.string('partition'), `partition of ${at}`),
    offset: parseJsonObject(read.string('offset'), `offset of ${at}`),
  };
}

/** Any state item, decoded by its key: what a snapshot or the state mirror reads. */
export type StateItem =
  | { readonly kind: 'connector'; readonly record: ConnectorRecord }
  | { readonly kind: 'taskConfigs'; readonly record: TaskConfigsRecord }
  | { readonly kind: 'connectorStatus'; readonly record: ConnectorStatusRecord }
  | { readonly kind: 'task'; readonly record: TaskRecord }
  | { readonly kind: 'offset'; readonly connector: string; readonly entry: OffsetEntry }
  | { readonly kind: 'coordinatorLease'; readonly lease: TaskLease }
  | { readonly kind: 'unknown' };

export function decodeItem(item: Item): StateItem {
  const key = keyOf(item);
  if (!key) return { kind: 'unknown' };
  const kind = classifyKey(key);
  switch (kind.kind) {
    case 'connector':
      return { kind: 'connector', record: connectorFromItem(item) };
    case 'taskConfigs':
      return { kind: 'taskConfigs', record: taskConfigsFromItem(item, kind.connector) };
    case 'connectorStatus':
      return { kind: 'connectorStatus', record: connectorStatusFromItem(item, kind.connector) };
    case 'task':
      return { kind: 'task', record: taskFromItem(item, kind.connector, kind.taskId) };
    case 'offset':
      return { kind: 'offset', connector: kind.connector, entry: offsetFromItem(item) };
    case 'coordinatorLease':
      return { kind: 'coordinatorLease', lease: leaseFromItem(item) };
    case 'unknown':
      return { kind: 'unknown' };
  }
}
