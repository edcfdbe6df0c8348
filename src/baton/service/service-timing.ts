import { jitteredBackoff } from './rpc-retry.js';

/**
 * Every wait of service mode, as data (baton-sdk `pkg/tasks/c1api/manager.go`, `pkg/connectorrunner/runner.go`,
 * docs/service-mode.md). Tests shrink them through runServiceMode's `timing` option.
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
  /** A task's first heartbeat is retried for this long in all before the task is failed. */
  firstHeartbeatBudgetMs: number;
  /** After the n-th GetTask failure in a row, wait n² seconds, capped here. */
  getTaskBackoffMaxMs: number;
  /** Unit of that backoff (1 s in the SDK). */
  getTaskBackoffUnitMs: number;
  /**
   * FinishTask is retried on transient failures for this long in all, under its own deadline, so a task
   * stopped by cancellation or SIGTERM is still reported.
   */
  finishTaskTimeoutMs: number;
  /**
   * Once stopping (SIGTERM), reports still being retried give up this long after the signal, so the
   * process exits before a container runtime's kill (Docker waits 10 s).
   */
  shutdownGraceMs: number;
  /** Retries of a transiently failed call (hello task, first heartbeat, FinishTask, upload) wait from... */
  retryBackoffInitialMs: number;
  /** ...doubling up to this, with jitter. */
  retryBackoffMaxMs: number;
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
  firstHeartbeatBudgetMs: 10_000,
  getTaskBackoffMaxMs: 60_000,
  getTaskBackoffUnitMs: 1_000,
  finishTaskTimeoutMs: 30_000,
  shutdownGraceMs: 7_000,
  retryBackoffInitialMs: 250,
  retryBackoffMaxMs: 4_000,
  rpcTimeoutMs: 0,
  uploadRetryDelayMs: 1_000,
});

export const clampPoll = (t: ServiceTiming, ms: number): number => Math.min(Math.max(ms, 0), t.pollMaxMs);

export const clampHeartbeat = (t: ServiceTiming, ms: number): number =>
  ms === 0 ? t.heartbeatDefaultMs : Math.min(Math.max(ms, t.heartbeatMinMs), t.heartbeatMaxMs);

/** Wait before start-up Hello attempt `attempt + 1` (attempt counts from 1), with jitter. */
export const helloBackoff = (t: ServiceTiming, attempt: number, random = Math.random): number =>
  jitteredBackoff({ initialMs: t.helloBackoffInitialMs, maxMs: t.helloBackoffMaxMs }, attempt, random);

/**
 * The runner's `errCount²` seconds after GetTask failures, capped, with jitter: between half and all of
 * it, so a fleet of connectors that lost ConductorOne together do not all come back in the same second.
 */
export const getTaskBackoff = (t: ServiceTiming, failures: number, random = Math.random): number => {
  const base = Math.min(failures * failures * t.getTaskBackoffUnitMs, t.getTaskBackoffMaxMs);
  return Math.round(base / 2 + (random() * base) / 2);
};
