import type { Database } from 'better-sqlite3';

interface TableSpec {
  name: string;
  /**
   * [column, declaration]; declared types must match Go's exactly (`datetime` matters: docs/c1z-format.md,
   * "SQLite layout").
   */
  columns: readonly (readonly [string, string])[];
  indexes: readonly string[];
}

// The v0.25.0 schema of a v1 c1z (docs/c1z-format.md, "SQLite layout"), in Go's table creation order.
const TABLES: readonly TableSpec[] = [
  {
    name: 'v1_resource_types',
    columns: [
      ['id', 'integer PRIMARY KEY'],
      ['external_id', 'text NOT NULL'],
      ['data', 'blob NOT NULL'],
      ['sync_id', 'text NOT NULL'],
      ['discovered_at', 'datetime NOT NULL'],
    ],
    indexes: [
      'CREATE UNIQUE INDEX IF NOT EXISTS idx_resource_types_external_sync_v1 ON v1_resource_types (external_id, sync_id)',
    ],
  },
  {
    name: 'v1_resources',
    columns: [
      ['id', 'integer PRIMARY KEY'],
      ['resource_type_id', 'text NOT NULL'],
      ['external_id', 'text NOT NULL'],
      ['parent_resource_type_id', 'text'],
      ['parent_resource_id', 'text'],
      ['data', 'blob NOT NULL'],
      ['sync_id', 'text NOT NULL'],
      ['discovered_at', 'datetime NOT NULL'],
    ],
    // The names do not match their columns; that is Go's (observed) schema.
    indexes: [
      'CREATE INDEX IF NOT EXISTS idx_resources_resource_type_id_v1 ON v1_resources (resource_type_id)',
      'CREATE INDEX IF NOT EXISTS idx_resources_external_sync_v1 ON v1_resources (parent_resource_type_id, parent_resource_id)',
      'CREATE UNIQUE INDEX IF NOT EXISTS idx_resources_parent_resource_id_v1 ON v1_resources (external_id, sync_id)',
    ],
  },
  {
    name: 'v1_entitlements',
    columns: [
      ['id', 'integer PRIMARY KEY'],
      ['resource_type_id', 'text NOT NULL'],
      ['resource_id', 'text NOT NULL'],
      ['external_id', 'text NOT NULL'],
      ['data', 'blob NOT NULL'],
      ['sync_id', 'text NOT NULL'],
      ['discovered_at', 'datetime NOT NULL'],
    ],
    indexes: [
      'CREATE INDEX IF NOT EXISTS idx_entitlements_resource_id_v1 ON v1_entitlements (resource_type_id, resource_id)',
      'CREATE UNIQUE INDEX IF NOT EXISTS idx_entitlements_external_sync_v1 ON v1_entitlements (external_id, sync_id)',
    ],
  },
  {
    name: 'v1_sync_runs',
    columns: [
      ['id', 'integer PRIMARY KEY'],
      ['sync_id', 'text NOT NULL'],
      ['started_at', 'datetime NOT NULL'],
      ['ended_at', 'datetime'],
      ['sync_token', 'text NOT NULL'],
      ['sync_type', "text NOT NULL DEFAULT 'full'"],
      ['parent_sync_id', "text NOT NULL DEFAULT ''"],
      ['linked_sync_id', "text NOT NULL DEFAULT ''"],
      ['supports_diff', 'integer NOT NULL DEFAULT 0'],
      ['grants_backfilled', 'integer NOT NULL DEFAULT 0'],
      ['stats', 'text'],
      ['ingest_invariant_generation', "text NOT NULL DEFAULT ''"],
      ['ingest_invariant_coverage', "text NOT NULL DEFAULT ''"],
      ['ingest_invariant_mode', "text NOT NULL DEFAULT ''"],
    ],
    indexes: ['CREATE UNIQUE INDEX IF NOT EXISTS idx_sync_runs_sync_id_v1 ON v1_sync_runs (sync_id)'],
  },
  {
    name: 'v1_grants',
    columns: [
      ['id', 'integer PRIMARY KEY'],
      ['resource_type_id', 'text NOT NULL'],
      ['resource_id', 'text NOT NULL'],
      ['entitlement_id', 'text NOT NULL'],
      ['principal_resource_type_id', 'text NOT NULL'],
      ['principal_resource_id', 'text NOT NULL'],
      ['external_id', 'text NOT NULL'],
      ['expansion', 'blob'],
      ['needs_expansion', 'integer NOT NULL DEFAULT 0'],
      ['data', 'blob NOT NULL'],
      ['sync_id', 'text NOT NULL'],
      ['discovered_at', 'datetime NOT NULL'],
    ],
    indexes: [
      'CREATE INDEX IF NOT EXISTS idx_grants_resource_type_id_resource_id_v1 ON v1_grants (resource_type_id, resource_id)',
      'CREATE INDEX IF NOT EXISTS idx_grants_principal_id_v1 ON v1_grants (principal_resource_type_id, principal_resource_id)',
      'CREATE INDEX IF NOT EXISTS idx_grants_entitlement_id_principal_id_v1 ON v1_grants (entitlement_id, principal_resource_type_id, principal_resource_id)',
      'CREATE UNIQUE INDEX IF NOT EXISTS idx_grants_external_sync_v1 ON v1_grants (external_id, sync_id)',
      'CREATE INDEX IF NOT EXISTS idx_grants_entitlement_sync_grant_v1 ON v1_grants (entitlement_id, sync_id, id)',
      'CREATE INDEX IF NOT EXISTS idx_grants_sync_expansion_v1 ON v1_grants (sync_id) WHERE expansion IS NOT NULL',
      'CREATE INDEX IF NOT EXISTS idx_grants_sync_needs_expansion_v1 ON v1_grants (sync_id) WHERE needs_expansion = 1',
    ],
  },
  {
    name: 'v1_assets',
    columns: [
      ['id', 'integer PRIMARY KEY'],
      ['external_id', 'text NOT NULL'],
      ['content_type', 'text NOT NULL'],
      ['data', 'blob NOT NULL'],
      ['sync_id', 'text NOT NULL'],
      ['discovered_at', 'datetime NOT NULL'],
    ],
    indexes: [
      'CREATE UNIQUE INDEX IF NOT EXISTS idx_assets_external_sync_v1 ON v1_assets (external_id, sync_id)',
    ],
  },
  {
    name: 'v1_connector_sessions',
    columns: [
      ['id', 'integer PRIMARY KEY'],
      ['sync_id', 'text NOT NULL'],
      ['key', 'text NOT NULL'],
      ['value', 'blob NOT NULL'],
    ],
    indexes: [
      'CREATE UNIQUE INDEX IF NOT EXISTS idx_session_store_sync_key_v1 ON v1_connector_sessions (sync_id, key)',
    ],
  },
];

