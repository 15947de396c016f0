import type { PluginRegistry } from '../api/registry.js';
import { taskIds } from '../management/restarts.js';
import { maskConfig } from '../config/mask.js';
import type {
  ConnectorConfig,
  ConnectorRecord,
  ConnectorState,
  RuntimeState,
  TaskConfigsRecord,
  TaskRecord,
} from '../state/types.js';

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

/** The coordinator looks after connectors; no worker holds one. */
const CONNECTOR_WORKER = 'coordinator';

export class Views {
  constructor(private readonly registry: PluginRegistry) {}

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
    const task: TaskRecord | undefined = state.tasks.find((t) => t.taskId === id);
    const status = task?.status;
    return {
      id,
      state: status?.state ?? 'UNASSIGNED',
      worker_id: status?.workerId ?? null,
      ...(status?.trace === undefined ? {} : { trace: status.trace }),
      restart_count: status?.restartCount ?? 0,
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
