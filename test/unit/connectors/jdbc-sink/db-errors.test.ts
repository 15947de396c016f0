import { describe, expect, it } from 'vitest';
import { classifyDbError } from '../../../../lib/connectors/jdbc-sink/db-errors.js';

const pgError = (code: string) => Object.assign(new Error('x'), { severity: 'ERROR', code });
const mysqlError = (errno: number, fatal = false) =>
  Object.assign(new Error('x'), { errno, sqlState: 'HY000', fatal });

describe('what a driver error means', () => {
  it.each([
    ['a PostgreSQL not-null violation', pgError('23502'), 'statement'],
    ['a PostgreSQL deadlock', pgError('40P01'), 'transient'],
    ['a PostgreSQL serialization failure', pgError('40001'), 'transient'],
    ['PostgreSQL shutting down', pgError('57P01'), 'connection'],
    ['a PostgreSQL connection exception', pgError('08006'), 'connection'],
    ['a MySQL duplicate key', mysqlError(1062), 'statement'],
    ['a MySQL deadlock', mysqlError(1213), 'transient'],
    ['a fatal MySQL error', mysqlError(2013, true), 'connection'],
    [
      'a reset socket',
      Object.assign(new Error('read ECONNRESET'), { errno: -104, code: 'ECONNRESET' }),
      'connection',
    ],
    ['pg losing its connection', new Error('Connection terminated unexpectedly'), 'connection'],
  ])('%s is %s', (_what, error, kind) => {
    expect(classifyDbError(error)).toBe(kind);
  });
});

describe('an error no driver raised', () => {
  it('is the statement’s, so the put rolls back to its savepoint and finds out there', () => {
    expect(classifyDbError(new Error('the table does not fit'))).toBe('statement');
    expect(classifyDbError('text')).toBe('statement');
  });
});
