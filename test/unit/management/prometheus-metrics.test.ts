import { describe, expect, test } from 'vitest';
import { renderMetrics, type MetricsInput } from '../../../lib/management/prometheus-metrics.js';
import { ZERO_COUNTERS } from '../../../lib/state/items.js';
import type {
  ConnectorRecord,
  RuntimeState,
  StateSnapshot,
  TaskCounters,
  TaskRecord,
} from '../../../lib/state/types.js';

const T0 = 1_700_000_000_000;

function connector(name: string, targetState: ConnectorRecord['targetState']): ConnectorRecord {
  return { name, config: {}, targetState, version: 1, createdAt: T0, updatedAt: T0 };
}

function task(
  name: string,
  taskId: number,
  state: RuntimeState,
  options: {
    totals?: Partial<TaskCounters>;
    restartCount?: number;
    lastSlice?: { startedAt: number; endedAt: number };
  } = {},
): TaskRecord {
  const { lastSlice } = options;
  return {
    connector: name,
    taskId,
    generation: 0,
    lease: { epoch: 1, expiresAt: T0 },
    status: { state, restartCount: options.restartCount ?? 0, updatedAt: T0 },
    metrics: {
      totals: { ...ZERO_COUNTERS, ...options.totals },
      ...(lastSlice && { lastSlice: { ...lastSlice, counters: ZERO_COUNTERS } }),
    },
  };
}

const TYPES: Record<string, 'source' | 'sink'> = {
  'orders-source': 'source',
  'archive-sink': 'sink',
};
const typeOf: MetricsInput['typeOf'] = (c) => TYPES[c.name];

/** A source with 2 tasks (one FAILED), a sink with 1, and a task whose connector is gone. */
const SNAPSHOT: StateSnapshot = {
  connectors: [connector('orders-source', 'RUNNING'), connector('archive-sink', 'PAUSED')],
  taskConfigs: [
    { connector: 'orders-source', generation: 0, configVersion: 1, tasks: [{}, {}] },
    { connector: 'archive-sink', generation: 0, configVersion: 1, tasks: [{}] },
  ],
  tasks: [
    task('orders-source', 1, 'FAILED', { restartCount: 3, totals: { recordErrors: 2 } }),
    task('orders-source', 0, 'RUNNING', {
      totals: { sourceRecordPoll: 120, sourceRecordWrite: 118, slices: 4, sliceMillis: 2500 },
      lastSlice: { startedAt: T0, endedAt: T0 + 750 },
    }),
    task('archive-sink', 0, 'PAUSED', { totals: { sinkRecordRead: 40, deadLettered: 1 } }),
    task('gone', 0, 'RUNNING', { totals: { sourceRecordPoll: 9 } }),
  ],
  connectorStatuses: [{ connector: 'orders-source', state: 'RUNNING', updatedAt: T0 }],
};

const SRC0 = 'connector="orders-source",task="0",type="source"';
const SRC1 = 'connector="orders-source",task="1",type="source"';
const SINK0 = 'connector="archive-sink",task="0",type="sink"';

