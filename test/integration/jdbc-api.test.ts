import { describe, expect } from 'vitest';
import { startTestApi, type TestApi } from './api-server.js';
import { test, uniqueName } from './fixtures.js';
import { adminClient, TEST_DATABASES, uniqueTable } from './jdbc/databases.js';

/**
 * Bad JDBC configs through the real API: each a 400 naming the key and the reason (checked
 * against the database, in the task function's place), never the password, nothing stored.
 */
const it = test.extend('api', { scope: 'file' }, async ({ stack, table }, { onCleanup }) => {
  const api = await startTestApi(stack, table);
  onCleanup(() => api.close());
  return api;
});

const mariadb = TEST_DATABASES.find((d) => d.dialect === 'mysql')!;
const postgres = TEST_DATABASES.find((d) => d.dialect === 'postgresql')!;

async function refused(
  api: TestApi,
  config: Record<string, string>,
): Promise<{ message: string; errors: Record<string, string[]> }> {
  const name = uniqueName('jdbc-bad');
  const created = await api.call('POST', '/connectors', { body: { name, config } });
  const body = (await created.json()) as { error_code: number; message: string };
  expect({ status: created.status, code: body.error_code }).toEqual({ status: 400, code: 400 });
  // Nothing stored.
  expect((await api.call('GET', `/connectors/${name}`)).status).toBe(404);
  // The validate endpoint says the same, on each key.
  const validated = await api.call('PUT', '/connector-plugins/JdbcSource/config/validate', {
    body: { ...config, name },
  });
  const result = (await validated.json()) as {
    configs: { value: { name: string; errors: string[] } }[];
  };
  const errors = Object.fromEntries(
    result.configs
      .filter((c) => c.value.errors.length > 0)
      .map((c) => [c.value.name, c.value.errors]),
  );
  return { message: body.message, errors };
}

function without(config: Record<string, string>, key: string): Record<string, string> {
  return Object.fromEntries(Object.entries(config).filter(([k]) => k !== key));
}

describe('JDBC configs the API refuses', () => {
  const base = (db: typeof mariadb, table: string) => ({
    'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
    'connection.url': db.url,
    'connection.user': db.user,
    mode: 'incrementing',
    'incrementing.column.name': 'id',
    'table.whitelist': table,
    'topic.prefix': 'jdbc-api-',
  });

  it('a wrong password: on connection.password, the password never shown', async ({ api }) => {
    const { message, errors } = await refused(api, {
      ...base(mariadb, 'anything'),
      'connection.password': 'Wr0ng-Passw0rd',
    });
    expect(errors['connection.password']?.[0]).toMatch(
      /refused the login: Access denied for user 'root'/,
    );
    expect(message).toContain('connection.password');
    expect(JSON.stringify({ message, errors })).not.toContain('Wr0ng-Passw0rd');
  });

  it('an unknown host: on connection.url, with the host, port and reason', async ({ api }) => {
    const { errors } = await refused(api, {
      ...base(postgres, 'anything'),
      'connection.url': 'jdbc:postgresql://no-such-host.invalid:5432/test?password=InUrl-Secret',
    });
    expect(errors['connection.url']?.[0]).toMatch(
      /^cannot connect to no-such-host\.invalid:5432: getaddrinfo (ENOTFOUND|EAI_AGAIN)/,
    );
    expect(JSON.stringify(errors)).not.toContain('InUrl-Secret');
  });

  it('a missing table and a missing column: each on its key', async ({ api }) => {
    for (const db of TEST_DATABASES) {
      const { client, close } = await adminClient(db);
      const name = uniqueTable('api_cols');
      try {
        await client.query(`CREATE TABLE ${name} (pk INT PRIMARY KEY)`);
        const missingTable = await refused(api, base(db, 'no_such_table_here'));
        expect(missingTable.errors['table.whitelist']?.[0]).toMatch(
          /table .*no_such_table_here does not exist/,
        );
        const missingColumn = await refused(api, base(db, name));
        expect(missingColumn.errors['incrementing.column.name']?.[0]).toMatch(
          new RegExp(`table .*${name} has no column "id"`),
        );
      } finally {
        await client.query(`DROP TABLE IF EXISTS ${name}`);
        await close();
      }
    }
  });

  it('a mode without its column, and no mode at all: on the key, without asking the database', async ({
    api,
  }) => {
    const checksBefore = api.checks.length;
    const noColumn = await refused(api, without(base(mariadb, 'x'), 'incrementing.column.name'));
    expect(noColumn.errors['incrementing.column.name']?.[0]).toMatch(
      /Missing required configuration/,
    );
    const noMode = await refused(api, without(base(mariadb, 'x'), 'mode'));
    expect(noMode.errors['mode']?.[0]).toMatch(/Missing required configuration/);
    expect(api.checks.length).toBe(checksBefore);
  });
});
