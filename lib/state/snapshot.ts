import { str, type Item } from './attributes.js';
import { Expression } from './expression.js';
import { decodeItem, type StateItem } from './items.js';
import { connectorPk, CONNECTORS_PK } from './keys.js';
import { queryAll, type StateContext } from './requests.js';
import type {
  ConnectorRecord,
  ConnectorState,
  ConnectorStatusRecord,
  StateSnapshot,
  TaskConfigsRecord,
  TaskRecord,
} from './types.js';
import { getConnector } from './connectors.js';
import { requireConnectorName } from './validate.js';
import { mapBounded } from '../util/concurrency.js';

/**
 * Connector partitions queried side by side by `snapshot`: enough to hide each query's round
 * trip, well under the SDK's 50 sockets (the coordinator dispatches slices on the same client).
 */
export const SNAPSHOT_QUERY_CONCURRENCY = 32;

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A corrupt item, as the snapshot lists it instead of failing. */
type Skipped = { pk: string; sk: string; reason: string };

/** Every item of one partition (strongly consistent), following pages. */
function queryPartition(ctx: StateContext, pk: string): Promise<Item[]> {
  const x = new Expression();
  return queryAll(ctx, {
    ConsistentRead: true,
    KeyConditionExpression: `${x.name('pk')} = ${x.value(str(pk))}`,
    ...x.params(),
  });
}

/** The item decoded, or undefined with the item listed in `skipped` when it is corrupt. */
function decodeOrSkip(item: Item, skipped: Skipped[]): StateItem | undefined {
  try {
    return decodeItem(item);
  } catch (error) {
    skipped.push({
      pk: item.pk?.S ?? '',
      sk: item.sk?.S ?? '',
      reason: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}

/**
 * A connector partition's items by kind, its tasks sorted by id. A corrupt item is listed in
 * `skipped` when given, and fails the call when not.
 */
function connectorParts(items: readonly Item[], skipped?: Skipped[]) {
  let taskConfigs: TaskConfigsRecord | undefined;
  let status: ConnectorStatusRecord | undefined;
  const tasks: TaskRecord[] = [];
  for (const item of items) {
    const decoded = skipped ? decodeOrSkip(item, skipped) : decodeItem(item);
    if (decoded?.kind === 'taskConfigs') taskConfigs = decoded.record;
    else if (decoded?.kind === 'connectorStatus') status = decoded.record;
    else if (decoded?.kind === 'task') tasks.push(decoded.record);
  }
  tasks.sort((a, b) => a.taskId - b.taskId);
  return { taskConfigs, status, tasks };
}

/**
 * One connector with its task configs, status and tasks (sorted by id): a consistent read of its
 * config item and one query of its partition, side by side. Undefined when it does not exist.
 * The two reads are not one point in time; the API shows them, nothing plans from them. A
 * corrupt item of the partition fails the read (the API says so rather than hide it).
 */
export async function describeConnector(
  ctx: StateContext,
  name: string,
): Promise<ConnectorState | undefined> {
  requireConnectorName(name);
  const [connector, items] = await Promise.all([
    getConnector(ctx, name),
    queryPartition(ctx, connectorPk(name)),
  ]);
  if (!connector) return undefined;
  const { taskConfigs, status, tasks } = connectorParts(items);
  return {
    connector,
    tasks,
    ...(taskConfigs ? { taskConfigs } : {}),
    ...(status ? { status } : {}),
  };
}

/**
 * What the coordinator plans from, without reading offsets: one query of the `connectors`
 * partition (every connector config), then one query of each connector's own partition (its
 * task configs, status and task items), at most {@link SNAPSHOT_QUERY_CONCURRENCY} at a time.
 * Every read is strongly consistent; read one after the other, they are not one point in time.
 * Reads per call, for N connectors: ceil(connector items' bytes / 1 MB) + N queries, costing
 * ceil(bytes / 4 KB) read units each (at least 1); see README.md ("Reads per coordinator pass").
 *
 * Sorted by connector name and task id. An item that fails to decode is left out and listed in
 * `skipped`, so one corrupt item cannot stop coordination. Task items of a partition whose
 * connector item is gone (a delete cut short) are not read: nothing plans for them.
 */
export async function snapshot(ctx: StateContext): Promise<StateSnapshot> {
  const skipped: Skipped[] = [];
  const connectors: ConnectorRecord[] = [];
  for (const item of await queryPartition(ctx, CONNECTORS_PK)) {
    const decoded = decodeOrSkip(item, skipped);
    if (decoded?.kind === 'connector') connectors.push(decoded.record);
  }
  connectors.sort((a, b) => byName(a.name, b.name));
  const partitions = await mapBounded(connectors, SNAPSHOT_QUERY_CONCURRENCY, async (c) =>
    connectorParts(await queryPartition(ctx, connectorPk(c.name)), skipped),
  );
  const taskConfigs: TaskConfigsRecord[] = [];
  const tasks: TaskRecord[] = [];
  const connectorStatuses: ConnectorStatusRecord[] = [];
  // In connector order, so every list stays sorted by connector (and tasks by id within one).
  for (const part of partitions) {
    if (part.taskConfigs) taskConfigs.push(part.taskConfigs);
    if (part.status) connectorStatuses.push(part.status);
    for (const task of part.tasks) tasks.push(task);
  }
  return { connectors, taskConfigs, tasks, connectorStatuses, skipped };
}
