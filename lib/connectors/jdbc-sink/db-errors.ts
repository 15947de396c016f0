/**
 * What a driver's error means for the sink: the connection is gone (`connection`), the database
 * gave way to another transaction and the same statement may pass again (`transient`), or it
 * refused the statement itself (`statement`: a constraint, a type, a missing privilege).
 */
export type DbErrorKind = 'connection' | 'transient' | 'statement';

// PostgreSQL SQLSTATEs: class 08 is a connection exception; 57P01-57P03 the server going away.
const PG_CONNECTION = /^(08|57P0[123]|53300)/;
// serialization_failure, deadlock_detected, lock_not_available.
const PG_TRANSIENT = new Set(['40001', '40P01', '55P03']);
// ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT.
const MYSQL_TRANSIENT = new Set([1213, 1205]);

/** pg's own errors when its connection is gone (they carry no SQLSTATE). */
const PG_CLIENT_GONE =
  /Connection terminated|not queryable|connection (is )?closed|timeout exceeded/i;

/**
 * What an error from a query means. Anything unknown counts as the statement's: the put then
 * rolls back to its savepoint, and if the connection is in fact gone that rollback fails and
 * the task learns it there.
 */
export function classifyDbError(error: unknown): DbErrorKind {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    severity?: unknown;
    code?: unknown;
    errno?: unknown;
    sqlState?: unknown;
    fatal?: unknown;
    message?: unknown;
  };
  // pg's DatabaseError carries the server's severity and SQLSTATE.
  if (typeof e.severity === 'string' && typeof e.code === 'string') {
    if (PG_CONNECTION.test(e.code)) return 'connection';
    return PG_TRANSIENT.has(e.code) ? 'transient' : 'statement';
  }
  // mysql2 marks the errors that closed its connection `fatal`.
  if (e.fatal === true) return 'connection';
  // A MySQL server error carries an errno and a SQLSTATE.
  if (typeof e.sqlState === 'string' && typeof e.errno === 'number') {
    return MYSQL_TRANSIENT.has(e.errno) ? 'transient' : 'statement';
  }
  // Node's socket errors (ECONNRESET, ETIMEDOUT, EPIPE…) and mysql2's protocol ones.
  if (typeof e.code === 'string' && /^(E[A-Z]+|PROTOCOL_)/.test(e.code)) return 'connection';
  if (typeof e.message === 'string' && PG_CLIENT_GONE.test(e.message)) return 'connection';
  return 'statement';
}
