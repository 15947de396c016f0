import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect } from 'vitest';
import { run } from '../../lib/cli/main.js';
import { startTestApi, type TestApi } from './api-server.js';
import { test as base, uniqueName } from './fixtures.js';

const DATAGEN = 'rocketmq.connect.datagen.DatagenSourceConnector';
const repoRoot = join(import.meta.dirname, '../..');

/** The real API on the local stack, a topic for the connectors, and a folder for their files. */
const test = base
  .extend('api', { scope: 'file' }, async ({ stack, table }, { onCleanup }): Promise<TestApi> => {
    const api = await startTestApi(stack, table);
    onCleanup(() => api.close());
    return api;
  })
  .extend('topic', { scope: 'file' }, ({ topics }) => topics.topic('NORMAL', 'cli'))
  // Named after this file's state table, so a leftover folder says which run made it.
  .extend('dir', { scope: 'file' }, async ({ table }, { onCleanup }) => {
    const dir = await mkdtemp(join(tmpdir(), `rmq-connect-cli-${table}-`));
    onCleanup(() => rm(dir, { recursive: true, force: true }));
    return dir;
  });

/** Runs the CLI in-process against the test API, with the admin token unless `env` says else. */
async function cli(api: TestApi, argv: string[], env?: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: env ?? { CONNECT_API_URL: api.url, CONNECT_API_TOKEN: api.token },
  });
  return { code, stdout, stderr };
}

