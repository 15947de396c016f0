/**
 * Timestamps between SQL text and instants, to the microsecond, in a named zone (db.timezone),
 * never in the process's own (TZ): a connector must read the same values wherever it runs.
 */

/** An instant: epoch milliseconds and the nanoseconds within its second (Confluent's offset). */
export interface Instant {
  readonly epochMs: number;
  /** 0 … 999,999,999: what `java.sql.Timestamp.getNanos()` gives. */
  readonly nanos: number;
}

const TIMESTAMP_TEXT =
  /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:\s*(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?))?$/;

/**
 * `YYYY-MM-DD HH:MM:SS[.fffffffff][offset]` as an instant: with an offset as it says, without
 * one as a wall clock in `zone`. Undefined for anything else (`infinity`, BC dates).
 */
export function parseWallClock(text: string, zone: string): Instant | undefined {
  const match = TIMESTAMP_TEXT.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction = '', offset] = match;
  const wall = utcMs(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s));
  const nanosText = fraction.padEnd(9, '0');
  const nanos = Number(nanosText);
  const offsetMs = offset === undefined ? zoneOffsetMs(zone, wall) : offsetTextMs(offset);
  const second = wall - offsetMs;
  return { epochMs: second + Math.floor(nanos / 1_000_000), nanos };
}

function utcMs(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  return date.getTime();
}

function offsetTextMs(offset: string): number {
  if (offset === 'Z') return 0;
  const digits = offset.slice(1).replaceAll(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4) || '0');
  const seconds = Number(digits.slice(4, 6) || '0');
  const ms = ((hours * 60 + minutes) * 60 + seconds) * 1000;
  return offset.startsWith('-') ? -ms : ms;
}

/**
 * The zone's offset from UTC for a wall clock given as if it were UTC (`wallAsUtc`): the offset
 * at the instant that wall clock names (the earlier one in a DST overlap).
 */
function zoneOffsetMs(zone: string, wallAsUtc: number): number {
  if (zone === 'UTC') return 0;
  const first = zoneOffsetAt(zone, wallAsUtc);
  const second = zoneOffsetAt(zone, wallAsUtc - first);
  return second;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Milliseconds to add to UTC to get the zone's wall clock at an instant. */
export function zoneOffsetAt(zone: string, at: number): number {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      era: 'short',
    });
    formatters.set(zone, format);
  }
  const parts = format.formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const bc = parts.find((p) => p.type === 'era')?.value === 'BC';
  const year = bc ? 1 - get('year') : get('year');
  const wall = utcMs(year, get('month'), get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(at / 1000) * 1000;
}

/** A zone's UTC offset at an instant, as `+08:00` (MySQL's session time_zone). */
export function utcOffsetText(zone: string, at: number): string {
  const minutes = Math.round(zoneOffsetAt(zone, at) / 60_000);
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${minutes < 0 ? '-' : '+'}${hh}:${mm}`;
}

/** An instant as `YYYY-MM-DD HH:MM:SS.ffffff` on the wall clock of `zone` (microseconds). */
export function wallClockText(instant: Instant, zone: string): string {
  const second = instant.epochMs - (((instant.epochMs % 1000) + 1000) % 1000);
  const shifted = new Date(second + (zone === 'UTC' ? 0 : zoneOffsetAt(zone, second)));
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const micros = pad(Math.floor(instant.nanos / 1000), 6);
  return (
    `${pad(shifted.getUTCFullYear(), 4)}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())} ` +
    `${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}.${micros}`
  );
}

/** An instant as UTC text with its offset, for PostgreSQL's `timestamptz` parameters. */
export function utcTimestampText(instant: Instant): string {
  return `${wallClockText(instant, 'UTC')}+00`;
}
