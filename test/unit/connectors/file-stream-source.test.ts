import { appendFile, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, NonRetriableError } from '../../../lib/api/errors.js';
import type { SourceRecord } from '../../../lib/api/record.js';
import { Schemas } from '../../../lib/api/schema.js';
import { fileStreamSource } from '../../../lib/connectors/index.js';
import { LineReader } from '../../../lib/connectors/file-stream-source/line-reader.js';
import { FileStreamSourceTask } from '../../../lib/connectors/file-stream-source/task.js';
import type { OffsetEntry } from '../../../lib/api/source-offsets.js';
import { sourceContext } from './context.js';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'file-source-'));
  file = join(dir, 'in.txt');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function config(extra: Record<string, string> = {}) {
  return { name: 'c1', topic: 'lines', file, ...extra };
}

/** One slice: a fresh task resuming from `committed`, polled until the file is exhausted. */
async function slice(committed: OffsetEntry[], batchSize = '2000'): Promise<SourceRecord[]> {
  const task = await fileStreamSource.createTask();
  await task.start(config({ 'batch.size': batchSize }), sourceContext(committed));
  const records: SourceRecord[] = [];
  for (let batch = await task.poll(); batch.length > 0; batch = await task.poll()) {
    records.push(...batch);
  }
  await task.stop();
  return records;
}

function lastOffset(records: readonly SourceRecord[]): OffsetEntry[] {
  const last = records.at(-1);
  return last ? [{ partition: last.partition, offset: last.offset }] : [];
}

describe('FileStreamSourceTask', () => {
  it('emits one record per line with Kafka partition and byte position offsets', async () => {
    await writeFile(file, 'a\nbé\n\nc\n');
    const records = await slice([]);
    expect(records.map((r) => r.value)).toEqual(['a', 'bé', '', 'c']);
    expect(records.map((r) => r.offset)).toEqual([
      { position: 2 },
      { position: 6 },
      { position: 7 },
      { position: 9 },
    ]);
    expect(records[0]).toMatchObject({
      partition: { filename: file },
      key: null,
      valueSchema: Schemas.STRING,
      headers: [],
    });
  });

  it('returns at most batch.size records per poll', async () => {
    await writeFile(file, 'l1\nl2\nl3\nl4\nl5\n');
    const task = await fileStreamSource.createTask();
    await task.start(config({ 'batch.size': '2' }), sourceContext());
    expect((await task.poll()).map((r) => r.value)).toEqual(['l1', 'l2']);
    expect((await task.poll()).map((r) => r.value)).toEqual(['l3', 'l4']);
    expect((await task.poll()).map((r) => r.value)).toEqual(['l5']);
    expect(await task.poll()).toEqual([]);
    await task.stop();
  });

  it('resumes exactly from the committed position across slices', async () => {
    const lines = Array.from({ length: 25 }, (_, i) => `line ${i} ✓`);
    await writeFile(file, lines.map((l) => `${l}\n`).join(''));
    const seen: unknown[] = [];
    let committed: OffsetEntry[] = [];
    // Each slice reads one batch and ends, as when its time budget runs out.
    for (let i = 0; i < 5; i++) {
      const task = await fileStreamSource.createTask();
      await task.start(config({ 'batch.size': '6' }), sourceContext(committed));
      const batch = await task.poll();
      await task.stop();
      seen.push(...batch.map((r) => r.value));
      committed = lastOffset(batch);
    }
    expect(seen).toEqual(lines);
    expect(await slice(committed)).toEqual([]);
  });

  it('holds back a partial last line until its newline is written', async () => {
    await writeFile(file, 'done\nhalf');
    const task = new FileStreamSourceTask();
    await task.start(config(), sourceContext());
    expect((await task.poll()).map((r) => r.value)).toEqual(['done']);
    expect(await task.poll()).toEqual([]);
    await appendFile(file, ' and more\nnext');
    const batch = await task.poll();
    expect(batch.map((r) => r.value)).toEqual(['half and more']);
    expect(batch[0]?.offset).toEqual({ position: 19 });
    await task.stop();
    // A later slice resumes at the held-back line, not after it.
    await appendFile(file, '\n');
    expect((await slice(lastOffset(batch))).map((r) => r.value)).toEqual(['next']);
  });

  it('strips \\r\\n line ends and counts both bytes in the position', async () => {
    await writeFile(file, 'one\r\ntwo\r\n');
    const records = await slice([]);
    expect(records.map((r) => [r.value, r.offset])).toEqual([
      ['one', { position: 5 }],
      ['two', { position: 10 }],
    ]);
  });

  it('waits quietly for a missing file and reads it once it appears', async () => {
    const task = new FileStreamSourceTask();
    await task.start(config(), sourceContext());
    expect(await task.poll()).toEqual([]);
    await writeFile(file, 'hello\n');
    expect((await task.poll()).map((r) => r.value)).toEqual(['hello']);
    await task.stop();
  });

  it('refuses a committed position that is not a byte count', async () => {
    const task = new FileStreamSourceTask();
    const committed = [{ partition: { filename: file }, offset: { position: '12' } }];
    await expect(task.start(config(), sourceContext(committed))).rejects.toBeInstanceOf(
      NonRetriableError,
    );
  });

  it('names the bad key when its resolved config is invalid', async () => {
    const task = new FileStreamSourceTask();
    await expect(
      task.start(config({ 'batch.size': 'many' }), sourceContext()),
    ).rejects.toMatchObject({ name: 'ConfigError', key: 'batch.size' });
    await expect(task.start({ name: 'c1' }, sourceContext())).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('LineReader', () => {
  it('never splits a multi-byte UTF-8 character, whatever the read size', async () => {
    const lines = ['€uro', '𝄞 clef', 'ü', '', '日本語のテキスト'];
    await writeFile(file, lines.map((l) => `${l}\r\n`).join(''));
    const handle = await open(file, 'r');
    try {
      for (let chunk = 1; chunk <= 9; chunk++) {
        const reader = new LineReader(handle, 0, chunk);
        const got = await reader.read(100);
        expect(
          got.map((l) => l.text),
          `chunk ${chunk}`,
        ).toEqual(lines);
        expect(got.at(-1)?.end).toBe(Buffer.byteLength(lines.map((l) => `${l}\r\n`).join('')));
      }
    } finally {
      await handle.close();
    }
  });

  it('starts from a byte position in the middle of the file', async () => {
    await writeFile(file, 'ä1\nä2\n');
    const handle = await open(file, 'r');
    try {
      const got = await new LineReader(handle, 4, 2).read(10);
      expect(got).toEqual([{ text: 'ä2', end: 8 }]);
    } finally {
      await handle.close();
    }
  });
});
