/**
 * Java's `SimpleDateFormat` patterns, formatting in UTC with the English (US) locale, as Kafka's
 * transforms use them (TimestampRouter's `timestamp.format`, TimestampConverter's `format`).
 * Every pattern letter Java knows is implemented (US weeks: they start on Sunday, week 1 holds
 * 1 January); a letter Java does not know, or an unterminated quote, is refused when the pattern
 * is compiled, with Java's message. The calendar is the proleptic Gregorian one: Java switches
 * to the Julian calendar before 15 October 1582, so dates that old print differently.
 *
 * @example
 * const format = compileDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
 * format(0); // "1970-01-01T00:00:00.000Z"
 */

/** Formats epoch milliseconds; made once per pattern by `compileDateFormat`. */
export type DateFormatter = (epochMillis: number) => string;

/** A pattern Java's SimpleDateFormat would refuse; the message is Java's. */
export class DatePatternError extends Error {
  override readonly name = 'DatePatternError';
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

/** One piece of a compiled pattern: literal text or a letter repeated `count` times. */
type Piece = string | { readonly letter: string; readonly count: number };

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
  const startOfYear = Date.UTC(year, 0, 1);
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

function format({ letter, count }: { letter: string; count: number }, f: Fields): string {
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