export const C1Z_TABLES: readonly string[] = TABLES.map((t) => t.name);

/**
 * The plain (non-unique, non-partial) indexes of v1_grants. Row-by-row maintenance of these costs
 * more than the inserts themselves, so bulk writers may drop and rebuild them; the unique index
 * (needed for upserts) and the partial ones (nearly free to maintain) always stay.
 */
export const DEFERRABLE_GRANT_INDEXES: readonly { name: string; sql: string }[] = TABLES.find(
  (t) => t.name === 'v1_grants',
)!
  .indexes.filter((sql) => !sql.includes('UNIQUE') && !sql.includes('WHERE'))
  .map((sql) => ({ name: /INDEX IF NOT EXISTS (\w+)/.exec(sql)![1]!, sql }));

/** Tables whose rows belong to one sync and are removed with it. */
export const SYNC_SCOPED_TABLES: readonly string[] = C1Z_TABLES.filter((t) => t !== 'v1_sync_runs');

/**
 * Create every table and index of the current schema, adding columns that files written by older
 * SDKs lack (ALTER TABLE ADD COLUMN, as Go's migrations do; added columns land last). Returns the
 * number of columns added.
 */
export function applySchema(db: Database): number {
  let added = 0;
  for (const table of TABLES) {
    const defs = table.columns.map(([name, decl]) => `  ${name} ${decl}`).join(',\n');
    db.exec(`CREATE TABLE IF NOT EXISTS ${table.name} (\n${defs}\n)`);
    const present = tableColumns(db, table.name);
    for (const [name, decl] of table.columns) {
      if (present.has(name)) continue;
      db.exec(`ALTER TABLE ${table.name} ADD COLUMN ${name} ${decl}`);
      added++;
    }
    for (const index of table.indexes) db.exec(index);
  }
  return added;
}

/** Column names present in a table (readers of old files must not assume migrated columns). */
export function tableColumns(db: Database, table: string): Set<string> {
  const rows = db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[];
  return new Set(rows.map((r) => r.name));
}
