import type {
  ConnectorRecord,
  RuntimeState,
  StateSnapshot,
  TargetState,
  TaskCounter,
  TaskRecord,
} from '../state/types.js';

// Renders the state snapshot as Prometheus text exposition format 0.0.4, for `GET /metrics`.
// Pure: the caller reads the snapshot and resolves plugin types; this only formats.
// Every family gets its HELP and TYPE lines even with no samples, so scrapes of an empty and a
// busy platform describe the same families.

/** The `Content-Type` of what `renderMetrics` returns. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** What `renderMetrics` reads. */
export interface MetricsInput {
  readonly snapshot: StateSnapshot;
  /** 'source' | 'sink' for a connector, undefined when its plugin is unknown. */
  readonly typeOf: (connector: ConnectorRecord) => 'source' | 'sink' | undefined;
}

const PREFIX = 'rocketmq_connect_';

// Written as records so that the compiler refuses a state added to the union but not here.
const RUNTIME_STATES = Object.keys({
  UNASSIGNED: 0,
  RUNNING: 0,
  PAUSED: 0,
  STOPPED: 0,
  FAILED: 0,
  RESTARTING: 0,
} satisfies Record<RuntimeState, 0>) as RuntimeState[];
const TARGET_STATES = Object.keys({
  RUNNING: 0,
  PAUSED: 0,
  STOPPED: 0,
} satisfies Record<TargetState, 0>) as TargetState[];

type ConnectorType = 'source' | 'sink' | 'unknown';
type Labels = readonly (readonly [name: string, value: string])[];

interface Sample {
  /** Appended to the family name: `_sum` and `_count` of a summary. */
  readonly suffix?: string;
  readonly labels: Labels;
  readonly value: number;
}

interface Family {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'summary';
  /** Plain text without backslashes or newlines, so it needs no escaping. */
  readonly help: string;
  readonly samples: Sample[];
}

/** Per-task counters, named after RocketMQ Connect's task metrics (`source-record-poll-total`...). */
const COUNTER_FAMILIES: readonly {
  readonly name: string;
  readonly counter: TaskCounter;
  /** Only reported for tasks of this connector type (and for tasks of unknown type). */
  readonly appliesTo?: 'source' | 'sink';
  readonly help: string;
}[] = [
  {
    name: 'source_record_poll_total',
    counter: 'sourceRecordPoll',
    appliesTo: 'source',
    help: 'Records returned by the source task poll.',
  },
  {
    name: 'source_record_write_total',
    counter: 'sourceRecordWrite',
    appliesTo: 'source',
    help: 'Source records whose send to RocketMQ was acknowledged.',
  },
  {
    name: 'sink_record_read_total',
    counter: 'sinkRecordRead',
    appliesTo: 'sink',
    help: 'Messages the sink task received from RocketMQ.',
  },
  {
    name: 'sink_record_send_total',
    counter: 'sinkRecordSend',
    appliesTo: 'sink',
    help: 'Records the sink task handed to put and flushed.',
  },
  {
    name: 'record_filtered_total',
    counter: 'recordFiltered',
    help: 'Records dropped on purpose by transforms.',
  },
  {
    name: 'record_errors_total',
    counter: 'recordErrors',
    help: 'Records that failed a stage after their retries.',
  },
  { name: 'record_retries_total', counter: 'recordRetries', help: 'Retries of failed stages.' },
  {
    name: 'deadletterqueue_produce_total',
    counter: 'deadLettered',
    help: 'Records sent to the dead-letter topic.',
  },
  {
    name: 'offset_commit_total',
    counter: 'offsetCommits',
    help: 'Offset commits (sources) and acknowledged batches (sinks).',
  },
];

/**
 * The platform's per-connector and per-task metrics as Prometheus text (format 0.0.4), ending in
 * a newline. Connectors sort by name and tasks by connector then id, so equal snapshots render
 * equal text; tasks of connectors absent from the snapshot are left out.
 *
 * @example
 * reply.header('content-type', PROMETHEUS_CONTENT_TYPE).send(renderMetrics({ snapshot, typeOf }));
 */