async function file(dir: string, name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const datagenProperties = (topic: string, extra = '') =>
  `# a datagen source\nconnector.class=${DATAGEN}\ntasks.max: 1\ntopic ${topic}\nrate=10\n${extra}`;

describe('rmq-connect against the real API', () => {
  test('creates a connector from a .properties file, named after the file', async ({
    api,
    topic,
    dir,
  }) => {
    const name = uniqueName('cli-create');
    const path = await file(dir, `${name}.properties`, datagenProperties(topic));
    const created = await cli(api, ['create', path]);
    expect(created).toEqual({
      code: 0,
      stdout: `created connector ${name} (source)\n`,
      stderr: '',
    });

    const config = await cli(api, ['config', name]);
    expect(JSON.parse(config.stdout)).toMatchObject({
      name,
      'connector.class': DATAGEN,
      'tasks.max': '1',
      topic,
      rate: '10',
    });

    const again = await cli(api, ['create', path]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error \(409\): .*already exists/);
  });

  test("applies Kafka's JSON form: created, then updated", async ({ api, topic, dir }) => {
    const name = uniqueName('cli-apply');
    const body = (rate: number) =>
      JSON.stringify({ name, config: { 'connector.class': DATAGEN, topic, rate } });
    const path = await file(dir, 'apply.json', body(5));
    expect((await cli(api, ['apply', path])).stdout).toBe(`created connector ${name} (source)\n`);
    await writeFile(path, body(7));
    expect((await cli(api, ['apply', path])).stdout).toBe(`updated connector ${name} (source)\n`);
    const config = JSON.parse((await cli(api, ['config', name])).stdout) as Record<string, string>;
    expect(config.rate).toBe('7');
  });

  test('creates a connector paused, under --name', async ({ api, topic, dir }) => {
    const name = uniqueName('cli-paused');
    const path = await file(dir, 'paused.properties', datagenProperties(topic, 'name=ignored\n'));
    const created = await cli(api, ['create', path, '--name', name, '--paused', '--json']);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name, type: 'source' });
  });

  test('lists names, and a status table with --status', async ({ api, topic, dir }) => {
    const name = uniqueName('cli-list');
    await cli(api, ['create', await file(dir, `${name}.properties`, datagenProperties(topic))]);

    const names = await cli(api, ['list']);
    expect(names.code).toBe(0);
    expect(names.stdout.split('\n')).toContain(name);

    const table = await cli(api, ['list', '--status']);
    expect(table.stdout).toMatch(/^NAME +TYPE +STATE +TASKS\n/);
    expect(table.stdout).toMatch(new RegExp(`\\n${name} +source +[A-Z]+ +`));

    const json = JSON.parse((await cli(api, ['list', '--status', '--json'])).stdout) as Record<
      string,
      { status: { name: string } }
    >;
    expect(json[name]?.status.name).toBe(name);
  });

  test('shows status and tasks, and operates the connector', async ({ api, topic, dir }) => {
    const name = uniqueName('cli-ops');
    await cli(api, ['create', await file(dir, `${name}.properties`, datagenProperties(topic))]);

    const status = await cli(api, ['status', name]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(
      new RegExp(
        `^${name} \\(source\\)\\n\\nID +STATE +WORKER +RESTARTS\\nconnector +[A-Z]+ +coordinator +-\\n`,
      ),
    );
    expect(JSON.parse((await cli(api, ['tasks', name])).stdout)).toBeInstanceOf(Array);

    expect((await cli(api, ['pause', name])).stdout).toBe(`pausing connector ${name}\n`);
    expect((await cli(api, ['resume', name])).stdout).toBe(`resuming connector ${name}\n`);
    expect((await cli(api, ['restart', name])).stdout).toBe(`restarting connector ${name}\n`);
    const withTasks = await cli(api, ['restart', name, '--include-tasks']);
    expect(withTasks).toMatchObject({ code: 0, stdout: `restarting ${name}: the connector\n` });

    const noTask = await cli(api, ['restart-task', name, '7']);
    expect(noTask.code).toBe(1);
    expect(noTask.stderr).toMatch(/^error \(404\): /);

    expect((await cli(api, ['stop', name])).stdout).toBe(`stopping connector ${name}\n`);
    expect((await cli(api, ['delete', name])).stdout).toBe(`deleted connector ${name}\n`);
    const gone = await cli(api, ['status', name]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(new RegExp(`^error \\(404\\): .*"${name}" does not exist`));
  });

  test('gets, sets and resets the offsets of a stopped source', async ({ api, topic, dir }) => {
    const name = uniqueName('cli-offsets');
    const path = await file(dir, `${name}.properties`, datagenProperties(topic));
    expect((await cli(api, ['create', path, '--stopped'])).code).toBe(0);
    const offsets = [{ partition: { task: 0 }, offset: { position: 42 } }];
    const offsetsFile = await file(dir, 'offsets.json', JSON.stringify({ offsets }));

    const set = await cli(api, ['offsets', 'set', name, offsetsFile]);
    expect(set).toMatchObject({ code: 0, stdout: expect.stringMatching(/altered successfully/) });
    const got = JSON.parse((await cli(api, ['offsets', 'get', name])).stdout) as unknown;
    expect(got).toEqual({ offsets });

    const reset = await cli(api, ['offsets', 'reset', name]);
    expect(reset).toMatchObject({ code: 0, stdout: expect.stringMatching(/reset successfully/) });
    expect(JSON.parse((await cli(api, ['offsets', 'get', name])).stdout)).toEqual({ offsets: [] });
  });

  test('validates a file: "valid", or each key with its errors and exit code 1', async ({
    api,
    topic,
    dir,
  }) => {
    const good = await file(dir, 'good.properties', datagenProperties(topic));
    expect(await cli(api, ['validate', good])).toEqual({ code: 0, stdout: 'valid\n', stderr: '' });

    const bad = await file(
      dir,
      'bad.json',
      JSON.stringify({ 'connector.class': DATAGEN, topic, rate: -1 }),
    );
    const result = await cli(api, ['validate', bad]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^rate: .+\n/m);
    expect(result.stdout).toMatch(/invalid: 1 error in .*bad\.json\n$/);
  });

  test('previews a file: each record through each transform, nothing created or sent', async ({
    api,
    topic,
    dir,
  }) => {
    const input = await file(dir, 'preview-input.txt', 'alpha\nbeta\n');
    const name = uniqueName('cli-preview');
    const path = await file(
      dir,
      `${name}.properties`,
      [
        'connector.class=FileStreamSource',
        `file=${input}`,
        `topic=${topic}`,
        'value.converter=org.apache.kafka.connect.storage.StringConverter',
        'transforms=route',
        'transforms.route.type=RegexRouter',
        'transforms.route.regex=(.*)',
        'transforms.route.replacement=$1-copy',
      ].join('\n'),
    );
    const result = await cli(api, ['preview', path, '--limit', '2', '--timeout-ms', '3000']);
    expect(result).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'record 1: send',
        `  poll     topic=${topic} key=null value="alpha"`,
        `  route    topic=${topic}-copy key=null value="alpha"`,
        `  message  topic=${topic}-copy body=alpha`,
        'record 2: send',
        `  poll     topic=${topic} key=null value="beta"`,
        `  route    topic=${topic}-copy key=null value="beta"`,
        `  message  topic=${topic}-copy body=beta`,
        '2 records polled; nothing was produced, acknowledged or committed',
        '',
      ].join('\n'),
    });
    expect((await api.call('GET', `/connectors/${name}`)).status).toBe(404);

    const json = await cli(api, ['preview', path, '--limit', '1', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ connector: name, type: 'source' });
    expect((await cli(api, ['preview', path, '--limit', 'ten'])).code).toBe(2);
  });

  test('prints the per-key errors of an invalid config it cannot create', async ({
    api,
    topic,
    dir,
  }) => {
    const path = await file(dir, 'invalid.properties', datagenProperties(topic, 'rate=-5\n'));
    const result = await cli(api, ['create', path]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error \(400\): invalid connector config \(1 error\)\n {2}rate: /,
    );
  });

  test('lists the plugins', async ({ api }) => {
    const plugins = await cli(api, ['plugins']);
    expect(plugins.stdout).toMatch(/^CLASS +TYPE +VERSION\n/);
    expect(plugins.stdout).toMatch(new RegExp(`\\n${DATAGEN.replaceAll('.', '\\.')} +source +`));
    const all = JSON.parse((await cli(api, ['plugins', '--all', '--json'])).stdout) as {
      type: string;
    }[];
    expect(all.map((p) => p.type)).toContain('converter');
  });

  test('says how to give a token, and what a read-only token may not do', async ({ api }) => {
    const none = await cli(api, ['list'], { CONNECT_API_URL: api.url });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^error \(401\): .*\nno token was sent: set CONNECT_API_TOKEN/);

    const reader = { CONNECT_API_URL: api.url, CONNECT_API_TOKEN: api.readToken };
    expect((await cli(api, ['list'], reader)).code).toBe(0);
    const refused = await cli(api, ['delete', 'anything'], reader);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error \(403\): this token may only read/);
  });

  test('says which URL it could not reach', async ({ api }) => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const url = `http://127.0.0.1:${port}`;
    const result = await cli(api, ['list', '--url', url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `error: could not reach the Connect API at ${url} (from --url): ECONNREFUSED\n` +
        'start it (npm start), or point rmq-connect at it with --url or CONNECT_API_URL\n',
    );
  });

  test('runs as the bin/rmq-connect.js command', async ({ api, topic, dir }) => {
    const name = uniqueName('cli-bin');
    await cli(api, ['create', await file(dir, `${name}.properties`, datagenProperties(topic))]);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['bin/rmq-connect.js', 'list', '--json'],
      {
        cwd: repoRoot,
        env: { ...process.env, CONNECT_API_URL: api.url, CONNECT_API_TOKEN: api.token },
      },
    );
    expect(JSON.parse(stdout)).toContain(name);

    const failed = await promisify(execFile)(process.execPath, ['bin/rmq-connect.js', 'lst'], {
      cwd: repoRoot,
    }).catch((error: unknown) => error as { code: number; stderr: string });
    expect(failed).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('did you mean list?'),
    });
  });
});
