import { create } from '@bufbuild/protobuf';
import type { Database } from 'better-sqlite3';
import { SyncStatsSchema } from '../gen/c1/reader/v2/sync_pb.js';
import type { SyncStats } from '../gen/c1/reader/v2/sync_pb.js';
import { compareUtf8 } from '../model/utf8-compare.js';

const count = (db: Database, sql: string, syncId: string): bigint =>
  BigInt((db.prepare(sql).get(syncId) as { n: number }).n);

function countBy(db: Database, table: string, syncId: string): Record<string, bigint> {
  const rows = db
    .prepare(
      `SELECT resource_type_id AS k, count(*) AS n FROM ${table} WHERE sync_id = ? GROUP BY resource_type_id`,
    )
    .all(syncId) as { k: string; n: number }[];
  const out: Record<string, bigint> = {};
  for (const row of rows.sort((a, b) => compareUtf8(a.k, b.k))) out[row.k] = BigInt(row.n);
  return out;
}

/** Counts of one sync, as Go's C1File.Stats computes them for the v1_sync_runs.stats column. */
export function computeSyncStats(db: Database, syncId: string): SyncStats {
  return create(SyncStatsSchema, {
    resourceTypes: count(db, 'SELECT count(*) AS n FROM v1_resource_types WHERE sync_id = ?', syncId),
    resources: count(db, 'SELECT count(*) AS n FROM v1_resources WHERE sync_id = ?', syncId),
    entitlements: count(db, 'SELECT count(*) AS n FROM v1_entitlements WHERE sync_id = ?', syncId),
    grants: count(db, 'SELECT count(*) AS n FROM v1_grants WHERE sync_id = ?', syncId),
    resourcesByResourceType: countBy(db, 'v1_resources', syncId),
    grantsByResourceType: countBy(db, 'v1_grants', syncId),
    entitlementsByResourceType: countBy(db, 'v1_entitlements', syncId),
    assets: count(db, 'SELECT count(*) AS n FROM v1_assets WHERE sync_id = ?', syncId),
  });
}

/**
 * Go encoding/json of the hybrid-API struct reader_v2.SyncStats: snake_case keys in struct order,
 * zero values and empty maps omitted (omitempty), map keys sorted, HTML-safe string escaping.
 */
export function syncStatsToGoJson(stats: SyncStats): string {
  const parts: string[] = [];
  const num = (key: string, v: bigint) => {
    if (v !== 0n) parts.push(`${goString(key)}:${v}`);
  };
  const map = (key: string, m: Record<string, bigint>) => {
    const keys = Object.keys(m).sort(compareUtf8);
    if (keys.length === 0) return;
    parts.push(`${goString(key)}:{${keys.map((k) => `${goString(k)}:${m[k]}`).join(',')}}`);
  };
  num('resource_types', stats.resourceTypes);
  num('resources', stats.resources);
  num('entitlements', stats.entitlements);
  num('grants', stats.grants);
  map('resources_by_resource_type', stats.resourcesByResourceType);
  map('grants_by_resource_type', stats.grantsByResourceType);
  map('entitlements_by_resource_type', stats.entitlementsByResourceType);
  num('assets', stats.assets);
  map('step_durations_ms', stats.stepDurationsMs);
  // connector_call_stats and session_store_stats are only recorded by Go's Pebble engine.
  return `{${parts.join(',')}}`;
}

/** JSON string as Go's encoding/json writes it (escapes <, >, &, U+2028 and U+2029). */
export function goString(s: string): string {
  return JSON.stringify(s).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
