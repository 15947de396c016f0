/**
 * The state mirror end to end: a FileStreamSource -> RocketMQ -> FileStreamSink pipeline runs
 * with the local poller feeding the real mirror function; the pipeline is stopped, the table is
 * rebuilt from the state topics by `rmq-connect restore-state`, and the rebuilt table equals the
 * original item by item. The pipeline then resumes on the rebuilt table: the source carries on
 * from its restored offset (no line is read twice, none is missing). A second restore, from a
 * topic now holding changes of two tables, equals the second table: versions order across tables.
 */
import { appendFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, onTestFinished, vi } from 'vitest';
import { startLocalMirror, type LocalMirror } from '../../infra/local/state-mirror.js';
import { run } from '../../lib/cli/main.js';
import { HIDDEN } from '../../lib/config/mask.js';
import type { StateTopics } from '../../lib/mirror/state-change.js';
import type { Item } from '../../lib/state/attributes.js';
import { createStateTable } from '../../lib/state/table.js';
import { test, uniqueName } from './fixtures.js';
import { loadMirrorHandler } from '../../infra/local/mirror-handler.js';
import { LocalPlatform, readLines } from './platform.js';
import { readStateTopics } from './state-topics.js';

const lines = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `line ${String(from + i).padStart(6, '0')}`);
const text = (ls: string[]) => ls.map((l) => `${l}\n`).join('');
const SECRET = 'hunter2-do-not-mirror';

/** Every item but the coordinator's own lease (internal, not mirrored), in key order. */
async function itemsOf(dynamo: DynamoDBClient, table: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, NonNullable<Item[string]>> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  const id = (item: Item) => `${item.pk?.S}\u0000${item.sk?.S}`;
  return items.filter((i) => i.pk?.S !== 'coordinator').sort((a, b) => (id(a) < id(b) ? -1 : 1));
}

/** The items as the state topics hold them: the literal secret masked wherever it is. */
function masked(items: Item[]): Item[] {
  return JSON.parse(JSON.stringify(items).replaceAll(SECRET, HIDDEN)) as Item[];
}

