import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { takeRunLock } from '../../../infra/local/platform-run.js';
import { PidFiles } from '../../../infra/local/processes.js';
import { stackPaths } from '../../../infra/local/services.js';
import { loadStackSettings } from '../../../infra/local/settings.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function settings() {
  const dir = mkdtempSync(path.join(tmpdir(), 'run-lock-'));
  dirs.push(dir);
  return loadStackSettings({ STACK_DIR: dir });
}

describe('one npm start per stack folder', () => {
  test('a second run on the same folder is refused, naming the holder and the folder', () => {
    const s = settings();
    const lock = takeRunLock(s);
    expect(() => takeRunLock(s)).toThrow(
      new RegExp(`npm start \\(pid ${process.pid}\\) already runs the platform of ${s.stackDir}`),
    );
    lock.release();
    expect(new PidFiles(stackPaths(s.stackDir).pids).all().size).toBe(0);
    takeRunLock(s).release();
  });

  test("a dead run's lock (killed, never released) is taken over", () => {
    const s = settings();
    new PidFiles(stackPaths(s.stackDir).pids).write('npm-start', {
      pid: process.pid,
      startTicks: -1, // this pid, but not this process: the run that held it is gone
      command: 'npm start',
      logFile: '-',
    });
    const lock = takeRunLock(s);
    expect(new PidFiles(stackPaths(s.stackDir).pids).read('npm-start')?.startTicks).not.toBe(-1);
    lock.release();
  });
});
