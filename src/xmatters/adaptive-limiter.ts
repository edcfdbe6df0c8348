import { Semaphore } from '../common/semaphore.js';

/**
 * One limiter shared by every request of a client. At most `max` requests are in flight; a 429 halves the
 * effective limit (minimum 1) and it grows back by one after `recoverAfter` successes, never above `max`.
 * xMatters alerting shares API bandwidth with us (docs/xmatters-api.md, "Rate limits, errors and retries"),
 * so throttling must slow us down.
 */
export interface LimiterPermit {
  /** Marks the request finished: 'ok' counts towards recovery, 'throttled' lowers the limit. */
  release(outcome: 'ok' | 'throttled' | 'error'): void;
}

export class AdaptiveLimiter {
  readonly max: number;
  private readonly recoverAfter: number;
  /** In-flight requests; its capacity is the effective limit. */
  private readonly slots: Semaphore;
  private successes = 0;
  // A throttle lowers the limit once per generation, so a burst of 429s from requests that were all started
  // under the same limit halves it once, not once per response.
  private generation = 0;
  private lowest: number;

  constructor(max: number, opts: { recoverAfter?: number } = {}) {
    this.max = max;
    this.slots = new Semaphore(max);
    this.lowest = max;
    this.recoverAfter = opts.recoverAfter ?? 10;
  }

  /** The effective concurrency right now. */
  get limit(): number {
    return this.slots.capacity;
  }
  get inFlight(): number {
    return this.slots.inUse;
  }
  get maxInFlightSeen(): number {
    return this.slots.peak;
  }
  get lowestLimit(): number {
    return this.lowest;
  }

  /** Waits for a slot. Rejects with the signal's reason if it aborts first. */
  async acquire(signal?: AbortSignal): Promise<LimiterPermit> {
    await this.slots.acquire(signal);
    const generation = this.generation;
    let released = false;
    return {
      release: (outcome) => {
        if (released) return;
        released = true;
        // The limit moves before the slot is freed, so a lowered limit holds back the waiters at once.
        if (outcome === 'throttled') this.throttled(generation);
        else if (outcome === 'ok') this.succeeded();
        this.slots.release();
      },
    };
  }

  private throttled(generation: number): void {
    this.successes = 0;
    if (generation !== this.generation) return;
    this.generation++;
    this.slots.capacity = Math.max(1, Math.floor(this.slots.capacity / 2));
    if (this.slots.capacity < this.lowest) this.lowest = this.slots.capacity;
  }

  private succeeded(): void {
    if (this.slots.capacity >= this.max) return;
    this.successes++;
    if (this.successes >= this.recoverAfter) {
      this.successes = 0;
      this.generation++;
      this.slots.capacity += 1;
    }
  }
}
