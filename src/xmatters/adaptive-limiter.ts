import { abortReason } from '../common/abort.js';

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

interface Waiter {
  resolve: (permit: LimiterPermit) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export class AdaptiveLimiter {
  readonly max: number;
  private readonly recoverAfter: number;
  private current: number;
  private active = 0;
  private successes = 0;
  // A throttle lowers the limit once per generation, so a burst of 429s from requests that were all started
  // under the same limit halves it once, not once per response.
  private generation = 0;
  private readonly queue: Waiter[] = [];
  private peak = 0;
  private lowest: number;

  constructor(max: number, opts: { recoverAfter?: number } = {}) {
    this.max = max;
    this.current = max;
    this.lowest = max;
    this.recoverAfter = opts.recoverAfter ?? 10;
  }

  /** The effective concurrency right now. */
  get limit(): number {
    return this.current;
  }
  get inFlight(): number {
    return this.active;
  }
  get maxInFlightSeen(): number {
    return this.peak;
  }
  get lowestLimit(): number {
    return this.lowest;
  }

  /** Waits for a slot. Rejects with the signal's reason if it aborts first. */
  acquire(signal?: AbortSignal): Promise<LimiterPermit> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.active < this.current && this.queue.length === 0) return Promise.resolve(this.grant());
    return new Promise<LimiterPermit>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = this.queue.indexOf(waiter);
          if (i >= 0) this.queue.splice(i, 1);
          reject(abortReason(signal));
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  private grant(): LimiterPermit {
    this.active++;
    if (this.active > this.peak) this.peak = this.active;
    const generation = this.generation;
    let released = false;
    return {
      release: (outcome) => {
        if (released) return;
        released = true;
        this.active--;
        if (outcome === 'throttled') this.throttled(generation);
        else if (outcome === 'ok') this.succeeded();
        this.drain();
      },
    };
  }

  private throttled(generation: number): void {
    this.successes = 0;
    if (generation !== this.generation) return;
    this.generation++;
    this.current = Math.max(1, Math.floor(this.current / 2));
    if (this.current < this.lowest) this.lowest = this.current;
  }

  private succeeded(): void {
    if (this.current >= this.max) return;
    this.successes++;
    if (this.successes >= this.recoverAfter) {
      this.successes = 0;
      this.current++;
      this.generation++;
    }
  }

  private drain(): void {
    while (this.active < this.current && this.queue.length > 0) {
      const waiter = this.queue.shift();
      if (waiter === undefined) break;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.resolve(this.grant());
    }
  }
}
