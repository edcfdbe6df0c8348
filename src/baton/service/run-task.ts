import type { Task } from '../gen/c1/connectorapi/baton/v1/baton_pb.js';
import { finishTask } from './finish-task.js';
import { runFullSyncTask } from './full-sync-task.js';
import type { TaskContext } from './task-context.js';

/** snake_case names of the task_type oneof, as ConductorOne and the SDK logs spell them. */
export const taskTypeName = (task: Task): string =>
  task.taskType.case === undefined
    ? 'none'
    : task.taskType.case.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Runs one task from GetTask. `hello` is answered with a Hello carrying the task ID, `sync_full` runs a
 * sync; every other type is finished at once with the SDK's "unsupported task type" error (status UNKNOWN,
 * as for a plain Go error): the connector is read-only. Never throws.
 */
export async function runTask(ctx: TaskContext, task: Task): Promise<void> {
  const type = taskTypeName(task);
  const logger = ctx.logger.child({ taskId: task.id, taskType: type });
  logger.info('task received');
  try {
    switch (task.taskType.case) {
      case 'hello':
        await ctx.hello(task.id, ctx.signal);
        logger.info('answered hello');
        return;
      case 'syncFull':
        await runFullSyncTask({ ...ctx, logger }, task.id, task.taskType.value);
        return;
      case undefined:
      case 'none':
        return;
      default:
        logger.warn('refusing a task this read-only connector does not support');
        await finishTask({ ...ctx, logger }, task.id, {
          ok: false,
          error: new Error('unsupported task type'),
        });
    }
  } catch (err) {
    logger.error({ err }, 'task failed');
  }
}
