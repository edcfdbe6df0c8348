import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stoppedBecause } from '../../common/abort.js';
import { BatonError, GrpcCode } from '../errors.js';
import type { Task_SyncFullTask } from '../gen/c1/connectorapi/baton/v1/baton_pb.js';
import { finishTask } from './finish-task.js';
import type { TaskContext } from './task-context.js';
import { startTaskHeartbeat, type TaskHeartbeat } from './task-heartbeat.js';
import { uploadAsset } from './upload-asset.js';

/**
 * A `sync_full` task (baton-sdk `full_sync.go`, docs/service-mode.md, "The conversation"): heartbeat, sync
 * into a private temporary directory, upload the c1z, finish, and remove the directory whatever happened. The
 * file is always a v1 (SQLite) c1z: `storage_engine` "pebble" asks for v3, but every reader accepts v1.
 */
export async function runFullSyncTask(
  ctx: TaskContext,
  taskId: string,
  spec: Task_SyncFullTask,
): Promise<void> {
  // runTask's logger already carries taskId and taskType; binding them again would repeat the keys.
  const logger = ctx.logger;
  let dir: string;
  try {
    dir = await mkdtemp(join(ctx.tmpDir, 'baton-sdk-sync-upload-'));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const error = new BatonError(
      GrpcCode.FAILED_PRECONDITION,
      `cannot create a temporary directory: ${reason}`,
    );
    await finishTask({ ...ctx, logger }, taskId, { ok: false, error });
    return;
  }
  try {
    let heartbeat: TaskHeartbeat;
    try {
      heartbeat = await startTaskHeartbeat({ ...ctx, taskId, logger });
    } catch (err) {
      // Unlike the SDK, which leaves such a task to time out, ConductorOne learns why it did not run.
      logger.error({ err }, 'first heartbeat failed');
      const error = stoppedBecause(ctx.signal, err);
      await finishTask({ ...ctx, logger }, taskId, { ok: false, error });
      return;
    }
    try {
      // Cancelled by ConductorOne (or stopping) before it started: finished CANCELLED below.
      heartbeat.signal.throwIfAborted();
      await syncAndUpload(ctx, taskId, spec, dir, heartbeat.signal, logger);
      heartbeat.stop();
      await finishTask({ ...ctx, logger }, taskId, { ok: true });
    } catch (err) {
      heartbeat.stop();
      // A sync that stopped because of the signal reports why the signal fired, not how the sync noticed.
      const error = stoppedBecause(heartbeat.signal, err);
      await finishTask({ ...ctx, logger }, taskId, { ok: false, error, nonRetryable: isNonRetryable(error) });
    } finally {
      logger.debug({ heartbeats: heartbeat.sent() }, 'sync task done');
    }
  } finally {
    await rm(dir, { recursive: true, force: true }).catch((err: unknown) =>
      logger.warn({ err, dir }, 'could not remove the temporary sync directory'),
    );
  }
}

async function syncAndUpload(
  ctx: TaskContext,
  taskId: string,
  spec: Task_SyncFullTask,
  dir: string,
  signal: AbortSignal,
  logger: TaskContext['logger'],
): Promise<void> {
  if (spec.targetedSyncResources.length > 0) {
    throw new TargetedSyncError();
  }
  if (spec.storageEngine !== '' && spec.storageEngine !== 'sqlite') {
    logger.debug(
      { storageEngine: spec.storageEngine },
      'writing a v1 (SQLite) c1z, which every reader accepts',
    );
  }
  const file = join(dir, 'sync.c1z');
  const options = {
    skipEntitlementsAndGrants: spec.skipEntitlementsAndGrants,
    resourceTypeIds: [...spec.syncResourceTypeIds],
    skipGrants: spec.skipGrants,
    skipExpandGrants: spec.skipExpandGrants,
  };
  logger.info(options, 'starting full sync');
  await ctx.runFullSync({ file, tmpDir: dir, ...options, signal });
  signal.throwIfAborted();
  const upload = await uploadAsset({
    client: ctx.client,
    taskId,
    file,
    signal,
    logger,
    retryDelayMs: ctx.timing.uploadRetryDelayMs,
  });
  logger.info(upload, 'uploaded the c1z');
}

/** Asked for a partial sync, which this connector does not advertise (no SERVICE_MODE_TARGETED_SYNC). */
class TargetedSyncError extends BatonError {
  constructor() {
    super(
      GrpcCode.UNIMPLEMENTED,
      'targeted sync is not supported: this connector only runs full syncs (no SERVICE_MODE_TARGETED_SYNC capability)',
      { errorCode: 'TARGETED_SYNC_UNSUPPORTED' },
    );
  }
}

const isNonRetryable = (err: unknown): boolean => err instanceof TargetedSyncError;
