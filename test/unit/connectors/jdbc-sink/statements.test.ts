import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, type Schema } from '../../../../lib/api/plugin-kit.js';
import { sqlTypeOf } from '../../../../lib/connectors/jdbc-sink/sql-types.js';
import {
  addColumnsStatement,
  chunkRows,
  createTableStatement,
  deleteStatement,
  insertStatement,
  MAX_PARAMS,
  sqlWriter,
  tableSql,
  updateStatement,
} from '../../../../lib/connectors/jdbc-sink/statements.js';

const pg = sqlWriter('postgresql', 'always');
const my = sqlWriter('mysql', 'always');
const pgTable = tableSql(pg, 'public', 'orders');
const myTable = tableSql(my, 'shop', 'orders');

describe('insert statements', () => {
  const rows = [
    [1, 'a', 10],
    [2, 'b', 20],
  ];

  it('write several rows in one INSERT with numbered or positional parameters', () => {
    expect(insertStatement(pg, pgTable, ['id', 'name', 'qty'], rows)).toEqual({
      sql: 'INSERT INTO "public"."orders" ("id","name","qty") VALUES ($1,$2,$3),($4,$5,$6)',
      params: [1, 'a', 10, 2, 'b', 20],
    });
    expect(insertStatement(my, myTable, ['id', 'name', 'qty'], rows).sql).toBe(
      'INSERT INTO `shop`.`orders` (`id`,`name`,`qty`) VALUES (?,?,?),(?,?,?)',
    );
  });

  it('upsert on PostgreSQL with ON CONFLICT on the key, replacing the other columns', () => {
    expect(insertStatement(pg, pgTable, ['id', 'name', 'qty'], rows, ['id']).sql).toBe(
      'INSERT INTO "public"."orders" ("id","name","qty") VALUES ($1,$2,$3),($4,$5,$6) ' +
        'ON CONFLICT ("id") DO UPDATE SET "name"=EXCLUDED."name","qty"=EXCLUDED."qty"',
    );
  });

  it('upsert on MySQL with ON DUPLICATE KEY UPDATE', () => {
    expect(insertStatement(my, myTable, ['id', 'name'], [[1, 'a']], ['id']).sql).toBe(
      'INSERT INTO `shop`.`orders` (`id`,`name`) VALUES (?,?) ON DUPLICATE KEY UPDATE `name`=VALUES(`name`)',
    );
  });

  it('upsert rows of key columns alone without changing an existing row', () => {
    expect(insertStatement(pg, pgTable, ['a', 'b'], [[1, 2]], ['a', 'b']).sql).toBe(
      'INSERT INTO "public"."orders" ("a","b") VALUES ($1,$2) ON CONFLICT ("a","b") DO NOTHING',
    );
    expect(insertStatement(my, myTable, ['a'], [[1]], ['a']).sql).toBe(
      'INSERT INTO `shop`.`orders` (`a`) VALUES (?) ON DUPLICATE KEY UPDATE `a`=VALUES(`a`)',
    );
  });

  it('quote names with their quotes doubled, or not at all with quote.sql.identifiers=never', () => {
    expect(insertStatement(pg, tableSql(pg, 's', 'we"ird'), ['c"1'], [[1]]).sql).toBe(
      'INSERT INTO "s"."we""ird" ("c""1") VALUES ($1)',
    );
    expect(insertStatement(my, tableSql(my, 's', 'we`ird'), ['c'], [[1]]).sql).toBe(
      'INSERT INTO `s`.`we``ird` (`c`) VALUES (?)',
    );
    const bare = sqlWriter('postgresql', 'never');
    expect(insertStatement(bare, tableSql(bare, 'public', 'orders'), ['id'], [[1]]).sql).toBe(
      'INSERT INTO public.orders (id) VALUES ($1)',
    );
  });
});

describe('update and delete statements', () => {
  it('update one row by its key, values first', () => {
    expect(updateStatement(pg, pgTable, ['id', 'region'], [7, 'eu'], ['name'], ['x'])).toEqual({
      sql: 'UPDATE "public"."orders" SET "name"=$1 WHERE "id"=$2 AND "region"=$3',
      params: ['x', 7, 'eu'],
    });
    expect(updateStatement(my, myTable, ['id'], [7], ['name', 'qty'], ['x', 1])?.sql).toBe(
      'UPDATE `shop`.`orders` SET `name`=?,`qty`=? WHERE `id`=?',
    );
  });

  it('update nothing when a row has no column besides its key', () => {
    expect(updateStatement(pg, pgTable, ['id'], [7], [], [])).toBeUndefined();
  });

  it('delete the rows of several keys in one statement', () => {
    expect(deleteStatement(pg, pgTable, ['id'], [[1], [2]])).toEqual({
      sql: 'DELETE FROM "public"."orders" WHERE "id" IN ($1,$2)',
      params: [1, 2],
    });
    expect(
      deleteStatement(
        my,
        myTable,
        ['id', 'region'],
        [
          [1, 'eu'],
          [2, 'us'],
        ],
      ).sql,
    ).toBe('DELETE FROM `shop`.`orders` WHERE (`id`,`region`) IN ((?,?),(?,?))');
  });
});