function samples(text: string): string[] {
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

function samplesOf(text: string, name: string): string[] {
  return samples(text).filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

describe('renderMetrics', () => {
  const text = renderMetrics({ snapshot: SNAPSHOT, typeOf });

  test('reports source counters for source tasks only and sink counters for sink tasks only', () => {
    expect(samplesOf(text, 'rocketmq_connect_source_record_poll_total')).toEqual([
      `rocketmq_connect_source_record_poll_total{${SRC0}} 120`,
      `rocketmq_connect_source_record_poll_total{${SRC1}} 0`,
    ]);
    expect(samplesOf(text, 'rocketmq_connect_sink_record_read_total')).toEqual([
      `rocketmq_connect_sink_record_read_total{${SINK0}} 40`,
    ]);
    expect(samplesOf(text, 'rocketmq_connect_record_errors_total')).toEqual([
      `rocketmq_connect_record_errors_total{${SINK0}} 0`,
      `rocketmq_connect_record_errors_total{${SRC0}} 0`,
      `rocketmq_connect_record_errors_total{${SRC1}} 2`,
    ]);
    expect(text).toContain(`rocketmq_connect_deadletterqueue_produce_total{${SINK0}} 1\n`);
  });

  test('reports slice durations as a summary in seconds and the last slice only when there is one', () => {
    expect(text).toContain('# TYPE rocketmq_connect_task_slice_duration_seconds summary\n');
    expect(text).toContain(`rocketmq_connect_task_slice_duration_seconds_sum{${SRC0}} 2.5\n`);
    expect(text).toContain(`rocketmq_connect_task_slice_duration_seconds_count{${SRC0}} 4\n`);
    expect(samplesOf(text, 'rocketmq_connect_task_last_slice_duration_seconds')).toEqual([
      `rocketmq_connect_task_last_slice_duration_seconds{${SRC0}} 0.75`,
    ]);
    expect(samplesOf(text, 'rocketmq_connect_task_last_slice_end_timestamp_seconds')).toEqual([
      `rocketmq_connect_task_last_slice_end_timestamp_seconds{${SRC0}} 1700000000.75`,
    ]);
  });

  test('reports the restart count of a failed task', () => {
    expect(text).toContain(`rocketmq_connect_task_restart_count{${SRC1}} 3\n`);
  });

  test('marks exactly one state with 1 per task, its current one', () => {
    const lines = samplesOf(text, 'rocketmq_connect_task_status');
    expect(lines).toHaveLength(3 * 6);
    const ones = lines.filter((line) => line.endsWith(' 1'));
    expect(ones).toEqual([
      `rocketmq_connect_task_status{${SINK0},state="PAUSED"} 1`,
      `rocketmq_connect_task_status{${SRC0},state="RUNNING"} 1`,
      `rocketmq_connect_task_status{${SRC1},state="FAILED"} 1`,
    ]);
  });

  test('counts a connector without a status record as UNASSIGNED', () => {
    const ones = samplesOf(text, 'rocketmq_connect_connector_status').filter((line) =>
      line.endsWith(' 1'),
    );
    expect(ones).toEqual([
      'rocketmq_connect_connector_status{connector="archive-sink",type="sink",state="UNASSIGNED"} 1',
      'rocketmq_connect_connector_status{connector="orders-source",type="source",state="RUNNING"} 1',
    ]);
  });

  test('reports target states, task counts and the number of connectors', () => {
    expect(samplesOf(text, 'rocketmq_connect_connector_target_state')).toEqual([
      'rocketmq_connect_connector_target_state{connector="archive-sink",type="sink",state="RUNNING"} 0',
      'rocketmq_connect_connector_target_state{connector="archive-sink",type="sink",state="PAUSED"} 1',
      'rocketmq_connect_connector_target_state{connector="archive-sink",type="sink",state="STOPPED"} 0',
      'rocketmq_connect_connector_target_state{connector="orders-source",type="source",state="RUNNING"} 1',
      'rocketmq_connect_connector_target_state{connector="orders-source",type="source",state="PAUSED"} 0',
      'rocketmq_connect_connector_target_state{connector="orders-source",type="source",state="STOPPED"} 0',
    ]);
    expect(samplesOf(text, 'rocketmq_connect_connector_tasks')).toEqual([
      'rocketmq_connect_connector_tasks{connector="archive-sink",type="sink"} 1',
      'rocketmq_connect_connector_tasks{connector="orders-source",type="source"} 2',
    ]);
    expect(samplesOf(text, 'rocketmq_connect_connectors')).toEqual([
      'rocketmq_connect_connectors 2',
    ]);
  });

  test('leaves out tasks whose connector is gone', () => {
    expect(text).not.toContain('gone');
  });

  test('renders the same text whatever the order of the snapshot lists', () => {
    const shuffled: StateSnapshot = {
      connectors: [...SNAPSHOT.connectors].reverse(),
      taskConfigs: [...SNAPSHOT.taskConfigs].reverse(),
      tasks: [...SNAPSHOT.tasks].reverse(),
      connectorStatuses: [...SNAPSHOT.connectorStatuses].reverse(),
    };
    expect(renderMetrics({ snapshot: shuffled, typeOf })).toBe(text);
  });

  test('labels a connector of unknown type as unknown and reports both source and sink counters', () => {
    const snapshot: StateSnapshot = {
      connectors: [connector('mystery', 'RUNNING')],
      taskConfigs: [],
      tasks: [task('mystery', 0, 'RUNNING')],
      connectorStatuses: [],
    };
    const out = renderMetrics({ snapshot, typeOf: () => undefined });
    const labels = 'connector="mystery",task="0",type="unknown"';
    expect(out).toContain(`rocketmq_connect_source_record_poll_total{${labels}} 0\n`);
    expect(out).toContain(`rocketmq_connect_sink_record_send_total{${labels}} 0\n`);
    expect(out).toContain(
      'rocketmq_connect_connector_tasks{connector="mystery",type="unknown"} 0\n',
    );
  });

  test('escapes backslashes, double quotes and newlines in label values', () => {
    const name = 'we"ird\\name\nx';
    const snapshot: StateSnapshot = {
      connectors: [connector(name, 'RUNNING')],
      taskConfigs: [],
      tasks: [task(name, 0, 'RUNNING')],
      connectorStatuses: [],
    };
    const out = renderMetrics({ snapshot, typeOf: () => 'source' });
    expect(out).toContain(
      'rocketmq_connect_task_restart_count{connector="we\\"ird\\\\name\\nx",task="0",type="source"} 0\n',
    );
    expect(samples(out).every((line) => SAMPLE_LINE.test(line))).toBe(true);
  });

  test('writes every sample line in the exposition syntax and ends with a newline', () => {
    expect(text.endsWith('\n')).toBe(true);
    const bad = samples(text).filter((line) => !SAMPLE_LINE.test(line));
    expect(bad).toEqual([]);
  });

  test('gives every family one HELP and one TYPE line before its samples, which stay together', () => {
    expect(familyProblems(text)).toEqual([]);
  });

  test('renders an empty snapshot as a zero connector count and the family descriptions', () => {
    const empty: StateSnapshot = {
      connectors: [],
      taskConfigs: [],
      tasks: [],
      connectorStatuses: [],
    };
    const out = renderMetrics({ snapshot: empty, typeOf });
    expect(samples(out)).toEqual(['rocketmq_connect_connectors 0']);
    expect(familyProblems(out)).toEqual([]);
    // The same families as a busy platform, so dashboards see a stable set.
    const comments = (t: string) => t.split('\n').filter((line) => line.startsWith('#'));
    expect(comments(out)).toEqual(comments(text));
  });
});

const SAMPLE_LINE =
  /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? -?[0-9.e+]+$/;

/**
 * Checks the grouping rules of the format: a family's HELP then TYPE come first and once, and
 * its samples (with `_sum`/`_count` for a summary) follow with no other family in between.
 */
function familyProblems(text: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  let current: { name: string; type?: string } | undefined;
  for (const line of text.split('\n').filter((l) => l !== '')) {
    const help = /^# HELP (\S+) /.exec(line);
    const type = /^# TYPE (\S+) (counter|gauge|summary)$/.exec(line);
    if (help?.[1] !== undefined) {
      if (seen.has(help[1])) problems.push(`second HELP for ${help[1]}`);
      seen.add(help[1]);
      current = { name: help[1] };
    } else if (type?.[1] !== undefined) {
      if (current?.name !== type[1] || current.type !== undefined) {
        problems.push(`TYPE for ${type[1]} not right after its HELP`);
      } else current.type = type[2];
    } else {
      const name = /^[^{ ]+/.exec(line)?.[0] ?? '';
      const suffixes = current?.type === 'summary' ? ['_sum', '_count'] : [''];
      if (!current?.type || !suffixes.some((s) => name === current?.name + s)) {
        problems.push(`sample ${name} outside its family`);
      }
    }
  }
  return problems;
}
