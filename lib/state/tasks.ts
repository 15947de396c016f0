import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { keyItem, num, str } from './attributes.js';
import { ConnectorNotFoundError, StaleWriteError, StateError } from './errors.js';
import { Expression } from './expression.js';
import { fenceAction, readConnectorPartition, tasksToFence } from './fences.js';
import {
  connectorStatusItem,
  taskConfigsFromItem,
  taskConfigsItem,
  taskStatusValue,
} from './items.js';
import { connectorKey, MAX_TASK_ID, parseTaskSortKey, taskConfigsKey, taskKey } from './keys.js';
import {
  chunk,
  MAX_TRANSACTION_ACTIONS,
  transactWrite,
  txConditionCheck,
  txDelete,
  txPut,
  txUpdate,
  type StateContext,
  type TxAction,
} from './requests.js';
import type {
  ConnectorConfig,
  ConnectorStatusRecord,
  TaskConfigsRecord,
  TaskStatus,
} from './types.js';
import {
  requireArray,
  requireConfig,
  requireConnectorName,
  requireConnectorStatus,
  requireInteger,
  requireTaskId,
  requireTaskStatus,
  requireTimestamp,
} from './validate.js';

// The coordinator's writes: task configs, fences, statuses, removal of surplus tasks. Each one
// goes with a check that the connector still exists, so that a coordinator planning from a
// snapshot taken before a delete cannot bring a deleted connector's items back.

/** Fails the transaction with ConnectorNotFoundError when the connector's config is gone. */
function connectorExists(ctx: StateContext, name: string, action: string): TxAction {
  const x = new Expression();
  return {
    action: txConditionCheck(ctx, connectorKey(name), `attribute_exists(${x.name('pk')})`, x),
    onConditionFailed: (_old, cause) => new ConnectorNotFoundError(name, action, { cause }),
  };
}

export async function getTaskConfigs(
  ctx: StateContext,
  name: string,
): Promise<TaskConfigsRecord | undefined> {
  requireConnectorName(name);
  const answer = await ctx.client.send(
    new GetItemCommand({
      TableName: ctx.table,
      Key: keyItem(taskConfigsKey(name)),
      ConsistentRead: true,
    }),
  );
  return answer.Item ? taskConfigsFromItem(answer.Item, name) : undefined;
}

/**
 * One transaction: the connector exists; the task configs item is put with generation
 * `expectedGeneration + 1` on the condition that its generation is still `expectedGeneration`
 * (absent for -1); every task is fenced. Limit: the transaction holds at most 100 actions, so
 * at most 98 tasks can be fenced (the task items found, and the ids of the old task configs).
 */
export async function writeTaskConfigs(
  ctx: StateContext,
  name: string,
  configVersion: number,
  tasks: readonly ConnectorConfig[],
  expectedGeneration: number,
  now: number,
): Promise<TaskConfigsRecord> {
  requireConnectorName(name);
  requireInteger(configVersion, 'config version', 1);
  requireInteger(expectedGeneration, 'expected generation', -1);
  requireTimestamp(now, 'now');
  requireArray(tasks, `task configs of connector ${name}`, MAX_TASK_ID + 1);
  tasks.forEach((task, i) => requireConfig(task, `config of task ${i} of connector ${name}`));

  const partition = await readConnectorPartition(ctx, name);
  const stale = (cause?: unknown) =>
    new StaleWriteError(
      name,
      `cannot write task configs of connector ${name} as generation ${expectedGeneration + 1}: ` +
        `the expected generation was ${expectedGeneration}, but another write changed it ` +
        `(read the task configs again)`,
      { cause },
    );
  // Nothing to write if the generation already moved: say so without a transaction.
  if (partition.generation !== expectedGeneration) throw stale();
  const fenced = tasksToFence(partition);
  if (fenced.length > MAX_TRANSACTION_ACTIONS - 2) {
    throw new StateError(
      `cannot write task configs of connector ${name}: its ${fenced.length} tasks cannot all be ` +
        `fenced in one transaction (at most ${MAX_TRANSACTION_ACTIONS - 2})`,
    );
  }
  const record: TaskConfigsRecord = {
    connector: name,
    generation: expectedGeneration + 1,
    configVersion,
    tasks: tasks.map((task) => ({ ...task })),
  };
  const x = new Expression();
  const generationCondition =
    expectedGeneration === -1
      ? `attribute_not_exists(${x.name('pk')})`
      : `${x.name('generation')} = ${x.value(num(expectedGeneration))}`;
  await transactWrite(ctx, [
    connectorExists(ctx, name, 'write its task configs'),
    {
      action: txPut(ctx, taskConfigsItem(record, now), generationCondition, x),
      onConditionFailed: (_old, cause) => stale(cause),
    },
    ...fenced.map((taskId) => fenceAction(ctx, name, taskId, now)),
  ]);
  return record;
}

