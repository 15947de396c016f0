/** `1.2k`, `35`, `0.4`: a rate short enough for a table cell. */
export function formatRate(perSecond: number): string {
  if (perSecond >= 10_000) return `${(perSecond / 1000).toFixed(0)}k`;
  if (perSecond >= 1000) return `${(perSecond / 1000).toFixed(1)}k`;
  if (perSecond >= 10) return perSecond.toFixed(0);
  if (perSecond >= 0.05) return perSecond.toFixed(1);
  if (perSecond > 0) return '<0.1';
  return '0';
}

/** `12,345` in the page's locale. */
export const formatCount = (n: number): string => Math.round(n).toLocaleString();

/** `3 min ago`, `just now`: how long ago an epoch-ms time was. */
export function formatAgo(at: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 90) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min ago`;
  return new Date(at).toLocaleString();
}

/** The first line of a trace: what a table cell shows of it. */
export const firstLine = (text: string): string => text.split('\n', 1)[0]!.slice(0, 300);
