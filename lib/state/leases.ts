import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { keyItem, num, str, type Item } from './attributes.js';
import { FencedError } from './errors.js';
import { Expression } from './expression.js';
import { initialTaskStatus, taskStatusValue } from './items.js';
import { COORDINATOR_LEASE_KEY, taskKey, type StateKey } from './keys.js';
import { isConditionFailed, type StateContext } from './requests.js';
import type { LeaseToken, TaskStatus } from './types.js';
import {
  requireConnectorName,
  requireHolder,
  requireInteger,
  requireLeaseParts,
  requireTaskId,
  requireTaskStatus,
  requireTaskToken,
  requireTimestamp,
} from './validate.js';

// Leases: a task's (on its task item) and the coordinator's (`coordinator` / `lease`). The
// epoch is the fencing token: +1 on every acquisition, and every fenced write is conditional
// on the epoch and holder of the token it carries.

/**
 * The coordinator's token has connector '' and task id -1, which no task can have, so it can
 * never be taken for a task's token.
 */
export const COORDINATOR_TOKEN_CONNECTOR = '';
export const COORDINATOR_TOKEN_TASK_ID = -1;

/** The condition of every fenced write: the item still carries the token's epoch and holder. */
export function leaseIsCurrent(x: Expression, token: LeaseToken): string {
  return (
    `${x.name('epoch')} = ${x.value(num(token.epoch))} AND ` +
    `${x.name('holder')} = ${x.value(str(token.holder))}`
  );
}

/**
 * One conditional update: free, expired or already `holder`'s => take it with epoch + 1.
 * Returns the item as it is now, or undefined when someone else holds the lease.
 */
async function acquire(
  ctx: StateContext,
  key: StateKey,
  holder: string,
  now: number,
  ttlMs: number,
  x: Expression,
  extraSets: readonly string[],
): Promise<Item | undefined> {
  requireHolder(holder);
  requireTimestamp(now, 'now');
  requireInteger(ttlMs, 'lease ttl (ms)', 1);
  const epoch = x.name('epoch');
  const holderName = x.name('holder');
  const me = x.value(str(holder));
  const expiresAt = x.name('leaseExpiresAt');
  try {
    const answer = await ctx.client.send(
      new UpdateItemCommand({
        TableName: ctx.table,
        Key: keyItem(key),
        UpdateExpression:
          `SET ${holderName} = ${me}, ${expiresAt} = ${x.value(num(now + ttlMs))}, ` +
          `${epoch} = if_not_exists(${epoch}, ${x.value(num(0))}) + ${x.value(num(1))}` +
          extraSets.map((set) => `, ${set}`).join(''),
        ConditionExpression:
          `attribute_not_exists(${x.name('pk')}) OR attribute_not_exists(${holderName}) OR ` +
          `${expiresAt} < ${x.value(num(now))} OR ${holderName} = ${me}`,
        ReturnValues: 'ALL_NEW',
        ...x.params(),
      }),
    );
    return answer.Attributes ?? {};
  } catch (error) {
    // Losing the race is the normal way to find a lease taken: no error.
    if (isConditionFailed(error)) return undefined;
    throw error;
  }
}

/** An update that lands only while `token` is current; FencedError otherwise. */
async function fencedUpdate(
  ctx: StateContext,
  key: StateKey,
  token: LeaseToken,
  update: string,
  x: Expression,
  action: string,
): Promise<void> {
  try {
    await ctx.client.send(
      new UpdateItemCommand({
        TableName: ctx.table,
        Key: keyItem(key),
        UpdateExpression: update,
        ConditionExpression: leaseIsCurrent(x, token),
        ...x.params(),
      }),
    );
  } catch (error) {
    if (isConditionFailed(error)) throw fenced(token, action, error);
    throw error;
  }
}

const isCoordinatorToken = (token: LeaseToken) =>
  token.connector === COORDINATOR_TOKEN_CONNECTOR && token.taskId === COORDINATOR_TOKEN_TASK_ID;

