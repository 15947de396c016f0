import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, onTestFinished, vi } from 'vitest';
import { run } from '../../lib/cli/main.js';
import { HIDDEN } from '../../lib/config/mask.js';
import { itemToJson } from '../../lib/mirror/item-json.js';
import type { MirroredKind, StateChangePayload } from '../../lib/mirror/payload.js';
import { withTimeout } from '../../lib/rocketmq/client-cache.js';
import { startProducer } from '../../lib/rocketmq/clients.js';
import { messageGroupOf } from '../../lib/rocketmq/message-group.js';
import { keyOf, type Item } from '../../lib/state/attributes.js';
import { connectorItem, connectorStatusItem, taskConfigsItem } from '../../lib/state/items.js';
import { test, uniqueName } from './fixtures.js';

const NOW = 1_800_000_000_000;
const LABEL = '2026-01-01T00:00:00.000';

/** What the mirror would publish for `item` (null: its deletion) at sequence number `seq`. */
function change(kind: MirroredKind, item: Item, seq: number, deleted = false): StateChangePayload {
  return {
    format: 1,
    kind,
    key: keyOf(item)!,
    value: deleted ? null : itemToJson(item),
    version: `${LABEL}:${String(seq).padStart(40, '0')}`,
    time: NOW,
  };
}

const connector = (name: string, config: Record<string, string>, version: number) =>
  connectorItem({
    name,
    config,
    targetState: 'RUNNING',
    version,
    createdAt: NOW,
    updatedAt: NOW + version,
  });

// Two versions of one connector, the second with a masked secret and a reference.
const ordersV1 = connector('orders', { 'connector.class': 'FileStreamSource', file: '/a' }, 1);
const ordersV2 = connector(
  'orders',
  {
    'connector.class': 'FileStreamSource',
    file: '/b',
    'db.password': HIDDEN,
    'api.token': '${env:API_TOKEN}',
  },
  2,
);
const ordersTasks = taskConfigsItem(
  { connector: 'orders', generation: 1, configVersion: 2, tasks: [{ file: '/b' }] },
  NOW,
);
const ordersStatus = connectorStatusItem({ connector: 'orders', state: 'RUNNING', updatedAt: NOW });
// A task item: nested maps and numbers must come back with their types.
const ordersTask: Item = {
  pk: { S: 'connector#orders' },
  sk: { S: 'task#0000' },
  connector: { S: 'orders' },
  taskId: { N: '0' },
  generation: { N: '1' },
  epoch: { N: '4' },
  leaseExpiresAt: { N: '0' },
  status: {
    M: { state: { S: 'RUNNING' }, restartCount: { N: '0' }, updatedAt: { N: String(NOW) } },
  },
  counters: { M: { pollRecords: { N: '12' } } },
};
const ordersOffset: Item = {
  pk: { S: 'offsets#orders' },
  sk: { S: '{"file":"/b"}' },
  connector: { S: 'orders' },
  partition: { S: '{"file":"/b"}' },
  offset: { S: '{"position":42}' },
  epoch: { N: '4' },
  seq: { N: '3' },
  updatedAt: { N: String(NOW) },
};
const gone = connector('gone', { 'connector.class': 'FileStreamSource' }, 1);

async function scanItems(
  dynamo: { send: (c: ScanCommand) => Promise<{ Items?: Item[] }> },
  table: string,
) {
  const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: table }));
  const id = (item: Item) => `${item.pk?.S}\u0000${item.sk?.S}`;
  return Items.sort((a, b) => (id(a) < id(b) ? -1 : 1));
}

/** The CLI finds AWS credentials as the SDK does; DynamoDB Local takes any. */
function stubAwsCredentials(): void {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
  onTestFinished(() => {
    vi.unstubAllEnvs();
  });
}

/** `rmq-connect restore-state ...args`, with its output. */
async function restoreCli(args: readonly string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(['restore-state', ...args], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: {},
  });
  return { code, stdout, stderr };
}

