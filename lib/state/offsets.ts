import { num, str, type Item } from './attributes.js';
import { StaleWriteError, StateInputError } from './errors.js';
import { Expression } from './expression.js';
import { offsetFromItem } from './items.js';
import { offsetsPk, sortKeyOfPartitionJson, taskKey } from './keys.js';
import { fenced, leaseIsCurrent } from './leases.js';
import {
  batchGetAll,
  MAX_TRANSACTION_ACTIONS,
  queryAll,
  transactWrite,
  txConditionCheck,
  txUpdate,
  type StateContext,
  type TxAction,
} from './requests.js';
import type { OffsetEntry, SourcePartition } from '../api/source-offsets.js';
import type { LeaseToken } from './types.js';
import {
  requireArray,
  requireConnectorName,
  requireInteger,
  requireJsonObject,
  requireTaskToken,
  requireTimestamp,
} from './validate.js';

// Offset items (`offsets#<name>` / <canonical partition JSON>).
//
// Why an offset never moves back: a commit is one transaction of a check that the committer's
// lease is current (its task item still has the token's epoch and holder) and one update per
// partition. A commit from an older lease of the task therefore always fails the check. Within
// one lease, each partition's update also requires the stored `seq` to be lower than the
// commit's, so a delayed or repeated commit of that lease is refused too. The partition's
// epoch is compared for equality only, not order: epochs are counted per task item, so they
// cannot be ordered across tasks (a partition moving from task 1 to task 0 after new task
// configs) nor across a connector's deletion and re-creation (task items start again at 1);
// the lease check already makes the committer the current holder.

/** One commit is one transaction: the lease check plus at most this many partitions. */
export const MAX_COMMIT_ENTRIES = MAX_TRANSACTION_ACTIONS - 1;

export async function commitOffsets(
  ctx: StateContext,
  token: LeaseToken,
  seq: number,
  entries: readonly OffsetEntry[],
  now: number,
): Promise<void> {
  requireTaskToken(token);
  requireInteger(seq, 'commit seq', 0);
  requireTimestamp(now, 'now');
  const where = `task ${token.taskId} of connector ${token.connector}`;
  requireArray(entries, `offsets of ${where}`);
  const latest = latestPerPartition(entries, where);
  if (latest.size === 0) return;
  if (latest.size > MAX_COMMIT_ENTRIES) {
    throw new StateInputError(
      `cannot commit ${latest.size} partitions for ${where} at once: one commit is one ` +
        `transaction and holds at most ${MAX_COMMIT_ENTRIES} partitions; commit in smaller batches`,
    );
  }
  const check = new Expression();
  const actions: TxAction[] = [
    {
      action: txConditionCheck(
        ctx,
        taskKey(token.connector, token.taskId),
        leaseIsCurrent(check, token),
        check,
      ),
      onConditionFailed: (_old, cause) => fenced(token, `commit offsets (seq ${seq})`, cause),
    },
  ];
  for (const [sk, entry] of latest) {
    const x = new Expression();
    const [taskId, epoch, holder, seqValue] = [
      x.value(num(token.taskId)),
      x.value(num(token.epoch)),
      x.value(str(token.holder)),
      x.value(num(seq)),
    ];
    const update =
      `SET ${x.name('connector')} = ${x.value(str(token.connector))}, ` +
      `${x.name('partition')} = ${x.value(str(entry.json))}, ` +
      `${x.name('offset')} = ${x.value(str(entry.offset))}, ` +
      `${x.name('taskId')} = ${taskId}, ${x.name('epoch')} = ${epoch}, ` +
      `${x.name('holder')} = ${holder}, ${x.name('seq')} = ${seqValue}, ` +
      `${x.name('updatedAt')} = ${x.value(num(now))}`;
    const condition =
      `attribute_not_exists(${x.name('pk')}) OR attribute_not_exists(${x.name('holder')}) OR ` +
      `${x.name('taskId')} <> ${taskId} OR ${x.name('epoch')} <> ${epoch} OR ` +
      `${x.name('holder')} <> ${holder} OR ${x.name('seq')} < ${seqValue}`;
    actions.push({
      action: txUpdate(ctx, { pk: offsetsPk(token.connector), sk }, update, condition, x),
      onConditionFailed: (old, cause) =>
        new StaleWriteError(
          token.connector,
          `cannot commit offsets (seq ${seq}) for ${where}: partition ${entry.json} already ` +
            `has seq ${old?.seq?.N ?? '?'} from this lease (epoch ${token.epoch}); a commit ` +
            `must carry a higher seq than the last one, so this one is late or repeated`,
          { cause },
        ),
    });
  }
  await transactWrite(ctx, actions);
}

/** A partition and its offset, both in canonical JSON. */
interface KeyedEntry {
  readonly json: string;
  readonly offset: string;
}

/**
 * Entries by partition key, the last one of a partition winning (a transaction cannot touch
 * one item twice, and within a batch the later offset is the newer one).
 */
function latestPerPartition(
  entries: readonly OffsetEntry[],
  where: string,
): Map<string, KeyedEntry> {
  const latest = new Map<string, KeyedEntry>();
  for (const [i, entry] of entries.entries()) {
    const json = requireJsonObject(entry.partition, `partition of offset entry ${i} of ${where}`);
    const offset = requireJsonObject(entry.offset, `offset of offset entry ${i} of ${where}`);
    const sk = sortKeyOfPartitionJson(json);
    latest.delete(sk); // keep the order of each partition's last occurrence
    latest.set(sk, { json, offset });
  }
  return latest;
}

/** A connector's committed offsets: all of them, or those of `partitions` that exist. */
export async function readOffsets(
  ctx: StateContext,
  name: string,
  partitions?: readonly SourcePartition[],
): Promise<OffsetEntry[]> {
  requireConnectorName(name);
  const x = new Expression();
  const projection = [x.name('pk'), x.name('sk'), x.name('partition'), x.name('offset')].join(', ');
  if (partitions === undefined) {
    const items = await queryAll(ctx, {
      KeyConditionExpression: `${x.name('pk')} = ${x.value(str(offsetsPk(name)))}`,
      ProjectionExpression: projection,
      ConsistentRead: true,
      ...x.params(),
    });
    return items.map(offsetFromItem);
  }
  requireArray(partitions, `partitions to read for connector ${name}`);
  const wanted = [
    ...new Set(
      partitions.map((partition, i) =>
        sortKeyOfPartitionJson(
          requireJsonObject(partition, `partition ${i} to read for connector ${name}`),
        ),
      ),
    ),
  ];
  const items = await batchGetAll(
    ctx,
    wanted.map((sk) => ({ pk: offsetsPk(name), sk })),
    { ProjectionExpression: projection, ...x.params() },
  );
  const found = new Map(items.map((item): [string | undefined, Item] => [item.sk?.S, item]));
  // In the order asked for, each partition once.
  return wanted.flatMap((sk) => {
    const item = found.get(sk);
    return item ? [offsetFromItem(item)] : [];
  });
}