export const fenced = (token: LeaseToken, action: string, cause: unknown): FencedError =>
  new FencedError(
    token.connector,
    isCoordinatorToken(token) ? undefined : token.taskId,
    token.epoch,
    action,
    { cause },
  );

const epochOf = (item: Item): number => Number(item.epoch?.N);

export async function acquireLease(
  ctx: StateContext,
  name: string,
  taskId: number,
  holder: string,
  generation: number,
  now: number,
  ttlMs: number,
): Promise<LeaseToken | undefined> {
  requireConnectorName(name);
  requireTaskId(taskId);
  requireInteger(generation, 'generation', 0);
  requireTimestamp(now, 'now');
  const x = new Expression();
  const status = x.name('status');
  const item = await acquire(ctx, taskKey(name, taskId), holder, now, ttlMs, x, [
    `${x.name('connector')} = ${x.value(str(name))}`,
    `${x.name('taskId')} = ${x.value(num(taskId))}`,
    `${x.name('generation')} = ${x.value(num(generation))}`,
    // The status stays what the last slice or the coordinator reported.
    `${status} = if_not_exists(${status}, ${x.value(taskStatusValue(initialTaskStatus(now)))})`,
  ]);
  return item && { connector: name, taskId, holder, epoch: epochOf(item) };
}

/** Extends the lease to `now + ttlMs`. */
export async function renewLease(
  ctx: StateContext,
  token: LeaseToken,
  now: number,
  ttlMs: number,
): Promise<void> {
  requireTaskToken(token);
  requireTimestamp(now, 'now');
  requireInteger(ttlMs, 'lease ttl (ms)', 1);
  const x = new Expression();
  const update = `SET ${x.name('leaseExpiresAt')} = ${x.value(num(now + ttlMs))}`;
  await fencedUpdate(ctx, taskKey(token.connector, token.taskId), token, update, x, 'renew');
}

/** Frees the lease (holder removed, expiresAt 0) if the token is current; else does nothing. */
async function release(ctx: StateContext, key: StateKey, token: LeaseToken): Promise<void> {
  const x = new Expression();
  const update = `SET ${x.name('leaseExpiresAt')} = ${x.value(num(0))} REMOVE ${x.name('holder')}`;
  try {
    await fencedUpdate(ctx, key, token, update, x, 'release');
  } catch (error) {
    // A fenced lease is someone else's now: releasing it must not free theirs, nor fail.
    if (error instanceof FencedError) return;
    throw error;
  }
}

export async function releaseLease(ctx: StateContext, token: LeaseToken): Promise<void> {
  requireTaskToken(token);
  await release(ctx, taskKey(token.connector, token.taskId), token);
}

/** The slice's own status report, fenced on its token. */
export async function writeTaskStatus(
  ctx: StateContext,
  token: LeaseToken,
  status: TaskStatus,
): Promise<void> {
  requireTaskToken(token);
  requireTaskStatus(status, `task ${token.taskId} of connector ${token.connector}`);
  const x = new Expression();
  const update = `SET ${x.name('status')} = ${x.value(taskStatusValue(status))}`;
  const key = taskKey(token.connector, token.taskId);
  await fencedUpdate(ctx, key, token, update, x, `write its status ${status.state}`);
}

export async function acquireCoordinatorLease(
  ctx: StateContext,
  holder: string,
  now: number,
  ttlMs: number,
): Promise<LeaseToken | undefined> {
  const x = new Expression();
  const item = await acquire(ctx, COORDINATOR_LEASE_KEY, holder, now, ttlMs, x, []);
  return (
    item && {
      connector: COORDINATOR_TOKEN_CONNECTOR,
      taskId: COORDINATOR_TOKEN_TASK_ID,
      holder,
      epoch: epochOf(item),
    }
  );
}

export async function releaseCoordinatorLease(ctx: StateContext, token: LeaseToken): Promise<void> {
  requireLeaseParts(token);
  await release(ctx, COORDINATOR_LEASE_KEY, token);
}
