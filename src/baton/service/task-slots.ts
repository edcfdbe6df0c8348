/**
 * A counting semaphore for `--task-concurrency`: the runner takes a slot before asking for a task, so it
 * never claims work it cannot start (baton-sdk `runner.go`).
 */
export class TaskSlots {
  private free: number;
  private readonly waiters: (() => void)[] = [];
  /** Highest number of slots held at once, for logs and tests. */
  peak = 0;

  constructor(readonly size: number) {
    this.free = size;
  }

  get inUse(): number {
    return this.size - this.free;
  }

  /** Resolves true with a slot held, or false (no slot) once `signal` aborts. */
  acquire(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    if (this.free > 0) {
      this.take();
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const onAbort = (): void => {
        const i = this.waiters.indexOf(grant);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(false);
      };
      const grant = (): void => {
        signal.removeEventListener('abort', onAbort);
        this.take();
        resolve(true);
      };
      this.waiters.push(grant);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  release(): void {
    this.free += 1;
    this.waiters.shift()?.();
  }

  private take(): void {
    this.free -= 1;
    this.peak = Math.max(this.peak, this.inUse);
  }
}
