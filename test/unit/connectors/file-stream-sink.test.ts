import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SinkRecord } from '../../../lib/api/record.js';
import { fileStreamSink } from '../../../lib/connectors/index.js';
import { lineOf } from '../../../lib/connectors/file-stream-sink/task.js';
import { sinkContext } from './context.js';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'file-sink-'));
  file = join(dir, 'out.txt');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function records(...values: unknown[]): SinkRecord[] {
  return values.map((value) => ({
    topic: 'in',
    partition: undefined,
    offset: undefined,
    timestamp: 0,
    key: null,
    value,
    headers: [],
  }));
}

describe('FileStreamSinkTask', () => {
  it('writes nothing until flush, then every buffered line', async () => {
    const task = await fileStreamSink.createTask();
    await task.start({ file }, sinkContext());
    await task.put(records('a', 'b'));
    expect(await readFile(file, 'utf8')).toBe('');
    await task.flush();
    expect(await readFile(file, 'utf8')).toBe('a\nb\n');
    await task.stop();
  });

  it('fsyncs after writing, before flush resolves, and skips an empty flush', async () => {
    const probe = await open(file, 'a');
    const proto = Object.getPrototypeOf(probe) as { sync(): Promise<void> };
    await probe.close();
    const sync = vi.spyOn(proto, 'sync');
    try {
      const task = await fileStreamSink.createTask();
      await task.start({ file }, sinkContext());
      await task.flush();
      expect(sync).not.toHaveBeenCalled();
      await task.put(records('x'));
      await task.flush();
      expect(sync).toHaveBeenCalledTimes(1);
      await task.stop();
    } finally {
      sync.mockRestore();
    }
  });

  it('appends in order over several put and flush rounds and across tasks', async () => {
    const first = await fileStreamSink.createTask();
    await first.start({ file }, sinkContext());
    await first.put(records('1', '2'));
    await first.flush();
    await first.put(records('3'));
    await first.flush();
    await first.flush();
    await first.stop();
    const second = await fileStreamSink.createTask();
    await second.start({ file }, sinkContext());
    await second.put(records('4'));
    await second.flush();
    await second.stop();
    expect(await readFile(file, 'utf8')).toBe('1\n2\n3\n4\n');
  });

  it('cuts a torn last line (a slice killed mid-write) at start, keeping every whole line', async () => {
    const long = 'y'.repeat(100_000); // a torn tail longer than one read
    for (const [before, after] of [
      ['1\n2\n3 half', '1\n2\n'],
      ['1\n2\n', '1\n2\n'],
      ['only half', ''],
      [`1\n${long}`, '1\n'],
      ['', ''],
    ]) {
      await writeFile(file, before as string);
      const task = await fileStreamSink.createTask();
      await task.start({ file }, sinkContext());
      await task.put(records('next'));
      await task.flush();
      await task.stop();
      expect(await readFile(file, 'utf8')).toBe(`${after as string}next\n`);
    }
  });

  it('writes values as Kafka prints them, structs as JSON', () => {
    expect([null, 7, true, 'é'].map(lineOf)).toEqual(['null', '7', 'true', 'é']);
    expect(lineOf({ id: 1n, tags: ['x'] })).toBe('{"id":"1","tags":["x"]}');
    expect(lineOf(Buffer.from('bytes'))).toBe('bytes');
  });

  it('fails to start when the file cannot be opened for appending', async () => {
    const task = await fileStreamSink.createTask();
    await expect(
      task.start({ file: join(dir, 'no', 'such', 'dir') }, sinkContext()),
    ).rejects.toThrow(/ENOENT/);
  });

  it('names the file key when it is missing', async () => {
    const task = await fileStreamSink.createTask();
    await expect(task.start({ name: 'c1' }, sinkContext())).rejects.toMatchObject({ key: 'file' });
  });
});
