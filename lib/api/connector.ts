import type { z } from 'zod';
import type { ConnectorConfig } from '../api/connector-config.js';
import type { OffsetEntry, SourcePartition } from '../api/source-offsets.js';
import type { ConfigKeyDef } from './config-def.js';
import type { PluginIdentity } from './plugin.js';
import type { SinkRecord, SourceRecord } from './record.js';

/** A cross-key problem a plugin finds in a config, on the key to fix. */
export interface ConfigProblem {
  readonly key: string;
  readonly message: string;
}

/**
 * What source and sink connector plugins share. A plugin is a plain description plus a task
 * factory; it keeps no state, since every slice of every task may run in a different invocation.
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
  createTask(): SourceTask;
}

export interface SinkConnectorPlugin extends ConnectorPluginBase {
  readonly type: 'sink';
  createTask(): SinkTask;
}

export type ConnectorPlugin = SourceConnectorPlugin | SinkConnectorPlugin;
