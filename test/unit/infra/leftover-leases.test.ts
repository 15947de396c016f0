import { describe, expect, test } from 'vitest';
import { freeLeftoverLeases } from '../../../infra/local/leftover-leases.js';
import type { StateSnapshot, TaskRecord } from '../../../lib/state/types.js';

const task = (connector: string, taskId: number, lease: TaskRecord['lease']): TaskRecord =>
  ({ connector, taskId, generation: 0, lease }) as TaskRecord;

describe('freeing the leases a killed npm start left', () => {
  test('fences exactly the tasks whose lease is still held, and says how many', async () => {
    const now = 1_000_000;
    const tasks = [
      task('a', 0, { holder: 'dead-slice', epoch: 3, expiresAt: now + 9_000 }),
      task('a', 1, { holder: 'expired-slice', epoch: 2, expiresAt: now - 1 }),
      task('b', 0, { epoch: 5, expiresAt: 0 }),
      task('b', 1, { holder: 'dead-too', epoch: 1, expiresAt: now }),
    ];
    const fenced: string[] = [];
    const freed = await freeLeftoverLeases(
      {
        snapshot: () => Promise.resolve({ tasks } as unknown as StateSnapshot),
        fenceTask: (name, taskId, at) => {
          expect(at).toBe(now);
          fenced.push(`${name}/${taskId}`);
          return Promise.resolve();
        },
      },
      now,
    );
    expect(fenced).toEqual(['a/0', 'b/1']);
    expect(freed).toBe(2);
  });
});
