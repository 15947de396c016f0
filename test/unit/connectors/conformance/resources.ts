// What the process holds open: file descriptors (files and sockets alike) and the libuv
// resources keeping the event loop alive (timers, sockets, servers). A FileHandle from
// fs/promises is no libuv resource, so descriptors are counted as well.
import { readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { conform } from './verdict.js';

/** Counts by kind: `fd` for open descriptors, else the names getActiveResourcesInfo gives. */
export type ResourceCounts = ReadonlyMap<string, number>;

function openDescriptors(): number {
  // Linux (Lambda, CI); macOS has /dev/fd. The directory read itself holds one in both snapshots.
  for (const dir of ['/proc/self/fd', '/dev/fd']) {
    try {
      return readdirSync(dir).length;
    } catch {
      continue;
    }
  }
  return 0;
}

export function snapshotResources(): ResourceCounts {
  const counts = new Map<string, number>([['fd', openDescriptors()]]);
  for (const kind of process.getActiveResourcesInfo())
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

function excess(now: ResourceCounts, baseline: ResourceCounts): string[] {
  return [...now].flatMap(([kind, n]) => {
    const extra = n - (baseline.get(kind) ?? 0);
    return extra > 0 ? [`${extra} ${kind}`] : [];
  });
}

/**
 * Fails unless the process holds no more than at `baseline`. Closing a socket completes a turn
 * or two later, and the test runner's own timers come and go, so it looks again for a while.
 */
export async function conformReleased(
  baseline: ResourceCounts,
  what: string,
  patienceMs = 2_000,
): Promise<void> {
  let extra = excess(snapshotResources(), baseline);
  for (let waited = 0; extra.length > 0 && waited < patienceMs; waited += 50) {
    await sleep(50);
    extra = excess(snapshotResources(), baseline);
  }
  conform(extra.length === 0, `${what} still holds ${extra.join(', ')}`);
}
