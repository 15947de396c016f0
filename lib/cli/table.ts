import type { PluginInfo } from '../api/registry.js';
import type { ConnectorStateInfo } from '../http/views.js';
import type { PreviewAnswer, RecordView } from '../runtime/preview.js';

/**
 * Rows as aligned columns under a header, two spaces apart; the last column is not padded, so
 * no line ends in spaces.
 *
 * @example formatTable(['NAME', 'STATE'], [['files', 'RUNNING']]) // 'NAME   STATE\nfiles  RUNNING\n'
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const lines = all.map((row) =>
    header
      .map((_, i) => {
        const cell = row[i] ?? '';
        return i === header.length - 1 ? cell : cell.padEnd(widths[i]!);
      })
      .join('  ')
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}

/** States in the order a summary lists them: the healthy first, FAILED last where it stands out. */
const STATE_ORDER = ['RUNNING', 'PAUSED', 'STOPPED', 'RESTARTING', 'UNASSIGNED', 'FAILED'];

/**
 * How many tasks are in each state, out of all: `RUNNING 2/2`, `RUNNING 1/2, FAILED 1/2`,
 * `no tasks`.
 */
export function taskSummary(tasks: readonly { readonly state: string }[]): string {
  if (tasks.length === 0) return 'no tasks';
  const counts = new Map<string, number>();
  for (const t of tasks) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  const rank = (s: string) => {
    const i = STATE_ORDER.indexOf(s);
    return i < 0 ? STATE_ORDER.length : i;
  };
  return [...counts]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([state, n]) => `${state} ${n}/${tasks.length}`)
    .join(', ');
}

/** `GET /connectors?expand=status` as a table, by name. */
export function connectorsTable(
  expanded: Readonly<Record<string, { readonly status?: ConnectorStateInfo }>>,
): string {
  const rows = Object.entries(expanded)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, { status }]) => [
      name,
      status?.type ?? '',
      status?.connector.state ?? '',
      status ? taskSummary(status.tasks) : '',
    ]);
  if (rows.length === 0) return 'no connectors\n';
  return formatTable(['NAME', 'TYPE', 'STATE', 'TASKS'], rows);
}

/**
 * A connector's status: the connector and each task (state, worker, restarts), then what went
 * wrong with each FAILED one: the first line of its trace, or all of it with `trace`.
 */
export function statusReport(status: ConnectorStateInfo, options: { trace: boolean }): string {
  const rows = [
    ['connector', status.connector.state, status.connector.worker_id, '-'],
    ...status.tasks.map((t) => [
      String(t.id),
      t.state,
      t.worker_id ?? '-',
      String(t.restart_count),
    ]),
  ];
  let text = `${status.name} (${status.type})\n\n`;
  text += formatTable(['ID', 'STATE', 'WORKER', 'RESTARTS'], rows);
  const failures = [
    { what: 'connector', ...status.connector },
    ...status.tasks.map((t) => ({ what: `task ${t.id}`, ...t })),
  ].filter((f) => f.state === 'FAILED');
  let cut = false;
  for (const f of failures) {
    const lines = (f.trace ?? '').trimEnd().split(/\r?\n/);
    if (options.trace) {
      text += `\n${f.what} failed:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
    } else {
      text += `\n${f.what} failed: ${lines[0] || '(no trace)'}\n`;
      cut ||= lines.length > 1;
    }
  }
  if (cut) text += `\n(--trace shows the whole trace)\n`;
  return text;
}

/** `GET /connector-plugins` as a table. */
export function pluginsTable(plugins: readonly PluginInfo[]): string {
  return formatTable(
    ['CLASS', 'TYPE', 'VERSION'],
    plugins.map((p) => [p.class, p.type, p.version]),
  );
}

/**
 * A preview as text: each record's stages, one line each (the stage or the transform's alias,
 * then the record or message in compact JSON), its outcome, and what failed where.
 *
 * @example
 * record 1: send
 *   poll     topic=orders key=null value="alpha"
 *   route    topic=orders-copy key=null value="alpha"
 *   message  topic=orders-copy body=alpha
 */
export function previewReport(answer: PreviewAnswer): string {
  const lines: string[] = [];
  answer.records.forEach((record, i) => {
    lines.push(`record ${i + 1}: ${record.outcome}`);
    const rows = record.steps.map((step): [string, string] => {
      switch (step.stage) {
        case 'message':
          return [
            'message',
            `topic=${step.message.topic}${step.message.key === undefined ? '' : ` key=${step.message.key}`} body=${step.message.body}${propertiesText(step.message.properties)}`,
          ];
        case 'transform':
          if (step.skipped !== undefined) return [step.alias, `skipped: ${step.skipped}`];
          return [step.alias, step.record ? recordText(step.record) : 'dropped'];
        default:
          return [step.stage, recordText(step.record)];
      }
    });
    if (record.error)
      rows.push([record.error.alias ?? record.error.stage, `FAILED: ${record.error.message}`]);
    const width = Math.max(...rows.map(([label]) => label.length));
    for (const [label, text] of rows) lines.push(`  ${label.padEnd(width)}  ${text}`);
  });
  if (answer.error) {
    lines.push(`preview failed at ${answer.error.stage}: ${answer.error.message}`);
  }
  const source =
    answer.type === 'source' ? 'polled' : `read from ${answer.messagesFrom ?? 'nowhere'}`;
  lines.push(
    `${answer.records.length} record${answer.records.length === 1 ? '' : 's'} ${source}; nothing was produced, acknowledged or committed`,
  );
  return `${lines.join('\n')}\n`;
}

function recordText(record: RecordView): string {
  const topic = record.topic === undefined ? '' : `topic=${record.topic} `;
  return `${topic}key=${JSON.stringify(record.key)} value=${JSON.stringify(record.value)}${propertiesText(Object.fromEntries(record.headers))}`;
}

function propertiesText(properties: Readonly<Record<string, string>>): string {
  const entries = Object.entries(properties);
  return entries.length === 0 ? '' : ` headers=${JSON.stringify(Object.fromEntries(entries))}`;
}
