// FileStreamSink through the conformance suite: the file is a symlink, so the target can be
// swapped for /dev/full (every write fails with ENOSPC) and back, as a disk fills and is freed.
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileStreamSink } from '../../../../lib/connectors/index.js';
import type { SinkConformanceAdapter } from '../conformance/adapter.js';

const FULL_DISK = '/dev/full';

export const fileStreamSinkAdapter: SinkConformanceAdapter = {
  plugin: fileStreamSink,
  descriptor: {
    validConfig: { name: 'c1', topics: 'in', file: '/tmp/out.txt' },
    badConfigs: [{ config: { name: 'c1' }, key: 'file' }],
  },
  async setUp() {
    const dir = await mkdtemp(join(tmpdir(), 'conformance-file-sink-'));
    const real = join(dir, 'out.txt');
    const file = join(dir, 'target');
    const pointAt = async (to: string) => {
      await rm(file, { force: true });
      await symlink(to, file);
    };
    await writeFile(real, '');
    await pointAt(real);
    return {
      config: () => ({ name: 'c1', file }),
      read: async () => (await readFile(real, 'utf8')).split('\n').slice(0, -1),
      breakTarget: async () => {
        await pointAt(FULL_DISK);
        return () => pointAt(real);
      },
      tearDown: () => rm(dir, { recursive: true, force: true }),
    };
  },
  // Kafka's format: a struct value is one line of JSON.
  written: (_key, value) => JSON.stringify(value),
  // It appends: a batch delivered twice is written twice.
  idempotent: false,
};
