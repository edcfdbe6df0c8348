import type { Database, Statement } from 'better-sqlite3';
import type { GrantRow } from './grant-row.js';

/** A v1_grants row that carries a GrantExpandable (its bytes in the `expansion` column). */
export interface ExpandableGrantRow {
  externalId: string;
  entitlementId: string;
  principalResourceTypeId: string;
  principalResourceId: string;
  expansion: Buffer;
}

export interface EntitlementRow {
  resourceTypeId: string;
  resourceId: string;
  data: Buffer;
}

export interface GrantDataRow {
  id: number;
  principalResourceTypeId: string;
  principalResourceId: string;
  data: Buffer;
}

/** The key principalsOf() returns for a principal. */
export const principalKey = (type: string, id: string): string => `${type}\0${id}`;

/** A derived grant's v1_grants values: the row's columns without the expansion ones (derived grants expand nothing). */
export type NewGrantRow = Omit<GrantRow, 'expansion' | 'needsExpansion' | 'data'> & { data: Uint8Array };

const PAGE_ROWS = 1000;
/** Rows per multi-row INSERT of new grants: fewer statement runs, far below SQLite's parameter limit. */
const ROWS_PER_INSERT = 50;
const INSERT_COLUMNS =
  'resource_type_id, resource_id, entitlement_id, principal_resource_type_id, principal_resource_id, ' +
  'external_id, expansion, needs_expansion, data, sync_id, discovered_at';
const INSERT_ROW = '(?, ?, ?, ?, ?, ?, NULL, 0, ?, ?, ?)';
// Go stores expanded grants in "preserve expansion" mode: a row that exists keeps its expansion columns.
const INSERT_UPSERT = 'ON CONFLICT (external_id, sync_id) DO UPDATE SET data = excluded.data';

/**
 * The rows grant expansion reads and writes, for one sync, on the store's own connection. Reads are paged
 * by rowid so that no statement stays open while the caller writes. The caller makes sure the write worker
 * is stopped and the grant indexes exist (C1zStore.grantExpansion() does).
 */
export class GrantExpansionStore {
  private readonly expandablePage: Statement;
  private readonly entitlementStmt: Statement;
  private readonly grantsPage: Statement;
  private readonly grantsForPrincipal: Statement;
  private readonly insertStmt: Statement;
  private readonly insertManyStmt: Statement;
  private readonly principalsStmt: Statement;
  private readonly updateStmt: Statement;
  private readonly countStmt: Statement;

  constructor(
    private readonly db: Database,
    private readonly syncId: string,
    private readonly discoveredAt: () => string,
  ) {
    // needs_expansion = 1 rows, as Go's PendingExpansionPage reads them (it never clears the flag afterwards).
    this.expandablePage = db.prepare(
      `SELECT id, external_id AS externalId, entitlement_id AS entitlementId,
              principal_resource_type_id AS principalResourceTypeId, principal_resource_id AS principalResourceId,
              expansion
         FROM v1_grants
        WHERE sync_id = ? AND expansion IS NOT NULL AND needs_expansion = 1 AND id > ?
        ORDER BY id LIMIT ${PAGE_ROWS}`,
    );
    this.countStmt = db.prepare(
      'SELECT count(*) AS n FROM v1_grants WHERE sync_id = ? AND expansion IS NOT NULL AND needs_expansion = 1',
    );
    this.entitlementStmt = db.prepare(
      `SELECT resource_type_id AS resourceTypeId, resource_id AS resourceId, data
         FROM v1_entitlements WHERE external_id = ? AND sync_id = ?`,
    );
    this.grantsPage = db.prepare(
      `SELECT id, principal_resource_type_id AS principalResourceTypeId,
              principal_resource_id AS principalResourceId, data
         FROM v1_grants WHERE entitlement_id = ? AND sync_id = ? AND id > ? ORDER BY id LIMIT ?`,
    );
    this.grantsForPrincipal = db.prepare(
      `SELECT id, principal_resource_type_id AS principalResourceTypeId,
              principal_resource_id AS principalResourceId, data
         FROM v1_grants
        WHERE entitlement_id = ? AND principal_resource_type_id = ? AND principal_resource_id = ? AND sync_id = ?
        ORDER BY id`,
    );
    this.insertStmt = db.prepare(
      `INSERT INTO v1_grants (${INSERT_COLUMNS}) VALUES ${INSERT_ROW} ${INSERT_UPSERT}`,
    );
    const rows = Array<string>(ROWS_PER_INSERT).fill(INSERT_ROW).join(', ');
    this.insertManyStmt = db.prepare(
      `INSERT INTO v1_grants (${INSERT_COLUMNS}) VALUES ${rows} ${INSERT_UPSERT}`,
    );
    this.principalsStmt = db.prepare(
      `SELECT principal_resource_type_id AS t, principal_resource_id AS id
         FROM v1_grants WHERE entitlement_id = ? AND sync_id = ?`,
    );
    this.updateStmt = db.prepare('UPDATE v1_grants SET data = ? WHERE id = ?');
  }

