import { num, str } from './attributes.js';
import {
  ConnectorNotFoundError,
  ConnectorNotStoppedError,
  StateError,
  StateInputError,
} from './errors.js';
import { Expression } from './expression.js';
import { fenceAction, readConnectorPartition, tasksToFence } from './fences.js';
import { connectorKey, offsetsPk, sortKeyOfPartitionJson, type StateKey } from './keys.js';
import {
  chunk,
  MAX_TRANSACTION_ACTIONS,
  queryAll,
  transactWrite,
  txConditionCheck,
  txDelete,
  txPut,
  type StateContext,
  type TxAction,
} from './requests.js';
import type { StateStore } from './types.js';
import {
  requireArray,
  requireConnectorName,
  requireJsonObject,
  requireTimestamp,
  show,
} from './validate.js';

type OffsetsChange = Parameters<StateStore['alterOffsets']>[1];

/**
 * The offsets API (Kafka Connect's PATCH and DELETE /offsets): only while the connector is
 * STOPPED, and fencing every task lease of the connector so that no slice still running can
 * commit over the change.
 *
 * Steps: (1) one transaction: the connector is STOPPED + every task fenced (+ the first
 * writes of an `alter`); (2) for a `reset`, the offsets are listed only now, after the fence,
 * so that no commit can land between listing and deleting; (3) the remaining writes, in
 * transactions of at most 100 actions, each again on the condition that the connector is
 * STOPPED. A change larger than one transaction is therefore not atomic as a whole: if the
 * connector is resumed midway, the later transactions are refused with ConnectorNotStoppedError
 * and the earlier ones stay.
 */
export async function alterOffsets(
  ctx: StateContext,
  name: string,
  change: OffsetsChange,
  now: number,
): Promise<void> {
  requireConnectorName(name);
  requireTimestamp(now, 'now');
  if (change.kind !== 'reset' && change.kind !== 'alter') {
    throw new StateInputError(
      `offsets change kind ${show((change as { kind: unknown }).kind)} is invalid: use alter or reset`,
    );
  }
  const writes = change.kind === 'reset' ? [] : plannedWrites(ctx, name, change, now);
  const fences = tasksToFence(await readConnectorPartition(ctx, name)).map((taskId) =>
    fenceAction(ctx, name, taskId, now),
  );
  const room = MAX_TRANSACTION_ACTIONS - 1 - fences.length;
  if (room < 0) {
    throw new StateError(
      `cannot change the offsets of connector ${name}: its ${fences.length} task leases cannot ` +
        `all be fenced in one transaction (at most ${MAX_TRANSACTION_ACTIONS - 1})`,
    );
  }
  await transactWrite(ctx, [stoppedCheck(ctx, name), ...fences, ...writes.slice(0, room)]);

  let rest = writes.slice(room);
  if (change.kind === 'reset') {
    const x = new Expression();
    const stored = await queryAll(ctx, {
      KeyConditionExpression: `${x.name('pk')} = ${x.value(str(offsetsPk(name)))}`,
      ProjectionExpression: `${x.name('pk')}, ${x.name('sk')}`,
      ConsistentRead: true,
      ...x.params(),
    });
    rest = stored.flatMap((item) => {
      const sk = item.sk?.S;
      return sk === undefined ? [] : [{ action: txDelete(ctx, { pk: offsetsPk(name), sk }) }];
    });
  }
  for (const part of chunk(rest, MAX_TRANSACTION_ACTIONS - 1)) {
    await transactWrite(ctx, [stoppedCheck(ctx, name), ...part]);
  }
}

/** The connector exists and is STOPPED, or the error that says which it is not. */
function stoppedCheck(ctx: StateContext, name: string): TxAction {
  const x = new Expression();
  const condition =
    `attribute_exists(${x.name('pk')}) AND ` +
    `${x.name('targetState')} = ${x.value(str('STOPPED'))}`;
  return {
    action: txConditionCheck(ctx, connectorKey(name), condition, x),
    onConditionFailed: (old, cause) =>
      old
        ? new ConnectorNotStoppedError(name, old.targetState?.S ?? '(unknown)', { cause })
        : new ConnectorNotFoundError(name, 'change its offsets', { cause }),
  };
}

/**
 * A put per partition given an offset, a delete per partition given null (the last entry of
 * a partition wins). Offsets written here carry epoch 0 and no lease, so the next slice's
 * first commit (epoch >= 1) replaces them.
 */
function plannedWrites(
  ctx: StateContext,
  name: string,
  change: Extract<OffsetsChange, { kind: 'alter' }>,
  now: number,
): TxAction[] {
  requireArray(change.entries, `offsets to alter for connector ${name}`);
  const writes = new Map<string, TxAction>();
  for (const [i, { partition, offset }] of change.entries.entries()) {
    const what = `entry ${i} of the offsets to alter for connector ${name}`;
    const json = requireJsonObject(partition, `partition of ${what}`);
    const key: StateKey = { pk: offsetsPk(name), sk: sortKeyOfPartitionJson(json) };
    writes.delete(key.sk);
    if (offset === null) {
      writes.set(key.sk, { action: txDelete(ctx, key) });
      continue;
    }
    const item = {
      pk: str(key.pk),
      sk: str(key.sk),
      connector: str(name),
      partition: str(json),
      offset: str(requireJsonObject(offset, `offset of ${what}`)),
      epoch: num(0),
      seq: num(0),
      updatedAt: num(now),
    };
    writes.set(key.sk, { action: txPut(ctx, item, undefined, new Expression()) });
  }
  return [...writes.values()];
}
