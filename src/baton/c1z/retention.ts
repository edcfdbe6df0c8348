import type { Database } from 'better-sqlite3';
import { SYNC_SCOPED_TABLES } from './schema.js';

export interface RetentionOptions {
  /** Finished full syncs to keep (BATON_KEEP_SYNC_COUNT, default 2). */
  keepFullSyncs: number;
  /** The sync being written, if any: it counts against the limit and is never deleted. */
  currentSyncId: string | undefined;
}

interface Row {
  sync_id: string;
  sync_type: string;
  started_at: string;
  ended_at: string | null;
}

/**
 * Go's cleanup policy (docs/c1z-format.md, "Syncs inside a file"): keep the newest `keep` finished full
 * syncs, one fewer while a sync is open, so a re-run file holds the current sync and one previous one for
 * `baton diff`; drop partial and resources-only syncs that ended before the oldest kept full sync started.
 * Unfinished syncs older than that (abandoned runs past resuming) go too. Returns deleted sync ids.
 */
export function syncsToDelete(db: Database, opts: RetentionOptions): string[] {
  const rows = db.prepare('SELECT sync_id, sync_type, started_at, ended_at FROM v1_sync_runs').all() as Row[];
  const open =
    opts.currentSyncId !== undefined &&
    rows.some((r) => r.sync_id === opts.currentSyncId && r.ended_at === null);
  const limit = Math.max(0, opts.keepFullSyncs - (open ? 1 : 0));
  const fullFinished = rows
    .filter((r) => r.sync_type === 'full' && r.ended_at !== null && r.sync_id !== opts.currentSyncId)
    .sort((a, b) => cmpDesc(a.ended_at!, b.ended_at!) || cmpDesc(a.sync_id, b.sync_id));
  const kept = fullFinished.slice(0, limit);
  const doomed = new Set(fullFinished.slice(limit).map((r) => r.sync_id));
  const oldestKept = kept.at(-1)?.started_at;
  if (oldestKept !== undefined) {
    for (const r of rows) {
      if (r.sync_id === opts.currentSyncId || (r.sync_type === 'full' && r.ended_at !== null)) continue;
      const before = r.ended_at === null ? r.started_at < oldestKept : r.ended_at < oldestKept;
      if (before) doomed.add(r.sync_id);
    }
  }
  return [...doomed];
}

/** Delete every row of the given syncs, in one transaction. */
export function deleteSyncs(db: Database, syncIds: readonly string[]): void {
  if (syncIds.length === 0) return;
  const statements = [...SYNC_SCOPED_TABLES, 'v1_sync_runs'].map((t) =>
    db.prepare(`DELETE FROM ${t} WHERE sync_id = ?`),
  );
  db.transaction(() => {
    for (const id of syncIds) for (const stmt of statements) stmt.run(id);
  })();
}

const cmpDesc = (a: string, b: string): number => (a < b ? 1 : a > b ? -1 : 0);