describe('DDL statements', () => {
  it('create a table with its primary key, key columns and required fields NOT NULL', () => {
    const columns = [
      { name: 'id', type: 'BIGINT', nullable: false },
      { name: 'note', type: 'TEXT', nullable: true },
    ];
    expect(createTableStatement(pg, pgTable, columns, ['id'])).toBe(
      'CREATE TABLE "public"."orders" ("id" BIGINT NOT NULL,"note" TEXT NULL,PRIMARY KEY("id"))',
    );
    expect(createTableStatement(my, myTable, columns, [])).toBe(
      'CREATE TABLE `shop`.`orders` (`id` BIGINT NOT NULL,`note` TEXT NULL)',
    );
  });

  it('add columns as nullable', () => {
    expect(
      addColumnsStatement(pg, pgTable, [
        { name: 'a', type: 'TEXT' },
        { name: 'b', type: 'INTEGER' },
      ]),
    ).toBe('ALTER TABLE "public"."orders" ADD COLUMN "a" TEXT NULL,ADD COLUMN "b" INTEGER NULL');
  });

  const types: [string, Schema, string, string][] = [
    ['INT8', Schemas.INT8, 'SMALLINT', 'TINYINT'],
    ['INT16', Schemas.INT16, 'SMALLINT', 'SMALLINT'],
    ['INT32', Schemas.INT32, 'INTEGER', 'INT'],
    ['INT64', Schemas.INT64, 'BIGINT', 'BIGINT'],
    ['FLOAT32', Schemas.FLOAT32, 'REAL', 'FLOAT'],
    ['FLOAT64', Schemas.FLOAT64, 'DOUBLE PRECISION', 'DOUBLE'],
    ['BOOLEAN', Schemas.BOOLEAN, 'BOOLEAN', 'BOOLEAN'],
    ['STRING', Schemas.STRING, 'TEXT', 'TEXT'],
    ['BYTES', Schemas.BYTES, 'BYTEA', 'BLOB'],
    ['Decimal', Schemas.decimal(4), 'NUMERIC', 'DECIMAL(65,4)'],
    ['Date', Schemas.DATE, 'DATE', 'DATE'],
    ['Time', Schemas.TIME, 'TIME(3)', 'TIME(3)'],
    ['Timestamp', Schemas.TIMESTAMP, 'TIMESTAMP(3)', 'DATETIME(3)'],
    ['ARRAY', SchemaBuilder.array(Schemas.STRING).build(), 'JSONB', 'JSON'],
    ['STRUCT', SchemaBuilder.struct().field('a', Schemas.INT32).build(), 'JSONB', 'JSON'],
  ];

  it.each(types)('map %s to %s on PostgreSQL and %s on MySQL', (_name, schema, onPg, onMy) => {
    expect(sqlTypeOf('postgresql', schema, false)).toBe(onPg);
    expect(sqlTypeOf('mysql', schema, false)).toBe(onMy);
  });

  it('give MySQL key columns indexable types for strings and bytes', () => {
    expect(sqlTypeOf('mysql', Schemas.STRING, true)).toBe('VARCHAR(256)');
    expect(sqlTypeOf('mysql', Schemas.BYTES, true)).toBe('VARBINARY(767)');
    expect(sqlTypeOf('postgresql', Schemas.STRING, true)).toBe('TEXT');
  });
});

describe('chunks of rows', () => {
  it('hold at most batch.size rows', () => {
    const rows = Array.from({ length: 7 }, (_, i) => [i]);
    expect(chunkRows(rows, 3).map((c) => c.length)).toEqual([3, 3, 1]);
  });

  it('stay within 65,535 bind parameters whatever batch.size says', () => {
    const row = Array.from({ length: 10 }, () => 1);
    const chunks = chunkRows(
      Array.from({ length: 20_000 }, () => row),
      100_000,
    );
    expect(chunks.map((c) => c.length)).toEqual([6553, 6553, 6553, 341]);
    for (const chunk of chunks) expect(chunk.length * row.length).toBeLessThanOrEqual(MAX_PARAMS);
  });

  it('stay within a few MiB of values', () => {
    const big = [Buffer.alloc(1024 * 1024)];
    expect(chunkRows([big, big, big, big], 3000).map((c) => c.length)).toEqual([1, 1, 1, 1]);
  });
});
