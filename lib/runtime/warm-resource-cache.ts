import { createHash } from 'node:crypto';
import { RetriableError } from '../api/errors.js';
import type { WarmResource, WarmResourceHandle, WarmResources } from '../api/warm-resources.js';
import { canonicalJson } from '../state/canonical-json.js';
import type { Logger } from './slice-context.js';

/** An idle resource is closed this long after its last slice gave it back. */
export const DEFAULT_IDLE_MS = 5 * 60_000;
/** A health check that has not answered in this time counts as failed. */
export const DEFAULT_HEALTH_CHECK_MS = 5_000;

export interface WarmResourceCacheOptions {
  readonly idleMs?: number;
  readonly healthCheckMs?: number;
  readonly now?: () => number;
  /** Told of opens, reuses and closes by kind and counts only, never settings. */
  readonly log?: Logger;
}

/** What the cache did since it was made, for tests, logs and benchmarks. */
export interface WarmResourceStats {
  readonly opened: number;
  readonly reused: number;
  readonly closed: number;
  /** Health checks that failed (each followed by a close and, usually, an open). */
  readonly unhealthy: number;
  /** Resources held now, in use or idle. */
  readonly held: number;
}

interface Entry {
  readonly kind: string;
  readonly resource: WarmResource<unknown>;
  users: number;
  idleSince: number;
  idleTimer?: NodeJS.Timeout;
  gone: boolean;
}

/**
 * The container's warm resources (one per process: functions/task.ts makes it at cold start).
 * Resources are keyed by kind and a SHA-256 digest of the canonical JSON of their settings, so
 * the settings (secrets included) are never kept or logged. A free resource is health-checked
 * before it is handed out again; one idle for `idleMs` is closed by an unref'd timer (never
 * keeping a process alive), and `closeAll` closes everything when the container goes away.
 *
 * Lambda freezes a container between invocations, so an idle timer may be overdue when the next
 * slice comes: acquire checks the idle time itself too.
 */
export class WarmResourceCache {
  readonly #entries = new Map<string, Entry[]>();
  /** The last acquire of each key still finding or opening its resource. */
  readonly #turns = new Map<string, Promise<void>>();
  readonly #idleMs: number;
  readonly #healthCheckMs: number;
  readonly #now: () => number;
  readonly #log: Logger | undefined;
  #closed = false;
  #stats = { opened: 0, reused: 0, closed: 0, unhealthy: 0 };

  constructor(options: WarmResourceCacheOptions = {}) {
    this.#idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
    this.#healthCheckMs = options.healthCheckMs ?? DEFAULT_HEALTH_CHECK_MS;
    this.#now = options.now ?? Date.now;
    this.#log = options.log;
  }

