/**
 * Java's `SimpleDateFormat` at UTC with the English (US) locale, as Kafka's transforms use it
 * (TimestampRouter's `timestamp.format`, TimestampConverter's `format`, `Values`' ISO 8601 text).
 * A pattern is compiled once; a letter Java does not know, or an unterminated quote, is refused
 * then, with Java's message.
 *
 * Formatting knows every letter Java does (US weeks: they start on Sunday, week 1 holds
 * 1 January). Parsing is lenient, as Java's default: a numeric field followed by another takes
 * exactly its width, otherwise as many digits as there are; overflowing fields roll over; text
 * after the last field is ignored; a two-digit `yy` year lands within 80 years before and 20
 * after now. It refuses the week-based letters (Y w W F). The calendar is the proleptic Gregorian
 * one: Java switches to the Julian calendar before 15 October 1582, so dates that old differ.
 *
 * @example
 * const format = compileDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
 * format(0); // "1970-01-01T00:00:00.000Z"
 * compileDateParser('yyyy-MM-dd')('2023-13-01')?.toISOString(); // "2024-01-01T00:00:00.000Z"
 */

/** Formats epoch milliseconds; made once per pattern by `compileDateFormat`. */
export type DateFormatter = (epochMillis: number) => string;

/** Reads a date, or undefined where Java throws ParseException; made by `compileDateParser`. */
export type DateParser = (text: string) => Date | undefined;

/** A pattern Java's SimpleDateFormat would refuse; the message is Java's. */
export class DatePatternError extends Error {
  override readonly name = 'DatePatternError';
}

/** A letter Java parses but `compileDateParser` does not (week-based fields). */
export class UnsupportedPatternError extends Error {
  override readonly name = 'UnsupportedPatternError';
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DAY_MS = 86_400_000;
// Java's DateFormatSymbols.patternChars: every letter it formats.
const PATTERN_LETTERS = 'GyMdkHmsSEDFwWahKzZYuXL';
const NOT_PARSED = 'YwWF';
const NUMERIC = 'yMLdkHmsSDuhK';

/** A letter repeated `count` times. */
interface Field {
  readonly letter: string;
  readonly count: number;
}
/** One piece of a compiled pattern: literal text or a field. */
type Piece = string | Field;

/** Compiles a SimpleDateFormat pattern; throws DatePatternError where Java's constructor does. */
export function compileDateFormat(pattern: string): DateFormatter {
  const pieces = parsePattern(pattern);
  return (epochMillis) => {
    const fields = fieldsOf(epochMillis);
    let out = '';
    for (const piece of pieces) out += typeof piece === 'string' ? piece : format(piece, fields);
    return out;
  };
}

/**
 * Compiles a SimpleDateFormat pattern for lenient parsing; throws DatePatternError where Java's
 * constructor does, UnsupportedPatternError for a week-based letter. `now` places `yy` years.
 */
export function compileDateParser(pattern: string, now: Date = new Date()): DateParser {
  const pieces = parsePattern(pattern);
  for (const piece of pieces) {
    if (typeof piece !== 'string' && NOT_PARSED.includes(piece.letter)) {
      throw new UnsupportedPatternError(
        `pattern letter '${piece.letter}' (week-based fields) is not supported`,
      );
    }
  }
  const centuryStart = now.getUTCFullYear() - 80;
  return (text) => parse(pieces, text, centuryStart);
}

function parsePattern(pattern: string): Piece[] {
  const pieces: Piece[] = [];
  let literal = '';
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i]!;
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        literal += "'";
        i += 2;
        continue;
      }
      // Quoted text runs to the next lone quote; '' inside stands for one quote.
      let j = i + 1;
      for (;;) {
        if (j >= pattern.length) throw new DatePatternError('Unterminated quote');
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") {
            literal += "'";
            j += 2;
            continue;
          }
          break;
        }
        literal += pattern[j];
        j++;
      }
      i = j + 1;
      continue;
    }
    if (!/[a-zA-Z]/.test(c)) {
      literal += c;
      i++;
      continue;
    }
    if (!PATTERN_LETTERS.includes(c)) {
      throw new DatePatternError(`Illegal pattern character '${c}'`);
    }
    let count = 1;
    while (pattern[i + count] === c) count++;
    if (c === 'X' && count > 3)
      throw new DatePatternError('invalid ISO 8601 format: length=' + count);
    if (literal !== '') pieces.push(literal);
    literal = '';
    pieces.push({ letter: c, count });
    i += count;
  }
  if (literal !== '') pieces.push(literal);
  return pieces;
}

