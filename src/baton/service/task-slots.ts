import { Semaphore } from '../../common/semaphore.js';

/**
 * The slots of `--task-concurrency`: the runner takes a slot before asking for a task, so it never claims
 * work it cannot start (baton-sdk `runner.go`). A Semaphore whose acquire answers false, rather than
 * rejecting, when the runner is stopping: the loop then ends without an error to catch.
 */
export class TaskSlots {
  private readonly slots: Semaphore;

  constructor(readonly size: number) {
    this.slots = new Semaphore(size);
  }

  get inUse(): number {
    return this.slots.inUse;
  }

  /** Highest number of slots held at once, for logs and tests. */
  get peak(): number {
    return this.slots.peak;
  }

  /** Resolves true with a slot held, or false (no slot) once `signal` aborts. */
  acquire(signal: AbortSignal): Promise<boolean> {
    return this.slots.acquire(signal).then(
      () => true,
      () => false,
    );
  }

  release(): void {
    this.slots.release();
  }
}
