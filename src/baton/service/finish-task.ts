import { linkedAbort } from '../../common/abort.js';
import { withRetry } from './rpc-retry.js';
import type { TaskContext } from './task-context.js';
import { statusOfError } from './status-of-error.js';

export type TaskOutcome = { ok: true } | { ok: false; error: unknown; nonRetryable?: boolean };

/**
 * FinishTask, at most once per task: retried on transient failures for up to `finishTaskTimeoutMs` under
 * a deadline of its own, which a cancelled task does not abort, so a task stopped by ConductorOne or by
 * SIGTERM is still reported (ConductorOne can then reschedule it at once). Once the runner is stopping the
 * retries also end `shutdownGraceMs` after the stop, so the process exits in time. Never throws; false
 * when the report could not be delivered (logged).
 */
export async function finishTask(ctx: TaskContext, taskId: string, outcome: TaskOutcome): Promise<boolean> {
  const { client, timing, logger } = ctx;
  if (ctx.finishedTasks.has(taskId)) {
    // A second report would contradict the first; the first one stands.
    logger.error({ taskId }, 'the task was already reported finished; not reporting it again');
    return false;
  }
  ctx.finishedTasks.add(taskId);
  const linked = linkedAbort([ctx.stopDeadline], timing.finishTaskTimeoutMs);
  const deadline = linked.signal;
  const status = outcome.ok ? undefined : statusOfError(outcome.error);
  const message = status === undefined ? '' : ctx.scrub(status.message);
  try {
    await withRetry(
      {
        rpc: 'finishTask',
        signal: deadline,
        budgetMs: timing.finishTaskTimeoutMs,
        initialMs: timing.retryBackoffInitialMs,
        maxMs: timing.retryBackoffMaxMs,
        logger,
        onRetry: (rpc) => client.countRetry(rpc),
        fields: { taskId },
      },
      (remainingMs) =>
        status === undefined
          ? client.finishTask({ taskId, finalState: { case: 'success', value: {} } }, deadline, remainingMs)
          : client.finishTask(
              {
                taskId,
                status: { code: status.code, message },
                finalState: {
                  case: 'error',
                  value: { nonRetryable: !outcome.ok && outcome.nonRetryable === true },
                },
              },
              deadline,
              remainingMs,
            ),
    );
    if (status === undefined) logger.info({ taskId }, 'task finished');
    else logger.warn({ taskId, code: status.code, error: message }, 'task finished with an error');
    return true;
  } catch (err) {
    logger.error({ err, taskId }, 'could not report the end of the task to ConductorOne');
    return false;
  } finally {
    linked.dispose();
  }
}
