import { describe, expect, it } from 'vitest';
import { jdbcSink } from '../../../../lib/connectors/index.js';
import { validateJdbcSinkConfig } from '../../../../lib/connectors/jdbc-sink/config.js';

const base = { 'connector.class': 'JdbcSink', 'connection.url': 'jdbc:postgresql://db/shop' };
const problemsOf = (keys: Record<string, string>) => validateJdbcSinkConfig({ ...base, ...keys });

describe('JdbcSink config', () => {
  it('has Confluent’s keys and defaults, each in its group', () => {
    const defs = new Map(jdbcSink.configDef.map((d) => [d.name, d]));
    expect(defs.get('insert.mode')?.default).toBe('insert');
    expect(defs.get('batch.size')?.default).toBe('3000');
    expect(defs.get('table.name.format')?.default).toBe('${topic}');
    expect(defs.get('pk.mode')?.default).toBe('none');
    expect(defs.get('quote.sql.identifiers')?.default).toBe('always');
    expect(defs.get('db.timezone')?.default).toBe('UTC');
    expect(defs.get('connection.password')?.type).toBe('PASSWORD');
    const groups = new Set(jdbcSink.configDef.map((d) => d.group));
    expect(groups).toEqual(
      new Set(['Connection', 'Writes', 'Data Mapping', 'DDL Support', 'Retries']),
    );
  });

  it('takes insert.mode and pk.mode in any case, as RocketMQ Connect writes them', () => {
    const parsed = jdbcSink.configSchema.parse({
      ...base,
      'insert.mode': 'UPSERT',
      'pk.mode': 'RECORD_KEY',
    });
    expect(parsed).toMatchObject({ 'insert.mode': 'upsert', 'pk.mode': 'record_key' });
  });

  it('accepts a consistent config', () => {
    expect(problemsOf({})).toEqual([]);
    expect(
      problemsOf({ 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'delete.enabled': 'true' }),
    ).toEqual([]);
  });

  it.each(['upsert', 'update'])('needs a primary key for insert.mode=%s', (mode) => {
    expect(problemsOf({ 'insert.mode': mode })).toEqual([
      { key: 'pk.mode', message: expect.stringContaining(`insert.mode=${mode} needs`) },
    ]);
  });

  it('needs pk.mode=record_key for deletes, on both keys', () => {
    const problems = problemsOf({ 'delete.enabled': 'true', 'pk.mode': 'record_value' });
    expect(problems.map((p) => p.key)).toEqual(['pk.mode', 'delete.enabled']);
    expect(problems[0]?.message).toBe(
      "'record_value' is invalid: Deletes are only supported for pk.mode 'record_key'",
    );
  });

  it('takes pk.mode=kafka with its default fields or three, not another count', () => {
    expect(problemsOf({ 'pk.mode': 'kafka', 'pk.fields': 'a,b' }).map((p) => p.key)).toEqual([
      'pk.fields',
    ]);
    expect(problemsOf({ 'pk.mode': 'kafka' })).toEqual([]);
    expect(problemsOf({ 'pk.mode': 'kafka', 'pk.fields': 'a,b,c' })).toEqual([]);
  });

  it('refuses a pk.fields column named twice', () => {
    expect(problemsOf({ 'pk.mode': 'record_value', 'pk.fields': 'a, a' })).toEqual([
      { key: 'pk.fields', message: 'pk.fields names a column twice' },
    ]);
  });

  it('leaves a key whose value does not parse to the schema, checking the others', () => {
    expect(problemsOf({ 'insert.mode': 'merge', 'delete.enabled': 'yes' })).toEqual([]);
    expect(problemsOf({ 'insert.mode': 'upsert', 'batch.size': 'x' })).toHaveLength(1);
  });

  it('splits a task per tasks.max, each with the whole config', () => {
    expect(jdbcSink.taskConfigs(base, 3)).toEqual([base, base, base]);
  });
});
