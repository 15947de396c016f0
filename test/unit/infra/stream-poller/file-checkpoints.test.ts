import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { FileCheckpointStore } from '../../../../infra/local/stream-poller/file-checkpoints.js';

const dir = () => mkdtempSync(path.join(tmpdir(), 'checkpoints-'));

describe('checkpoints in a file', () => {
  test('a new store (a restarted poller) reads what the last one saved, per stream', async () => {
    const file = path.join(dir(), 'sub', 'checkpoints.json');
    const first = new FileCheckpointStore(file);
    await first.save('arn:a', { s1: { after: '5' } });
    await first.save('arn:b', { s9: { done: true } });
    await first.save('arn:a', { s1: { after: '7' } });
    const restarted = new FileCheckpointStore(file);
    expect(await restarted.load('arn:a')).toEqual({ s1: { after: '7' } });
    expect(await restarted.load('arn:b')).toEqual({ s9: { done: true } });
    expect(await restarted.load('arn:c')).toEqual({});
    // No temporary file is left behind.
    expect(readdirSync(path.dirname(file))).toEqual(['checkpoints.json']);
  });

  test('an unreadable file is an error naming it, not a start from scratch', async () => {
    const file = path.join(dir(), 'checkpoints.json');
    writeFileSync(file, '{ not json');
    await expect(new FileCheckpointStore(file).load('arn:a')).rejects.toThrow(
      `checkpoint file ${file} is unreadable`,
    );
  });
});
