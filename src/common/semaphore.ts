import { abortReason } from './abort.js';

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * The one concurrency primitive: a counting semaphore whose capacity may change while it is in use, with
 * first-come first-served waiters that leave the queue when their signal aborts. The xMatters client's
 * AdaptiveLimiter moves the capacity (429s lower it) and service mode's TaskSlots keeps it fixed.
 *
 * Hand-written because the libraries that fit otherwise (async-sema, p-limit, async-mutex's Semaphore) take
 * no AbortSignal per waiter, and a cancelled sync must leave the queue at once. A lowered capacity never
 * revokes a held slot: holders above it finish, and nobody new starts until the count is below it.
 *
 * The sync engine's fan-out (src/baton/sync/syncer.ts fanOut) bounds its children with its own loop instead:
 * between completions it checkpoints, and after the first failure it hands out no more children, which a
 * slot count alone does not express; its `concurrency` only keeps the client's limiter busy.
 */
export class Semaphore {
  private cap: number;
  private held = 0;
  private highest = 0;
  private readonly queue: Waiter[] = [];

  constructor(capacity: number) {
    this.cap = capacity;
  }

  get capacity(): number {
    return this.cap;
  }

  /** A new capacity; a raised one lets waiters in at once. */
  set capacity(n: number) {
    this.cap = n;
    this.drain();
  }

  /** Slots held now. */
  get inUse(): number {
    return this.held;
  }

  /** The most slots held at once so far, for logs and tests. */
  get peak(): number {
    return this.highest;
  }

  /**
   * Resolves with a slot held (the caller must release() it), in arrival order; rejects with the signal's
   * reason (abortReason) if the signal aborts first, holding nothing.
   */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.held < this.cap && this.queue.length === 0) {
      this.take();
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
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

  release(): void {
    this.held -= 1;
    this.drain();
  }

  private take(): void {
    this.held += 1;
    if (this.held > this.highest) this.highest = this.held;
  }

  private drain(): void {
    while (this.held < this.cap && this.queue.length > 0) {
      const waiter = this.queue.shift()!;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      this.take();
      waiter.resolve();
    }
  }
}
