import type { ConnectorStatusRecord, TaskStatus } from '../state/types.js';
import type { ConnectorConfig } from '../api/connector-config.js';

/**
 * What the planner decides and the runner carries out, in order, one connector at a time.
 * When an action of a connector fails because the state moved (a stale or fenced write), the
 * rest of that connector's actions wait for the next run, which plans from fresh state.
 */
export type Action =
  | {
      /** New task configs (generation + 1); fences every lease of the connector. */
      readonly kind: 'writeTaskConfigs';
      readonly connector: string;
      /** The config these were computed from: refused if it changed or was re-created since. */
      readonly configVersion: number;
      readonly createdAt: number;
      readonly tasks: readonly ConnectorConfig[];
      /** -1 when the connector has no task configs yet. */
      readonly expectedGeneration: number;
    }
  | {
      /** Task items of ids >= fromTaskId go (tasks.max went down, or the connector stopped). */
      readonly kind: 'removeTasks';
      readonly connector: string;
      readonly fromTaskId: number;
    }
  | {
      readonly kind: 'setTaskStatus';
      readonly connector: string;
      readonly taskId: number;
      readonly status: TaskStatus;
      /**
       * The epoch and status time the plan saw: the write is refused if a slice took the lease
       * or wrote its own status since, so a fresher status is never overwritten.
       */
      readonly expected: { readonly epoch: number; readonly statusUpdatedAt: number | undefined };
      /** Also fence the lease (epoch + 1, holder removed) in the same write. */
      readonly fence: boolean;
    }
  | {
      readonly kind: 'setConnectorStatus';
      readonly status: ConnectorStatusRecord;
    }
  | {
      /** Start a slice of the task (async invoke of the task function). */
      readonly kind: 'dispatch';
      readonly connector: string;
      readonly taskId: number;
      readonly generation: number;
    };

export type ActionKind = Action['kind'];