/** Epoch + 1 and holder removed; creates the task item if absent. */
export async function fenceTask(
  ctx: StateContext,
  name: string,
  taskId: number,
  now: number,
): Promise<void> {
  requireConnectorName(name);
  requireTaskId(taskId);
  requireTimestamp(now, 'now');
  await transactWrite(ctx, [
    connectorExists(ctx, name, `fence task ${taskId}`),
    fenceAction(ctx, name, taskId, now),
  ]);
}

/**
 * The coordinator's status write for a task: refused with StaleWriteError when the task's
 * epoch is no longer `expectedEpoch` (a slice took the lease, or it was fenced, since the
 * coordinator read it). With `expectedEpoch` 0 it may also create the task item (a task that
 * never had a lease).
 */
export async function setTaskStatus(
  ctx: StateContext,
  name: string,
  taskId: number,
  status: TaskStatus,
  expectedEpoch: number,
): Promise<void> {
  requireConnectorName(name);
  requireTaskId(taskId);
  requireTaskStatus(status, `task ${taskId} of connector ${name}`);
  requireInteger(expectedEpoch, 'expected epoch', 0);
  const x = new Expression();
  const epoch = x.name('epoch');
  const update =
    `SET ${x.name('status')} = ${x.value(taskStatusValue(status))}, ` +
    `${x.name('connector')} = ${x.value(str(name))}, ` +
    `${x.name('taskId')} = ${x.value(num(taskId))}, ` +
    `${epoch} = if_not_exists(${epoch}, ${x.value(num(0))}), ` +
    `${x.name('generation')} = if_not_exists(${x.name('generation')}, ${x.value(num(-1))}), ` +
    `${x.name('leaseExpiresAt')} = if_not_exists(${x.name('leaseExpiresAt')}, ${x.value(num(0))})`;
  const current = `${epoch} = ${x.value(num(expectedEpoch))}`;
  const condition =
    expectedEpoch === 0 ? `attribute_not_exists(${x.name('pk')}) OR ${current}` : current;
  await transactWrite(ctx, [
    connectorExists(ctx, name, `set the status of task ${taskId}`),
    {
      action: txUpdate(ctx, taskKey(name, taskId), update, condition, x),
      onConditionFailed: (old, cause) =>
        new StaleWriteError(
          name,
          `cannot set the status of task ${taskId} of connector ${name} to ${status.state}: ` +
            `its epoch is ${old?.epoch?.N ?? 'absent'}, not the expected ${expectedEpoch} ` +
            `(a slice took the lease or it was fenced since it was read)`,
          { cause },
        ),
    },
  ]);
}

/** Refused with StaleWriteError when a status with a later `updatedAt` is stored. */
export async function setConnectorStatus(
  ctx: StateContext,
  status: ConnectorStatusRecord,
): Promise<void> {
  requireConnectorStatus(status);
  const name = status.connector;
  const x = new Expression();
  const updatedAt = x.name('updatedAt');
  const condition = `attribute_not_exists(${x.name('pk')}) OR ${updatedAt} <= ${x.value(num(status.updatedAt))}`;
  await transactWrite(ctx, [
    connectorExists(ctx, name, `set its status to ${status.state}`),
    {
      action: txPut(ctx, connectorStatusItem(status), condition, x),
      onConditionFailed: (old, cause) =>
        new StaleWriteError(
          name,
          `cannot set the status of connector ${name} to ${status.state}: a newer status ` +
            `(updatedAt ${old?.updatedAt?.N ?? '?'} > ${status.updatedAt}) is stored`,
          { cause },
        ),
    },
  ]);
}

/**
 * Deletes the task items of ids >= `taskCount`, in transactions of at most 100 deletes. A
 * slice still holding one of them is fenced by the deletion (its item, hence its epoch, is gone).
 */
export async function removeTasksFrom(
  ctx: StateContext,
  name: string,
  taskCount: number,
): Promise<void> {
  requireConnectorName(name);
  requireInteger(taskCount, 'task count', 0);
  const partition = await readConnectorPartition(ctx, name);
  const surplus = partition.keys.filter((key) => (parseTaskSortKey(key.sk) ?? -1) >= taskCount);
  for (const part of chunk(surplus, MAX_TRANSACTION_ACTIONS)) {
    await transactWrite(
      ctx,
      part.map((key) => ({ action: txDelete(ctx, key) })),
    );
  }
}
