import { describe, expect, test } from 'vitest';
import {
  MAX_CONFIG_BYTES,
  MAX_TASK_CONFIGS_BYTES,
  sizeProblems,
} from '../../../lib/management/config-size.js';

describe('configs must fit the state table items', () => {
  test('an ordinary config has no problem', () => {
    expect(sizeProblems({ 'connector.class': 'FileStreamSource', file: '/tmp/x' }, 98)).toEqual([]);
  });

  test('a config over the limit is refused on its largest key, with the sizes', () => {
    const config = { small: 'x', huge: 'y'.repeat(MAX_CONFIG_BYTES) };
    const [problem] = sizeProblems(config, 1);
    expect(problem?.key).toBe('huge');
    expect(problem?.message).toContain(`over the limit of ${MAX_CONFIG_BYTES}`);
  });

  test('bytes are counted, not characters', () => {
    const config = { emoji: '✓'.repeat(Math.ceil(MAX_CONFIG_BYTES / 3) + 10) };
    expect(sizeProblems(config, 1)).toHaveLength(1);
  });

  test('too many tasks of a large config are refused on tasks.max, saying how many fit', () => {
    const config = { big: 'z'.repeat(20_000) };
    const [problem] = sizeProblems(config, 40);
    expect(problem?.key).toBe('tasks.max');
    const fits = Math.floor(MAX_TASK_CONFIGS_BYTES / 20_003);
    expect(problem?.message).toContain(`use at most ${fits} tasks`);
    expect(sizeProblems(config, fits)).toEqual([]);
  });
});
