/**
 * The state model: what the state table holds, and the operations on it. `DynamoStateStore`
 * (dynamo-state-store.ts) is the one adapter; the coordinator and the runtime see only this.
 *
 * Item layout in the single table (pk / sk):
 *   connectors            / <name>              connector config, target state, version
 *   connector#<name>      / tasks               task configs with their generation
 *   connector#<name>      / status              connector status
 *   connector#<name>      / task#<0000id>       one task: its lease (epoch = fencing token) and status
 *   offsets#<name>        / <partition key>     committed source offset of one source partition
 *   coordinator           / lease               the coordinator's own lease and its re-run request
 * Offsets live under their own pk so that deleting a connector leaves them, as in Kafka Connect.
 */

import type { ConnectorConfig } from '../api/connector-config.js';
import type { OffsetEntry, SourceOffset, SourcePartition } from '../api/source-offsets.js';

export type TargetState = 'RUNNING' | 'PAUSED' | 'STOPPED';

/** Kafka Connect's connector and task states. */
export type RuntimeState =
  'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'RESTARTING';

export interface ConnectorRecord {
  readonly name: string;
  readonly config: ConnectorConfig;
  readonly targetState: TargetState;
  /** Starts at 1; every config or target-state change adds 1. */
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface TaskConfigsRecord {
  readonly connector: string;
  /** Bumped on every rewrite of the task configs; slices of an older generation stop. */
  readonly generation: number;
  /** The connector config version these task configs were computed from. */
  readonly configVersion: number;
  /** Task i has id i. */
  readonly tasks: readonly ConnectorConfig[];
}

export interface TaskLease {
  /** Who holds it; absent when free. */
  readonly holder?: string;
  /** The fencing token: +1 on every acquisition and every fence. */
  readonly epoch: number;
  /** Epoch ms; a lease past it is free to take. */
  readonly expiresAt: number;
}

export interface TaskStatus {
  readonly state: RuntimeState;
  /** Stack trace or message of the last failure, shown with FAILED. */
  readonly trace?: string;
  /** Automatic restarts since the task last ran cleanly. */
  readonly restartCount: number;
  /** Epoch ms before which a FAILED task is not restarted (exponential backoff). */
  readonly nextRestartAt?: number;
  readonly workerId?: string;
  readonly updatedAt: number;
}

export interface TaskRecord {
  readonly connector: string;
  readonly taskId: number;
  /** The generation of the task configs the last lease was taken for; -1 before any lease. */
  readonly generation: number;
  readonly lease: TaskLease;
  readonly status: TaskStatus;
  /** What its slices did: running totals and the last slice (empty before any slice ended). */
  readonly metrics: TaskMetrics;
}

/**
 * What the runtime counts, per task, as RocketMQ Connect's task metrics
 * (`source-record-poll-total`, `sink-record-read-total`...) count them.
 */
export const TASK_COUNTERS = [
  /** Source: records returned by `poll()`. */
  'sourceRecordPoll',
  /** Source: records whose send to RocketMQ was acknowledged. */
  'sourceRecordWrite',
  /** Sink: messages received from RocketMQ. */
  'sinkRecordRead',
  /** Sink: records handed to `put()` and flushed. */
  'sinkRecordSend',
  /** Records that transforms dropped on purpose (filters). */
  'recordFiltered',
  /** Records that failed a stage after their retries (tolerated or not). */
  'recordErrors',
  /** Retries of failed stages. */
  'recordRetries',
  /** Records sent to the dead-letter topic. */
  'deadLettered',
  /** Offset commits (sources) and acknowledged batches (sinks). */
  'offsetCommits',
  /** Slices that ended (cleanly or FAILED; a killed slice never reports). */
  'slices',
  /** Total run time of those slices. */
  'sliceMillis',
] as const;

export type TaskCounter = (typeof TASK_COUNTERS)[number];
export type TaskCounters = Readonly<Record<TaskCounter, number>>;

/** What one slice reports when it ends, with its lease release. */
export interface SliceReport {
  /** The task's status from now on (RUNNING after a clean slice, FAILED with its trace). */
  readonly status: TaskStatus;
  readonly startedAt: number;
  readonly endedAt: number;
  /** What this slice did; added to the task's totals. */
  readonly counters: TaskCounters;
  /** The last record failure of the slice, tolerated or not (message only, never a value). */
  readonly lastError?: { readonly at: number; readonly message: string };
}

export interface TaskMetrics {
  /** Running totals over every reported slice; counters never reported are 0. */
  readonly totals: TaskCounters;
  readonly lastSlice?: {
    readonly startedAt: number;
    readonly endedAt: number;
    readonly counters: TaskCounters;
  };
  readonly lastError?: { readonly at: number; readonly message: string };
}

export interface ConnectorStatusRecord {
  readonly connector: string;
  readonly state: RuntimeState;
  readonly trace?: string;
  readonly updatedAt: number;
}

/** Proof of holding a task's lease: every fenced write carries it. */
export interface LeaseToken {
  readonly connector: string;
  readonly taskId: number;
  readonly holder: string;
  readonly epoch: number;
}

/** A lease just taken: the token, and the restart count the task had (its failures carry it on). */
export interface AcquiredLease extends LeaseToken {
  readonly restartCount: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass back to get the next page; absent on the last page. */
  readonly cursor?: string;
}

/**
 * Everything the coordinator plans from, read in one scan of several pages. Not a point-in-time
 * view: each page is strongly consistent when read, but pages are read one after the other, so
 * items may reflect different moments. Every write planned from it is conditional on what was
 * read, so a plan from a moved-on state is refused rather than applied.
 */
export interface StateSnapshot {
  readonly connectors: readonly ConnectorRecord[];
  readonly taskConfigs: readonly TaskConfigsRecord[];
  readonly tasks: readonly TaskRecord[];
  readonly connectorStatuses: readonly ConnectorStatusRecord[];
  /** Items that failed to decode (corrupt), left out of the lists above, with why. */
  readonly skipped?: readonly {
    readonly pk: string;
    readonly sk: string;
    readonly reason: string;
  }[];
}

/** One connector as the API shows it: its config, task configs, status and task items. */
export interface ConnectorState {
  readonly connector: ConnectorRecord;
  /** Absent until the coordinator first computed them. */
  readonly taskConfigs?: TaskConfigsRecord;
  /** Absent until the coordinator first reported on the connector. */
  readonly status?: ConnectorStatusRecord;
  /** Sorted by task id; a task not yet leased or planned has no item. */
  readonly tasks: readonly TaskRecord[];
}

export interface StateStore {
  // Connectors (the management API).
  /** Fails with ConnectorExistsError when the name is taken. */
  createConnector(
    name: string,
    config: ConnectorConfig,
    targetState: TargetState,
    now: number,
  ): Promise<ConnectorRecord>;
  /** Creates or replaces; `expectedVersion` (when given) must match. Returns the new record. */
  putConnectorConfig(
    name: string,
    config: ConnectorConfig,
    now: number,
    expectedVersion?: number,
  ): Promise<{ record: ConnectorRecord; created: boolean }>;
  /** Fails with ConnectorNotFoundError. */
  setTargetState(name: string, targetState: TargetState, now: number): Promise<ConnectorRecord>;
  getConnector(name: string): Promise<ConnectorRecord | undefined>;
  listConnectors(options?: { limit?: number; cursor?: string }): Promise<Page<ConnectorRecord>>;
  /** The connector with its task configs, status and tasks; undefined when it does not exist. */
  describeConnector(name: string): Promise<ConnectorState | undefined>;
  /** Removes config, task configs, task items and status; offsets stay. Fails with ConnectorNotFoundError. */
  deleteConnector(name: string): Promise<void>;