describe('restoring the state table from the state topics', () => {
  test('rebuilds the exact items from the latest changes, and refuses to restore again without --force', async ({
    stack,
    rocketmq,
    dynamo,
    table,
    topics,
  }) => {
    const [configTopic, offsetTopic, statusTopic] = await Promise.all([
      topics.topic('FIFO', 'restore-config'),
      topics.topic('FIFO', 'restore-offset'),
      topics.topic('FIFO', 'restore-status'),
    ]);
    const published: [string, StateChangePayload][] = [
      // The newest version of `orders` goes first: the older one must not win.
      [configTopic, change('connector', ordersV2, 20)],
      [configTopic, change('connector', ordersV1, 10)],
      [configTopic, change('taskConfigs', ordersTasks, 21)],
      [configTopic, change('connector', gone, 5)],
      [configTopic, change('connector', gone, 6, true)],
      [statusTopic, change('connectorStatus', ordersStatus, 22)],
      [statusTopic, change('task', ordersTask, 23)],
      [offsetTopic, change('offset', ordersOffset, 24)],
      // Delivered twice (at least once): a duplicate.
      [offsetTopic, change('offset', ordersOffset, 24)],
    ];
    const producer = await startProducer(rocketmq, [configTopic]);
    try {
      for (const [topic, payload] of published) {
        await producer.send({
          topic,
          tag: payload.kind,
          messageGroup: messageGroupOf(`${payload.key.pk}/${payload.key.sk}`),
          keys: [`${payload.key.pk}/${payload.key.sk}`],
          body: Buffer.from(JSON.stringify(payload)),
        });
      }
    } finally {
      await withTimeout(producer.shutdown(), 5_000);
    }

    stubAwsCredentials();
    const restore = (...extra: string[]) =>
      restoreCli([
        ...['--table', table, '--rocketmq', stack.rocketmq.endpoint],
        ...['--dynamodb-endpoint', stack.dynamodb.endpoint],
        ...['--config-topic', configTopic, '--offset-topic', offsetTopic],
        ...['--status-topic', statusTopic, '--idle-ms', '3000', ...extra],
      ]);

    const first = await restore();
    expect(first.stderr).not.toMatch(/error/);
    expect(first.code).toBe(0);
    // RUNNING with a masked secret: restored PAUSED, so that no task runs with `[hidden]`.
    const ordersRestored: Item = { ...ordersV2, targetState: { S: 'PAUSED' } };
    const expected = [ordersStatus, ordersTask, ordersTasks, ordersRestored, ordersOffset];
    expect(await scanItems(dynamo, table)).toEqual(expected);
    expect(first.stdout).toContain(`restored 5 items into table ${table}`);
    expect(first.stdout).toContain(
      '9 changes of 6 keys: 3 duplicate or older changes ignored, 1 deleted key not written',
    );
    expect(first.stdout).toContain(
      'warning: connector orders: 1 secret masked in the state topics, restored as [hidden]: config.db.password',
    );
    expect(first.stdout).toContain(
      '  connector orders restored PAUSED: set its secrets again ' +
        '(PATCH /connectors/orders/config), then resume it (PUT /connectors/orders/resume)\n',
    );
    expect(first.stderr).toContain('wrote 5/5 items');
    // A new group on new topics reads every queue from its start.
    expect(first.stdout).not.toContain('was not read from the start');
    expect(first.stdout).not.toContain('no change read from');

    const second = await restore();
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`^error: table ${table} is not empty.*--force`));
    expect(second.stderr).not.toContain('reading');
    expect(second.stdout).toBe('');
    expect(await scanItems(dynamo, table)).toEqual(expected);
  });

  test('fails, writing nothing, when the topics hold no change at all', async ({
    stack,
    dynamo,
    table,
    topics,
  }) => {
    const empty = await topics.topic('FIFO', 'restore-empty');
    const group = uniqueName('restore-empty');
    stubAwsCredentials();
    const before = await scanItems(dynamo, table);
    const { code, stdout, stderr } = await restoreCli([
      ...['--table', table, '--rocketmq', stack.rocketmq.endpoint],
      ...['--dynamodb-endpoint', stack.dynamodb.endpoint],
      ...['--config-topic', empty, '--offset-topic', empty, '--status-topic', empty],
      ...['--idle-ms', '2000', '--group', group, '--force'],
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      `error: no state change was found in ${empty} as consumer group ${group}, ` +
        'so nothing was written: an empty platform has nothing to restore',
    );
    expect(await scanItems(dynamo, table)).toEqual(before);
  });
});
