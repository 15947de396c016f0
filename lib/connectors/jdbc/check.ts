/** Config checks against the database, shared by the JDBC source and sink (`checkSystem`). */
import type { ConfigProblem } from '../../api/plugin-kit.js';
import {
  addressOf,
  openSqlClient,
  reasonOf,
  type ConnectionSettings,
  type SqlClient,
} from './connection.js';

/**
 * Connects with these settings and runs `check` on the connection; a failure to connect or log
 * in is one problem on the key to fix (`connection.url` for where, `connection.password` or
 * `connection.user` for who), with the driver's reason and never the password.
 */
export async function withCheckedConnection(
  settings: ConnectionSettings,
  config: Readonly<Record<string, string>>,
  check: (client: SqlClient) => Promise<ConfigProblem[]>,
): Promise<ConfigProblem[]> {
  let opened;
  try {
    opened = await openSqlClient(settings);
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause ?? error;
    const reason = reasonOf(cause, settings.password);
    if (isLoginRefused(cause)) {
      const key =
        config['connection.password'] !== undefined ? 'connection.password' : 'connection.user';
      return [{ key, message: `${addressOf(settings)} refused the login: ${reason}` }];
    }
    return [
      { key: 'connection.url', message: `cannot connect to ${addressOf(settings)}: ${reason}` },
    ];
  }
  try {
    return await check(opened.client);
  } finally {
    await opened.close();
  }
}

function isLoginRefused(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  // PostgreSQL: invalid_password, invalid_authorization_specification; MySQL: access denied.
  return code === '28P01' || code === '28000' || code === 'ER_ACCESS_DENIED_ERROR';
}
