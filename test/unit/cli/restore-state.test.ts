import { describe, expect, test } from 'vitest';
import { parseArgs } from '../../../lib/cli/args.js';
import { UsageError } from '../../../lib/cli/errors.js';
import { run } from '../../../lib/cli/main.js';
import { progressLine, summaryText } from '../../../lib/cli/restore-state.js';
import { restoreStateSettings } from '../../../lib/cli/restore-state-settings.js';
import { helpText } from '../../../lib/cli/usage.js';
import type { RestoreResult } from '../../../lib/restore/restore.js';

const NOW = 1_800_000_000_000;

/** restore-state's settings from a command line and an environment. */
function settings(argv: string[], env: Record<string, string> = {}) {
  const invocation = parseArgs(['restore-state', ...argv]);
  if (invocation.kind !== 'command') throw new Error('not a command');
  return restoreStateSettings(invocation.options, env, NOW);
}

function usageError(argv: string[], env: Record<string, string> = {}): UsageError {
  try {
    settings(argv, env);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`${JSON.stringify(argv)} did not fail`);
}

/** run() with captured output. */
async function cli(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env,
    fetch: () => Promise.reject(new Error('restore-state must not call the Connect API')),
  });
  return { code, stdout, stderr };
}

describe('restore-state on the command line', () => {
  test('reads its flags and switches', () => {
    expect(
      parseArgs([
        'restore-state',
        '--table',
        'state',
        '--force',
        '--skip-invalid',
        '--idle-ms=800',
      ]),
    ).toEqual({
      kind: 'command',
      command: 'restore-state',
      args: [],
      options: { table: 'state', force: true, 'skip-invalid': true, 'idle-ms': '800' },
    });
  });

  test('needs only the table: everything else has a default', () => {
    expect(settings(['--table', 'state'])).toEqual({
      table: 'state',
      rocketmq: { endpoints: '127.0.0.1:8081' },
      dynamodbEndpoint: undefined,
      region: 'us-east-1',
      topics: {
        config: 'connector-config-topic',
        offset: 'connector-offset-topic',
        status: 'connector-status-topic',
      },
      group: `connect-state-restore-${NOW}`,
      idleMs: 5000,
      skipInvalid: false,
      force: false,
    });
  });

  test('falls back on the environment the functions use, and flags win over it', () => {
    const env = {
      STATE_TABLE_NAME: 'from-env',
      ROCKETMQ_ENDPOINT: 'mq.internal:8081',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      AWS_REGION: 'eu-west-1',
      STATE_STATUS_TOPIC: 'statuses',
    };
    expect(settings([], env)).toMatchObject({
      table: 'from-env',
      rocketmq: { endpoints: 'mq.internal:8081' },
      dynamodbEndpoint: 'http://127.0.0.1:8000',
      region: 'eu-west-1',
      topics: { status: 'statuses' },
    });
    expect(
      settings(
        [
          '--table=flag',
          '--rocketmq=h:1',
          '--region=ap-south-1',
          '--status-topic=s',
          '--config-topic=c',
          '--offset-topic=o',
          '--group=g',
        ],
        env,
      ),
    ).toMatchObject({
      table: 'flag',
      rocketmq: { endpoints: 'h:1' },
      region: 'ap-south-1',
      topics: { config: 'c', offset: 'o', status: 's' },
      group: 'g',
    });
  });

  test('takes RocketMQ credentials from the environment, as a pair only', () => {
    expect(
      settings(['--table=state'], { ROCKETMQ_ACCESS_KEY: 'ak', ROCKETMQ_SECRET_KEY: 'sk' })
        .rocketmq,
    ).toEqual({
      endpoints: '127.0.0.1:8081',
      credentials: { accessKey: 'ak', accessSecret: 'sk' },
    });
    expect(usageError(['--table=state'], { ROCKETMQ_ACCESS_KEY: 'ak' }).message).toMatch(
      /go together/,
    );
  });

  test.each([
    [
      ['--table=state', '--idle-ms', 'soon'],
      '--idle-ms "soon": must be a whole number of milliseconds',
    ],
    [
      ['--table=state', '--idle-ms', '-5'],
      '--idle-ms "-5": must be a whole number of milliseconds',
    ],
    [['--table=state', '--rocketmq', 'localhost'], '--rocketmq "localhost": must be host:port'],
    [['--table=state', '--rocketmq', 'h:99999'], '--rocketmq "h:99999": has a port over 65535'],
    [
      ['--table=state', '--dynamodb-endpoint', 'localhost:8000'],
      '--dynamodb-endpoint "localhost:8000": must be an http:// or https:// URL',
    ],
    [
      ['--table=state', '--config-topic', 'a topic'],
      '--config-topic "a topic": must be a topic name',
    ],
    [['--table', 'x'], '--table "x": must be a DynamoDB table name'],
    [[], 'restore-state needs the state table: --table NAME or STATE_TABLE_NAME'],
  ])('refuses %j with a usage error naming the flag', (argv, message) => {
    const error = usageError(argv);
    expect(error.message.startsWith(message)).toBe(true);
    expect(error.exitCode).toBe(2);
  });

  test('names the environment variable when the bad value came from there', () => {
    expect(
      usageError([], { STATE_TABLE_NAME: 'state', ROCKETMQ_ENDPOINT: 'nope' }).message,
    ).toMatch(/^ROCKETMQ_ENDPOINT "nope": must be host:port/);
  });

  test('refuses the API options, which it has no use for', async () => {
    const { code, stderr } = await cli(['restore-state', '--table=state', '--url', 'http://h:1']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error: --url is not an option of restore-state\n/);
  });

  test('suggests restore-state and its options for near misses', async () => {
    expect((await cli(['restore'])).stderr).toMatch(/did you mean restore-state\?/);
    expect((await cli(['restore-sate'])).stderr).toMatch(/did you mean restore-state\?/);
    expect((await cli(['restore-state', '--forse'])).stderr).toMatch(/did you mean --force\?/);
    expect((await cli(['restrat', 'x'])).stderr).toMatch(/did you mean restart\?/);
  });

  test('exits 2 on a bad flag value without reaching anything', async () => {
    const { code, stdout, stderr } = await cli(['restore-state', '--table=state', '--idle-ms=x']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^error: --idle-ms "x"/);
  });

  test('has help of its own, without the API options', () => {
    const text = helpText('restore-state');
    expect(text).toContain('Usage: rmq-connect restore-state [--table NAME]');
    expect(text).toContain('--skip-invalid');
    expect(text).not.toContain('--url');
    expect(helpText()).toContain('Options of every command but restore-state:');
  });
});

