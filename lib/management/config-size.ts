import type { ConnectorConfig } from '../api/connector-config.js';
import type { KeyProblem } from '../config/validate-result.js';

/**
 * A connector config is one DynamoDB item, and its task configs (one copy per task, as most
 * plugins hand each task the whole config) another: an item holds at most 400 KB. The limits
 * leave room for the item's other attributes and for what plugins add to task configs.
 */
export const MAX_CONFIG_BYTES = 100 * 1024;
export const MAX_TASK_CONFIGS_BYTES = 350 * 1000;

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** Problems that would keep the config or its task configs from being stored, on their keys. */
export function sizeProblems(config: ConnectorConfig, tasksMax: number): KeyProblem[] {
  const entries = Object.entries(config);
  const total = entries.reduce((n, [key, value]) => n + bytes(key) + bytes(value), 0);
  if (total > MAX_CONFIG_BYTES) {
    const [largest] = entries.sort((a, b) => bytes(b[1]) - bytes(a[1]));
    return [
      {
        key: largest?.[0] ?? 'name',
        message: `the config is ${total} bytes, over the limit of ${MAX_CONFIG_BYTES} (it is stored as one item); this key's value is the largest, ${bytes(largest?.[1] ?? '')} bytes`,
      },
    ];
  }
  if (total * tasksMax > MAX_TASK_CONFIGS_BYTES) {
    const fits = Math.max(1, Math.floor(MAX_TASK_CONFIGS_BYTES / total));
    return [
      {
        key: 'tasks.max',
        message: `${tasksMax} tasks of a ${total}-byte config make ${total * tasksMax} bytes of task configs, over the limit of ${MAX_TASK_CONFIGS_BYTES} (stored as one item): use at most ${fits} tasks or a smaller config`,
      },
    ];
  }
  return [];
}