  countExpandable(): number {
    return (this.countStmt.get(this.syncId) as { n: number }).n;
  }

  *expandableGrants(): Iterable<ExpandableGrantRow> {
    let after = 0;
    for (;;) {
      const rows = this.expandablePage.all(this.syncId, after) as (ExpandableGrantRow & { id: number })[];
      yield* rows;
      if (rows.length < PAGE_ROWS) return;
      after = rows[rows.length - 1]!.id;
    }
  }

  entitlement(id: string): EntitlementRow | undefined {
    return this.entitlementStmt.get(id, this.syncId) as EntitlementRow | undefined;
  }

  /** One page of an entitlement's grants after rowid `after`, in rowid order. */
  grantsOf(entitlementId: string, after: number, limit: number): GrantDataRow[] {
    return this.grantsPage.all(entitlementId, this.syncId, after, limit) as GrantDataRow[];
  }

  grantsOfPrincipal(entitlementId: string, principalType: string, principalId: string): GrantDataRow[] {
    return this.grantsForPrincipal.all(
      entitlementId,
      principalType,
      principalId,
      this.syncId,
    ) as GrantDataRow[];
  }

  /**
   * The principals holding an entitlement, as `type\0id` keys, or undefined when there are more than `limit`
   * (the caller then asks per principal). Streams the rows: nothing else runs on the connection meanwhile.
   */
  principalsOf(entitlementId: string, limit: number): Set<string> | undefined {
    const keys = new Set<string>();
    for (const row of this.principalsStmt.iterate(entitlementId, this.syncId) as Iterable<{
      t: string;
      id: string;
    }>) {
      keys.add(principalKey(row.t, row.id));
      if (keys.size > limit) return undefined;
    }
    return keys;
  }

  /** Inserts new grant rows (upserts on the grant id, keeping an existing row's expansion columns). */
  insert(rows: readonly NewGrantRow[], discoveredAt: string): void {
    const values: unknown[] = [];
    const push = (row: NewGrantRow) =>
      values.push(
        row.resourceTypeId,
        row.resourceId,
        row.entitlementId,
        row.principalResourceTypeId,
        row.principalResourceId,
        row.externalId,
        row.data,
        this.syncId,
        discoveredAt,
      );
    let i = 0;
    for (; i + ROWS_PER_INSERT <= rows.length; i += ROWS_PER_INSERT) {
      values.length = 0;
      for (let k = i; k < i + ROWS_PER_INSERT; k++) push(rows[k]!);
      this.insertManyStmt.run(values);
    }
    for (; i < rows.length; i++) {
      values.length = 0;
      push(rows[i]!);
      this.insertStmt.run(values);
    }
  }

  updateData(id: number, data: Uint8Array): void {
    this.updateStmt.run(data, id);
  }

  /** Runs fn in one transaction; `discoveredAt` is the timestamp its new rows share (Go shares one per batch). */
  batch<T>(fn: (discoveredAt: string) => T): T {
    return this.db.transaction(() => fn(this.discoveredAt()))();
  }
}
