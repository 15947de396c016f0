import { canonicalJson } from './canonical-json.js';
import { StateInputError } from './errors.js';
import { MAX_TASK_ID } from './keys.js';
import type { ConnectorConfig } from '../api/connector-config.js';
import type {
  ConnectorStatusRecord,
  LeaseToken,
  RuntimeState,
  SliceReport,
  TargetState,
  TaskStatus,
} from './types.js';
import { TASK_COUNTERS } from './types.js';

// Checks of what callers pass in, once, at the store's edge. Each error names the value.

const TARGET_STATES: ReadonlySet<string> = new Set<TargetState>(['RUNNING', 'PAUSED', 'STOPPED']);
const RUNTIME_STATES: ReadonlySet<string> = new Set<RuntimeState>([
  'UNASSIGNED',
  'RUNNING',
  'PAUSED',
  'STOPPED',
  'FAILED',
  'RESTARTING',
]);
// A name is a sort key (at most 1024 bytes) and part of partition keys; 255 characters is ample.
const MAX_NAME_LENGTH = 255;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** A value shown in an error message; never throws (JSON.stringify does, on a bigint). */
export function show(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function requireConnectorName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw new StateInputError(
      `connector name ${show(name)} is invalid: it must be 1 to ${MAX_NAME_LENGTH} characters`,
    );
  }
  if (CONTROL_CHARACTERS.test(name)) {
    throw new StateInputError(
      `connector name ${show(name)} is invalid: it must not contain control characters`,
    );
  }
}

export function requireInteger(value: unknown, what: string, min: number, max?: number): void {
  if (
    typeof value !== 'number' ||
    !Number.isSafeInteger(value) ||
    value < min ||
    (max !== undefined && value > max)
  ) {
    const range = max === undefined ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new StateInputError(`${what} must be an integer ${range}, got ${show(value)}`);
  }
}

export function requireTaskId(taskId: unknown): asserts taskId is number {
  requireInteger(taskId, 'task id', 0, MAX_TASK_ID);
}

/**
 * Fails unless `value` is an array. Not a type guard on purpose: `Array.isArray` narrows a
 * readonly array to `any[]`, which would untype its elements.
 */
export function requireArray(value: unknown, what: string, maxLength?: number): void {
  if (!Array.isArray(value)) throw new StateInputError(`${what} must be an array`);
  if (maxLength !== undefined && value.length > maxLength) {
    throw new StateInputError(`${what} must hold at most ${maxLength} items, got ${value.length}`);
  }
}

/** Epoch milliseconds, such as `now` and `updatedAt`. */
export function requireTimestamp(value: unknown, what: string): asserts value is number {
  requireInteger(value, what, 0);
}

export function requireTargetState(state: unknown): asserts state is TargetState {
  if (typeof state !== 'string' || !TARGET_STATES.has(state)) {
    throw new StateInputError(
      `target state ${show(state)} is invalid: use one of ${[...TARGET_STATES].join(', ')}`,
    );
  }
}

function requireRuntimeState(state: unknown, what: string): asserts state is RuntimeState {
  if (typeof state !== 'string' || !RUNTIME_STATES.has(state)) {
    throw new StateInputError(
      `${what} ${show(state)} is invalid: use one of ${[...RUNTIME_STATES].join(', ')}`,
    );
  }
}

/** A config is a flat object of string values. */
export function requireConfig(config: unknown, what: string): asserts config is ConnectorConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new StateInputError(`${what} must be an object of string values`);
  }
  for (const [key, value] of Object.entries(config)) {
    if (typeof value !== 'string') {
      throw new StateInputError(
        `${what} key ${JSON.stringify(key)} must have a string value, got ${typeof value}`,
      );
    }
  }
}

export function requireTaskStatus(status: TaskStatus, where: string): void {
  if (typeof status !== 'object' || status === null) {
    throw new StateInputError(`status of ${where} must be an object`);
  }
  requireRuntimeState(status.state, `state of ${where}`);
  requireInteger(status.restartCount, `restartCount of ${where}`, 0);
  requireTimestamp(status.updatedAt, `updatedAt of ${where}`);
  if (status.nextRestartAt !== undefined) {
    requireTimestamp(status.nextRestartAt, `nextRestartAt of ${where}`);
  }
  for (const key of ['trace', 'workerId'] as const) {
    if (status[key] !== undefined && typeof status[key] !== 'string') {
      throw new StateInputError(`${key} of ${where} must be a string`);
    }
  }
}

export function requireSliceReport(report: SliceReport, where: string): void {
  if (typeof report !== 'object' || report === null) {
    throw new StateInputError(`slice report of ${where} must be an object`);
  }
  requireTaskStatus(report.status, where);
  requireTimestamp(report.startedAt, `slice start of ${where}`);
  requireTimestamp(report.endedAt, `slice end of ${where}`);
  for (const counter of TASK_COUNTERS) {
    requireInteger(report.counters[counter], `counter ${counter} of ${where}`, 0);
  }
  if (report.lastError !== undefined) {
    requireTimestamp(report.lastError.at, `last error time of ${where}`);
    if (typeof report.lastError.message !== 'string') {
      throw new StateInputError(`last error message of ${where} must be a string`);
    }
  }
}

export function requireConnectorStatus(status: ConnectorStatusRecord): void {
  if (typeof status !== 'object' || status === null) {
    throw new StateInputError('connector status must be an object');
  }
  requireConnectorName(status.connector);
  const where = `connector ${status.connector}`;
  requireRuntimeState(status.state, `state of ${where}`);
  requireTimestamp(status.updatedAt, `updatedAt of ${where}`);
  if (status.trace !== undefined && typeof status.trace !== 'string') {
    throw new StateInputError(`trace of ${where} must be a string`);
  }
}

/** A task's lease token. */
export function requireTaskToken(token: LeaseToken): void {
  if (typeof token !== 'object' || token === null) {
    throw new StateInputError('lease token must be an object');
  }
  requireConnectorName(token.connector);
  requireTaskId(token.taskId);
  requireLeaseParts(token);
}

/** The parts every lease token has: who holds it and at which epoch. */
export function requireLeaseParts(token: LeaseToken): void {
  if (typeof token.holder !== 'string' || token.holder.length === 0) {
    throw new StateInputError(`lease holder must be a non-empty string, got ${show(token.holder)}`);
  }
  requireInteger(token.epoch, 'lease epoch', 1);
}

export function requireHolder(holder: unknown): asserts holder is string {
  if (typeof holder !== 'string' || holder.length === 0) {
    throw new StateInputError(`lease holder must be a non-empty string, got ${show(holder)}`);
  }
}

/**
 * A source partition or offset: a JSON object (see canonicalJson for what JSON means here).
 * Returns its canonical JSON, so that callers serialize it once.
 */
export function requireJsonObject(value: unknown, what: string): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StateInputError(`${what} must be a JSON object, got ${show(value)}`);
  }
  return canonicalJson(value, what);
}
