import { describe, expect, test } from 'vitest';
import {
  connectSchemaOf,
  decimalOf,
  type ColumnInfo,
  type NumericMapping,
} from '../../../../lib/connectors/jdbc/columns.js';
import { mysqlDialect, postgresDialect } from '../../../../lib/connectors/jdbc/dialect.js';
import {
  nextStatement,
  offsetOf,
  partitionOf,
  positionOf,
  sameInstantStatement,
  type StatementPlan,
} from '../../../../lib/connectors/jdbc-source/querier.js';
import { parseWallClock, wallClockText } from '../../../../lib/connectors/jdbc/time.js';
import { ownsTable } from '../../../../lib/connectors/jdbc-source/tables.js';

const plan = (over: Partial<StatementPlan>): StatementPlan => ({
  dialect: postgresDialect,
  subject: { table: { schema: 'public', name: 'orders' } },
  mode: 'incrementing',
  incrementingColumn: 'id',
  timestampColumns: ['updated_at'],
  keyColumns: [],
  delayMs: 0,
  suffix: '',
  limit: 100,
  zone: 'UTC',
  ...over,
});

describe("Confluent's offsets", () => {
  test('partitions: protocol 1 with the table, or the query', () => {
    expect(partitionOf({ table: { schema: 'shop', name: 'orders' } })).toEqual({
      protocol: '1',
      table: 'shop.orders',
    });
    expect(partitionOf({ query: 'SELECT 1' })).toEqual({ query: 'query' });
  });

  test('offsets: numbers while exact, a string past 2^53; read back either way', () => {
    const at = { epochMs: 1_700_000_000_123, nanos: 123_456_789 };
    expect(offsetOf({ incrementing: '42', timestamp: at })).toEqual({
      timestamp: 1_700_000_000_123,
      timestamp_nanos: 123_456_789,
      incrementing: 42,
    });
    expect(offsetOf({ incrementing: '9223372036854775807' })).toEqual({
      incrementing: '9223372036854775807',
    });
    expect(positionOf({ incrementing: 42, timestamp: 1_700_000_000_123 }, 'x')).toEqual({
      incrementing: '42',
      // Without timestamp_nanos (an older offset), the milliseconds' own.
      timestamp: { epochMs: 1_700_000_000_123, nanos: 123_000_000 },
    });
    expect(() => positionOf({ incrementing: 'abc' }, 'public.orders')).toThrow(
      'the committed offset of public.orders has a bad "incrementing": "abc"',
    );
  });
});

describe('statements', () => {
  test('incrementing: after the last value, in order, bounded', () => {
    expect(nextStatement(plan({}), { incrementing: '7' })).toEqual({
      sql: 'SELECT * FROM "public"."orders" WHERE "id" > $1::int8 ORDER BY "id" ASC LIMIT 100',
      params: ['7'],
    });
    // MySQL compares a BIGINT with a string as doubles: the value goes as an integer.
    expect(nextStatement(plan({ dialect: mysqlDialect }), {})).toEqual({
      sql: 'SELECT * FROM `public`.`orders` WHERE `id` > ? ORDER BY `id` ASC LIMIT 100',
      params: [-1n],
    });
  });

  test('timestamp+incrementing: an exact keyset below the database time minus the delay', () => {
    const at = { epochMs: Date.UTC(2024, 0, 2, 3, 4, 5, 6), nanos: 6_007_000 };
    const statement = nextStatement(
      plan({
        mode: 'timestamp+incrementing',
        timestampColumns: ['modified', 'created'],
        delayMs: 1500,
        suffix: 'FOR SHARE',
      }),
      { timestamp: at, incrementing: '9' },
    );
    expect(statement.sql).toBe(
      'SELECT * FROM "public"."orders" WHERE COALESCE("modified", "created") < CURRENT_TIMESTAMP - INTERVAL \'1500 milliseconds\' ' +
        'AND ((COALESCE("modified", "created") = $1::timestamptz AND "id" > $2::int8) OR COALESCE("modified", "created") > $3::timestamptz) ' +
        'ORDER BY COALESCE("modified", "created") ASC, "id" ASC LIMIT 100 FOR SHARE',
    );
    expect(statement.params).toEqual([
      '2024-01-02 03:04:05.006007+00',
      '9',
      '2024-01-02 03:04:05.006007+00',
    ]);
  });

  test('timestamp on MySQL: wall clocks of db.timezone, and the whole last instant', () => {
    const at = { epochMs: Date.UTC(2024, 0, 1, 16, 0, 0), nanos: 500_000 };
    const p = plan({ dialect: mysqlDialect, mode: 'timestamp', zone: 'Asia/Shanghai' });
    expect(nextStatement(p, { timestamp: at }).params).toEqual(['2024-01-02 00:00:00.000500']);
    expect(sameInstantStatement(p, at)).toEqual({
      sql: 'SELECT * FROM `public`.`orders` WHERE `updated_at` = ?',
      params: ['2024-01-02 00:00:00.000500'],
    });
  });

  test('bulk: by the primary key after the last one read, or by rows read without one', () => {
    expect(
      nextStatement(plan({ mode: 'bulk', keyColumns: ['a', 'b'] }), {
        bulk: { started: 1, after: [1, 'x'] },
      }),
    ).toEqual({
      sql: 'SELECT * FROM "public"."orders" WHERE ("a", "b") > ($1, $2) ORDER BY "a", "b" LIMIT 100',
      params: [1, 'x'],
    });
    expect(
      nextStatement(plan({ mode: 'bulk', subject: { query: 'SELECT x FROM y' } }), {
        bulk: { started: 1, rows: 300 },
      }).sql,
    ).toBe('SELECT * FROM (SELECT x FROM y) AS bulk_pass LIMIT 100 OFFSET 300');
  });
});

