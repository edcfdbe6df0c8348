// The documented v0.25.0 schema (baton-interop.md, "Exact DDL"), verbatim, and a structural
// description of a database's schema to compare written files against it.
import Database from 'better-sqlite3';

export const DOCUMENTED_DDL = `
CREATE TABLE IF NOT EXISTS v1_resource_types (
  id            integer PRIMARY KEY,
  external_id   text     NOT NULL,
  data          blob     NOT NULL,
  sync_id       text     NOT NULL,
  discovered_at datetime NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS idx_resource_types_external_sync_v1
  ON v1_resource_types (external_id, sync_id);
CREATE TABLE IF NOT EXISTS v1_resources (
  id                      integer PRIMARY KEY,
  resource_type_id        text     NOT NULL,
  external_id             text     NOT NULL,
  parent_resource_type_id text,
  parent_resource_id      text,
  data                    blob     NOT NULL,
  sync_id                 text     NOT NULL,
  discovered_at           datetime NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_resources_resource_type_id_v1
  ON v1_resources (resource_type_id);
CREATE INDEX IF NOT EXISTS idx_resources_external_sync_v1
  ON v1_resources (parent_resource_type_id, parent_resource_id);
CREATE UNIQUE INDEX IF NOT EXISTS idx_resources_parent_resource_id_v1
  ON v1_resources (external_id, sync_id);
CREATE TABLE IF NOT EXISTS v1_entitlements (
  id               integer PRIMARY KEY,
  resource_type_id text     NOT NULL,
  resource_id      text     NOT NULL,
  external_id      text     NOT NULL,
  data             blob     NOT NULL,
  sync_id          text     NOT NULL,
  discovered_at    datetime NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_entitlements_resource_id_v1
  ON v1_entitlements (resource_type_id, resource_id);
CREATE UNIQUE INDEX IF NOT EXISTS idx_entitlements_external_sync_v1
  ON v1_entitlements (external_id, sync_id);
CREATE TABLE IF NOT EXISTS v1_sync_runs (
  id                          integer PRIMARY KEY,
  sync_id                     text     NOT NULL,
  started_at                  datetime NOT NULL,
  ended_at                    datetime,
  sync_token                  text     NOT NULL,
  sync_type                   text     NOT NULL DEFAULT 'full',
  parent_sync_id              text     NOT NULL DEFAULT '',
  linked_sync_id              text     NOT NULL DEFAULT '',
  supports_diff               integer  NOT NULL DEFAULT 0,
  grants_backfilled           integer  NOT NULL DEFAULT 0,
  stats                       text,
  ingest_invariant_generation text     NOT NULL DEFAULT '',
  ingest_invariant_coverage   text     NOT NULL DEFAULT '',
  ingest_invariant_mode       text     NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX IF NOT EXISTS idx_sync_runs_sync_id_v1
  ON v1_sync_runs (sync_id);
CREATE TABLE IF NOT EXISTS v1_grants (
  id                         integer PRIMARY KEY,
  resource_type_id           text     NOT NULL,
  resource_id                text     NOT NULL,
  entitlement_id             text     NOT NULL,
  principal_resource_type_id text     NOT NULL,
  principal_resource_id      text     NOT NULL,
  external_id                text     NOT NULL,
  expansion                  blob,
  needs_expansion            integer  NOT NULL DEFAULT 0,
  data                       blob     NOT NULL,
  sync_id                    text     NOT NULL,
  discovered_at              datetime NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_grants_resource_type_id_resource_id_v1
  ON v1_grants (resource_type_id, resource_id);
CREATE INDEX IF NOT EXISTS idx_grants_principal_id_v1
  ON v1_grants (principal_resource_type_id, principal_resource_id);
CREATE INDEX IF NOT EXISTS idx_grants_entitlement_id_principal_id_v1
  ON v1_grants (entitlement_id, principal_resource_type_id, principal_resource_id);
CREATE UNIQUE INDEX IF NOT EXISTS idx_grants_external_sync_v1
  ON v1_grants (external_id, sync_id);
CREATE INDEX IF NOT EXISTS idx_grants_entitlement_sync_grant_v1
  ON v1_grants (entitlement_id, sync_id, id);
CREATE INDEX IF NOT EXISTS idx_grants_sync_expansion_v1
  ON v1_grants (sync_id) WHERE expansion IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_grants_sync_needs_expansion_v1
  ON v1_grants (sync_id) WHERE needs_expansion = 1;
CREATE TABLE IF NOT EXISTS v1_assets (
  id            integer PRIMARY KEY,
  external_id   text     NOT NULL,
  content_type  text     NOT NULL,
  data          blob     NOT NULL,
  sync_id       text     NOT NULL,
  discovered_at datetime NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS idx_assets_external_sync_v1
  ON v1_assets (external_id, sync_id);
CREATE TABLE IF NOT EXISTS v1_connector_sessions (
  id      integer PRIMARY KEY,
  sync_id text NOT NULL,
  key     text NOT NULL,
  value   blob NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS idx_session_store_sync_key_v1
  ON v1_connector_sessions (sync_id, key);
`;

export interface ColumnInfo {
  cid: number;
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}

export interface IndexInfo {
  name: string;
  unique: number;
  origin: string;
  partial: number;
  columns: string[];
  /** Normalised WHERE clause of a partial index. */
  where: string | null;
}

export interface TableSchema {
  columns: ColumnInfo[];
  indexes: IndexInfo[];
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

/** Tables (sorted by name) with their columns (table_info) and indexes (index_list + index_info). */
export function describeSchema(db: Database.Database): Record<string, TableSchema> {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string }[];
  const out: Record<string, TableSchema> = {};
  for (const { name } of tables) {
    const columns = db.prepare('SELECT * FROM pragma_table_info(?) ORDER BY cid').all(name) as ColumnInfo[];
    const list = db.prepare('SELECT * FROM pragma_index_list(?) ORDER BY name').all(name) as {
      name: string;
      unique: number;
      origin: string;
      partial: number;
    }[];
    const indexes = list.map((ix) => {
      const cols = db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').all(ix.name) as {
        name: string;
      }[];
      const sql = (
        db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(ix.name) as { sql: string | null }
      ).sql;
      const where = sql === null ? null : (/\bWHERE\b(.*)$/is.exec(sql)?.[1] ?? null);
      return {
        name: ix.name,
        unique: ix.unique,
        origin: ix.origin,
        partial: ix.partial,
        columns: cols.map((c) => c.name),
        where: where === null ? null : norm(where),
      };
    });
    out[name] = { columns, indexes };
  }
  return out;
}

/** The documented schema, built from the DDL above in a scratch in-memory database. */
export function documentedSchema(): Record<string, TableSchema> {
  const db = new Database(':memory:');
  try {
    db.exec(DOCUMENTED_DDL);
    return describeSchema(db);
  } finally {
    db.close();
  }
}

/** Same as describeSchema but columns compared by name (migrated files append columns last). */
export function byColumnName(schema: Record<string, TableSchema>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [table, s] of Object.entries(schema)) {
    out[table] = {
      columns: s.columns
        .map(({ name, type, notnull, dflt_value, pk }) => ({ name, type, notnull, dflt_value, pk }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      indexes: s.indexes,
    };
  }
  return out;
}
