import type { ConnectRecord } from '../../../lib/api/record.js';
import type { Schema } from '../../../lib/api/schema.js';
import type { Transform } from '../../../lib/api/transform.js';

/** A record whose value (and its schema, if given) is the one a test transforms. */
export function valueRecord(value: unknown, valueSchema?: Schema): ConnectRecord {
  return {
    topic: 't',
    partition: undefined,
    offset: undefined,
    timestamp: 0,
    key: null,
    value,
    ...(valueSchema && { valueSchema }),
    headers: [],
  };
}

/** A transform configured with `config`. */
export function configured<T extends Transform>(transform: T, config: Record<string, string>): T {
  transform.configure(config);
  return transform;
}
