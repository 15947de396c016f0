import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WarmResource } from '../../../lib/api/warm-resources.js';
import { resourceKey, WarmResourceCache } from '../../../lib/runtime/warm-resource-cache.js';

/** Fake connections: each open makes a numbered one; what was closed is remembered. */
function fakeConnections(options: { shared?: boolean } = {}) {
  let opened = 0;
  const closed: number[] = [];
  const unhealthy = new Set<number>();
  const open = (): Promise<WarmResource<number>> => {
    const id = ++opened;
    return Promise.resolve({
      value: id,
      ...(options.shared !== undefined && { shared: options.shared }),
      healthy: () => Promise.resolve(!unhealthy.has(id)),
      close: () => {
        closed.push(id);
        return Promise.resolve();
      },
    });
  };
  return { open, closed, unhealthy, opened: () => opened };
}

const settings = { host: 'db', port: 5432, password: 'secret' };
const MINUTE = 60_000;

describe('the warm-resource cache', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives the next slice the resource the last one released, after its health check', async () => {
    const cache = new WarmResourceCache();
    const db = fakeConnections();
    const first = cache.forSlice();
    expect((await first.resources.acquire('pg', settings, db.open)).value).toBe(1);
    first.release();
    const second = cache.forSlice();
    // The same settings in another key order are the same resource.
    const reordered = { password: 'secret', port: 5432, host: 'db' };
    expect((await second.resources.acquire('pg', reordered, db.open)).value).toBe(1);
    second.release();
    expect(cache.stats()).toMatchObject({ opened: 1, reused: 1, closed: 0, held: 1 });
  });

  it('opens another for other settings or another kind', async () => {
    const cache = new WarmResourceCache();
    const db = fakeConnections();
    await cache.acquire('pg', settings, db.open);
    await cache.acquire('pg', { ...settings, port: 5433 }, db.open);
    await cache.acquire('mysql', settings, db.open);
    expect(cache.stats()).toMatchObject({ opened: 3, reused: 0 });
  });

  it('never gives a resource in use to a second slice, unless it is shared', async () => {
    const cache = new WarmResourceCache();
    const cdc = fakeConnections();
    const a = await cache.acquire('binlog', settings, cdc.open);
    const b = await cache.acquire('binlog', settings, cdc.open);
    expect([a.value, b.value]).toEqual([1, 2]);

    const pool = fakeConnections({ shared: true });
    const c = await cache.acquire('pg', settings, pool.open);
    const d = await cache.acquire('pg', settings, pool.open);
    expect([c.value, d.value]).toEqual([1, 1]);
  });

  it('lets a second acquire wait for an open under way, to share it when it may', async () => {
    const cache = new WarmResourceCache();
    const pool = fakeConnections({ shared: true });
    const [a, b] = await Promise.all([
      cache.acquire('pg', settings, pool.open),
      cache.acquire('pg', settings, pool.open),
    ]);
    expect([a.value, b.value, pool.opened()]).toEqual([1, 1, 1]);
  });

  it('closes one that fails its health check and opens a new one', async () => {
    const cache = new WarmResourceCache();
    const db = fakeConnections();
    (await cache.acquire('pg', settings, db.open)).release();
    db.unhealthy.add(1);
    expect((await cache.acquire('pg', settings, db.open)).value).toBe(2);
    expect(db.closed).toEqual([1]);
    expect(cache.stats()).toMatchObject({ opened: 2, reused: 0, unhealthy: 1, closed: 1 });
  });

  it('takes a health check that does not answer in time as failed', async () => {
    const cache = new WarmResourceCache({ healthCheckMs: 1_000 });
    let opened = 0;
    const hanging = () =>
      Promise.resolve({
        value: ++opened,
        healthy: () => new Promise<boolean>(() => undefined),
        close: () => Promise.resolve(),
      });
    (await cache.acquire('mqtt', settings, hanging)).release();
    const next = cache.acquire('mqtt', settings, hanging);
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await next).value).toBe(2);
  });

  it('closes a resource idle for the idle time, and not one in use', async () => {
    const cache = new WarmResourceCache({ idleMs: 5 * MINUTE });
    const db = fakeConnections();
    const idle = await cache.acquire('pg', settings, db.open);
    const busy = await cache.acquire('pg', settings, db.open);
    idle.release();
    await vi.advanceTimersByTimeAsync(5 * MINUTE - 1);
    expect(db.closed).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(db.closed).toEqual([1]);
    await vi.advanceTimersByTimeAsync(60 * MINUTE);
    expect(db.closed).toEqual([1]);
    busy.release();
    expect(cache.stats().held).toBe(1);
  });

  it('does not reuse one whose idle timer was overdue (a frozen container), but opens anew', async () => {
    let now = 0;
    const cache = new WarmResourceCache({ idleMs: 5 * MINUTE, now: () => now });
    const db = fakeConnections();
    (await cache.acquire('pg', settings, db.open)).release();
    // The container was frozen: the clock moved, the timer has not fired yet.
    now += 6 * MINUTE;
    expect((await cache.acquire('pg', settings, db.open)).value).toBe(2);
    expect(db.closed).toEqual([1]);
    expect(cache.stats()).toMatchObject({ unhealthy: 0, reused: 0 });
  });

  it("gives back a slice's checkouts when the slice ends, and refuses its acquires afterwards", async () => {
    const cache = new WarmResourceCache();
    const db = fakeConnections();
    const slice = cache.forSlice();
    const handle = await slice.resources.acquire('pg', settings, db.open);
    handle.release();
    await slice.resources.acquire('redis', settings, db.open);
    slice.release();
    // Both free again: a second slice reuses both.
    const next = cache.forSlice();
    await next.resources.acquire('pg', settings, db.open);
    await next.resources.acquire('redis', settings, db.open);
    expect(cache.stats()).toMatchObject({ opened: 2, reused: 2 });
    await expect(slice.resources.acquire('pg', settings, db.open)).rejects.toThrow(
      /after its slice ended/,
    );
  });

  it('closes a discarded resource and never hands it out again', async () => {
    const cache = new WarmResourceCache();
    const db = fakeConnections();
    await (await cache.acquire('amqp', settings, db.open)).discard();
    expect(db.closed).toEqual([1]);
    expect((await cache.acquire('amqp', settings, db.open)).value).toBe(2);
  });

  it('closes everything on closeAll, in use or idle, and refuses acquires afterwards', async () => {
    const cache = new WarmResourceCache();
    const db = fakeConnections();
    (await cache.acquire('pg', settings, db.open)).release();
    const inUse = await cache.acquire('pg', { ...settings, port: 1 }, db.open);
    await cache.closeAll();
    expect(db.closed.sort()).toEqual([1, 2]);
    inUse.release();
    expect(cache.stats()).toMatchObject({ held: 0, closed: 2 });
    await expect(cache.acquire('pg', settings, db.open)).rejects.toThrow(/shutting down/);
  });

  it('logs kinds and counts, never the settings or their digest', async () => {
    const lines: string[] = [];
    const log = { info: (l: string) => lines.push(l), warn: (l: string) => lines.push(l) };
    const cache = new WarmResourceCache({ log });
    const db = fakeConnections();
    (await cache.acquire('pg', settings, db.open)).release();
    await cache.closeAll();
    expect(lines.join('\n')).toMatch(/pg: opened .*\n.*pg: closed/);
    const digest = resourceKey('pg', settings).split(':')[1] ?? '';
    for (const secret of ['secret', '5432', 'db', digest]) {
      expect(lines.join('\n')).not.toContain(secret);
    }
  });

  it('keys by kind and a digest, with no setting in the key', () => {
    const key = resourceKey('pg', settings);
    expect(key).toMatch(/^pg:[0-9a-f]{64}$/);
    expect(resourceKey('pg', { port: 5432, password: 'secret', host: 'db' })).toBe(key);
    expect(resourceKey('pg', { ...settings, password: 'other' })).not.toBe(key);
  });
});
