import { str } from './attributes.js';
import { Expression } from './expression.js';
import { decodeItem, type StateItem } from './items.js';
import { connectorPk, OFFSETS_PK_PREFIX } from './keys.js';
import { queryAll, scanAll, type StateContext } from './requests.js';
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

/**
 * Everything but offsets, in one scan of the table (every page, each strongly consistent, read
 * one after the other: not a point-in-time view), sorted by connector name and task id. Offsets
 * are filtered out on DynamoDB's side: they are not needed for planning and may be many (the
 * filter saves transfer, not read capacity). An item that fails to decode is left out and
 * listed in `skipped`, so one corrupt item cannot stop coordination.
 */
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One connector with its task configs, status and tasks (sorted by id): a consistent read of its
 * config item and one query of its partition, side by side. Undefined when it does not exist.
 * The two reads are not one point in time; the API shows them, nothing plans from them.
 */
export async function describeConnector(
  ctx: StateContext,
  name: string,
): Promise<ConnectorState | undefined> {
  requireConnectorName(name);
  const x = new Expression();
  const [connector, items] = await Promise.all([
    getConnector(ctx, name),
    queryAll(ctx, {
      ConsistentRead: true,
      KeyConditionExpression: `${x.name('pk')} = ${x.value(str(connectorPk(name)))}`,
      ...x.params(),
    }),
  ]);
  if (!connector) return undefined;
  let taskConfigs: TaskConfigsRecord | undefined;
  let status: ConnectorStatusRecord | undefined;
  const tasks: TaskRecord[] = [];
  for (const item of items) {
    const decoded = decodeItem(item);
    if (decoded.kind === 'taskConfigs') taskConfigs = decoded.record;
    else if (decoded.kind === 'connectorStatus') status = decoded.record;
    else if (decoded.kind === 'task') tasks.push(decoded.record);
  }
  tasks.sort((a, b) => a.taskId - b.taskId);
  return {
    connector,
    tasks,
    ...(taskConfigs ? { taskConfigs } : {}),
    ...(status ? { status } : {}),
  };
}

export async function snapshot(ctx: StateContext): Promise<StateSnapshot> {
  const x = new Expression();
  const items = await scanAll(ctx, {
    ConsistentRead: true,
    FilterExpression: `NOT begins_with(${x.name('pk')}, ${x.value(str(OFFSETS_PK_PREFIX))})`,
    ...x.params(),
  });
  const connectors: ConnectorRecord[] = [];
  const taskConfigs: TaskConfigsRecord[] = [];
  const tasks: TaskRecord[] = [];
  const connectorStatuses: ConnectorStatusRecord[] = [];
  const skipped: { pk: string; sk: string; reason: string }[] = [];
  for (const item of items) {
    let decoded: StateItem;
    try {
      decoded = decodeItem(item);
    } catch (error) {
      skipped.push({
        pk: item.pk?.S ?? '',
        sk: item.sk?.S ?? '',
        reason: error instanceof Error ? error.message : String(error),
      });
      continue;
    }
    switch (decoded.kind) {
      case 'connector':
        connectors.push(decoded.record);
        break;
      case 'taskConfigs':
        taskConfigs.push(decoded.record);
        break;
      case 'task':
        tasks.push(decoded.record);
        break;
      case 'connectorStatus':
        connectorStatuses.push(decoded.record);
        break;
      case 'offset':
      case 'coordinatorLease':
      case 'unknown':
        break;
    }
  }
  connectors.sort((a, b) => byName(a.name, b.name));
  taskConfigs.sort((a, b) => byName(a.connector, b.connector));
  tasks.sort((a, b) => byName(a.connector, b.connector) || a.taskId - b.taskId);
  connectorStatuses.sort((a, b) => byName(a.connector, b.connector));
  return { connectors, taskConfigs, tasks, connectorStatuses, skipped };
}
