import { describe, expect, test } from 'vitest';
import { isAlive, parseStartTicks, readStartTicks } from '../../../infra/local/processes.js';
import { parseJavaMajor } from '../../../infra/local/jvm.js';

describe('process records', () => {
  test('read the start time from /proc stat, even when the command name has spaces and parentheses', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    // Field 22 is the start time: index 19 after the name.
    fields[19] = '123456';
    expect(parseStartTicks(`4242 (java (weird) name) ${fields.join(' ')}`)).toBe(123456);
  });

  test('a garbled stat line gives no start time', () => {
    expect(parseStartTicks('garbage')).toBeUndefined();
  });

  test('know this very process is alive, and a record with another start time is not', () => {
    const startTicks = readStartTicks(process.pid);
    expect(startTicks).toBeTypeOf('number');
    const record = { pid: process.pid, startTicks: startTicks ?? 0, command: 'node', logFile: '' };
    expect(isAlive(record)).toBe(true);
    // Same PID, other start time: a reused PID, so never ours to signal.
    expect(isAlive({ ...record, startTicks: record.startTicks + 1 })).toBe(false);
  });
});

describe('java version parsing', () => {
  test('understands modern and legacy version strings', () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajor('openjdk version "21" 2023-09-19')).toBe(21);
    expect(parseJavaMajor('java version "1.8.0_392"')).toBe(8);
    expect(parseJavaMajor('no java here')).toBeUndefined();
  });
});