describe('the state mirror and restore, end to end', () => {
  test('rebuilds a table equal to the original, on which the stopped pipeline resumes without loss', async ({
    stack,
    dynamo,
    topics,
    rocketmq,
  }) => {
    const stateTopics: StateTopics = {
      config: await topics.topic('FIFO', 'state-config'),
      offset: await topics.topic('FIFO', 'state-offset'),
      status: await topics.topic('FIFO', 'state-status'),
    };
    const dataTopic = await topics.topic('NORMAL', 'lines');
    const dir = await mkdtemp(join(tmpdir(), 'state-mirror-'));
    const input = join(dir, 'in.txt');
    const output = join(dir, 'out.txt');
    await writeFile(input, text(lines(0, 2_000)));

    const handler = await loadMirrorHandler({
      rocketmq: stack.rocketmq.endpoint,
      topics: stateTopics,
    });
    const mirrorOf = (t: string): Promise<LocalMirror> =>
      startLocalMirror({
        dynamo,
        dynamodbEndpoint: stack.dynamodb.endpoint,
        table: t,
        handler,
        checkpointFile: join(dir, 'checkpoints.json'),
      });
    // The original table is deleted halfway (the disaster restore is for), so it is not the
    // file's `table` fixture.
    const table = uniqueName('original');
    await createStateTable(dynamo, table);
    const restored = uniqueName('restored');
    const again = uniqueName('restored-again');
    onTestFinished(async () => {
      for (const t of [table, restored, again]) {
        await dynamo.send(new DeleteTableCommand({ TableName: t })).catch(() => undefined);
      }
    });
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    onTestFinished(() => void vi.unstubAllEnvs());
    const restoreInto = async (target: string) => {
      await createStateTable(dynamo, target);
      let stdout = '';
      const code = await run(
        [
          'restore-state',
          ...['--table', target, '--rocketmq', stack.rocketmq.endpoint],
          ...['--dynamodb-endpoint', stack.dynamodb.endpoint],
          ...['--config-topic', stateTopics.config, '--offset-topic', stateTopics.offset],
          ...['--status-topic', stateTopics.status],
        ],
        { stdout: (t) => (stdout += t), stderr: () => undefined, env: {} },
      );
      expect(code).toBe(0);
      return stdout;
    };

    // 1. The pipeline runs with the mirror on; then it is stopped.
    let mirror = await mirrorOf(table);
    let platform = new LocalPlatform(dynamo, table, rocketmq);
    const common = { 'slice.max.ms': '3000', 'slice.max.records': '500' };
    await platform.store.createConnector(
      'lines-in',
      { 'connector.class': 'FileStreamSource', file: input, topic: dataTopic, ...common },
      'RUNNING',
      Date.now(),
    );
    await platform.store.createConnector(
      'lines-out',
      {
        'connector.class': 'FileStreamSink',
        file: output,
        topics: dataTopic,
        // A literal secret (the sink ignores it): it must never reach a state topic.
        'api.token': SECRET,
        ...common,
      },
      'RUNNING',
      Date.now(),
    );
    await platform.runUntil(async () => (await readLines(output)).length >= 2_000, {
      timeoutMs: 120_000,
    });
    for (const name of ['lines-in', 'lines-out']) {
      await platform.store.setTargetState(name, 'STOPPED', Date.now());
    }
    await platform.tick();
    await platform.close();
    await mirror.poller.caughtUp();
    await mirror.stop();

    // 2. Rebuilt from the topics, the table equals the original, item by item.
    const original = await itemsOf(dynamo, table);
    expect(original.some((i) => i.pk?.S?.startsWith('offsets#'))).toBe(true);
    // Stopped connectors have no tasks (as in Kafka Connect); their status items remain.
    expect(original.some((i) => i.sk?.S === 'status')).toBe(true);
    const summary = await restoreInto(restored);
    expect(summary).toContain('restored as [hidden]: config.api.token');
    expect(await itemsOf(dynamo, restored)).toEqual(masked(original));

    // 3. The original is gone; on the rebuilt table the pipeline resumes and more lines come.
    await dynamo.send(new DeleteTableCommand({ TableName: table }));
    await appendFile(input, text(lines(2_000, 3_000)));
    mirror = await mirrorOf(restored);
    platform = new LocalPlatform(dynamo, restored, rocketmq);
    // The masked secret is set again, as the restore's summary says to.
    const sink = await platform.store.getConnector('lines-out');
    await platform.store.putConnectorConfig(
      'lines-out',
      { ...sink!.config, 'api.token': SECRET },
      Date.now(),
    );
    for (const name of ['lines-in', 'lines-out']) {
      await platform.store.setTargetState(name, 'RUNNING', Date.now());
    }
    await platform.runUntil(async () => (await readLines(output)).length >= 3_000, {
      timeoutMs: 120_000,
    });
    await platform.close();
    // Every line exactly once: the source went on from its restored offset, not from the start.
    expect((await readLines(output)).sort()).toEqual(lines(0, 3_000));

    // 4. The topics now hold changes of two tables; the newer table's win.
    await mirror.poller.caughtUp();
    await mirror.stop();
    const summary2 = await restoreInto(again);
    const running = await itemsOf(dynamo, restored);
    expect(running.some((i) => i.sk?.S === 'task#0000')).toBe(true);
    expect(running.some((i) => i.sk?.S === 'tasks')).toBe(true);
    // The running sink's secret was masked: it comes back PAUSED, not running with "[hidden]".
    expect(summary2).toContain('connector lines-out restored PAUSED');
    const pausedSink = (item: Item): Item =>
      item.pk?.S === 'connectors' && item.sk?.S === 'lines-out'
        ? { ...item, targetState: { S: 'PAUSED' } }
        : item;
    expect(await itemsOf(dynamo, again)).toEqual(masked(running).map(pausedSink));

    // No message of any version of any item ever held the literal secret.
    const published = await readStateTopics(stack.rocketmq.endpoint, stateTopics);
    expect(published.length).toBeGreaterThan(0);
    expect(JSON.stringify(published)).not.toContain(SECRET);
  }, 300_000);
});
