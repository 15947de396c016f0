import type { RatePoint } from '../rates.js';
import { formatRate } from '../format.js';

const WIDTH = 600;
const HEIGHT = 160;
const TOP = 16;
const BOTTOM = 20;

/** A rounded-up axis top: 1, 2 or 5 times a power of ten. */
function axisTop(max: number): number {
  if (max <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * power).find((v) => v >= max)!;
}

/**
 * Records/s (area) and errors/s (line) per bucket, oldest on the left. Drawn as SVG scaled to
 * its box, so it fits a phone as well as a laptop; the numbers are also in its text label.
 */
export function RateChart({
  points,
  windowMinutes,
}: {
  points: RatePoint[];
  windowMinutes: number;
}) {
  const peak = Math.max(0, ...points.map((p) => p.recordsPerSecond));
  const peakErrors = Math.max(0, ...points.map((p) => p.errorsPerSecond));
  const top = axisTop(Math.max(peak, peakErrors));
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const x = (i: number) => (points.length <= 1 ? 0 : (i / (points.length - 1)) * WIDTH);
  const y = (v: number) => TOP + plotHeight - (v / top) * plotHeight;
  const line = (value: (p: RatePoint) => number) =>
    points.map((p, i) => `${x(i).toFixed(1)},${y(value(p)).toFixed(1)}`).join(' ');
  const records = line((p) => p.recordsPerSecond);
  const area = `0,${y(0)} ${records} ${WIDTH},${y(0)}`;
  const latest = points.at(-1);
  const summary =
    `Records per second over the last ${windowMinutes} minutes: peak ${formatRate(peak)}, ` +
    `errors peak ${formatRate(peakErrors)} per second.`;
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={summary}
        data-peak={peak.toFixed(3)}
        data-latest={latest ? latest.recordsPerSecond.toFixed(3) : '0'}
        preserveAspectRatio="none"
      >
        {[0, 0.5, 1].map((f) => (
          <line class="grid" x1={0} x2={WIDTH} y1={y(top * f)} y2={y(top * f)} />
        ))}
        <polygon class="records-area" points={area} />
        <polyline class="records-line" points={records} />
        <polyline class="errors-line" points={line((p) => p.errorsPerSecond)} />
      </svg>
      <div class="chart-axis">
        <span>−{windowMinutes} min</span>
        <span>axis top {formatRate(top)}/s</span>
        <span>now</span>
      </div>
      <figcaption>
        <span class="legend legend-records">records/s</span>
        <span class="legend legend-errors">errors/s</span>
        <span class="muted">
          Counted when each slice ends, and spread over the time the slice ran.
        </span>
      </figcaption>
    </figure>
  );
}