  // Tasks (the coordinator).
  getTaskConfigs(name: string): Promise<TaskConfigsRecord | undefined>;
  /**
   * Writes new task configs with generation `expectedGeneration + 1` and configVersion
   * `connector.version`, fencing every existing task lease of the connector (epoch + 1, holder
   * removed) in the same transaction, so slices of the old generation stop at their next fenced
   * write. `connector` is the config the tasks were computed from: the stored connector must
   * still have that version and createdAt. `expectedGeneration` is the generation read, or -1
   * when the connector has no task configs yet (the first write gets 0). Fails with
   * StaleWriteError when the generation or the connector moved meanwhile (a newer config, or
   * deleted and re-created), ConnectorNotFoundError when the connector is gone.
   */
  writeTaskConfigs(
    connector: { readonly name: string; readonly version: number; readonly createdAt: number },
    tasks: readonly ConnectorConfig[],
    expectedGeneration: number,
    now: number,
  ): Promise<TaskConfigsRecord>;
  /**
   * Fences the task's lease (epoch + 1, holder removed), e.g. on pause or restart; creates the
   * task item if it is absent. Fails with ConnectorNotFoundError.
   */
  fenceTask(name: string, taskId: number, now: number): Promise<void>;
  /**
   * Writes a task's status on behalf of the coordinator, conditional on what it read: the
   * task's epoch is still `expected.epoch` and its stored `status.updatedAt` still
   * `expected.statusUpdatedAt` (undefined: no status stored), so a status the slice wrote since
   * is never overwritten. With epoch 0 and statusUpdatedAt undefined it also creates the task
   * item if it is absent. With `fence`, the same write also fences the lease (epoch + 1, holder
   * removed). StaleWriteError when the condition fails; ConnectorNotFoundError.
   */
  setTaskStatus(
    name: string,
    taskId: number,
    status: TaskStatus,
    expected: { readonly epoch: number; readonly statusUpdatedAt: number | undefined },
    options?: { readonly fence?: boolean },
  ): Promise<void>;
  /** StaleWriteError when a status with a later `updatedAt` is stored; ConnectorNotFoundError. */
  setConnectorStatus(status: ConnectorStatusRecord): Promise<void>;
  /** Removes task items whose id is >= `taskCount` (after tasks.max went down). */
  removeTasksFrom(name: string, taskCount: number): Promise<void>;
  snapshot(): Promise<StateSnapshot>;

