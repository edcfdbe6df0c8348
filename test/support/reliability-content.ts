// What a c1z written by the CLI holds, read with the independent decoder, plus file-level facts
// (hashes, leftovers) the reliability scenarios compare before and after a fault.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { finishedSyncs, openC1zDb, syncContent } from './open-c1z-db.js';

export interface SyncedContent {
  syncId: string;
  syncCount: number;
  resourceTypes: string[];
  resources: string[];
  entitlements: string[];
  grants: string[];
}

/**
 * The newest finished sync of `file`. Also checks what a corrupt or careless writer would break: the
 * SQLite database passes integrity_check, and no external id appears twice within the sync.
 */
export function readSynced(file: string): SyncedContent {
  const { db, close } = openC1zDb(file);
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok', `${file}: database integrity`);
    const syncs = finishedSyncs(db);
    const last = syncs.at(-1);
    assert.ok(last, `${file} holds no finished sync`);
    for (const table of ['v1_resources', 'v1_entitlements', 'v1_grants']) {
      const dupes = db
        .prepare(
          `select external_id, count(*) as n from ${table} where sync_id = ? group by external_id having n > 1`,
        )
        .all(last.sync_id);
      assert.deepEqual(dupes, [], `${file}: duplicate rows in ${table}`);
    }
    return { syncId: last.sync_id, syncCount: syncs.length, ...syncContent(db, last.sync_id) };
  } finally {
    close();
  }
}

/** The four id lists, for comparing two syncs' content regardless of ids and timestamps. */
export function contentOf(c: SyncedContent): Omit<SyncedContent, 'syncId' | 'syncCount'> {
  return {
    resourceTypes: c.resourceTypes,
    resources: c.resources,
    entitlements: c.entitlements,
    grants: c.grants,
  };
}

export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The names in a directory, sorted; [] when it does not exist. */
export function namesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** Asserts every id of `subset` is in `all`, naming the first few missing ones. */
export function assertIncludesAll(all: readonly string[], subset: readonly string[], what: string): void {
  const have = new Set(all);
  const missing = subset.filter((id) => !have.has(id));
  assert.deepEqual(missing.slice(0, 5), [], `${missing.length} ${what} missing`);
}
