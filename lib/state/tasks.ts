import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { keyItem, num, str } from './attributes.js';
import { ConnectorNotFoundError, StaleWriteError, StateError, StateInputError } from './errors.js';
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
import type { ConnectorConfig } from '../api/connector-config.js';
import type { ConnectorStatusRecord, TaskConfigsRecord, TaskStatus } from './types.js';
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
 * One transaction: the connector is still the one the tasks were computed from (same version
 * and createdAt); the task configs item is put with generation `expectedGeneration + 1` on the
 * condition that its generation is still `expectedGeneration` (absent for -1); every task is
 * fenced. Limit: the transaction holds at most 100 actions, so at most 98 tasks can be fenced
 * (the task items found, and the ids of the old task configs).
 */
export async function writeTaskConfigs(
  ctx: StateContext,
  connector: { readonly name: string; readonly version: number; readonly createdAt: number },
  tasks: readonly ConnectorConfig[],
  expectedGeneration: number,
  now: number,
): Promise<TaskConfigsRecord> {
  if (typeof connector !== 'object' || connector === null) {
    throw new StateInputError('the connector of writeTaskConfigs must be an object');
  }
  const { name, version, createdAt } = connector;
  requireConnectorName(name);
  requireInteger(version, 'connector version', 1);
  requireTimestamp(createdAt, 'connector createdAt');
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
    configVersion: version,
    tasks: tasks.map((task) => ({ ...task })),
  };
  const c = new Expression();
  const sameConnector =
    `${c.name('version')} = ${c.value(num(version))} AND ` +
    `${c.name('createdAt')} = ${c.value(num(createdAt))}`;
  const x = new Expression();
  const generationCondition =
    expectedGeneration === -1
      ? `attribute_not_exists(${x.name('pk')})`
      : `${x.name('generation')} = ${x.value(num(expectedGeneration))}`;
  const action = `write the task configs of connector ${name}`;
  await transactWrite(
    ctx,
    [
      {
        action: txConditionCheck(ctx, connectorKey(name), sameConnector, c),
        onConditionFailed: (old, cause) =>
          old
            ? new StaleWriteError(
                name,
                `cannot ${action}: they were computed from version ${version} (created at ` +
                  `${createdAt}), but the connector is now at version ${old.version?.N ?? '?'} ` +
                  `(created at ${old.createdAt?.N ?? '?'}): its config changed, or it was ` +
                  `deleted and re-created (read it again)`,
                { cause },
              )
            : new ConnectorNotFoundError(name, action, { cause }),
      },
      {
        action: txPut(ctx, taskConfigsItem(record, now), generationCondition, x),
        onConditionFailed: (_old, cause) => stale(cause),
      },
      ...fenced.map((taskId) => fenceAction(ctx, name, taskId, now)),
    ],
    action,
  );
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
  await transactWrite(
    ctx,
    [connectorExists(ctx, name, `fence task ${taskId}`), fenceAction(ctx, name, taskId, now)],
    `fence task ${taskId} of connector ${name}`,
  );
}

/**
 * The coordinator's status write for a task, refused with StaleWriteError unless the task is
 * as the coordinator read it: epoch `expected.epoch` (a slice took the lease, or it was fenced,
 * since) and status `updatedAt` `expected.statusUpdatedAt` (the slice reported a status since,
 * under the same lease). Epoch 0 with no status may also create the task item (a task that
 * never had a lease). `fence` also fences the lease in the same update.
 */
export async function setTaskStatus(
  ctx: StateContext,
  name: string,
  taskId: number,
  status: TaskStatus,
  expected: { readonly epoch: number; readonly statusUpdatedAt: number | undefined },
  options: { readonly fence?: boolean } = {},
): Promise<void> {
  requireConnectorName(name);
  requireTaskId(taskId);
  requireTaskStatus(status, `task ${taskId} of connector ${name}`);
  if (typeof expected !== 'object' || expected === null) {
    throw new StateInputError(`the expected state of task ${taskId} of ${name} must be an object`);
  }
  requireInteger(expected.epoch, 'expected epoch', 0);
  if (expected.statusUpdatedAt !== undefined) {
    requireTimestamp(expected.statusUpdatedAt, 'expected status updatedAt');
  }
  const fence = options.fence === true;
  const x = new Expression();
  const epoch = x.name('epoch');
  const statusName = x.name('status');
  const leaseExpiresAt = x.name('leaseExpiresAt');
  const update =
    `SET ${statusName} = ${x.value(taskStatusValue(status))}, ` +
    `${x.name('connector')} = ${x.value(str(name))}, ` +
    `${x.name('taskId')} = ${x.value(num(taskId))}, ` +
    `${x.name('generation')} = if_not_exists(${x.name('generation')}, ${x.value(num(-1))}), ` +
    (fence
      ? `${epoch} = ${x.value(num(expected.epoch + 1))}, ${leaseExpiresAt} = ${x.value(num(0))} ` +
        `REMOVE ${x.name('holder')}`
      : `${epoch} = if_not_exists(${epoch}, ${x.value(num(0))}), ` +
        `${leaseExpiresAt} = if_not_exists(${leaseExpiresAt}, ${x.value(num(0))})`);
  const sameEpoch = `${epoch} = ${x.value(num(expected.epoch))}`;
  const epochCondition =
    expected.epoch === 0 ? `(attribute_not_exists(${x.name('pk')}) OR ${sameEpoch})` : sameEpoch;
  const statusCondition =
    expected.statusUpdatedAt === undefined
      ? `attribute_not_exists(${statusName})`
      : `${statusName}.${x.name('updatedAt')} = ${x.value(num(expected.statusUpdatedAt))}`;
  const action = `set the status of task ${taskId} of connector ${name} to ${status.state}`;
  await transactWrite(
    ctx,
    [
      connectorExists(ctx, name, `set the status of task ${taskId}`),
      {
        action: txUpdate(
          ctx,
          taskKey(name, taskId),
          update,
          `${epochCondition} AND ${statusCondition}`,
          x,
        ),
        onConditionFailed: (old, cause) =>
          new StaleWriteError(
            name,
            `cannot ${action}: its epoch is ${old?.epoch?.N ?? 'absent'} and its status ` +
              `updatedAt ${old?.status?.M?.updatedAt?.N ?? 'absent'}, not the expected ` +
              `${expected.epoch} and ${expected.statusUpdatedAt ?? 'absent'} (a slice took the ` +
              `lease or reported a status, or it was fenced, since it was read)`,
            { cause },
          ),
      },
    ],
    action,
  );
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
  await transactWrite(
    ctx,
    [
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
    ],
    `set the status of connector ${name}`,
  );
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
      `remove the surplus tasks of connector ${name}`,
    );
  }
}