  // Leases (a slice).
  /**
   * Takes the lease when it is free, expired, or already `holder`'s, adding 1 to the epoch,
   * and only while the connector exists with target state RUNNING, its task configs are at
   * `generation` and have a task `taskId`, and the task is not FAILED (only the coordinator's
   * restart, which moves it to RESTARTING, lets a failed task run again). The same write
   * reports the task RUNNING, keeping its restart count. Returns undefined otherwise, or when
   * someone else holds or is taking it, or the status changed meanwhile (the caller leaves
   * quietly; the coordinator dispatches again).
   */
  acquireLease(
    name: string,
    taskId: number,
    holder: string,
    generation: number,
    now: number,
    ttlMs: number,
  ): Promise<AcquiredLease | undefined>;
  /** Fails with FencedError when the token's epoch is no longer current. */
  renewLease(token: LeaseToken, now: number, ttlMs: number): Promise<void>;
  /**
   * Frees the lease if the token is still current; a fenced release is a no-op. With a
   * report, the same write stores the slice's status, its last slice and adds its counters
   * to the task's totals.
   */
  releaseLease(token: LeaseToken, report?: SliceReport): Promise<void>;
  /** Fenced status write by the slice holding the lease. Fails with FencedError. */
  writeTaskStatus(token: LeaseToken, status: TaskStatus): Promise<void>;

  // Offsets.
  /**
   * Commits the offsets of one batch in one transaction, fenced on the token's epoch, never
   * moving an offset back: `seq` must be greater than the last seq committed in this epoch.
   * Fails with FencedError or StaleWriteError and writes nothing then. At most 99 distinct
   * partitions per call (one transaction); none writes nothing.
   */
  commitOffsets(
    token: LeaseToken,
    seq: number,
    entries: readonly OffsetEntry[],
    now: number,
  ): Promise<void>;
  readOffsets(name: string, partitions?: readonly SourcePartition[]): Promise<OffsetEntry[]>;
  /**
   * Replaces (entries with an offset) or removes (offset null) offsets; only while the connector
   * exists with target state STOPPED, else ConnectorNotStoppedError; `reset` removes them all.
   * Fences every task lease of the connector in the same transaction.
   */
  alterOffsets(
    name: string,
    change:
      | {
          kind: 'alter';
          entries: readonly { partition: SourcePartition; offset: SourceOffset | null }[];
        }
      | { kind: 'reset' },
    now: number,
  ): Promise<void>;

  // The coordinator's own lease (single-flight). Its token has connector '' and taskId -1.
  acquireCoordinatorLease(
    holder: string,
    now: number,
    ttlMs: number,
  ): Promise<LeaseToken | undefined>;
  /** Extends the coordinator's lease; FencedError when `token` is no longer current. */
  renewCoordinatorLease(token: LeaseToken, now: number, ttlMs: number): Promise<void>;
  /** The coordinator lease's holder and deadline (epoch ms), or undefined when it is free. */
  readCoordinatorLease(): Promise<
    { readonly holder: string; readonly expiresAt: number } | undefined
  >;
  releaseCoordinatorLease(token: LeaseToken): Promise<void>;
  /**
   * Asks for another coordinator run (a wake-up that found the lease taken must not be lost).
   * An unconditional flag on the coordinator lease item: any caller may raise it at any time.
   */
  requestCoordinatorRun(now: number): Promise<void>;
  /**
   * Clears the run request; true when one was pending (the holder should run again). Fails with
   * FencedError when `token` is no longer the current coordinator lease.
   */
  takeCoordinatorRunRequest(token: LeaseToken): Promise<boolean>;
}
