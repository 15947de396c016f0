import { describe, expect, test } from 'vitest';
import { compileDateFormat, compileDateParser } from '../../../lib/transforms/date-format.js';

// Expected texts are Java 17's SimpleDateFormat at UTC, English locale, on the same instants.
const EPOCH = 0;
const END_OF_2023 = 1_704_067_199_999; // 2023-12-31T23:59:59.999Z, a Sunday
const LAST_DAY_OF_2024 = 1_735_603_200_000; // 2024-12-31, a Tuesday

describe("compileDateFormat and compileDateParser: Java's SimpleDateFormat in UTC", () => {
  test.each([
    ["yyyy-MM-dd'T'HH:mm:ss.SSSXXX", EPOCH, '1970-01-01T00:00:00.000Z'],
    ["yyyy-MM-dd'T'HH:mm:ss.SSSXXX", END_OF_2023, '2023-12-31T23:59:59.999Z'],
    [
      'G yyy MMM MMMM LLL EEE EEEE u a hh KK kk',
      EPOCH,
      'AD 1970 Jan January Jan Thu Thursday 4 AM 12 00 24',
    ],
    [
      'G yyy MMM MMMM LLL EEE EEEE u a hh KK kk',
      END_OF_2023,
      'AD 2023 Dec December Dec Sun Sunday 7 PM 11 11 23',
    ],
    // US weeks: the week holding 1 January is week 1, so late December may be in the next year's.
    ['D DDD F w ww W Y YY YYYY', END_OF_2023, '365 365 5 1 01 6 2024 24 2024'],
    ['D DDD F w ww W Y YY YYYY', LAST_DAY_OF_2024, '366 366 5 1 01 5 2025 25 2025'],
    ["'o''clock' ''h'' yyyy'Q'", EPOCH, "o'clock '12' 1970Q"],
    ['z zzzz Z X XX XXX', EPOCH, 'UTC Coordinated Universal Time +0000 Z Z Z'],
    ['yyyyMMdd', LAST_DAY_OF_2024, '20241231'],
  ])('%s at %i is %s', (pattern, at, text) => {
    expect(compileDateFormat(pattern)(at)).toBe(text);
  });

  test("refuses what Java's constructor refuses, with Java's message", () => {
    expect(() => compileDateFormat('yyyyq')).toThrow("Illegal pattern character 'q'");
    expect(() => compileDateFormat("'abc")).toThrow('Unterminated quote');
    expect(() => compileDateFormat('XXXX')).toThrow('invalid ISO 8601 format: length=4');
  });

  test('formats and parses letters, quoted text and zones at UTC', () => {
    const at = new Date(Date.UTC(2023, 9, 5, 14, 7, 9, 45));
    const format = (p: string) => compileDateFormat(p)(at.getTime());
    expect(format("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")).toBe('2023-10-05T14:07:09.045Z');
    expect(format('EEE, d MMM yy hh:mm a Z')).toBe('Thu, 5 Oct 23 02:07 PM +0000');
    expect(format("yyyyMMddHHmmssX '' z")).toBe("20231005140709Z ' UTC");
    const parse = (p: string, t: string) => compileDateParser(p)(t)?.toISOString();
    expect(parse('yyyyMMddHHmmss', '20231005140709')).toBe('2023-10-05T14:07:09.000Z');
    expect(parse("yyyy-MM-dd'T'HH:mm:ssXXX", '2023-10-05T16:07:09+02:00')).toBe(
      '2023-10-05T14:07:09.000Z',
    );
    // Lenient, as Java's default: month 13 is January of the next year; trailing text ignored.
    expect(parse('yyyy-MM-dd', '2023-13-01 and more')).toBe('2024-01-01T00:00:00.000Z');
  });

  test("counts a day of years 0-99 from that year's 1 January, not 1900-1999's", () => {
    const at = new Date(0);
    at.setUTCFullYear(50, 1, 1);
    expect(compileDateFormat('yyyy-MM-dd D')(at.getTime())).toBe('0050-02-01 32');
  });

  test('refuses week-based letters for parsing only', () => {
    expect(compileDateFormat('YYYY-ww')(0)).toBe('1970-01');
    expect(() => compileDateParser('YYYY-ww')).toThrow("pattern letter 'Y'");
  });
});
