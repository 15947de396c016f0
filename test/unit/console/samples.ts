import type { TaskCounters } from '../../../console/src/api-types.js';
import { ZERO_COUNTER_VALUES } from '../http/fake-api.js';

/** A task's counters as the metrics route answers them: all zero but `overrides`. */
export function counters(overrides: Partial<TaskCounters> = {}): TaskCounters {
  return { ...ZERO_COUNTER_VALUES, ...overrides };
}