describe("restore-state's output", () => {
  const result: RestoreResult = {
    table: 'state',
    tableWasEmpty: true,
    counts: { changes: 1200, keys: 340, tombstones: 4, superseded: 860 },
    written: 336,
    skipped: 0,
    unacked: 0,
    lateTopics: [],
    emptyTopics: [],
    pausedConnectors: [],
    maskedSecrets: [
      { key: { pk: 'connectors', sk: 'orders' }, connector: 'orders', path: 'config.db.password' },
      {
        key: { pk: 'connector#orders', sk: 'tasks' },
        connector: 'orders',
        path: 'tasks[0].db.password',
      },
    ],
  };

  test('progress lines name what is read and count changes, keys and items', () => {
    const reading = { topics: ['a', 'b', 'c'], group: 'g' };
    expect(progressLine({ kind: 'reading', tableWasEmpty: true }, reading)).toBe(
      'reading a, b, c as consumer group g',
    );
    expect(progressLine({ kind: 'read', changes: 1200, keys: 340, done: false }, reading)).toBe(
      'read 1,200 changes (340 keys)...',
    );
    expect(progressLine({ kind: 'wrote', written: 300, total: 340 }, reading)).toBe(
      'wrote 300/340 items',
    );
  });

  test('the summary says what was written and names each connector whose secrets must be set again', () => {
    expect(summaryText(result)).toBe(
      [
        'restored 336 items into table state',
        '  from 1,200 changes of 340 keys: 860 duplicate or older changes ignored, 4 deleted keys not written',
        'warning: connector orders: 2 secrets masked in the state topics, restored as [hidden]: config.db.password, tasks[0].db.password',
        '  set them again with PATCH /connectors/orders/config',
        '',
      ].join('\n'),
    );
  });

  test('the summary warns of a topic that no queue was read from the start of', () => {
    const text = summaryText({
      ...result,
      lateTopics: [{ topic: 'connector-status-topic', lowestOffset: 1041 }],
    });
    expect(text).toContain(
      'warning: topic connector-status-topic was not read from the start of any queue (lowest offset read: 1041)',
    );
  });

  test('the summary warns of a topic that yielded no message while another did', () => {
    const text = summaryText({ ...result, emptyTopics: ['connector-offset-topic'] });
    expect(text).toContain(
      'warning: no change read from connector-offset-topic: fine if nothing was ever written to ' +
        'it; else the consumer group started at its end or its messages were deleted',
    );
  });

  test('the summary says a connector was restored PAUSED, to set its secrets and resume it', () => {
    const text = summaryText({ ...result, pausedConnectors: ['orders'] });
    expect(text).toContain(
      '  connector orders restored PAUSED: set its secrets again ' +
        '(PATCH /connectors/orders/config), then resume it (PUT /connectors/orders/resume)\n',
    );
    expect(text).not.toContain('set them again with PATCH');
  });

  test('the summary says which items --force kept in a table that had items', () => {
    const text = summaryText({ ...result, tableWasEmpty: false, maskedSecrets: [] });
    expect(text).toContain(
      'warning: the table had items (--force): an item already there was kept unless the state ' +
        'topics hold a live latest version of its key, which replaced it; items of keys whose ' +
        'latest change is a deletion were kept too (a tombstone deletes nothing)',
    );
  });
});
