import { z } from 'zod';
import { defaultedKey, optionalKey, requiredKey, textValue } from '../../api/plugin-kit.js';
import type { ConnectionSettings } from './connection.js';
import { parseJdbcUrl } from './url.js';

const CONNECTION = 'Connection';

/** A JDBC URL, checked as it is parsed; the message never quotes it (it may hold a password). */
function jdbcUrlValue() {
  return z.string().superRefine((url, ctx) => {
    try {
      parseJdbcUrl(url);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });
}

/** An IANA time zone name, as `db.timezone` takes it. */
function timeZoneValue() {
  return z.string().superRefine((zone, ctx) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: `"${zone}" is not a time zone name (e.g. UTC, Asia/Shanghai)`,
      });
    }
  });
}

/**
 * The connection keys Confluent's JDBC source and sink share (RocketMQ Connect's JDBC connectors
 * use the same names).
 */
export const jdbcConnectionKeys = {
  'connection.url': requiredKey(
    {
      type: 'STRING',
      importance: 'HIGH',
      group: CONNECTION,
      displayName: 'JDBC URL',
      documentation:
        'jdbc:postgresql://host:port/database, jdbc:mysql://host:port/database or jdbc:mariadb://…; user and password may be given as URL parameters too.',
    },
    jdbcUrlValue(),
  ),
  'connection.user': optionalKey(
    {
      type: 'STRING',
      importance: 'HIGH',
      group: CONNECTION,
      displayName: 'JDBC User',
      documentation: 'The database user.',
    },
    textValue(),
  ),
  'connection.password': optionalKey(
    {
      type: 'PASSWORD',
      importance: 'HIGH',
      group: CONNECTION,
      displayName: 'JDBC Password',
      documentation:
        'The database password; best given as a ${secretsmanager:…} or ${env:…} reference.',
    },
    z.string(),
  ),
  'db.timezone': defaultedKey(
    {
      type: 'STRING',
      importance: 'MEDIUM',
      group: CONNECTION,
      displayName: 'DB time zone',
      documentation:
        'The time zone of columns without one (TIMESTAMP WITHOUT TIME ZONE, DATETIME): their wall clock is read and written in it.',
    },
    'UTC',
    timeZoneValue(),
  ),
} as const;

/** The connection settings a parsed config names: the keys win over the URL's parameters. */
export function connectionSettingsOf(config: {
  readonly 'connection.url': string;
  readonly 'connection.user'?: string | undefined;
  readonly 'connection.password'?: string | undefined;
  readonly 'db.timezone': string;
}): ConnectionSettings {
  const target = parseJdbcUrl(config['connection.url']);
  return {
    dialect: target.dialect,
    host: target.host,
    port: target.port,
    database: target.database,
    user: config['connection.user'] ?? target.user,
    password: config['connection.password'] ?? target.password,
    timeZone: config['db.timezone'],
  };
}
