import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished } from 'vitest';
import { test } from './fixtures.js';
import { LocalPlatform, readLines } from './platform.js';

const lines = (count: number) =>
  Array.from(
    { length: count },
    (_, i) => `line ${String(i).padStart(6, '0')} ${'x'.repeat(i % 50)}`,
  );

describe('FileStreamSource -> RocketMQ -> FileStreamSink', () => {
  test('moves every line of a file over many slices, checked by content', async ({
    dynamo,
    table,
    rocketmq,
    topics,
  }) => {
    const count = Number(process.env.FILE_PIPELINE_LINES ?? 100_000);
    const dir = await mkdtemp(join(tmpdir(), 'file-pipeline-'));
    const input = join(dir, 'in.txt');
    const output = join(dir, 'out.txt');
    const expected = lines(count);
    await writeFile(input, expected.map((l) => `${l}\n`).join(''));
    const topic = await topics.topic('NORMAL', 'lines');
    const platform = new LocalPlatform(dynamo, table, rocketmq);
    onTestFinished(() => platform.close());
    const now = Date.now();
    await platform.store.createConnector(
      'lines-in',
      {
        'connector.class': 'FileStreamSource',
        file: input,
        topic,
        'slice.max.ms': '3000',
        // Many hand-overs even when the copy is fast.
        'slice.max.records': '10000',
      },
      'RUNNING',
      now,
    );
    await platform.store.createConnector(
      'lines-out',
      {
        'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
        file: output,
        topics: topic,
        'slice.max.ms': '3000',
        'slice.max.records': '10000',
      },
      'RUNNING',
      now,
    );

    await platform.runUntil(async () => (await readLines(output)).length >= count, {
      timeoutMs: 240_000,
    });
    await platform.dispatcher.drain();

    const got = await readLines(output);
    expect(got.length).toBe(count);
    expect(got.sort()).toEqual(expected.sort());
    const slices = platform.outcomes.filter((o) => o.outcome.kind === 'ran');
    expect(slices.filter((o) => o.request.connector === 'lines-in').length).toBeGreaterThan(3);
    expect(slices.filter((o) => o.request.connector === 'lines-out').length).toBeGreaterThan(3);
    expect(
      slices.every((o) => o.outcome.kind === 'ran' && o.outcome.status.state === 'RUNNING'),
    ).toBe(true);
    // The source's committed offset is the end of the file.
    const [offset] = await platform.store.readOffsets('lines-in');
    expect(offset?.offset).toEqual({
      position: Buffer.byteLength(expected.map((l) => `${l}\n`).join('')),
    });
  }, 300_000);
});