interface Fields {
  readonly year: number;
  /** 0-11. */
  readonly month: number;
  readonly day: number;
  /** 0 Sunday - 6 Saturday. */
  readonly weekday: number;
  readonly dayOfYear: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millis: number;
  readonly weekYear: number;
  readonly weekOfYear: number;
}

function fieldsOf(epochMillis: number): Fields {
  const d = new Date(epochMillis);
  const year = d.getUTCFullYear();
  const startOfYear = yearStart(year);
  const dayOfYear = Math.floor((dayStart(epochMillis) - startOfYear) / DAY_MS) + 1;
  const weekday = d.getUTCDay();
  // US weeks: a week runs Sunday to Saturday and week 1 is the one holding 1 January, so the
  // last days of December may lie in week 1 of the next week year.
  const weekEnd = dayStart(epochMillis) + (6 - weekday) * DAY_MS;
  const nextYear = new Date(weekEnd).getUTCFullYear() > year;
  const jan1Weekday = new Date(startOfYear).getUTCDay();
  return {
    year,
    month: d.getUTCMonth(),
    day: d.getUTCDate(),
    weekday,
    dayOfYear,
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millis: d.getUTCMilliseconds(),
    weekYear: nextYear ? year + 1 : year,
    weekOfYear: nextYear ? 1 : Math.floor((dayOfYear - 1 + jan1Weekday) / 7) + 1,
  };
}

function dayStart(epochMillis: number): number {
  return Math.floor(epochMillis / DAY_MS) * DAY_MS;
}

/** 1 January of `year` (Date.UTC would read years 0-99 as 1900-1999). */
function yearStart(year: number): number {
  const start = new Date(0);
  start.setUTCFullYear(year, 0, 1);
  return start.getTime();
}

function format({ letter, count }: Field, f: Fields): string {
  switch (letter) {
    case 'G':
      return f.year > 0 ? 'AD' : 'BC';
    case 'y':
      return year(f.year > 0 ? f.year : 1 - f.year, count);
    case 'Y':
      return year(f.weekYear > 0 ? f.weekYear : 1 - f.weekYear, count);
    case 'M':
    case 'L':
      if (count >= 4) return MONTHS[f.month]!;
      if (count === 3) return MONTHS[f.month]!.slice(0, 3);
      return pad(f.month + 1, count);
    case 'd':
      return pad(f.day, count);
    case 'D':
      return pad(f.dayOfYear, count);
    case 'F':
      return pad(Math.floor((f.day - 1) / 7) + 1, count);
    case 'w':
      return pad(f.weekOfYear, count);
    case 'W': {
      const firstWeekday = (f.weekday - ((f.day - 1) % 7) + 7) % 7;
      return pad(Math.floor((f.day - 1 + firstWeekday) / 7) + 1, count);
    }
    case 'E':
      return count >= 4 ? DAYS[f.weekday]! : DAYS[f.weekday]!.slice(0, 3);
    case 'u':
      return pad(f.weekday === 0 ? 7 : f.weekday, count);
    case 'a':
      return f.hour < 12 ? 'AM' : 'PM';
    case 'H':
      return pad(f.hour, count);
    case 'k':
      return pad(f.hour === 0 ? 24 : f.hour, count);
    case 'K':
      return pad(f.hour % 12, count);
    case 'h':
      return pad(f.hour % 12 === 0 ? 12 : f.hour % 12, count);
    case 'm':
      return pad(f.minute, count);
    case 's':
      return pad(f.second, count);
    case 'S':
      return pad(f.millis, count);
    case 'z':
      return count >= 4 ? 'Coordinated Universal Time' : 'UTC';
    case 'Z':
      return '+0000';
    case 'X':
      return 'Z';
    default:
      // parsePattern lets only PATTERN_LETTERS through.
      throw new DatePatternError(`Illegal pattern character '${letter}'`);
  }
}

/** Java prints a two-letter year as its last two digits, any other count zero-padded. */
function year(value: number, count: number): string {
  return count === 2 ? pad(value % 100, 2) : pad(value, count);
}

function pad(value: number, count: number): string {
  return String(value).padStart(count, '0');
}

