/**
 * Every wait of service mode, as data (baton-sdk `pkg/tasks/c1api/manager.go`, `pkg/connectorrunner/runner.go`,
 * baton-interop.md §7). Tests shrink them through runServiceMode's `timing` option.
 */
export interface ServiceTiming {
  /** Start-up Hello retries: exponential from this... */
  helloBackoffInitialMs: number;
  /** ...doubling up to this. */
  helloBackoffMaxMs: number;
  /** next_poll is clamped to [0, this]. */
  pollMaxMs: number;
  /** next_heartbeat of 0 means this. */
  heartbeatDefaultMs: number;
  /** Other next_heartbeat values are clamped to [min, max]. */
  heartbeatMinMs: number;
  heartbeatMaxMs: number;
  /** A task is aborted after this many heartbeat failures in a row. */
  heartbeatMaxFailures: number;
  /** After the n-th GetTask failure in a row, wait n² seconds, capped here. */
  getTaskBackoffMaxMs: number;
  /** Unit of that backoff (1 s in the SDK). */
  getTaskBackoffUnitMs: number;
  /** FinishTask gets its own deadline, so a task stopped by SIGTERM is still reported. */
  finishTaskTimeoutMs: number;
  /**
   * Deadline of Hello, GetTask and Heartbeat; 0 is none, as in baton-sdk (GetTask may be held open by the
   * server). A dead connection is still noticed: HTTP/2 pings every 30 s fail the call.
   */
  rpcTimeoutMs: number;
  /** Wait between upload attempts. */
  uploadRetryDelayMs: number;
}

export const SERVICE_TIMING: Readonly<ServiceTiming> = Object.freeze({
  helloBackoffInitialMs: 1_000,
  helloBackoffMaxMs: 5 * 60_000,
  pollMaxMs: 5 * 60_000,
  heartbeatDefaultMs: 30_000,
  heartbeatMinMs: 1_000,
  heartbeatMaxMs: 5 * 60_000,
  heartbeatMaxFailures: 10,
  getTaskBackoffMaxMs: 60_000,
  getTaskBackoffUnitMs: 1_000,
  finishTaskTimeoutMs: 30_000,
  rpcTimeoutMs: 0,
  uploadRetryDelayMs: 1_000,
});

export const clampPoll = (t: ServiceTiming, ms: number): number => Math.min(Math.max(ms, 0), t.pollMaxMs);

export const clampHeartbeat = (t: ServiceTiming, ms: number): number =>
  ms === 0 ? t.heartbeatDefaultMs : Math.min(Math.max(ms, t.heartbeatMinMs), t.heartbeatMaxMs);

/** Wait before start-up Hello attempt `attempt + 1` (attempt counts from 1). */
export const helloBackoff = (t: ServiceTiming, attempt: number): number =>
  Math.min(t.helloBackoffInitialMs * 2 ** Math.min(attempt - 1, 30), t.helloBackoffMaxMs);

/** The runner's `errCount²` seconds after GetTask failures, capped. */
export const getTaskBackoff = (t: ServiceTiming, failures: number): number =>
  Math.min(failures * failures * t.getTaskBackoffUnitMs, t.getTaskBackoffMaxMs);
