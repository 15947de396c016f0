import type { z } from 'zod';
import type { ConnectorConfig } from '../api/connector-config.js';
import type { OffsetEntry, SourcePartition } from '../api/source-offsets.js';
import type { ConfigKeyDef } from './config-def.js';
import type { PluginIdentity } from './plugin.js';
import type { SinkRecord, SourceRecord } from './record.js';
import type { WarmResources } from './warm-resources.js';

/** A cross-key problem a plugin finds in a config, on the key to fix. */
export interface ConfigProblem {
  readonly key: string;
  readonly message: string;
}

/**
 * What source and sink connector plugins share. A plugin is a plain description plus a task
 * factory; it keeps no state, since every slice of every task may run in a different invocation.
 * The description is all the api and the coordinator use, so it stays small: task code and the
 * driver packages it needs are reached only through `createTask`'s dynamic `import()`.
 */
export interface ConnectorPluginBase extends PluginIdentity {
  /** Its own keys as people read them (GET /connector-plugins/{p}/config); common keys excluded. */
  readonly configDef: readonly ConfigKeyDef[];
  /**
   * Parses its own keys only; it receives the config (string values) without the common keys
   * (lib/config). Keep it a non-strict `z.object`, so keys it does not know pass. A key whose
   * value still holds a `${...}` reference is not judged on it until the task resolves it.
   */
  readonly configSchema: z.ZodType;
  /** Cross-key checks the schema cannot express; nothing returned means valid. */
  validate?(config: ConnectorConfig): readonly ConfigProblem[];
  /**
   * Checks the config against the system it names, as Confluent's JDBC connector's validate
   * does: reach the host, log in, find the table and its columns. Runs only for a config whose
   * keys are otherwise valid, inside the task function (which holds the drivers, the network
   * path to the system and the right to read secrets), with `${...}` references resolved; the
   * api and `config/validate` report what it returns on each key. Load the driver with a dynamic
   * `import()`, as `createTask` does. A problem's message never holds a secret.
   */
  checkSystem?(config: ConnectorConfig, signal: AbortSignal): Promise<readonly ConfigProblem[]>;
  /**
   * Splits the connector's work into at most `maxTasks` task configs: pure and deterministic (the
   * coordinator compares them to decide whether tasks must restart). May return fewer, or none.
   * `config` is the stored config, with `${...}` references unresolved.
   */
  taskConfigs(config: ConnectorConfig, maxTasks: number): ConnectorConfig[];
}

/** What a task knows of where it runs. */
export interface TaskContext {
  readonly connector: string;
  readonly taskId: number;
  /** Aborted when the slice must end (its time budget is spent); long calls should honour it. */
  readonly signal: AbortSignal;
  /**
   * The container's warm resources (connections, pools, agents) that outlive the slice: what a
   * task acquires here is handed back when the slice ends, and may be reused by the next slice
   * that runs in the same container.
   */
  readonly resources: WarmResources;
}

/** Reads committed offsets, so that a source task resumes where the last slice stopped. */
export interface OffsetReader {
  /** The committed offsets of these partitions; partitions never committed are left out. */
  read(partitions: readonly SourcePartition[]): Promise<OffsetEntry[]>;
}

export interface SourceTaskContext extends TaskContext {
  readonly offsets: OffsetReader;
}

export type SinkTaskContext = TaskContext;

/**
 * Reads from an external system. One instance lives for one slice: `start`, then `poll` until
 * the slice ends, then `stop`.
 */
export interface SourceTask {
  /** `config` is this task's config with `${...}` references resolved. */
  start(config: ConnectorConfig, context: SourceTaskContext): Promise<void>;
  /** The next records; an empty array when there is nothing now (the runtime backs off). */
  poll(): Promise<SourceRecord[]>;
  /** Called once these records are durable in RocketMQ and their offsets committed. */
  commit?(records: readonly SourceRecord[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Writes to an external system. One instance lives for one slice: `start`, then `put`s and
 * `flush`es, then `stop`. Records are acknowledged only after `flush` resolves.
 */
export interface SinkTask {
  /** `config` is this task's config with `${...}` references resolved. */
  start(config: ConnectorConfig, context: SinkTaskContext): Promise<void>;
  /** Takes a batch; may buffer it until `flush`. */
  put(records: readonly SinkRecord[]): Promise<void>;
  /** Makes everything `put` so far durable in the external system. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export interface SourceConnectorPlugin extends ConnectorPluginBase {
  readonly type: 'source';
  /**
   * A new task, its code loaded on first use by a dynamic `import()` of the connector's task
   * module, so that the api, coordinator and mirror bundles never hold task code or drivers
   * (infra/aws/esbuild-plugins.cjs keeps them out; the package test checks it):
   *
   * ```ts
   * createTask: async () => new (await import('./task.js')).FileStreamSourceTask(),
   * ```
   */
  createTask(): Promise<SourceTask>;
}

export interface SinkConnectorPlugin extends ConnectorPluginBase {
  readonly type: 'sink';
  /** A new task, its code loaded on first use (see `SourceConnectorPlugin.createTask`). */
  createTask(): Promise<SinkTask>;
}

export type ConnectorPlugin = SourceConnectorPlugin | SinkConnectorPlugin;
