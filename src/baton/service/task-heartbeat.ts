import { durationMs } from '@bufbuild/protobuf/wkt';
import type { Logger } from 'pino';
import { BatonError, GrpcCode } from '../errors.js';
import type { BatonClient } from './baton-client.js';
import { linkedAbort } from '../../common/abort.js';
import { withRetry } from './rpc-retry.js';
import { clampHeartbeat, type ServiceTiming } from './service-timing.js';
import { waitFor } from './wait-for.js';

export interface TaskHeartbeat {
  /** Aborts when the runner stops, ConductorOne cancels the task, or heartbeats keep failing. */
  readonly signal: AbortSignal;
  /** Heartbeats sent so far. */
  readonly sent: () => number;
  /** Ends the loop; call once the task's work is over. */
  stop(): void;
}

export interface HeartbeatOptions {
  client: BatonClient;
  taskId: string;
  /** The runner's signal. */
  signal: AbortSignal;
  timing: ServiceTiming;
  logger: Logger;
}

/**
 * Sends the task's first heartbeat, then one every `next_heartbeat` (0 → 30 s, clamped to 1 s–5 min) until
 * stop() (baton-sdk `HeartbeatTask`). The first one is retried on transient failures for up to
 * `firstHeartbeatBudgetMs`; if it still fails this throws, and the caller finishes the task with the error.
 * Later, `cancelled` or `heartbeatMaxFailures` failures in a row abort the returned signal.
 */
export async function startTaskHeartbeat(opts: HeartbeatOptions): Promise<TaskHeartbeat> {
  const { client, taskId, timing, logger } = opts;
  // The task's signal follows the runner's until stop(); the loop's follows the task's until stop().
  const task = linkedAbort([opts.signal]);
  const loop = linkedAbort([task.signal]);
  const signal = task.signal;
  const stop = (): void => {
    loop.abort(new Error('heartbeat stopped'));
    task.dispose();
  };
  let sent = 0;
  const cancelled = (): BatonError =>
    new BatonError(GrpcCode.CANCELLED, `task ${taskId} was cancelled by ConductorOne`);

  let first;
  try {
    first = await withRetry(
      {
        rpc: 'heartbeat',
        signal: opts.signal,
        budgetMs: timing.firstHeartbeatBudgetMs,
        initialMs: timing.retryBackoffInitialMs,
        maxMs: timing.retryBackoffMaxMs,
        logger,
        onRetry: (rpc) => client.countRetry(rpc),
        fields: { taskId },
      },
      (remainingMs) => client.heartbeat(taskId, opts.signal, remainingMs),
    );
  } catch (err) {
    stop();
    throw err;
  }
  sent += 1;
  let interval = clampHeartbeat(
    timing,
    first.nextHeartbeat === undefined ? 0 : durationMs(first.nextHeartbeat),
  );
  if (first.cancelled || first.cancelledTaskIds.includes(taskId)) task.abort(cancelled());

  const run = async (): Promise<void> => {
    let failures = 0;
    const stopped = loop.signal;
    while (!stopped.aborted) {
      await waitFor(interval, stopped);
      if (stopped.aborted) return;
      try {
        const res = await client.heartbeat(taskId, stopped);
        sent += 1;
        failures = 0;
        interval = clampHeartbeat(
          timing,
          res.nextHeartbeat === undefined ? 0 : durationMs(res.nextHeartbeat),
        );
        if (res.cancelled || res.cancelledTaskIds.includes(taskId)) {
          logger.info({ taskId }, 'ConductorOne cancelled the task');
          task.abort(cancelled());
        }
      } catch (err) {
        if (stopped.aborted) return;
        failures += 1;
        if (failures < timing.heartbeatMaxFailures) client.countRetry('heartbeat');
        logger.warn({ err, taskId, failures, rpc: 'heartbeat' }, 'heartbeat failed');
        if (failures >= timing.heartbeatMaxFailures) {
          task.abort(
            new BatonError(
              GrpcCode.UNAVAILABLE,
              `task ${taskId} stopped: ${failures} heartbeats to ConductorOne failed in a row`,
              { cause: err },
            ),
          );
        }
      }
    }
  };
  if (!signal.aborted) void run();
  return { signal, sent: () => sent, stop };
}
