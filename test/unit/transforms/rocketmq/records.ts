import { expect } from 'vitest';
import { ConfigError, NonRetriableError } from '../../../../lib/api/errors.js';
import type { ConnectRecord } from '../../../../lib/api/record.js';
import type { Transform } from '../../../../lib/api/transform.js';

/** A record with a null key and value unless given; frozen, so a transform that mutates fails. */
export function record(fields: Partial<ConnectRecord> = {}): ConnectRecord {
  return deepFreeze({
    topic: 'orders',
    partition: { table: 'orders' },
    offset: { pos: 1 },
    timestamp: 1_700_000_000_000,
    key: null,
    value: null,
    headers: [{ key: 'trace', value: 'abc' }],
    ...fields,
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** A transform, configured. */
export function configured<T extends Transform>(transform: T, config: Record<string, string>): T {
  transform.configure(config);
  return transform;
}

/** The key a bad config is refused on (a ConfigError naming it), with its message. */
export function refusedKey(configure: () => unknown): { key: string; message: string } {
  try {
    configure();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const e = err as ConfigError;
    expect(e.message).toContain(e.key);
    return { key: e.key, message: e.message };
  }
  throw new Error('the config was accepted');
}

/** The message a record is refused with (a NonRetriableError, not a TypeError). */
export function refusal(apply: () => unknown): string {
  try {
    apply();
  } catch (err) {
    expect(err).toBeInstanceOf(NonRetriableError);
    return (err as Error).message;
  }
  throw new Error('the record was accepted');
}
