import type { TaskContext } from './task-context.js';
import { statusOfError } from './status-of-error.js';

export type TaskOutcome = { ok: true } | { ok: false; error: unknown; nonRetryable?: boolean };

/**
 * FinishTask, with its own deadline and a signal that SIGTERM does not abort: a task stopped by shutdown is
 * still reported, so ConductorOne can reschedule it at once. Never throws; a failure is logged.
 */
export async function finishTask(ctx: TaskContext, taskId: string, outcome: TaskOutcome): Promise<boolean> {
  const { client, timing, logger } = ctx;
  const deadline = AbortSignal.timeout(timing.finishTaskTimeoutMs);
  try {
    if (outcome.ok) {
      await client.finishTask(
        { taskId, finalState: { case: 'success', value: {} } },
        deadline,
        timing.finishTaskTimeoutMs,
      );
      logger.info({ taskId }, 'task finished');
    } else {
      const status = statusOfError(outcome.error);
      const message = ctx.scrub(status.message);
      await client.finishTask(
        {
          taskId,
          status: { code: status.code, message },
          finalState: { case: 'error', value: { nonRetryable: outcome.nonRetryable === true } },
        },
        deadline,
        timing.finishTaskTimeoutMs,
      );
      logger.warn({ taskId, code: status.code, error: message }, 'task finished with an error');
    }
    return true;
  } catch (err) {
    logger.error({ err, taskId }, 'could not report the end of the task to ConductorOne');
    return false;
  }
}
