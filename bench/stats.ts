/** The value below which `p` percent of the samples fall (nearest-rank method). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new RangeError('percentile of no samples');
  if (p <= 0 || p > 100) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[rank - 1] as number;
}

export interface Row {
  readonly benchmark: string;
  readonly setting: string;
  readonly count: number;
  readonly perSecond?: number;
  readonly mibPerSecond?: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
}

const fixed = (n: number | undefined, digits: number) =>
  n === undefined ? '-' : n.toFixed(digits);

/** A plain-text table, one line per row, columns padded to their widest cell. */
export function formatTable(rows: readonly Row[]): string {
  const header = ['benchmark', 'setting', 'count', 'per s', 'MiB/s', 'p50 ms', 'p99 ms'];
  const cells = rows.map((r) => [
    r.benchmark,
    r.setting,
    String(r.count),
    fixed(r.perSecond, 0),
    fixed(r.mibPerSecond, 2),
    fixed(r.p50Ms, 2),
    fixed(r.p99Ms, 2),
  ]);
  return formatGrid(header, cells, 2);
}

/**
 * Any table of text cells: the first `leftColumns` columns are left-aligned (labels), the
 * others right-aligned (figures), each padded to its widest cell, with a rule under the header.
 */
export function formatGrid(
  header: readonly string[],
  cells: readonly (readonly string[])[],
  leftColumns = 1,
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]) =>
    c
      .map((cell, i) =>
        i < leftColumns ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0),
      )
      .join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
