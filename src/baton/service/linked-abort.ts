/**
 * A plain AbortController that aborts, with the same reason, when any of `signals` does; dispose() unlinks
 * it. Used instead of AbortSignal.any()/AbortSignal.timeout() for signals handed to long work: Node keeps
 * a composite or timeout signal that has an 'abort' listener alive until it aborts, so one listener left
 * behind by the work would pin the whole task in memory for the life of the process.
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
    timer = setTimeout(
      () => abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
      timeoutMs,
    );
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