describe('time', () => {
  test('wall clocks in a zone, to the nanosecond, DST and offsets', () => {
    expect(parseWallClock('2024-07-01 12:00:00.123456789', 'Europe/Berlin')).toEqual({
      epochMs: Date.UTC(2024, 6, 1, 10, 0, 0, 123),
      nanos: 123_456_789,
    });
    expect(parseWallClock('2024-01-01 12:00:00', 'Europe/Berlin')?.epochMs).toBe(
      Date.UTC(2024, 0, 1, 11),
    );
    expect(parseWallClock('2024-01-01 12:00:00.5+05:30', 'UTC')?.epochMs).toBe(
      Date.UTC(2024, 0, 1, 6, 30, 0, 500),
    );
    expect(parseWallClock('infinity', 'UTC')).toBeUndefined();
    const at = { epochMs: Date.UTC(2024, 6, 1, 10, 0, 0, 123), nanos: 123_456_000 };
    expect(wallClockText(at, 'Europe/Berlin')).toBe('2024-07-01 12:00:00.123456');
  });

  test('tables are shared out by name: every table has exactly one owner', () => {
    const tables = Array.from({ length: 50 }, (_, i) => ({ schema: 's', name: `t${i}` }));
    for (const count of [1, 2, 3, 7]) {
      for (const table of tables) {
        const owners = Array.from({ length: count }, (_, i) => i).filter((i) =>
          ownsTable(table, i, count),
        );
        expect(owners).toHaveLength(1);
      }
    }
  });
});

describe('numeric.mapping (Confluent rules)', () => {
  const numeric = (precision: number | undefined, scale: number | undefined): ColumnInfo => ({
    name: 'n',
    sqlType: 'numeric',
    family: 'decimal',
    nullable: false,
    precision,
    scale,
    unsigned: false,
  });
  const mapped = (column: ColumnInfo, mapping: NumericMapping) => {
    const schema = connectSchemaOf(column, mapping);
    return schema.name === undefined
      ? schema.type
      : `${schema.type}/${schema.parameters?.['scale']}`;
  };

  test.each([
    [[12, 3], 'none', 'BYTES/3'],
    [[5, 0], 'none', 'BYTES/0'],
    [[2, 0], 'precision_only', 'INT8'],
    [[4, 0], 'precision_only', 'INT16'],
    [[9, 0], 'precision_only', 'INT32'],
    [[18, 0], 'precision_only', 'INT64'],
    [[19, 0], 'precision_only', 'BYTES/0'],
    [[12, 3], 'precision_only', 'BYTES/3'],
    [[12, 3], 'best_fit', 'FLOAT64'],
    [[18, 3], 'best_fit', 'FLOAT64'],
    [[18, 0], 'best_fit', 'INT64'],
    [[20, 3], 'best_fit', 'BYTES/3'],
    [[20, 3], 'best_fit_eager_double', 'FLOAT64'],
    [[undefined, undefined], 'none', 'STRING'],
    [[undefined, undefined], 'best_fit_eager_double', 'FLOAT64'],
  ] as const)('NUMERIC%j under %s: %s', ([precision, scale], mapping, expected) => {
    expect(mapped(numeric(precision, scale), mapping)).toBe(expected);
  });

  test('values are exact at the schema scale', () => {
    expect(decimalOf('-12.5', 3, { name: 'n' })).toEqual({ unscaled: -12500n, scale: 3 });
    expect(decimalOf('18446744073709551615', 0, { name: 'n' })).toEqual({
      unscaled: 18446744073709551615n,
      scale: 0,
    });
    expect(() => decimalOf('1.2345', 2, { name: 'n' })).toThrow(/more than 2 fraction digits/);
  });
});
