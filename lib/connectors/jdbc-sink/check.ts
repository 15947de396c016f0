/**
 * The sink's `checkSystem`: what validate can learn from the database, as Confluent's validate
 * does: that the URL's host answers and the login works, and that a fixed target table exists
 * when nothing would create it. Loaded only inside the task function (it holds the drivers).
 */
import type { ConfigProblem, ConnectorConfig } from '../../api/plugin-kit.js';
import { openSqlClient } from '../jdbc/connection.js';
import { connectionSettingsOf } from '../jdbc/connection-keys.js';
import { parseTableName, tableText } from '../jdbc/dialect.js';
import { jdbcSinkKeys, TOPIC_TABLE_FORMAT } from './config.js';
import { readTableInfo } from './table-info.js';

export async function checkJdbcSink(
  config: ConnectorConfig,
  signal: AbortSignal,
): Promise<ConfigProblem[]> {
  const parsed = jdbcSinkKeys.configSchema.safeParse(config);
  // Bad keys are the schema's to report; there is nothing to connect with.
  if (!parsed.success) return [];
  const c = parsed.data;
  let opened: Awaited<ReturnType<typeof openSqlClient>>;
  try {
    // The message is "cannot connect to host:port: reason", the password cut out.
    opened = await openSqlClient(connectionSettingsOf(c));
  } catch (error) {
    return [{ key: 'connection.url', message: (error as Error).message }];
  }
  try {
    const format = c['table.name.format'];
    const fixedTable =
      !format.includes(TOPIC_TABLE_FORMAT) && !c['auto.create'] && !c['table.name.from.header'];
    if (!fixedTable || signal.aborted) return [];
    const { client } = opened;
    const [row] = (await client.query(`SELECT ${client.dialect.currentSchema}`)).rows;
    const schema = typeof row?.[0] === 'string' ? row[0] : '';
    const foldCase = client.dialect.name === 'postgresql' && c['quote.sql.identifiers'] === 'never';
    const id = parseTableName(foldCase ? format.toLowerCase() : format, schema);
    if (await readTableInfo(client, client.dialect.name, id)) return [];
    return [
      {
        key: 'table.name.format',
        message: `table "${tableText(id)}" does not exist (or this user cannot see it), and auto.create is false`,
      },
    ];
  } finally {
    await opened.close();
  }
}
