import type { StateStore } from '../../lib/state/types.js';

/**
 * Frees the task leases a killed `npm start` left behind, before this run starts its functions:
 * their slices died with it, and waiting out each lease would hold every task back for up to a
 * lease's length. Each task is fenced (epoch + 1, holder removed), as a pause or restart fences
 * it, so a slice that were somehow still alive could write nothing more: fencing stays strict,
 * and the coordinator's first run starts the task again at once. Returns how many were freed.
 *
 * This is only right where one platform runs on the table, as `npm start` does (a second one on
 * the same ports refuses to start); a deployed platform's dead slices are found by their
 * leases' expiry instead.
 */
export async function freeLeftoverLeases(
  store: Pick<StateStore, 'snapshot' | 'fenceTask'>,
  now: number,
): Promise<number> {
  const { tasks } = await store.snapshot();
  const held = tasks.filter((t) => t.lease.holder !== undefined && t.lease.expiresAt >= now);
  for (const task of held) await store.fenceTask(task.connector, task.taskId, now);
  return held.length;
}
