import { dirname } from 'node:path';
import { errnoInCauses } from '../../common/causes.js';
import { DISK_FULL_CODES } from '../../common/errno-codes.js';
import { BatonError, GrpcCode } from '../errors.js';
import { formatBytes } from '../format-bytes.js';

/** Whether `err` (or an error in its cause chain) says the disk or the user's quota is full. */
export const isDiskFull = (err: unknown): boolean => errnoInCauses(err, DISK_FULL_CODES) !== undefined;

const codeOf = (err: unknown): string => errnoInCauses(err, DISK_FULL_CODES) ?? 'ENOSPC';

export interface OutputDirFull {
  /** The c1z being replaced. */
  file: string;
  /** Bytes of `<file>.tmp` written when the disk filled. */
  writtenBytes: number;
  /** The size of the whole new file. */
  neededBytes: number;
  cause: unknown;
}

/** The output filesystem cannot hold the new file: exit 8, with where and how much room is needed. */
export function outputDirFullError(o: OutputDirFull): BatonError {
  const dir = dirname(o.file);
  return new BatonError(
    GrpcCode.RESOURCE_EXHAUSTED,
    `no space left in ${dir} for the new ${o.file} (${codeOf(o.cause)} after ${formatBytes(o.writtenBytes)} ` +
      `of ${o.file}.tmp were written): the new file needs about ${formatBytes(o.neededBytes)} free there, ` +
      `next to the previous file, which is replaced only once the new one is complete. The previous file is ` +
      `unchanged and ${o.file}.tmp was removed. Free space in ${dir} (or choose another --file) and run the ` +
      'same command again',
    { cause: o.cause },
  );
}

export interface WorkingDirFull {
  /** The directory the working database lives in. */
  tmpDir: string;
  /** The directory was chosen with --c1z-temp-dir (else it is the OS temp directory). */
  fromOption: boolean;
  /** Bytes the working database (with its journal) took when the disk filled. */
  usedBytes: number;
  /** Bytes free in the directory when the store was opened, when known. */
  freeAtStartBytes?: number | undefined;
  /** Whether the sync's work so far stays there for the next run to resume. */
  kept: boolean;
  cause: unknown;
}

/**
 * The working-database directory is full: exit 8, naming it and how it was chosen, how much room a sync of
 * this size needs, and whether the work done so far was kept for a resume. The room is an estimate: more
 * than was free when the sync started, and twice what the database took (it was still growing, and
 * finishing it rebuilds indexes); SQLite may have rolled back what it was writing, hence both.
 */
export function workingDirFullError(o: WorkingDirFull): BatonError {
  const where = o.fromOption ? `the --c1z-temp-dir ${o.tmpDir}` : `the OS temp directory ${o.tmpDir}`;
  const free = o.freeAtStartBytes;
  const needed = Math.max(2 * o.usedBytes, (free ?? 0) + Math.max(o.usedBytes, MIN_GROWTH));
  const kept = o.kept
    ? `The work done so far is kept there: free space and run the same command again to resume it ` +
      '(with another --c1z-temp-dir the sync starts over).'
    : 'Nothing was kept: free space there, or choose another --c1z-temp-dir, and run the same command again.';
  return new BatonError(
    GrpcCode.RESOURCE_EXHAUSTED,
    `no space left for the working database in ${where} (${codeOf(o.cause)}; the database took ` +
      `${formatBytes(o.usedBytes)} when it filled` +
      (free === undefined ? '' : `, and ${formatBytes(free)} were free when the sync started`) +
      `): a sync of this size needs at least ${formatBytes(needed)} free there. ${kept}`,
    { cause: o.cause },
  );
}

/** The least extra room to suggest, whatever the figures (a schema alone takes hundreds of KiB). */
const MIN_GROWTH = 1024 * 1024;
