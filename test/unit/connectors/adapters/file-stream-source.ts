// FileStreamSource through the conformance suite: a file under a temp dir, lines appended.
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileStreamSource } from '../../../../lib/connectors/index.js';
import type { SourceConformanceAdapter } from '../conformance/adapter.js';

const base = { name: 'c1', topic: 'out' };

export const fileStreamSourceAdapter: SourceConformanceAdapter = {
  plugin: fileStreamSource,
  descriptor: {
    validConfig: { ...base, file: '/tmp/in.txt', 'batch.size': '10' },
    badConfigs: [
      { config: base, key: 'file' },
      { config: { ...base, file: '  ' }, key: 'file' },
      { config: { ...base, file: '/f', 'batch.size': '10x' }, key: 'batch.size' },
      { config: { ...base, file: '/f', 'batch.size': '0' }, key: 'batch.size' },
    ],
  },
  async setUp() {
    const dir = await mkdtemp(join(tmpdir(), 'conformance-file-source-'));
    // Not created until the first append: the task must wait for it quietly.
    const file = join(dir, 'in.txt');
    let lines = 0;
    return {
      // A small batch, so that commits fall inside batches as well as on their edges.
      config: () => ({ ...base, file, 'batch.size': '4' }),
      append: (n) =>
        appendFile(file, Array.from({ length: n }, () => `line ${lines++} ✓\n`).join('')),
      tearDown: () => rm(dir, { recursive: true, force: true }),
    };
  },
};
