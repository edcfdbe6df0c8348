// What a c1z written by the CLI holds, read with the independent decoder, plus file-level facts
// (hashes, leftovers) the reliability scenarios compare before and after a fault.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fromBinary, toJson, type DescMessage, type JsonValue } from '@bufbuild/protobuf';
import type Database from 'better-sqlite3';
import { EntitlementSchema } from '../../src/baton/gen/c1/connector/v2/entitlement_pb.js';
import { GrantSchema } from '../../src/baton/gen/c1/connector/v2/grant_pb.js';
import { ResourceSchema, ResourceTypeSchema } from '../../src/baton/gen/c1/connector/v2/resource_pb.js';
import { batonRegistry } from '../../src/baton/model/index.js';
import { finishedSyncs, openC1zDb, syncContent } from './open-c1z-db.js';

/** One stored row: every column but the row id, the sync id and the time it was written; `data` decoded. */
export type StoredRow = Record<string, JsonValue>;

export interface SyncedContent {
  syncId: string;
  syncCount: number;
  resourceTypes: string[];
  resources: string[];
  entitlements: string[];
  grants: string[];
  /** Every row of the sync by table, keyed by external id, with its protobuf `data` decoded to JSON. */
  rows: {
    resourceTypes: Record<string, StoredRow>;
    resources: Record<string, StoredRow>;
    entitlements: Record<string, StoredRow>;
    grants: Record<string, StoredRow>;
  };
}

/** Columns that legitimately differ between two syncs of the same data. */
const PER_RUN_COLUMNS = new Set(['id', 'sync_id', 'discovered_at']);

/**
 * The rows of one table in one sync, keyed by external id. `data` is decoded with the Baton messages (Any
 * values unpacked), so two syncs compare equal only when every name, status, trait, profile value and
 * annotation is the same; any other blob (grant expansion) is compared as hex.
 */
function decodedRows(
  db: Database.Database,
  table: string,
  schema: DescMessage,
  syncId: string,
): Record<string, StoredRow> {
  const registry = batonRegistry();
  const out: Record<string, StoredRow> = {};
  const rows = db.prepare(`select * from ${table} where sync_id = ? order by external_id`).all(syncId);
  for (const row of rows as Record<string, unknown>[]) {
    const kept: StoredRow = {};
    for (const [column, value] of Object.entries(row)) {
      if (PER_RUN_COLUMNS.has(column)) continue;
      if (column === 'data' && value instanceof Uint8Array)
        kept.data = toJson(schema, fromBinary(schema, value), { registry });
      else if (value instanceof Uint8Array) kept[column] = Buffer.from(value).toString('hex');
      else kept[column] = value as JsonValue;
    }
    out[String(row.external_id)] = kept;
  }
  return out;
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
    const rows = {
      resourceTypes: decodedRows(db, 'v1_resource_types', ResourceTypeSchema, last.sync_id),
      resources: decodedRows(db, 'v1_resources', ResourceSchema, last.sync_id),
      entitlements: decodedRows(db, 'v1_entitlements', EntitlementSchema, last.sync_id),
      grants: decodedRows(db, 'v1_grants', GrantSchema, last.sync_id),
    };
    return { syncId: last.sync_id, syncCount: syncs.length, ...syncContent(db, last.sync_id), rows };
  } finally {
    close();
  }
}

/**
 * Everything a sync stored, for comparing two syncs: the id lists and every row in full (decoded data and
 * the other columns). Only what differs by nature between runs is left out: the sync id, row ids and the
 * time each row was written. Nothing inside the data is normalised: a resource, entitlement or grant of a
 * correct sync does not depend on when or how many attempts it took.
 */
export function contentOf(c: SyncedContent): Omit<SyncedContent, 'syncId' | 'syncCount'> {
  return {
    resourceTypes: c.resourceTypes,
    resources: c.resources,
    entitlements: c.entitlements,
    grants: c.grants,
    rows: c.rows,
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
