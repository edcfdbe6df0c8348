import type { Database, Statement } from 'better-sqlite3';

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

export interface NewGrantRow {
  resourceTypeId: string;
  resourceId: string;
  entitlementId: string;
  principalResourceTypeId: string;
  principalResourceId: string;
  externalId: string;
  data: Uint8Array;
}

const PAGE_ROWS = 1000;

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
    // Go stores expanded grants in "preserve expansion" mode: a row that exists keeps its expansion columns.
    this.insertStmt = db.prepare(
      `INSERT INTO v1_grants (resource_type_id, resource_id, entitlement_id, principal_resource_type_id,
                              principal_resource_id, external_id, expansion, needs_expansion, data, sync_id, discovered_at)
       VALUES (?, ?, ?, ?, ?, ?, NULL, 0, ?, ?, ?)
       ON CONFLICT (external_id, sync_id) DO UPDATE SET data = excluded.data`,
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

  insert(row: NewGrantRow, discoveredAt: string): void {
    this.insertStmt.run(
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
  }

  updateData(id: number, data: Uint8Array): void {
    this.updateStmt.run(data, id);
  }

  /** Runs fn in one transaction; `discoveredAt` is the timestamp its new rows share (Go shares one per batch). */
  batch<T>(fn: (discoveredAt: string) => T): T {
    return this.db.transaction(() => fn(this.discoveredAt()))();
  }
}
