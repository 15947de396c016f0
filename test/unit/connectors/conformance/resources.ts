// What a task leaves open: the handles (timers, sockets, servers, watchers, child processes)
// created while it ran and never closed, and file descriptors (files and sockets alike: a
// FileHandle from fs/promises is no handle and is only destroyed when collected). Handles are
// followed one by one from their creation, so the test runner's own timers, which come and go
// at any moment, neither hide a leak nor pass for one.
import { createHook } from 'node:async_hooks';
import { readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { conform } from './verdict.js';

/** Async resource types that are handles a task must close; requests and promises end alone. */
const HANDLES = new Set([
  'Timeout',
  'Immediate',
  'TCPWRAP',
  'TCPSERVERWRAP',
  'PIPEWRAP',
  'PIPESERVERWRAP',
  'UDPWRAP',
  'TTYWRAP',
  'TLSWRAP',
  'FSEVENTWRAP',
  'STATWATCHER',
  'PROCESSWRAP',
  'SIGNALWRAP',
  'HTTP2SESSION',
  'Worker',
]);

function openDescriptors(): number {
  // Linux (Lambda, CI); macOS has /dev/fd. The directory read holds one in every count alike.
  for (const dir of ['/proc/self/fd', '/dev/fd']) {
    try {
      return readdirSync(dir).length;
    } catch {
      continue;
    }
  }
  return 0;
}

/** Watches from its creation until `conformReleased` or `stop`. */
class ResourceWatch {
  readonly #live = new Map<number, string>();
  readonly #descriptors = openDescriptors();
  /** Set while the watch makes its own timer, which is not the task's. */
  #own = false;
  readonly #hook = createHook({
    init: (id, type) => {
      if (HANDLES.has(type) && !this.#own) this.#live.set(id, type);
    },
    destroy: (id) => {
      this.#live.delete(id);
    },
  }).enable();

  #pause(ms: number): Promise<void> {
    this.#own = true;
    try {
      return sleep(ms);
    } finally {
      this.#own = false;
    }
  }

  #left(): string[] {
    const counts = new Map<string, number>();
    for (const type of this.#live.values()) counts.set(type, (counts.get(type) ?? 0) + 1);
    const fds = openDescriptors() - this.#descriptors;
    if (fds > 0) counts.set('fd', fds);
    return [...counts].map(([type, n]) => `${n} ${type}`);
  }

  /**
   * Fails unless every handle made since the watch began is closed and no descriptor is left
   * open. A socket's close completes a turn or two later, and timers the runner started
   * meanwhile fire soon, so it looks again for a while.
   */
  async conformReleased(what: string, patienceMs = 2_000): Promise<void> {
    let left = this.#left();
    for (let waited = 0; left.length > 0 && waited < patienceMs; waited += 50) {
      await this.#pause(50);
      left = this.#left();
    }
    conform(left.length === 0, `${what} still holds ${left.join(', ')}`);
  }

  stop(): void {
    this.#hook.disable();
  }
}

/** Runs `use` (a task from creation to stop), then fails if it left anything open. */
export async function conformLeavesNothingOpen(
  use: () => Promise<void>,
  what = 'after stop, the task',
): Promise<void> {
  const watch = new ResourceWatch();
  try {
    await use();
    await watch.conformReleased(what);
  } finally {
    watch.stop();
  }
}
