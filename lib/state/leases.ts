import { setTimeout as sleep } from 'node:timers/promises';
import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { keyItem, map, num, str, type Item } from './attributes.js';
import { ConflictError, FencedError } from './errors.js';
import { Expression } from './expression.js';
import {
  countersValue,
  lastErrorValue,
  taskStatusOf,
  taskStatusValue,
  ZERO_COUNTERS,
} from './items.js';
import {
  connectorKey,
  COORDINATOR_LEASE_KEY,
  taskConfigsKey,
  taskKey,
  type StateKey,
} from './keys.js';
import {
  asConflict,
  cancellationCodes,
  isConditionFailed,
  transactWrite,
  txConditionCheck,
  txUpdate,
  type StateContext,
} from './requests.js';
import type { AcquiredLease, LeaseToken, SliceReport, TaskStatus } from './types.js';
import { TASK_COUNTERS } from './types.js';
import {
  requireConnectorName,
  requireHolder,
  requireInteger,
  requireLeaseParts,
  requireSliceReport,
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
    throw asConflict(error, action);
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

/** Attempts of an acquisition whose transaction conflicted on the connector's shared items. */
const ACQUIRE_ATTEMPTS = 5;

/**
 * A consistent read of the task item's epoch and status, then one transaction: the connector
 * is RUNNING, its task configs are at `generation` and have task `taskId`, and the task item
 * still has that epoch and status (or is still absent) with its lease free, expired or
 * `holder`'s; the lease is taken with epoch + 1 and the task reported RUNNING. A FAILED task
 * is refused without writing. Any failed condition means undefined. A conflict on the task
 * item means another slice is taking it (undefined); a conflict only on the connector's shared
 * items (another task's acquisition, a coordinator write) is tried again, then a ConflictError.
 */
export async function acquireLease(
  ctx: StateContext,
  name: string,
  taskId: number,
  holder: string,
  generation: number,
  now: number,
  ttlMs: number,
): Promise<AcquiredLease | undefined> {
  requireConnectorName(name);
  requireTaskId(taskId);
  requireHolder(holder);
  requireInteger(generation, 'generation', 0);
  requireTimestamp(now, 'now');
  requireInteger(ttlMs, 'lease ttl (ms)', 1);
  const key = taskKey(name, taskId);
  for (let attempt = 1; ; attempt++) {
    const seen = await readTask(ctx, key);
    // A failed task waits for the coordinator's restart (with its backoff), or a manual one.
    if (seen?.status?.state === 'FAILED') return undefined;
    try {
      await transactWrite(
        ctx,
        [
          { action: runningCheck(ctx, name) },
          { action: taskConfigsCheck(ctx, name, generation, taskId) },
          { action: takeLease(ctx, name, taskId, holder, generation, seen, now, ttlMs) },
        ],
        `take the lease of task ${taskId} of connector ${name}`,
      );
      const epoch = (seen?.epoch ?? 0) + 1;
      return {
        connector: name,
        taskId,
        holder,
        epoch,
        restartCount: seen?.status?.restartCount ?? 0,
      };
    } catch (error) {
      const codes = cancellationCodes(error instanceof ConflictError ? error.cause : error);
      // Refused: stopped, paused, deleted, other generation, no such task, or taken.
      if (codes.includes('ConditionalCheckFailed')) return undefined;
      if (!(error instanceof ConflictError)) throw error;
      // Another transaction on the task item itself: someone else is taking or fencing it.
      if (codes[2] === 'TransactionConflict') return undefined;
      if (attempt === ACQUIRE_ATTEMPTS) throw error;
      await sleep(Math.random() * 20 * attempt);
    }
  }
}

interface SeenTask {
  readonly epoch: number;
  readonly status: TaskStatus | undefined;
}

/** The task item's epoch and status (strongly consistent), or undefined when it is absent. */
async function readTask(ctx: StateContext, key: StateKey): Promise<SeenTask | undefined> {
  const x = new Expression();
  const answer = await ctx.client.send(
    new GetItemCommand({
      TableName: ctx.table,
      Key: keyItem(key),
      ConsistentRead: true,
      ProjectionExpression: `${x.name('pk')}, ${x.name('sk')}, ${x.name('epoch')}, ${x.name('status')}`,
      ...x.params(),
    }),
  );
  return answer.Item
    ? { epoch: epochOf(answer.Item), status: taskStatusOf(answer.Item) }
    : undefined;
}

function runningCheck(ctx: StateContext, name: string) {
  const x = new Expression();
  const condition = `${x.name('targetState')} = ${x.value(str('RUNNING'))}`;
  return txConditionCheck(ctx, connectorKey(name), condition, x);
}

function taskConfigsCheck(ctx: StateContext, name: string, generation: number, taskId: number) {
  const x = new Expression();
  const condition =
    `${x.name('generation')} = ${x.value(num(generation))} AND ` +
    `size(${x.name('tasks')}) > ${x.value(num(taskId))}`;
  return txConditionCheck(ctx, taskConfigsKey(name), condition, x);
}

function takeLease(
  ctx: StateContext,
  name: string,
  taskId: number,
  holder: string,
  generation: number,
  seen: SeenTask | undefined,
  now: number,
  ttlMs: number,
) {
  const x = new Expression();
  const holderName = x.name('holder');
  const me = x.value(str(holder));
  const expiresAt = x.name('leaseExpiresAt');
  const status = x.name('status');
  const counters = x.name('counters');
  const running: TaskStatus = {
    state: 'RUNNING',
    restartCount: seen?.status?.restartCount ?? 0,
    workerId: holder,
    updatedAt: now,
  };
  const update =
    `SET ${holderName} = ${me}, ${expiresAt} = ${x.value(num(now + ttlMs))}, ` +
    `${x.name('epoch')} = ${x.value(num((seen?.epoch ?? 0) + 1))}, ` +
    `${x.name('connector')} = ${x.value(str(name))}, ` +
    `${x.name('taskId')} = ${x.value(num(taskId))}, ` +
    `${x.name('generation')} = ${x.value(num(generation))}, ` +
    `${status} = ${x.value(taskStatusValue(running))}, ` +
    // The map the slice's release adds its counters into.
    `${counters} = if_not_exists(${counters}, ${x.value(countersValue(ZERO_COUNTERS))})`;
  // Unchanged since read: the same epoch, and the same status (a status the coordinator wrote
  // meanwhile, such as a failure's backoff, is never overwritten by this RUNNING).
  const unchanged =
    seen === undefined
      ? `attribute_not_exists(${x.name('pk')})`
      : `${x.name('epoch')} = ${x.value(num(seen.epoch))} AND ` +
        (seen.status === undefined
          ? `attribute_not_exists(${status})`
          : `${status}.${x.name('updatedAt')} = ${x.value(num(seen.status.updatedAt))}`);
  const condition =
    `${unchanged} AND (attribute_not_exists(${holderName}) OR ` +
    `${expiresAt} < ${x.value(num(now))} OR ${holderName} = ${me})`;
  return txUpdate(ctx, taskKey(name, taskId), update, condition, x);
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

/**
 * Frees the lease (holder removed, expiresAt 0) if the token is current, with `sets` in the
 * same write; else does nothing.
 */
async function release(
  ctx: StateContext,
  key: StateKey,
  token: LeaseToken,
  sets: (x: Expression) => string[] = () => [],
): Promise<void> {
  const x = new Expression();
  const assignments = [`${x.name('leaseExpiresAt')} = ${x.value(num(0))}`, ...sets(x)];
  const update = `SET ${assignments.join(', ')} REMOVE ${x.name('holder')}`;
  try {
    await fencedUpdate(ctx, key, token, update, x, 'release');
  } catch (error) {
    // A fenced lease is someone else's now: releasing it must not free theirs, nor fail.
    if (error instanceof FencedError) return;
    throw error;
  }
}

export async function releaseLease(
  ctx: StateContext,
  token: LeaseToken,
  report?: SliceReport,
): Promise<void> {
  requireTaskToken(token);
  if (report) requireSliceReport(report, `task ${token.taskId} of connector ${token.connector}`);
  await release(ctx, taskKey(token.connector, token.taskId), token, report && reportSets(report));
}

/** The SET clauses of a slice's report: its status, last slice and counters added to totals. */
function reportSets(report: SliceReport): (x: Expression) => string[] {
  return (x) => {
    const sets = [
      `${x.name('status')} = ${x.value(taskStatusValue(report.status))}`,
      `${x.name('lastSlice')} = ${x.value(
        map({
          startedAt: num(report.startedAt),
          endedAt: num(report.endedAt),
          counters: countersValue(report.counters),
        }),
      )}`,
    ];
    if (report.lastError) {
      sets.push(`${x.name('lastError')} = ${x.value(lastErrorValue(report.lastError))}`);
    }
    // DynamoDB refuses placeholders an expression does not use: name only counters that moved.
    for (const counter of TASK_COUNTERS.filter((c) => report.counters[c] !== 0)) {
      const path = `${x.name('counters')}.${x.name(counter)}`;
      const added = x.value(num(report.counters[counter]));
      sets.push(`${path} = if_not_exists(${path}, ${x.value(num(0))}) + ${added}`);
    }
    return sets;
  };
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

/** Extends the coordinator's lease to `now + ttlMs`; FencedError when the token is not current. */
export async function renewCoordinatorLease(
  ctx: StateContext,
  token: LeaseToken,
  now: number,
  ttlMs: number,
): Promise<void> {
  requireLeaseParts(token);
  requireTimestamp(now, 'now');
  requireInteger(ttlMs, 'lease ttl (ms)', 1);
  const x = new Expression();
  const update = `SET ${x.name('leaseExpiresAt')} = ${x.value(num(now + ttlMs))}`;
  await fencedUpdate(ctx, COORDINATOR_LEASE_KEY, token, update, x, 'renew');
}

/**
 * Who holds the coordinator's lease and until when (strongly consistent), or undefined when it
 * is free: a run that found it taken tells a live holder (renewing) from a dead one.
 */
export async function readCoordinatorLease(
  ctx: StateContext,
): Promise<{ readonly holder: string; readonly expiresAt: number } | undefined> {
  const x = new Expression();
  const answer = await ctx.client.send(
    new GetItemCommand({
      TableName: ctx.table,
      Key: keyItem(COORDINATOR_LEASE_KEY),
      ConsistentRead: true,
      ProjectionExpression: `${x.name('holder')}, ${x.name('leaseExpiresAt')}`,
      ...x.params(),
    }),
  );
  const holder = answer.Item?.holder?.S;
  return holder === undefined
    ? undefined
    : { holder, expiresAt: Number(answer.Item?.leaseExpiresAt?.N ?? 0) };
}

export async function releaseCoordinatorLease(ctx: StateContext, token: LeaseToken): Promise<void> {
  requireLeaseParts(token);
  await release(ctx, COORDINATOR_LEASE_KEY, token);
}

/**
 * Raises the coordinator's run request. Unconditional on purpose: it is a flag, not a lease
 * change; raising it twice, or while no coordinator runs, is harmless, and it never touches the
 * epoch or holder. The item gets an epoch (0) if it had none, so it always reads as a lease.
 */
export async function requestCoordinatorRun(ctx: StateContext, now: number): Promise<void> {
  requireTimestamp(now, 'now');
  const x = new Expression();
  const epoch = x.name('epoch');
  const expiresAt = x.name('leaseExpiresAt');
  try {
    await ctx.client.send(
      new UpdateItemCommand({
        TableName: ctx.table,
        Key: keyItem(COORDINATOR_LEASE_KEY),
        UpdateExpression:
          `SET ${x.name('runRequestedAt')} = ${x.value(num(now))}, ` +
          `${epoch} = if_not_exists(${epoch}, ${x.value(num(0))}), ` +
          `${expiresAt} = if_not_exists(${expiresAt}, ${x.value(num(0))})`,
        ...x.params(),
      }),
    );
  } catch (error) {
    throw asConflict(error, 'request a coordinator run');
  }
}

/** Clears the run request if `token` is current; true when one was pending. */
export async function takeCoordinatorRunRequest(
  ctx: StateContext,
  token: LeaseToken,
): Promise<boolean> {
  requireLeaseParts(token);
  const x = new Expression();
  const action = 'take the coordinator run request';
  try {
    const answer = await ctx.client.send(
      new UpdateItemCommand({
        TableName: ctx.table,
        Key: keyItem(COORDINATOR_LEASE_KEY),
        UpdateExpression: `REMOVE ${x.name('runRequestedAt')}`,
        ConditionExpression: leaseIsCurrent(x, token),
        ReturnValues: 'ALL_OLD',
        ...x.params(),
      }),
    );
    return answer.Attributes?.runRequestedAt !== undefined;
  } catch (error) {
    if (isConditionFailed(error)) throw fenced(token, action, error);
    throw asConflict(error, action);
  }
}
