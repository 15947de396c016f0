// A reference sink over an in-memory table, for the suite's own tests: an idempotent upsert by
// key that passes every check, so that each broken variant (broken-sinks.ts) differs from it in
// one behaviour only.
import {
  type ConnectorConfig,
  NonRetriableError,
  parsePluginConfig,
  pluginKeys,
  requiredKey,
  RetriableError,
  type SinkConnectorPlugin,
  type SinkRecord,
  type SinkTask,
  textValue,
} from '../../../../lib/api/plugin-kit.js';
import type { SinkConformanceAdapter, SuiteValue } from './adapter.js';
import { testPlugin } from './memory-log-source.js';

/** A row as the table keeps it and as the adapter reads it back. */
export interface Row {
  readonly key: unknown;
  readonly value: unknown;
}

/** The value the table refuses, as a database refuses a row breaking a constraint. */
const REFUSED: SuiteValue = { id: 7, text: 'refused by the table' };

/** The external system: rows, a switch that makes every write fail, and one refused value. */
export class MemoryTable {
  rows: Row[] = [];
  failing = false;

  refuses(value: unknown): boolean {
    return (value as Partial<SuiteValue> | null)?.text === REFUSED.text;
  }
}

/** Tables by name: a config holds strings, so it names its table. */
const tables = new Map<string, MemoryTable>();

const memoryTableKeys = pluginKeys({
  table: requiredKey(
    { type: 'STRING', importance: 'HIGH', documentation: 'The in-memory table to write.' },
    textValue(),
  ),
});

/** `put` checks and buffers; `flush` upserts by key, or fails while the table is failing. */
export class MemoryTableSinkTask implements SinkTask {
  protected table = new MemoryTable();
  protected buffered: SinkRecord[] = [];

  start(config: ConnectorConfig): Promise<void> {
    const parsed = parsePluginConfig('MemoryTableSink', memoryTableKeys.configSchema, config);
    const table = tables.get(parsed.table);
    if (!table) return Promise.reject(new NonRetriableError(`no table ${parsed.table}`));
    this.table = table;
    return Promise.resolve();
  }

  put(records: readonly SinkRecord[]): Promise<void> {
    // All or nothing: a refused record leaves nothing of its batch buffered.
    const refused = records.find((r) => this.table.refuses(r.value));
    if (refused) return Promise.reject(new NonRetriableError(`refused ${String(refused.key)}`));
    this.buffered.push(...records);
    return Promise.resolve();
  }

  flush(): Promise<void> {
    if (this.table.failing) return Promise.reject(new RetriableError('the table is unavailable'));
    this.write(this.buffered);
    this.buffered = [];
    return Promise.resolve();
  }

  protected write(records: readonly SinkRecord[]): void {
    for (const { key, value } of records) {
      this.table.rows = [...this.table.rows.filter((row) => row.key !== key), { key, value }];
    }
  }

  stop(): Promise<void> {
    this.buffered = [];
    return Promise.resolve();
  }
}

/** A plugin whose tasks are `Task`s. */
export function memoryTableSink(
  name: string,
  Task: new () => MemoryTableSinkTask,
): SinkConnectorPlugin {
  return { type: 'sink', ...testPlugin(name, memoryTableKeys, () => new Task()) };
}

let created = 0;

/** The adapter of a memory-table plugin; each fixture is a new table, forgotten at tear down. */
export function memoryTableAdapter(
  plugin: SinkConnectorPlugin,
  idempotent = true,
): SinkConformanceAdapter {
  return {
    plugin,
    descriptor: {
      validConfig: { name: 'm', topics: 'in', table: 'any' },
      badConfigs: [{ config: { name: 'm' }, key: 'table' }],
    },
    setUp: () => {
      const name = `table-${++created}`;
      const table = new MemoryTable();
      tables.set(name, table);
      return Promise.resolve({
        config: () => ({ name: 'm', table: name }),
        // In key order, so that two reads of the same content compare equal.
        read: () =>
          Promise.resolve(
            [...table.rows].sort((a, b) => String(a.key).localeCompare(String(b.key))),
          ),
        breakTarget: () => {
          table.failing = true;
          return Promise.resolve(() => {
            table.failing = false;
            return Promise.resolve();
          });
        },
        tearDown: () => {
          tables.delete(name);
          return Promise.resolve();
        },
      });
    },
    written: (key, value): Row => ({ key, value }),
    idempotent,
    refusedValue: REFUSED,
  };
}
