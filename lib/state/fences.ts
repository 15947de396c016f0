import { num, str } from './attributes.js';
import { Expression } from './expression.js';
import { initialTaskStatus, taskStatusValue } from './items.js';
import { connectorPk, parseTaskSortKey, taskKey, TASK_CONFIGS_SK, type StateKey } from './keys.js';
import { queryAll, txUpdate, type StateContext, type TxAction } from './requests.js';

/** What is stored under `connector#<name>`, as far as fencing and deleting need it. */
export interface ConnectorPartition {
  /** Every item's key (task configs, status, task items). */
  readonly keys: readonly StateKey[];
  /** The generation of the stored task configs; -1 when there are none. */
  readonly generation: number;
  /** How many tasks the stored task configs have. */
  readonly taskCount: number;
  /** Ids of the task items that exist. */
  readonly taskIds: readonly number[];
}

/** Reads the connector's partition (strongly consistent, every page). */
export async function readConnectorPartition(
  ctx: StateContext,
  name: string,
): Promise<ConnectorPartition> {
  const x = new Expression();
  const items = await queryAll(ctx, {
    KeyConditionExpression: `${x.name('pk')} = ${x.value(str(connectorPk(name)))}`,
    ProjectionExpression: [x.name('pk'), x.name('sk'), x.name('generation'), x.name('tasks')].join(
      ', ',
    ),
    ConsistentRead: true,
    ...x.params(),
  });
  const keys: StateKey[] = [];
  const taskIds: number[] = [];
  let generation = -1;
  let taskCount = 0;
  for (const item of items) {
    const pk = item.pk?.S;
    const sk = item.sk?.S;
    if (pk === undefined || sk === undefined) continue;
    keys.push({ pk, sk });
    const taskId = parseTaskSortKey(sk);
    if (taskId !== undefined) taskIds.push(taskId);
    if (sk === TASK_CONFIGS_SK) {
      generation = Number(item.generation?.N ?? -1);
      taskCount = item.tasks?.L?.length ?? 0;
    }
  }
  return { keys, generation, taskCount, taskIds };
}

/**
 * The tasks to fence so that no slice of the current generation can write again: every task
 * item found, plus every task id of the stored task configs even if its item was not there
 * when we looked: a slice may be taking that task's first lease right now. If its lease lands
 * before the fence, the fence bumps it; if after, that slice starts after the change and
 * reads what it wrote (new task configs, whose generation stops it; altered offsets).
 */
export function tasksToFence(partition: ConnectorPartition): number[] {
  const ids = new Set(partition.taskIds);
  for (let id = 0; id < partition.taskCount; id++) ids.add(id);
  return [...ids].sort((a, b) => a - b);
}

/**
 * Fences one task: epoch + 1 and holder removed, so the slice holding the old epoch can no
 * longer write. Creates the task item (with epoch 1, status UNASSIGNED) when it is absent.
 * Unconditional on purpose: it is computed by DynamoDB from the item's current value, so it
 * cannot race, and it only ever goes in a transaction whose other checks guard it.
 */
export function fenceAction(
  ctx: StateContext,
  name: string,
  taskId: number,
  now: number,
): TxAction {
  const x = new Expression();
  const epoch = x.name('epoch');
  const update =
    `SET ${epoch} = if_not_exists(${epoch}, ${x.value(num(0))}) + ${x.value(num(1))}, ` +
    `${x.name('leaseExpiresAt')} = ${x.value(num(0))}, ` +
    `${x.name('connector')} = ${x.value(str(name))}, ` +
    `${x.name('taskId')} = ${x.value(num(taskId))}, ` +
    `${x.name('generation')} = if_not_exists(${x.name('generation')}, ${x.value(num(-1))}), ` +
    `${x.name('status')} = if_not_exists(${x.name('status')}, ${x.value(taskStatusValue(initialTaskStatus(now)))}) ` +
    `REMOVE ${x.name('holder')}`;
  return { action: txUpdate(ctx, taskKey(name, taskId), update, undefined, x) };
}
