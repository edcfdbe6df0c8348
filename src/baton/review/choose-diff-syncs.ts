import type { C1zReader } from '../c1z/reader.js';
import type { SyncRunRow } from '../c1z/store.js';
import { BatonError, GrpcCode } from '../errors.js';

/** Finished full syncs, newest first (ended_at, then sync id, descending: the order Go reads them in). */
export function finishedFullSyncs(reader: C1zReader): SyncRunRow[] {
  return reader
    .listSyncs()
    .filter((r) => r.endedAt !== null && r.syncType === 'full')
    .sort((a, b) => cmp(b.endedAt!, a.endedAt!) || cmp(b.syncId, a.syncId));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface DiffSyncChoice {
  from: SyncRunRow;
  to: SyncRunRow;
}

/**
 * The two syncs of one file to compare: `to` is the sync asked for or the latest finished full sync;
 * `from` the one asked for or the finished full sync before `to`. FAILED_PRECONDITION (exit 9) when the
 * file has nothing to compare with; NOT_FOUND when an asked-for sync is not in it.
 */
export function chooseSyncsInFile(reader: C1zReader, fromId?: string, toId?: string): DiffSyncChoice {
  const full = finishedFullSyncs(reader);
  const to = toId === undefined ? full[0] : reader.chooseSync(toId);
  if (to === undefined) {
    throw new BatonError(
      GrpcCode.FAILED_PRECONDITION,
      `${reader.path} holds no finished full sync: there is nothing to compare; finish a sync into it first`,
    );
  }
  if (fromId !== undefined) return { from: reader.chooseSync(fromId), to };
  const from = full.find(
    (r) => r !== to && r.syncId !== to.syncId && (r.endedAt ?? '') <= (to.endedAt ?? '~'),
  );
  if (from === undefined) {
    throw new BatonError(
      GrpcCode.FAILED_PRECONDITION,
      `${reader.path} holds no finished full sync older than ${to.syncId}, so there is nothing to compare it ` +
        'with: run another sync into the same file first (the file keeps the newest two full syncs), or compare ' +
        'with an older file: --base-file OLD.c1z',
    );
  }
  return { from, to };
}

/** The latest finished full sync of a file (or the sync asked for), for --base-file comparisons. */
export function chooseLatestFull(reader: C1zReader, syncId?: string): SyncRunRow {
  if (syncId !== undefined) return reader.chooseSync(syncId);
  const latest = finishedFullSyncs(reader)[0];
  if (latest === undefined) {
    throw new BatonError(
      GrpcCode.FAILED_PRECONDITION,
      `${reader.path} holds no finished full sync to compare: finish a sync into it first, or name a sync ` +
        '(--from for --base-file, --to for --file)',
    );
  }
  return latest;
}
