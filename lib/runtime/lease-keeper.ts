import { FencedError } from '../state/errors.js';
import type { LeaseToken, StateStore } from '../state/types.js';
import type { Clock, Logger } from './slice-context.js';

/**
 * The longest a slice's lease runs ahead of it: a slice that dies (container killed) leaves its
 * task free this soon, and the coordinator's next 2 s tick restarts it. It is renewed every
 * ~5 s (RENEW_GAIN), so a live slice keeps it through a stall of 15 s. Shorter leases failed on
 * a loaded machine (CI, load average 20 on 2 cores): 10 s leases renewed every 4-6 s expired
 * under live slices, and the slice that took over wrote again what the first had written but
 * not yet committed: duplicates without a crash (test/integration/no-duplicates.test.ts). A
 * whole `npm start` killed does not wait for it: the next run frees its leases at once.
 */
export const SLICE_LEASE_TTL_MS = 20_000;
/** How often the keeper looks at the lease. */
const CHECK_EVERY_MS = 1_000;
/** It renews when that moves the expiry by at least this share of the ttl: about every 5 s. */
const RENEW_GAIN = 0.25;

export interface LeaseKeeperOptions {
  readonly ttlMs: number;
  /** Past the slice's deadline the lease covers this much more (last long poll, flush, acks). */
  readonly graceMs: number;
  /** The slice's deadline (epoch ms). */
  readonly deadline: number;
  readonly log: Logger;
  /** Called once, when a renewal finds the lease taken (fenced): the slice must stop. */
  readonly onLost: () => void;
}

/**
 * Keeps a slice's lease: it reaches `min(ttl, deadline - now + grace)` ahead, renewed in the
 * background (a conditional write on the lease's epoch and holder) whenever that gains at
 * least a quarter of the ttl: about every 5 s for a 20 s ttl; never for a slice whose deadline
 * and grace fit in the first lease. A renewal that finds the lease taken marks it lost and calls `onLost`;
 * every fenced write of the slice checks `lost` first.
 */
export class LeaseKeeper {
  #lost: FencedError | undefined;
  #expiresAt: number;
  #renewing: Promise<void> | undefined;
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly store: Pick<StateStore, 'renewLease'>,
    private readonly token: LeaseToken,
    private readonly clock: Clock,
    private readonly options: LeaseKeeperOptions,
  ) {
    this.#expiresAt = clock.now() + this.#ttlAt(clock.now());
    this.#timer = setInterval(() => {
      if (this.#lost) return;
      const gain = this.#ttlAt(this.clock.now()) + this.clock.now() - this.#expiresAt;
      if (gain < options.ttlMs * RENEW_GAIN) return;
      this.renew().catch((error: unknown) => {
        if (!(error instanceof FencedError)) {
          options.log.warn(`lease renewal failed (tried again in a moment): ${String(error)}`);
        }
      });
    }, CHECK_EVERY_MS);
    this.#timer.unref();
  }

  /** The ttl a lease taken at `now` gets: up to the deadline plus grace, at most the ttl. */
  static ttlFor(now: number, ttlMs: number, deadline: number, graceMs: number): number {
    return Math.min(ttlMs, Math.max(1, deadline - now) + graceMs);
  }

  #ttlAt(now: number): number {
    return LeaseKeeper.ttlFor(now, this.options.ttlMs, this.options.deadline, this.options.graceMs);
  }

  /** The FencedError of a renewal that found the lease taken, if one did. */
  get lost(): FencedError | undefined {
    return this.#lost;
  }

  /** Throws if the lease was found lost: before any write the slice makes. */
  check(): void {
    if (this.#lost) throw this.#lost;
  }

  /**
   * Renews now (one renewal at a time); rejects with FencedError once the lease is lost. Async,
   * so that a lost lease is a rejection, never a throw: the timer's call would otherwise throw
   * out of its callback, an uncaught exception that ends the whole process.
   */
  async renew(): Promise<void> {
    this.check();
    this.#renewing ??= this.#renew().finally(() => (this.#renewing = undefined));
    return this.#renewing;
  }

  async #renew(): Promise<void> {
    const now = this.clock.now();
    const ttl = this.#ttlAt(now);
    try {
      await this.store.renewLease(this.token, now, ttl);
      this.#expiresAt = now + ttl;
    } catch (error) {
      if (error instanceof FencedError && !this.#lost) {
        this.#lost = error;
        this.options.onLost();
      }
      throw error;
    }
  }

  /** Stops renewing; waits for a renewal under way (its failure is the slice's no more). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#renewing?.catch(() => undefined);
  }
}
