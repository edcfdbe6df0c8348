/**
 * Abort-signal helpers shared by every layer: what a cancelled operation rejects with, and how long work is
 * linked to its caller's signal.
 */

/** A DOMException `AbortError`, what `AbortController.abort()` gives without a reason. */
export const abortError = (): DOMException => new DOMException('The operation was aborted', 'AbortError');

/** A DOMException `TimeoutError`, what `AbortSignal.timeout()` aborts with. */
export const timeoutError = (): DOMException =>
  new DOMException('The operation was aborted due to timeout', 'TimeoutError');

/** Whether `e` says the operation was cancelled (DOMException AbortError, by its legacy code). */
export const isAbortException = (e: unknown): boolean =>
  e instanceof DOMException && e.code === DOMException.ABORT_ERR;

/** Whether `e` says a deadline passed (DOMException TimeoutError, by its legacy code). */
export const isTimeoutException = (e: unknown): boolean =>
  e instanceof DOMException && e.code === DOMException.TIMEOUT_ERR;

/**
 * What an operation cancelled by `signal` rejects with: the signal's own reason when it is an Error (so the
 * caller's reason, e.g. a BatonError CANCELLED, survives), else a DOMException AbortError.
 */
export function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : abortError();
}

/**
 * Why work stopped: when `signal` has aborted, its reason (the cause the caller gave: a stop, a cancelled
 * task, a deadline) rather than `err`, which only says how the work noticed; otherwise `err` itself.
 */
export function stoppedBecause(signal: AbortSignal, err: unknown): unknown {
  return signal.aborted ? ((signal.reason as unknown) ?? err) : err;
}

/**
 * Sleeps `ms`, or rejects with abortReason(signal) as soon as it aborts (node:timers/promises would wrap the
 * reason in a generic AbortError, losing the caller's reason).
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A plain AbortController that aborts, with the same reason, when any of `signals` does, or with a
 * timeoutError() after `timeoutMs`; dispose() unlinks it. Used instead of AbortSignal.any()/AbortSignal.timeout()
 * for signals handed to long work: Node keeps a composite or timeout signal that has an 'abort' listener alive
 * until it aborts, so one listener left behind by the work would pin the whole task in memory for the life of
 * the process.
 */
export function linkedAbort(signals: readonly AbortSignal[], timeoutMs?: number): LinkedAbort {
  const controller = new AbortController();
  const abort = (reason: unknown): void => {
    if (!controller.signal.aborted) controller.abort(reason);
    dispose();
  };
  const listeners = signals.map((signal) => {
    const onAbort = (): void => abort(signal.reason);
    return { signal, onAbort };
  });
  let timer: NodeJS.Timeout | undefined;
  const dispose = (): void => {
    for (const { signal, onAbort } of listeners) signal.removeEventListener('abort', onAbort);
    clearTimeout(timer);
  };
  for (const { signal, onAbort } of listeners) {
    if (signal.aborted) {
      abort(signal.reason);
      return { signal: controller.signal, abort, dispose };
    }
    signal.addEventListener('abort', onAbort, { once: true });
  }
  if (timeoutMs !== undefined) {
    timer = setTimeout(() => abort(timeoutError()), timeoutMs);
    timer.unref();
  }
  return { signal: controller.signal, abort, dispose };
}

export interface LinkedAbort {
  readonly signal: AbortSignal;
  /** Aborts it directly (and unlinks it). */
  abort(reason: unknown): void;
  /** Unlinks it from its sources and drops the timer; the signal keeps its state. */
  dispose(): void;
}