export function renderMetrics(input: MetricsInput): string {
  const { snapshot } = input;
  // Code-point order rather than localeCompare: the output must not depend on the host's locale.
  const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const connectors = [...snapshot.connectors].sort((a, b) => byName(a.name, b.name));
  const typeOf = new Map<string, ConnectorType>(
    connectors.map((c) => [c.name, input.typeOf(c) ?? 'unknown']),
  );
  const tasks = snapshot.tasks
    .filter((t) => typeOf.has(t.connector))
    .sort((a, b) => byName(a.connector, b.connector) || a.taskId - b.taskId);
  const statusOf = new Map(snapshot.connectorStatuses.map((s) => [s.connector, s.state]));
  const taskCountOf = new Map(snapshot.taskConfigs.map((t) => [t.connector, t.tasks.length]));

  const families: Family[] = [];
  const family = (name: string, type: Family['type'], help: string): Family => {
    const created: Family = { name: PREFIX + name, type, help, samples: [] };
    families.push(created);
    return created;
  };
  const connectorLabels = (c: ConnectorRecord): Labels => [
    ['connector', c.name],
    ['type', typeOf.get(c.name) ?? 'unknown'],
  ];
  const taskLabels = (t: TaskRecord): Labels => [
    ['connector', t.connector],
    ['task', String(t.taskId)],
    ['type', typeOf.get(t.connector) ?? 'unknown'],
  ];

  family('connectors', 'gauge', 'Connectors defined.').samples.push({
    labels: [],
    value: connectors.length,
  });
  const status = family('connector_status', 'gauge', 'Connector state, 1 for the current one.');
  const target = family('connector_target_state', 'gauge', 'Target state, 1 for the current one.');
  const taskCount = family('connector_tasks', 'gauge', 'Task configs of the connector.');
  for (const c of connectors) {
    // A connector the coordinator has not reported on yet has no status record.
    const current = statusOf.get(c.name) ?? 'UNASSIGNED';
    status.samples.push(...oneHot(connectorLabels(c), RUNTIME_STATES, current));
    target.samples.push(...oneHot(connectorLabels(c), TARGET_STATES, c.targetState));
    taskCount.samples.push({ labels: connectorLabels(c), value: taskCountOf.get(c.name) ?? 0 });
  }

  for (const spec of COUNTER_FAMILIES) {
    const counter = family(spec.name, 'counter', spec.help);
    for (const t of tasks) {
      const type = typeOf.get(t.connector);
      if (spec.appliesTo !== undefined && type !== 'unknown' && type !== spec.appliesTo) continue;
      counter.samples.push({ labels: taskLabels(t), value: t.metrics.totals[spec.counter] });
    }
  }

  // A summary without quantiles: rate(_sum) / rate(_count) gives the mean slice duration.
  const slices = family('task_slice_duration_seconds', 'summary', 'Run time of ended slices.');
  const lastDuration = family(
    'task_last_slice_duration_seconds',
    'gauge',
    'Run time of the last ended slice.',
  );
  const lastEnd = family(
    'task_last_slice_end_timestamp_seconds',
    'gauge',
    'When the last slice ended, in seconds since the epoch.',
  );
  const restarts = family(
    'task_restart_count',
    'gauge',
    'Automatic restarts since the task last ran cleanly.',
  );
  const taskStatus = family('task_status', 'gauge', 'Task state, 1 for the current one.');
  for (const t of tasks) {
    const labels = taskLabels(t);
    const { totals, lastSlice } = t.metrics;
    slices.samples.push(
      { suffix: '_sum', labels, value: totals.sliceMillis / 1000 },
      { suffix: '_count', labels, value: totals.slices },
    );
    if (lastSlice) {
      lastDuration.samples.push({
        labels,
        value: (lastSlice.endedAt - lastSlice.startedAt) / 1000,
      });
      lastEnd.samples.push({ labels, value: lastSlice.endedAt / 1000 });
    }
    restarts.samples.push({ labels, value: t.status.restartCount });
    taskStatus.samples.push(...oneHot(labels, RUNTIME_STATES, t.status.state));
  }

  return families.map(renderFamily).join('');
}

/** The usual Prometheus enum pattern: one sample per state, 1 for the current one, 0 else. */
function oneHot<S extends string>(labels: Labels, states: readonly S[], current: S): Sample[] {
  return states.map((state) => ({
    labels: [...labels, ['state', state]],
    value: state === current ? 1 : 0,
  }));
}

function renderFamily(family: Family): string {
  const lines = [`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`];
  for (const sample of family.samples) {
    const labels = sample.labels.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`);
    const labelText = labels.length > 0 ? `{${labels.join(',')}}` : '';
    lines.push(`${family.name}${sample.suffix ?? ''}${labelText} ${formatValue(sample.value)}`);
  }
  return lines.map((line) => `${line}\n`).join('');
}

/** The three escapes the format defines for label values; anything else is taken literally. */
function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

// String(n) prints integers without a fraction and decimals in their shortest exact form; the
// spellings of non-finite values are the format's own (a corrupt item must not break the page).
function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
