import type { TaskCounters } from '../../../console/src/api-types.js';

/** A task's counters as the metrics route answers them: all zero but `overrides`. */
export function counters(overrides: Partial<TaskCounters> = {}): TaskCounters {
  return {
    source_record_poll: 0,
    source_record_write: 0,
    sink_record_read: 0,
    sink_record_send: 0,
    record_filtered: 0,
    record_errors: 0,
    record_retries: 0,
    dead_lettered: 0,
    offset_commits: 0,
    slices: 0,
    slice_millis: 0,
    ...overrides,
  };
}