  stats(): WarmResourceStats {
    let held = 0;
    for (const entries of this.#entries.values()) held += entries.length;
    return { ...this.#stats, held };
  }

  /**
   * A view for one slice: what it acquires is given back by `release`, which the runtime calls
   * when the slice ends, however it ends. Acquires after that fail.
   */
  forSlice(): { readonly resources: WarmResources; release(): void } {
    const handles = new Set<WarmResourceHandle<unknown>>();
    let ended = false;
    return {
      resources: {
        acquire: async <T>(
          kind: string,
          settings: Readonly<Record<string, unknown>>,
          open: () => Promise<WarmResource<T>>,
        ) => {
          if (ended) throw new RetriableError(`${kind}: acquired after its slice ended`);
          const handle = await this.acquire(kind, settings, open);
          if (ended) {
            handle.release();
            throw new RetriableError(`${kind}: acquired after its slice ended`);
          }
          handles.add(handle);
          return handle;
        },
      },
      release() {
        ended = true;
        for (const handle of handles) handle.release();
        handles.clear();
      },
    };
  }

  /** `WarmResources.acquire`, for a caller that gives the handle back itself. */
  async acquire<T>(
    kind: string,
    settings: Readonly<Record<string, unknown>>,
    open: () => Promise<WarmResource<T>>,
  ): Promise<WarmResourceHandle<T>> {
    const key = resourceKey(kind, settings);
    // Acquires of one key take turns to find or open a resource (not to use it), so that a
    // second one sees what the first opened and shares it when it may.
    const previous = this.#turns.get(key);
    let done = () => undefined as void;
    const mine = new Promise<void>((resolve) => {
      done = resolve;
    });
    const turn = previous ? previous.then(() => mine) : mine;
    this.#turns.set(key, turn);
    try {
      await previous;
      return await this.#findOrOpen<T>(key, kind, open);
    } finally {
      done();
      if (this.#turns.get(key) === turn) this.#turns.delete(key);
    }
  }

  async #findOrOpen<T>(
    key: string,
    kind: string,
    open: () => Promise<WarmResource<T>>,
  ): Promise<WarmResourceHandle<T>> {
    this.#assertOpen(kind);
    const kept = await this.#reuse(key);
    if (kept) {
      this.#stats.reused++;
      return this.#handle<T>(key, kept);
    }
    const resource = await open();
    const entry: Entry = { kind, resource, users: 1, idleSince: this.#now(), gone: false };
    this.#stats.opened++;
    if (this.#closed) {
      await this.#close(entry);
      this.#assertOpen(kind);
    }
    this.#entries.set(key, [...(this.#entries.get(key) ?? []), entry]);
    this.#log?.info(`warm resource ${kind}: opened (${this.#summary()})`);
    return this.#handle<T>(key, entry);
  }

  /** Closes every resource, in use or not (the container is going away); later acquires fail. */
  async closeAll(): Promise<void> {
    this.#closed = true;
    const entries = [...this.#entries.values()].flat();
    this.#entries.clear();
    await Promise.all(entries.map((entry) => this.#close(entry)));
  }

  /** A free resource of this key that passes its check, taken for the caller; else undefined. */
  async #reuse(key: string): Promise<Entry | undefined> {
    for (const entry of [...(this.#entries.get(key) ?? [])]) {
      if (entry.gone) continue;
      if (entry.users > 0) {
        // In use: only a shared one may be handed out again, and it needs no check.
        if (entry.resource.shared !== true) continue;
        entry.users++;
        return entry;
      }
      // Taken before the check, so that no other acquire takes it meanwhile.
      entry.users++;
      clearTimeout(entry.idleTimer);
      const expired = this.#now() - entry.idleSince >= this.#idleMs;
      if (!expired && (await this.#healthy(entry))) return entry;
      if (!expired) this.#stats.unhealthy++;
      this.#remove(key, entry);
      await this.#close(entry);
    }
    return undefined;
  }

  async #healthy(entry: Entry): Promise<boolean> {
    const { resource } = entry;
    if (!resource.healthy) return true;
    // A check that throws, even before returning its promise, is a failed check.
    const answer = (async () => (await resource.healthy?.()) === true)().catch(() => false);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), this.#healthCheckMs);
      timer.unref();
    });
    try {
      return await Promise.race([answer, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  #handle<T>(key: string, entry: Entry): WarmResourceHandle<T> {
    let released = false;
    return {
      value: entry.resource.value as T,
      release: () => {
        if (released) return;
        released = true;
        this.#release(key, entry);
      },
      discard: async () => {
        released = true;
        this.#remove(key, entry);
        await this.#close(entry);
      },
    };
  }

  #release(key: string, entry: Entry): void {
    entry.users--;
    if (entry.users > 0 || entry.gone) return;
    entry.idleSince = this.#now();
    entry.idleTimer = setTimeout(() => {
      if (entry.users > 0 || entry.gone) return;
      this.#remove(key, entry);
      void this.#close(entry);
    }, this.#idleMs);
    entry.idleTimer.unref();
  }

  #remove(key: string, entry: Entry): void {
    const rest = (this.#entries.get(key) ?? []).filter((e) => e !== entry);
    if (rest.length > 0) this.#entries.set(key, rest);
    else this.#entries.delete(key);
  }

  /** Closes once; a failing close is logged (by kind) and otherwise ignored: it is gone anyway. */
  async #close(entry: Entry): Promise<void> {
    if (entry.gone) return;
    entry.gone = true;
    clearTimeout(entry.idleTimer);
    this.#stats.closed++;
    try {
      await entry.resource.close();
      this.#log?.info(`warm resource ${entry.kind}: closed (${this.#summary()})`);
    } catch (error) {
      this.#log?.warn(`warm resource ${entry.kind}: close failed: ${String(error)}`);
    }
  }

  #assertOpen(kind: string): void {
    if (this.#closed) throw new RetriableError(`${kind}: the container is shutting down`);
  }

  #summary(): string {
    const { opened, reused, closed, unhealthy, held } = this.stats();
    return `opened ${opened}, reused ${reused}, closed ${closed}, unhealthy ${unhealthy}, held ${held}`;
  }
}

/**
 * The cache key: the kind, and a digest of the settings' canonical JSON (key order does not
 * matter). Only the digest is kept, so no secret sits in the cache's keys.
 */
export function resourceKey(kind: string, settings: Readonly<Record<string, unknown>>): string {
  const digest = createHash('sha256')
    .update(canonicalJson(settings, `the settings of a ${kind} resource`))
    .digest('hex');
  return `${kind}:${digest}`;
}
