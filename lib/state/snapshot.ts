import { str } from './attributes.js';
import { Expression } from './expression.js';
import { decodeItem } from './items.js';
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
 * Everything but offsets, in one strongly consistent scan of the table (every page), sorted
 * by connector name and task id. Offsets are filtered out on DynamoDB's side: they are not
 * needed for planning and may be many (the filter saves transfer, not read capacity).
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
  for (const item of items) {
    const decoded = decodeItem(item);
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
  return { connectors, taskConfigs, tasks, connectorStatuses };
}
