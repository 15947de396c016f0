// A reference source over an in-memory log, for the suite's own tests: written to pass every
// check, so that each broken variant (broken-sources.ts) differs from it in one behaviour only.
import {
  type ConnectorConfig,
  defaultedKey,
  intValue,
  NonRetriableError,
  offsetNumber,
  parsePluginConfig,
  pluginKeys,
  requiredKey,
  Schemas,
  type SourceConnectorPlugin,
  type SourceOffset,
  type SourcePartition,
  type SourceRecord,
  type SourceTask,
  type SourceTaskContext,
  textValue,
} from '../../../../lib/api/plugin-kit.js';
import type { SourceConformanceAdapter } from './adapter.js';

/** The external system: an append-only log, and how far a queue-like reader acknowledged it. */
export class MemoryLog {
  readonly entries: string[] = [];
  acked = 0;
}

/** Logs by name: a config holds strings, so it names its log. */
const logs = new Map<string, MemoryLog>();

const memoryLogKeys = pluginKeys({
  log: requiredKey(
    { type: 'STRING', importance: 'HIGH', documentation: 'The in-memory log to read.' },
    textValue(),
  ),
  'long.poll.ms': defaultedKey(
    { type: 'INT', importance: 'LOW', documentation: 'How long an idle poll waits for data.' },
    '0',
    intValue({ min: 0 }),
  ),
});

/** Entries one poll returns at most: small, so that commits fall inside batches. */
const BATCH = 4;

/**
 * Partition `{ log }`, offset `{ index }` (the index after the record). An idle poll waits up
 * to `long.poll.ms` for data, as a broker's long poll does, and answers at once on abort or stop.
 */
export class MemoryLogSourceTask implements SourceTask {
  protected log = new MemoryLog();
  protected next = 0;
  protected signal: AbortSignal = new AbortController().signal;
  protected longPollMs = 0;
  #partition: SourcePartition = {};
  #wake: (() => void) | undefined;

  async start(config: ConnectorConfig, context: SourceTaskContext): Promise<void> {
    const parsed = parsePluginConfig('MemoryLogSource', memoryLogKeys.configSchema, config);
    const log = logs.get(parsed.log);
    if (!log) throw new NonRetriableError(`no log ${parsed.log}`);
    this.log = log;
    this.longPollMs = parsed['long.poll.ms'];
    this.signal = context.signal;
    this.#partition = { log: parsed.log };
    const [committed] = await context.offsets.read([this.#partition]);
    this.next = this.resumeFrom(
      committed ? offsetNumber(committed.offset['index'], 'index', parsed.log) : 0,
    );
  }

  /** Where to read from, given the committed index. */
  protected resumeFrom(committed: number): number {
    return committed;
  }

  async poll(): Promise<SourceRecord[]> {
    if (this.next >= this.log.entries.length) await this.idle();
    const batch = this.log.entries.slice(this.next, this.next + BATCH);
    const records = batch.map((value, i) => this.record(value, this.next + i + 1));
    this.next += batch.length;
    return records;
  }

  protected record(value: string, index: number): SourceRecord {
    return {
      partition: this.#partition,
      offset: this.offsetOf(index),
      timestamp: 0,
      key: null,
      value,
      valueSchema: Schemas.STRING,
      headers: [],
    };
  }

  protected offsetOf(index: number): SourceOffset {
    return { index };
  }

  /** Waits for data: here, only for `long.poll.ms` to pass, the abort signal, or stop. */
  protected idle(): Promise<void> {
    return this.wait(this.longPollMs, this.signal);
  }

  /** Resolves after `ms`, on `signal`'s abort if given, or on stop. */
  protected wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms === 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      this.#wake = done;
    });
  }

  stop(): Promise<void> {
    this.#wake?.();
    return Promise.resolve();
  }
}

let created = 0;

/**
 * What the test connectors share: named `test.conformance.<name>Connector` (alias `<name>`),
 * one task, whatever `tasks.max` says.
 */
export function testPlugin<K, T>(name: string, keys: K, newTask: () => T) {
  return {
    className: `test.conformance.${name}Connector`,
    aliases: [name],
    version: '1.0.0',
    ...keys,
    taskConfigs: (config: ConnectorConfig, maxTasks: number) =>
      maxTasks >= 1 ? [{ ...config }] : [],
    // Async as a shipped connector's, whose task code loads on demand.
    createTask: () => Promise.resolve(newTask()),
  };
}

/** A plugin whose tasks are `Task`s. */
export function memoryLogSource(
  name: string,
  Task: new () => MemoryLogSourceTask,
): SourceConnectorPlugin {
  return { type: 'source', ...testPlugin(name, memoryLogKeys, () => new Task()) };
}

/** The adapter of a memory-log plugin; each fixture is a new log, forgotten at tear down. */
export function memoryLogAdapter(
  plugin: SourceConnectorPlugin,
  longPollMs = 200,
): SourceConformanceAdapter {
  const base = { name: 'm', topic: 'out' };
  return {
    plugin,
    descriptor: {
      validConfig: { ...base, log: 'any' },
      badConfigs: [{ config: base, key: 'log' }],
    },
    longPollMs,
    setUp: () => {
      const name = `log-${++created}`;
      const log = new MemoryLog();
      logs.set(name, log);
      return Promise.resolve({
        config: () => ({ ...base, log: name, 'long.poll.ms': String(longPollMs) }),
        append: (n: number) => {
          for (let i = 0; i < n; i++) log.entries.push(`entry ${log.entries.length}`);
          return Promise.resolve();
        },
        tearDown: () => {
          logs.delete(name);
          return Promise.resolve();
        },
      });
    },
  };
}
