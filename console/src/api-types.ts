// The REST API's shapes the console reads (Kafka Connect's, plus the platform's metrics view).
// Written here rather than imported from lib/: the console is built for the browser on its own.

export type RuntimeState =
  'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'RESTARTING';

export type ConnectorType = 'source' | 'sink' | 'unknown';

export interface PluginInfo {
  readonly class: string;
  readonly type: ConnectorType;
  readonly version: string;
}

/** Kafka Connect's `ConfigKeyInfo`. */
export interface ConfigKeyInfo {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  readonly default_value: string | null;
  readonly importance: string;
  readonly documentation: string;
  readonly group: string | null;
  readonly order_in_group: number;
  readonly display_name: string;
}

/** Kafka Connect's `ConfigInfos`, the answer of `config/validate`. */
export interface ConfigInfos {
  readonly error_count: number;
  readonly configs: readonly {
    readonly definition: ConfigKeyInfo;
    readonly value: { readonly name: string; readonly errors: readonly string[] };
  }[];
}

export interface TaskState {
  readonly id: number;
  readonly state: RuntimeState;
  readonly worker_id: string | null;
  readonly trace?: string;
  readonly restart_count: number;
}

export interface ConnectorStatus {
  readonly name: string;
  readonly connector: { readonly state: RuntimeState; readonly trace?: string };
  readonly tasks: readonly TaskState[];
  readonly type: ConnectorType;
}

export interface ConnectorInfo {
  readonly name: string;
  readonly config: Record<string, string>;
  readonly tasks: readonly { readonly connector: string; readonly task: number }[];
  readonly type: ConnectorType;
}

/** Counters of a task, as `GET /connectors/{name}/metrics` names them. */
export type TaskCounters = Readonly<Record<string, number>>;

export interface TaskMetrics {
  readonly id: number;
  readonly totals: TaskCounters;
  readonly last_slice?: {
    readonly started_at: number;
    readonly ended_at: number;
    readonly counters: TaskCounters;
  };
  readonly last_error?: { readonly at: number; readonly message: string };
}

export interface ConnectorMetrics {
  readonly name: string;
  readonly type: ConnectorType;
  readonly sampled_at: number;
  readonly tasks: readonly TaskMetrics[];
}

/** `GET /connectors?expand=status&expand=info&expand=metrics`. */
export type ExpandedConnectors = Record<
  string,
  {
    readonly status: ConnectorStatus;
    readonly info: ConnectorInfo;
    readonly metrics: ConnectorMetrics;
  }
>;

export interface SourceOffsets {
  readonly offsets: readonly { readonly partition: unknown; readonly offset: unknown }[];
}
