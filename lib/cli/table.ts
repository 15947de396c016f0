import type { PluginInfo } from '../api/registry.js';
import type { ConnectorStateInfo } from '../http/views.js';

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
