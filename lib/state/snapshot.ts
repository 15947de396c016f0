import { str } from './attributes.js';
import { Expression } from './expression.js';
import { decodeItem, type StateItem } from './items.js';
import { OFFSETS_PK_PREFIX } from './keys.js';
import { scanAll, type StateContext } from './requests.js';
import type {
  ConnectorRecord,
  ConnectorStatusRecord,
  StateSnapshot,
  TaskConfigsRecord,
  TaskRecord,
} from './types.js';

/**
 * Everything but offsets, in one scan of the table (every page, each strongly consistent, read
 * one after the other: not a point-in-time view), sorted by connector name and task id. Offsets
 * are filtered out on DynamoDB's side: they are not needed for planning and may be many (the
 * filter saves transfer, not read capacity). An item that fails to decode is left out and
 * listed in `skipped`, so one corrupt item cannot stop coordination.
 */
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
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  connectors.sort((a, b) => byName(a.name, b.name));
  taskConfigs.sort((a, b) => byName(a.connector, b.connector));
  tasks.sort((a, b) => byName(a.connector, b.connector) || a.taskId - b.taskId);
  connectorStatuses.sort((a, b) => byName(a.connector, b.connector));
  return { connectors, taskConfigs, tasks, connectorStatuses, skipped };
}
