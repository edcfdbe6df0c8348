// Opens a c1z with tools independent of the writer (fzstd + better-sqlite3), for assertions on its rows.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { decompress } from 'fzstd';

export interface C1zDb {
  db: Database.Database;
  close: () => void;
}

export function openC1zDb(file: string): C1zDb {
  const bytes = readFileSync(file);
  if (bytes.subarray(0, 5).toString('latin1') !== 'C1ZF\0') throw new Error(`${file} is not a c1z v1 file`);
  const dir = mkdtempSync(join(tmpdir(), 'c1z-test-'));
  const path = join(dir, 'db');
  writeFileSync(path, decompress(bytes.subarray(5)));
  const db = new Database(path, { readonly: true });
  return {
    db,
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Rows of one sync as plain sets of ids, for comparing two files' content. */
export function syncContent(db: Database.Database, syncId: string) {
  const ids = (sql: string) => (db.prepare(sql).pluck().all(syncId) as string[]).sort();
  return {
    resourceTypes: ids('select external_id from v1_resource_types where sync_id = ?'),
    resources: ids('select external_id from v1_resources where sync_id = ?'),
    entitlements: ids('select external_id from v1_entitlements where sync_id = ?'),
    grants: ids('select external_id from v1_grants where sync_id = ?'),
  };
}

export function finishedSyncs(
  db: Database.Database,
): { sync_id: string; sync_type: string; sync_token: string }[] {
  return db
    .prepare('select sync_id, sync_type, sync_token from v1_sync_runs where ended_at is not null order by id')
    .all() as { sync_id: string; sync_type: string; sync_token: string }[];
}
