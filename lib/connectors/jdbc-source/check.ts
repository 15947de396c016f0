import {
  parsePluginConfig,
  type ConfigProblem,
  type ConnectorConfig,
} from '../../api/plugin-kit.js';
import { columnNamesOf, currentSchemaOf, tableExists, tableNamed } from '../jdbc/catalog.js';
import { withCheckedConnection } from '../jdbc/check.js';
import { connectionSettingsOf } from '../jdbc/connection-keys.js';
import { tableText } from '../jdbc/dialect.js';
import { jdbcSourceKeys } from './config.js';

/**
 * The JDBC source's config against its database, as Confluent's validate does: the connection
 * and login, each named table, and the mode's columns in each (or in the query's result).
 */
export async function checkJdbcSource(
  config: ConnectorConfig,
  signal: AbortSignal,
): Promise<ConfigProblem[]> {
  const parsed = parsePluginConfig('JdbcSource', jdbcSourceKeys.configSchema, config);
  const settings = connectionSettingsOf(parsed);
  return withCheckedConnection(settings, config, async (client) => {
    const problems: ConfigProblem[] = [];
    const columnsNeeded = [
      ...(parsed['incrementing.column.name'] && parsed.mode?.includes('incrementing')
        ? [{ key: 'incrementing.column.name', column: parsed['incrementing.column.name'] }]
        : []),
      ...(parsed.mode?.startsWith('timestamp')
        ? parsed['timestamp.column.name'].map((column) => ({
            key: 'timestamp.column.name',
            column,
          }))
        : []),
    ];
    if (parsed.query !== undefined) {
      let columns: string[];
      try {
        const result = await client.query(`SELECT * FROM (${parsed.query}) AS checked LIMIT 0`);
        columns = result.fields.map((f) => f.field.name);
      } catch (error) {
        return [{ key: 'query', message: `the database refused it: ${(error as Error).message}` }];
      }
      for (const need of columnsNeeded) {
        if (!columns.includes(need.column)) {
          problems.push({
            key: need.key,
            message: `the query's result has no column "${need.column}"`,
          });
        }
      }
      return problems;
    }
    const schema = parsed['schema.pattern'] ?? (await currentSchemaOf(client));
    for (const key of ['table.whitelist', 'table.include.list'] as const) {
      for (const name of parsed[key]) {
        if (signal.aborted) return problems;
        let table;
        try {
          table = tableNamed(name, schema, key);
        } catch (error) {
          problems.push({ key, message: (error as Error).message });
          continue;
        }
        if (!(await tableExists(client, table))) {
          problems.push({ key, message: `table ${tableText(table)} does not exist` });
          continue;
        }
        const columns = await columnNamesOf(client, table);
        for (const need of columnsNeeded) {
          if (!columns.includes(need.column)) {
            problems.push({
              key: need.key,
              message: `table ${tableText(table)} has no column "${need.column}"`,
            });
          }
        }
      }
    }
    return problems;
  });
}
