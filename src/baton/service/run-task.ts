import { stoppedBecause } from '../../common/abort.js';
import { BatonError, GrpcCode } from '../errors.js';
import type { Task } from '../gen/c1/connectorapi/baton/v1/baton_pb.js';
import { finishTask } from './finish-task.js';
import { runFullSyncTask } from './full-sync-task.js';
import { withRetry } from './rpc-retry.js';
import type { TaskContext } from './task-context.js';

/** snake_case names of the task_type oneof, as ConductorOne and the SDK logs spell them. */
export const taskTypeName = (task: Task): string =>
  task.taskType.case === undefined
    ? 'none'
    : task.taskType.case.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** How long a hello task's Hello is retried on transient failures before the task is finished failed. */
const HELLO_TASK_BUDGET_MS = 30_000;

/**
 * Runs one task from GetTask. `hello` is answered with a Hello carrying the task ID (as in the SDK, that
 * Hello is the answer: no FinishTask follows unless it fails), `sync_full` runs a sync; every other type is
 * finished at once with the SDK's "unsupported task type" error (status UNKNOWN, as for a plain Go error):
 * the connector is read-only. Whatever a handler does or throws, a task that was not answered ends with
 * exactly one FinishTask. Never throws.
 */
export async function runTask(ctx: TaskContext, task: Task): Promise<void> {
  const type = taskTypeName(task);
  const logger = ctx.logger.child({ taskId: task.id, taskType: type });
  const taskCtx: TaskContext = { ...ctx, logger };
  logger.info('task received');
  let answered = false;
  let failure: unknown;
  try {
    switch (task.taskType.case) {
      case 'hello':
        await helloTask(taskCtx, task.id);
        answered = true;
        logger.info('answered hello');
        return;
      case 'syncFull':
        await runFullSyncTask(taskCtx, task.id, task.taskType.value);
        return;
      case undefined:
      case 'none':
        answered = true;
        return;
      default:
        logger.warn('refusing a task this read-only connector does not support');
        await finishTask(taskCtx, task.id, { ok: false, error: new Error('unsupported task type') });
    }
  } catch (err) {
    failure = stoppedBecause(ctx.signal, err);
    logger.error({ err }, 'task failed');
  } finally {
    if (!answered && !ctx.finishedTasks.has(task.id)) {
      await finishTask(taskCtx, task.id, {
        ok: false,
        error: failure ?? new BatonError(GrpcCode.INTERNAL, 'the task ended without a result'),
      });
    }
    // A task ID ConductorOne hands out again later is a new run of that task.
    ctx.finishedTasks.delete(task.id);
  }
}

async function helloTask(ctx: TaskContext, taskId: string): Promise<void> {
  await withRetry(
    {
      rpc: 'hello',
      signal: ctx.signal,
      budgetMs: HELLO_TASK_BUDGET_MS,
      initialMs: ctx.timing.retryBackoffInitialMs,
      maxMs: ctx.timing.retryBackoffMaxMs,
      logger: ctx.logger,
      onRetry: (rpc) => ctx.client.countRetry(rpc),
      fields: { taskId },
    },
    () => ctx.hello(taskId, ctx.signal),
  );
}
