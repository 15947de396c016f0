import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { alterOffsets } from './alter-offsets.js';
import {
  createConnector,
  deleteConnector,
  getConnector,
  listConnectors,
  putConnectorConfig,
  setTargetState,
} from './connectors.js';
import { StateInputError } from './errors.js';
import {
  acquireCoordinatorLease,
  acquireLease,
  releaseCoordinatorLease,
  releaseLease,
  renewLease,
  renewCoordinatorLease,
  readCoordinatorLease,
  requestCoordinatorRun,
  takeCoordinatorRunRequest,
  writeTaskStatus,
} from './leases.js';
import { commitOffsets, readOffsets } from './offsets.js';
import type { StateContext } from './requests.js';
import { describeConnector, snapshot } from './snapshot.js';
import {
  fenceTask,
  getTaskConfigs,
  removeTasksFrom,
  setConnectorStatus,
  setTaskStatus,
  writeTaskConfigs,
} from './tasks.js';
import type { ConnectorConfig } from '../api/connector-config.js';
import type { OffsetEntry, SourcePartition } from '../api/source-offsets.js';
import type {
  AcquiredLease,
  ConnectorRecord,
  ConnectorState,
  ConnectorStatusRecord,
  LeaseToken,
  SliceReport,
  Page,
  StateSnapshot,
  StateStore,
  TargetState,
  TaskConfigsRecord,
  TaskStatus,
} from './types.js';

/**
 * The state store on one DynamoDB table (see types.ts for the item layout and lib/state/README.md
 * for how fencing works). Every write is conditional or transactional; a refused condition
 * becomes a StateError saying which connector, task or partition and why.
 *
 * @example
 *   const store = new DynamoStateStore(new DynamoDBClient({}), 'rocketmq-connect-state');
 *   const token = await store.acquireLease('orders', 0, requestId, generation, Date.now(), 60_000);
 *   if (!token) return; // another invocation runs this task
 */
export class DynamoStateStore implements StateStore {
  private readonly ctx: StateContext;

  constructor(client: DynamoDBClient, tableName: string) {
    if (typeof tableName !== 'string' || !/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) {
      throw new StateInputError(
        `state table name ${JSON.stringify(tableName)} is invalid: DynamoDB table names are 3 to ` +
          `255 letters, digits, '_', '-' or '.'`,
      );
    }
    this.ctx = { client, table: tableName };
  }

  createConnector(
    name: string,
    config: ConnectorConfig,
    targetState: TargetState,
    now: number,
  ): Promise<ConnectorRecord> {
    return createConnector(this.ctx, name, config, targetState, now);
  }

  putConnectorConfig(
    name: string,
    config: ConnectorConfig,
    now: number,
    expectedVersion?: number,
  ): Promise<{ record: ConnectorRecord; created: boolean }> {
    return putConnectorConfig(this.ctx, name, config, now, expectedVersion);
  }

  setTargetState(name: string, targetState: TargetState, now: number): Promise<ConnectorRecord> {
    return setTargetState(this.ctx, name, targetState, now);
  }

  getConnector(name: string): Promise<ConnectorRecord | undefined> {
    return getConnector(this.ctx, name);
  }

  listConnectors(options?: { limit?: number; cursor?: string }): Promise<Page<ConnectorRecord>> {
    return listConnectors(this.ctx, options);
  }

  describeConnector(name: string): Promise<ConnectorState | undefined> {
    return describeConnector(this.ctx, name);
  }

  deleteConnector(name: string): Promise<void> {
    return deleteConnector(this.ctx, name);
  }

  getTaskConfigs(name: string): Promise<TaskConfigsRecord | undefined> {
    return getTaskConfigs(this.ctx, name);
  }

  writeTaskConfigs(
    connector: { readonly name: string; readonly version: number; readonly createdAt: number },
    tasks: readonly ConnectorConfig[],
    expectedGeneration: number,
    now: number,
  ): Promise<TaskConfigsRecord> {
    return writeTaskConfigs(this.ctx, connector, tasks, expectedGeneration, now);
  }

  fenceTask(name: string, taskId: number, now: number): Promise<void> {
    return fenceTask(this.ctx, name, taskId, now);
  }

  setTaskStatus(
    name: string,
    taskId: number,
    status: TaskStatus,
    expected: { readonly epoch: number; readonly statusUpdatedAt: number | undefined },
    options?: { readonly fence?: boolean },
  ): Promise<void> {
    return setTaskStatus(this.ctx, name, taskId, status, expected, options);
  }

  setConnectorStatus(status: ConnectorStatusRecord): Promise<void> {
    return setConnectorStatus(this.ctx, status);
  }

  removeTasksFrom(name: string, taskCount: number): Promise<void> {
    return removeTasksFrom(this.ctx, name, taskCount);
  }

  snapshot(): Promise<StateSnapshot> {
    return snapshot(this.ctx);
  }

  acquireLease(
    name: string,
    taskId: number,
    holder: string,
    generation: number,
    now: number,
    ttlMs: number,
  ): Promise<AcquiredLease | undefined> {
    return acquireLease(this.ctx, name, taskId, holder, generation, now, ttlMs);
  }

  renewLease(token: LeaseToken, now: number, ttlMs: number): Promise<void> {
    return renewLease(this.ctx, token, now, ttlMs);
  }

  releaseLease(token: LeaseToken, report?: SliceReport): Promise<void> {
    return releaseLease(this.ctx, token, report);
  }

  writeTaskStatus(token: LeaseToken, status: TaskStatus): Promise<void> {
    return writeTaskStatus(this.ctx, token, status);
  }

  commitOffsets(
    token: LeaseToken,
    seq: number,
    entries: readonly OffsetEntry[],
    now: number,
  ): Promise<void> {
    return commitOffsets(this.ctx, token, seq, entries, now);
  }

  readOffsets(name: string, partitions?: readonly SourcePartition[]): Promise<OffsetEntry[]> {
    return readOffsets(this.ctx, name, partitions);
  }

  alterOffsets(
    name: string,
    change: Parameters<StateStore['alterOffsets']>[1],
    now: number,
  ): Promise<void> {
    return alterOffsets(this.ctx, name, change, now);
  }

  acquireCoordinatorLease(
    holder: string,
    now: number,
    ttlMs: number,
  ): Promise<LeaseToken | undefined> {
    return acquireCoordinatorLease(this.ctx, holder, now, ttlMs);
  }

  renewCoordinatorLease(token: LeaseToken, now: number, ttlMs: number): Promise<void> {
    return renewCoordinatorLease(this.ctx, token, now, ttlMs);
  }

  readCoordinatorLease(): Promise<{ holder: string; expiresAt: number } | undefined> {
    return readCoordinatorLease(this.ctx);
  }

  releaseCoordinatorLease(token: LeaseToken): Promise<void> {
    return releaseCoordinatorLease(this.ctx, token);
  }

  requestCoordinatorRun(now: number): Promise<void> {
    return requestCoordinatorRun(this.ctx, now);
  }

  takeCoordinatorRunRequest(token: LeaseToken): Promise<boolean> {
    return takeCoordinatorRunRequest(this.ctx, token);
  }
}
