import type { PluginRegistry } from '../api/registry.js';
import { taskIds } from '../management/restarts.js';
import { maskConfig } from '../config/mask.js';
import { ZERO_COUNTERS } from '../state/items.js';
import {
  TASK_COUNTERS,
  type ConnectorRecord,
  type ConnectorState,
  type RuntimeState,
  type TaskConfigsRecord,
  type TaskCounter,
  type TaskCounters,
  type TaskRecord,
} from '../state/types.js';
import type { ConnectorConfig } from '../api/connector-config.js';

/**
 * Kafka Connect's REST shapes, built from the state. Every config passes through `maskConfig`
 * here, the one way out: secrets read `[hidden]`, `${...}` references stay as written.
 */

export type ConnectorType = 'source' | 'sink' | 'unknown';

/** Kafka Connect's `ConnectorInfo`. */
export interface ConnectorInfo {
  readonly name: string;
  readonly config: Record<string, string>;
  readonly tasks: readonly { readonly connector: string; readonly task: number }[];
  readonly type: ConnectorType;
}

/** Kafka Connect's `TaskState`, plus how often it was restarted automatically. */
export interface TaskStateInfo {
  readonly id: number;
  readonly state: RuntimeState;
  readonly worker_id: string | null;
  readonly trace?: string;
  readonly restart_count: number;
}

/** Kafka Connect's `ConnectorStateInfo`. */
export interface ConnectorStateInfo {
  readonly name: string;
  readonly connector: {
    readonly state: RuntimeState;
    readonly worker_id: string;
    readonly trace?: string;
  };
  readonly tasks: readonly TaskStateInfo[];
  readonly type: ConnectorType;
}

/** `sourceRecordPoll` -> `source_record_poll`: the API's JSON is snake_case, as Kafka Connect's. */
type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : S;

/** The task counters (`TASK_COUNTERS`) under their snake_case names. */
export type CounterValues = Readonly<Record<SnakeCase<TaskCounter>, number>>;

/** One task's counters: running totals, the last slice that ended, the last record failure. */
export interface TaskMetricsInfo {
  readonly id: number;
  readonly totals: CounterValues;
  /** Absent until a slice of the task ended. */
  readonly last_slice?: {
    readonly started_at: number;
    readonly ended_at: number;
    readonly counters: CounterValues;
  };
  /** Absent until a record failed (tolerated or not). */
  readonly last_error?: { readonly at: number; readonly message: string };
}

/** `GET /connectors/{name}/metrics`: the counters of each current task, for the console. */
export interface ConnectorMetricsInfo {
  readonly name: string;
  readonly type: ConnectorType;
  /** Epoch ms at which the API read the counters; rates come from two samples. */
  readonly sampled_at: number;
  readonly tasks: readonly TaskMetricsInfo[];
}

/** The coordinator looks after connectors; no worker holds one. */
const CONNECTOR_WORKER = 'coordinator';

export class Views {
  constructor(
    private readonly registry: PluginRegistry,
    /** The clock of `sampled_at`. */
    private readonly now: () => number = Date.now,
  ) {}

  typeOf(config: ConnectorConfig): ConnectorType {
    return this.typeOfKnown(config) ?? 'unknown';
  }

  /** The plugin's type, undefined when no registered plugin matches. */
  typeOfKnown(config: ConnectorConfig): 'source' | 'sink' | undefined {
    return this.registry.find(config['connector.class'] ?? '')?.type;
  }

  config(config: ConnectorConfig): Record<string, string> {
    return maskConfig(config, this.registry.find(config['connector.class'] ?? ''));
  }

  info(connector: ConnectorRecord, taskConfigs: TaskConfigsRecord | undefined): ConnectorInfo {
    return {
      name: connector.name,
      config: this.config(connector.config),
      tasks: (taskConfigs?.tasks ?? []).map((_, task) => ({ connector: connector.name, task })),
      type: this.typeOf(connector.config),
    };
  }

  status(state: ConnectorState): ConnectorStateInfo {
    const { connector, status } = state;
    return {
      name: connector.name,
      connector: {
        state: status?.state ?? 'UNASSIGNED',
        worker_id: CONNECTOR_WORKER,
        ...(status?.trace === undefined ? {} : { trace: status.trace }),
      },
      tasks: taskIds(state).map((id) => this.taskStatus(state, id)),
      type: this.typeOf(connector.config),
    };
  }

  /** A task listed in the task configs; one that never ran is UNASSIGNED. */
  taskStatus(state: ConnectorState, id: number): TaskStateInfo {
    const status = taskOf(state, id)?.status;
    return {
      id,
      state: status?.state ?? 'UNASSIGNED',
      worker_id: status?.workerId ?? null,
      ...(status?.trace === undefined ? {} : { trace: status.trace }),
      restart_count: status?.restartCount ?? 0,
    };
  }

  /**
   * The counters of the tasks `status` lists (the current task configs); a task that never ran
   * has zero totals and neither `last_slice` nor `last_error`.
   */
  metrics(state: ConnectorState): ConnectorMetricsInfo {
    return {
      name: state.connector.name,
      type: this.typeOf(state.connector.config),
      sampled_at: this.now(),
      tasks: taskIds(state).map((id) => taskMetrics(id, taskOf(state, id))),
    };
  }

  /** Kafka Connect's `GET /connectors/{name}/tasks`: each task's id and config. */
  tasks(
    state: ConnectorState,
  ): { id: { connector: string; task: number }; config: Record<string, string> }[] {
    const plugin = this.registry.find(state.connector.config['connector.class'] ?? '');
    return (state.taskConfigs?.tasks ?? []).map((config, task) => ({
      id: { connector: state.connector.name, task },
      config: maskConfig(config, plugin),
    }));
  }
}

/** The task's item; undefined while it never ran (no lease taken, no status written). */
function taskOf(state: ConnectorState, id: number): TaskRecord | undefined {
  return state.tasks.find((t) => t.taskId === id);
}

function taskMetrics(id: number, task: TaskRecord | undefined): TaskMetricsInfo {
  const metrics = task?.metrics;
  const { lastSlice, lastError } = metrics ?? {};
  return {
    id,
    totals: counterValues(metrics?.totals ?? ZERO_COUNTERS),
    ...(lastSlice && {
      last_slice: {
        started_at: lastSlice.startedAt,
        ended_at: lastSlice.endedAt,
        counters: counterValues(lastSlice.counters),
      },
    }),
    ...(lastError && { last_error: { at: lastError.at, message: lastError.message } }),
  };
}

/** Every counter of `TASK_COUNTERS`, in its order, under its snake_case name. */
function counterValues(counters: TaskCounters): CounterValues {
  return Object.fromEntries(
    TASK_COUNTERS.map((c) => [
      c.replace(/[A-Z]/g, (upper) => `_${upper.toLowerCase()}`),
      counters[c],
    ]),
  ) as Record<SnakeCase<TaskCounter>, number>;
}