/** SimpleDateFormat.parse, lenient. */
function parse(pieces: readonly Piece[], text: string, centuryStart: number): Date | undefined {
  const f = { year: 1970, month: 0, day: 1, hour: 0, minute: 0, second: 0, ms: 0, offset: 0 };
  let pm: boolean | undefined;
  let hour12 = false;
  let dayOfYear: number | undefined;
  let pos = 0;
  for (const [i, t] of pieces.entries()) {
    if (typeof t === 'string') {
      if (!text.startsWith(t, pos)) return undefined;
      pos += t.length;
      continue;
    }
    while (text[pos] === ' ' || text[pos] === '\t') pos++;
    if (pos >= text.length) return undefined;
    const next = pieces[i + 1];
    const abutting = next !== undefined && isNumeric(next);
    if (isNumeric(t)) {
      const m = /^-?\d+/.exec(text.slice(pos, abutting ? pos + t.count : undefined));
      if (!m) return undefined;
      const digits = m[0];
      let n = Number(digits);
      pos += digits.length;
      switch (t.letter) {
        case 'y':
          if (t.count <= 2 && /^\d\d$/.test(digits)) {
            n += Math.floor(centuryStart / 100) * 100 + (n < centuryStart % 100 ? 100 : 0);
          }
          f.year = n;
          break;
        case 'M':
        case 'L':
          f.month = n - 1;
          break;
        case 'd':
          f.day = n;
          break;
        case 'H':
          f.hour = n;
          break;
        case 'k':
          f.hour = n === 24 ? 0 : n;
          break;
        case 'K':
          f.hour = n;
          hour12 = true;
          break;
        case 'h':
          f.hour = n === 12 ? 0 : n;
          hour12 = true;
          break;
        case 'm':
          f.minute = n;
          break;
        case 's':
          f.second = n;
          break;
        case 'S':
          f.ms = n;
          break;
        case 'D':
          dayOfYear = n;
          break;
        // 'u' (day of the week) does not move a date that has its day of the month.
      }
      continue;
    }
    const rest = text.slice(pos);
    switch (t.letter) {
      case 'M':
      case 'L': {
        const found = matchName(rest, MONTHS);
        if (!found) return undefined;
        f.month = found.index;
        pos += found.length;
        break;
      }
      case 'E': {
        const found = matchName(rest, DAYS);
        if (!found) return undefined;
        pos += found.length;
        break;
      }
      case 'a': {
        const m = /^(AM|PM)/i.exec(rest);
        if (!m) return undefined;
        pm = m[0].toUpperCase() === 'PM';
        pos += 2;
        break;
      }
      case 'G': {
        const m = /^(AD|BC)/i.exec(rest);
        if (!m) return undefined;
        pos += 2;
        break;
      }
      case 'z':
      case 'Z':
      case 'X': {
        const zone = parseZone(rest, t.letter);
        if (!zone) return undefined;
        f.offset = zone.offset;
        pos += zone.length;
        break;
      }
    }
  }
  if (pos === 0 && text.length > 0 && pieces.length > 0) return undefined;
  const hour = hour12 && pm ? f.hour + 12 : f.hour;
  const has = (letter: string) => pieces.some((t) => typeof t !== 'string' && t.letter === letter);
  const date = new Date(0);
  if (dayOfYear !== undefined && !has('d') && !has('M')) {
    date.setUTCFullYear(f.year, 0, dayOfYear);
  } else {
    date.setUTCFullYear(f.year, f.month, f.day);
  }
  date.setUTCHours(hour, f.minute, f.second, f.ms);
  const ms = date.getTime() - f.offset * 60_000;
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

function isNumeric(t: Piece): boolean {
  if (typeof t === 'string') return false;
  if (t.letter === 'M' || t.letter === 'L') return t.count <= 2;
  return NUMERIC.includes(t.letter);
}

function matchName(
  text: string,
  names: readonly string[],
): { index: number; length: number } | undefined {
  const lower = text.toLowerCase();
  // Java tries the long names first, then the short ones.
  for (const [index, name] of names.entries()) {
    if (lower.startsWith(name.toLowerCase())) return { index, length: name.length };
  }
  for (const [index, name] of names.entries()) {
    if (lower.startsWith(name.slice(0, 3).toLowerCase())) return { index, length: 3 };
  }
  return undefined;
}

/** A zone as minutes east of UTC: `Z`, `+hh`, `+hhmm`, `+hh:mm`, `UTC`, `GMT`, `GMT+hh:mm`. */
function parseZone(text: string, letter: string): { offset: number; length: number } | undefined {
  if (letter === 'X' && text.startsWith('Z')) return { offset: 0, length: 1 };
  const named = /^(UTC|GMT)(?![+-]\d)/.exec(text);
  if (named && letter !== 'X') return { offset: 0, length: named[0].length };
  const m = /^(GMT)?([+-])(\d\d)(?::?(\d\d))?/.exec(text);
  if (!m || (m[1] && letter === 'X')) return undefined;
  const sign = m[2] === '-' ? -1 : 1;
  return {
    offset: sign * (Number(m[3]) * 60 + Number(m[4] ?? '0')),
    length: m[0].length,
  };
}
