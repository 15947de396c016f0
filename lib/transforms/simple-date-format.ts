/**
 * Java's `SimpleDateFormat` at UTC in an English locale, for TimestampConverter's `format` and
 * Cast's text of dates: the pattern letters people use with Kafka (G y M L d H k K h m s S E u a
 * D z Z X, quoted text with '' for a quote), formatting and lenient parsing as Java does it (a
 * numeric field followed by another takes exactly its width, otherwise as many digits as there
 * are; overflowing fields roll over; text after the last field is ignored; a two-digit `yy` year
 * lands within 80 years before and 20 after now). Dates use the proleptic Gregorian calendar
 * (Java switches to the Julian one before 1582-10-15).
 */

/** A pattern Java refuses (`IllegalArgumentException`), with Java's message. */
export class IllegalPatternError extends Error {
  override readonly name = 'IllegalPatternError';
}

/** A letter Java accepts but this implementation does not (week-based fields). */
export class UnsupportedPatternError extends Error {
  override readonly name = 'UnsupportedPatternError';
}

type Token = { readonly literal: string } | { readonly letter: string; readonly count: number };

const JAVA_LETTERS = 'GyMdkHmsSEDFwWahKzZYuXL';
const UNSUPPORTED = 'YwWF';
const NUMERIC = 'yMLdkHmsSDuhK';
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

function compile(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let text = '';
  const flush = () => {
    if (text !== '') tokens.push({ literal: text });
    text = '';
  };
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        text += "'";
        i += 2;
        continue;
      }
      const end = pattern.indexOf("'", i + 1);
      if (end < 0) throw new IllegalPatternError('Unterminated quote');
      // Inside quotes, '' is a quote too.
      let j = i + 1;
      for (; j < pattern.length; j++) {
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") {
            text += "'";
            j++;
            continue;
          }
          break;
        }
        text += pattern[j];
      }
      if (j >= pattern.length) throw new IllegalPatternError('Unterminated quote');
      i = j + 1;
      continue;
    }
    if (!/[a-zA-Z]/.test(c)) {
      text += c;
      i++;
      continue;
    }
    if (!JAVA_LETTERS.includes(c))
      throw new IllegalPatternError(`Illegal pattern character '${c}'`);
    let count = 1;
    while (pattern[i + count] === c) count++;
    if (c === 'X' && count > 3)
      throw new IllegalPatternError(`invalid ISO 8601 format: length=${count}`);
    if (UNSUPPORTED.includes(c)) {
      throw new UnsupportedPatternError(
        `pattern letter '${c}' (week-based fields) is not supported`,
      );
    }
    flush();
    tokens.push({ letter: c, count });
    i += count;
  }
  flush();
  return tokens;
}

const pad = (n: number, width: number) =>
  n < 0 ? `-${String(-n).padStart(width, '0')}` : String(n).padStart(width, '0');

/** A compiled pattern; `toPattern()` is the pattern as given. */
export class SimpleDateFormat {
  readonly #tokens: Token[];
  readonly #centuryStart: number;

  /** Throws IllegalPatternError (Java's message) or UnsupportedPatternError. */
  constructor(
    readonly pattern: string,
    now: Date = new Date(),
  ) {
    this.#tokens = compile(pattern);
    this.#centuryStart = now.getUTCFullYear() - 80;
  }

  toPattern(): string {
    return this.pattern;
  }

  format(date: Date): string {
    let out = '';
    for (const t of this.#tokens)
      out += 'literal' in t ? t.literal : field(date, t.letter, t.count);
    return out;
  }

  /** The date, or undefined where Java throws ParseException. */
  parse(text: string): Date | undefined {
    const f = { year: 1970, month: 0, day: 1, hour: 0, minute: 0, second: 0, ms: 0, offset: 0 };
    let pm: boolean | undefined;
    let hour12 = false;
    let dayOfYear: number | undefined;
    let pos = 0;
    for (const [i, t] of this.#tokens.entries()) {
      if ('literal' in t) {
        if (!text.startsWith(t.literal, pos)) return undefined;
        pos += t.literal.length;
        continue;
      }
      while (text[pos] === ' ' || text[pos] === '\t') pos++;
      if (pos >= text.length) return undefined;
      const next = this.#tokens[i + 1];
      const abutting = next !== undefined && 'letter' in next && isNumeric(next);
      if (isNumeric(t)) {
        const m = /^-?\d+/.exec(text.slice(pos, abutting ? pos + t.count : undefined));
        if (!m) return undefined;
        const digits = m[0];
        let n = Number(digits);
        pos += digits.length;
        switch (t.letter) {
          case 'y':
            if (t.count <= 2 && /^\d\d$/.test(digits)) {
              const start = this.#centuryStart;
              n += Math.floor(start / 100) * 100 + (n < start % 100 ? 100 : 0);
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
    if (pos === 0 && text.length > 0 && this.#tokens.length > 0) return undefined;
    const hour = hour12 && pm ? f.hour + 12 : f.hour;
    const date = new Date(0);
    if (dayOfYear !== undefined && !this.#has('d') && !this.#has('M')) {
      date.setUTCFullYear(f.year, 0, dayOfYear);
    } else {
      date.setUTCFullYear(f.year, f.month, f.day);
    }
    date.setUTCHours(hour, f.minute, f.second, f.ms);
    const ms = date.getTime() - f.offset * 60_000;
    return Number.isNaN(ms) ? undefined : new Date(ms);
  }

  #has(letter: string): boolean {
    return this.#tokens.some((t) => 'letter' in t && t.letter === letter);
  }
}

function isNumeric(t: Token): boolean {
  if (!('letter' in t)) return false;
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

function field(date: Date, letter: string, count: number): string {
  const year = date.getUTCFullYear();
  switch (letter) {
    case 'G':
      return year > 0 ? 'AD' : 'BC';
    case 'y': {
      const era = year > 0 ? year : 1 - year;
      return count === 2 ? pad(era % 100, 2) : pad(era, count);
    }
    case 'M':
    case 'L': {
      const month = date.getUTCMonth();
      if (count >= 4) return MONTHS[month]!;
      if (count === 3) return MONTHS[month]!.slice(0, 3);
      return pad(month + 1, count);
    }
    case 'd':
      return pad(date.getUTCDate(), count);
    case 'H':
      return pad(date.getUTCHours(), count);
    case 'k':
      return pad(date.getUTCHours() || 24, count);
    case 'K':
      return pad(date.getUTCHours() % 12, count);
    case 'h':
      return pad(date.getUTCHours() % 12 || 12, count);
    case 'm':
      return pad(date.getUTCMinutes(), count);
    case 's':
      return pad(date.getUTCSeconds(), count);
    case 'S':
      return pad(date.getUTCMilliseconds(), count);
    case 'E': {
      const day = DAYS[date.getUTCDay()]!;
      return count >= 4 ? day : day.slice(0, 3);
    }
    case 'u':
      return pad(date.getUTCDay() || 7, count);
    case 'a':
      return date.getUTCHours() < 12 ? 'AM' : 'PM';
    case 'D': {
      const start = Date.UTC(year, 0, 1);
      const startOfYear = new Date(start);
      startOfYear.setUTCFullYear(year, 0, 1);
      return pad(Math.floor((date.getTime() - startOfYear.getTime()) / DAY_MS) + 1, count);
    }
    case 'z':
      return count >= 4 ? 'Coordinated Universal Time' : 'UTC';
    case 'Z':
      return '+0000';
    case 'X':
      return 'Z';
    default:
      // compile() lets no other letter through.
      throw new UnsupportedPatternError(`pattern letter '${letter}' is not supported`);
  }
}
