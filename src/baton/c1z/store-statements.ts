import type { Database, Statement } from 'better-sqlite3';

/** Prepared statements of a C1zStore, compiled once per open (writes run thousands of times). */
export interface StoreStatements {
  insertSyncRun: Statement;
  syncRun: Statement;
  latestUnfinished: Statement;
  latestFinishedFull: Statement;
  endSync: Statement;
  setStats: Statement;
  hasResource: Statement;
  resourcesPage: Statement;
  resourcesOfTypePage: Statement;
  resourceTypesPage: Statement;
  entitlementIdsPage: Statement;
  countResourceTypes: Statement;
  countResources: Statement;
  countEntitlements: Statement;
  countGrants: Statement;
}

const SYNC_RUN_COLUMNS =
  'sync_id AS syncId, started_at AS startedAt, ended_at AS endedAt, sync_token AS syncToken, ' +
  'sync_type AS syncType, parent_sync_id AS parentSyncId';

export function prepareStatements(db: Database): StoreStatements {
  return {
    // New syncs start with grants_backfilled = 1: their grant rows already have expansion split out.
    insertSyncRun: db.prepare(
      `INSERT INTO v1_sync_runs (sync_id, started_at, sync_token, sync_type, parent_sync_id, linked_sync_id, grants_backfilled)
       VALUES (?, ?, ?, ?, ?, '', 1)`,
    ),
    syncRun: db.prepare(`SELECT ${SYNC_RUN_COLUMNS} FROM v1_sync_runs WHERE sync_id = ?`),
    latestUnfinished: db.prepare(
      `SELECT ${SYNC_RUN_COLUMNS} FROM v1_sync_runs WHERE sync_type = ? AND ended_at IS NULL ORDER BY id DESC LIMIT 1`,
    ),
    latestFinishedFull: db.prepare(
      `SELECT ${SYNC_RUN_COLUMNS} FROM v1_sync_runs WHERE sync_type = 'full' AND ended_at IS NOT NULL
       ORDER BY ended_at DESC, sync_id DESC LIMIT 1`,
    ),
    endSync: db.prepare('UPDATE v1_sync_runs SET ended_at = ? WHERE sync_id = ? AND ended_at IS NULL'),
    setStats: db.prepare('UPDATE v1_sync_runs SET stats = ? WHERE sync_id = ?'),
    hasResource: db.prepare(
      'SELECT 1 FROM v1_resources WHERE external_id = ? AND sync_id = ? AND resource_type_id = ?',
    ),
    resourcesPage: db.prepare(
      'SELECT id, data FROM v1_resources WHERE sync_id = ? AND id > ? ORDER BY id LIMIT ?',
    ),
    resourcesOfTypePage: db.prepare(
      'SELECT id, data FROM v1_resources WHERE sync_id = ? AND resource_type_id = ? AND id > ? ORDER BY id LIMIT ?',
    ),
    resourceTypesPage: db.prepare(
      'SELECT id, data FROM v1_resource_types WHERE sync_id = ? AND id > ? ORDER BY id LIMIT ?',
    ),
    entitlementIdsPage: db.prepare(
      'SELECT id, external_id AS data FROM v1_entitlements WHERE sync_id = ? AND id > ? ORDER BY id LIMIT ?',
    ),
    countResourceTypes: db.prepare('SELECT count(*) AS n FROM v1_resource_types WHERE sync_id = ?'),
    countResources: db.prepare('SELECT count(*) AS n FROM v1_resources WHERE sync_id = ?'),
    countEntitlements: db.prepare('SELECT count(*) AS n FROM v1_entitlements WHERE sync_id = ?'),
    countGrants: db.prepare('SELECT count(*) AS n FROM v1_grants WHERE sync_id = ?'),
  };
}
