import type { Database, Statement } from 'better-sqlite3';
import type { Grant } from '../gen/c1/connector/v2/grant_pb.js';
import type { GrantEncoder } from './grant-encoder.js';
import { GrantInserter, PARAMS_PER_ROW } from './grant-insert.js';
import { grantRow } from './grant-row.js';
import type { GrantRow } from './grant-row.js';
import { DEFERRABLE_GRANT_INDEXES } from './schema.js';

/**
 * v1_grants in bulk on the store's connection: rows encoded (see GrantEncoder), inserted in one
 * transaction, and the four plain indexes dropped for the bulk load and rebuilt from sorted data by
 * finishIndexes() (endSync and close call it; a killed run's missing indexes are recreated by the next open).
 * The store may hand the encoded rows to its write worker instead of insert().
 */
export class GrantWriter {
  private readonly db: Database;
  private readonly encoder: GrantEncoder;
  private readonly inserter: GrantInserter;
  private readonly hasIndex: Statement;
  /** Known to be dropped: no schema query per batch (and none while a worker writes). */
  private indexesDropped = false;

  constructor(db: Database, encoder: GrantEncoder) {
    this.db = db;
    this.encoder = encoder;
    this.inserter = new GrantInserter(db);
    this.hasIndex = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?");
  }

  /** Encoded rows of a batch (an invalid grant throws before anything of its batch is written). */
  rows(items: readonly Grant[]): GrantRow[] {
    return items.map((g) => grantRow(g, this.encoder));
  }

  /** True until dropIndexes() ran in this session. */
  get needsDrop(): boolean {
    return !this.indexesDropped;
  }

  /** Upsert rows in one transaction on the store's connection (after dropIndexes()). */
  insert(rows: readonly GrantRow[], syncId: string, discoveredAt: string): void {
    this.db.transaction(() => this.inserter.insert(flatValues(rows, syncId, discoveredAt), rows.length))();
  }

  /** Drop the plain indexes for the bulk load (the caller makes sure no other connection is writing). */
  dropIndexes(): void {
    if (this.indexesDropped) return;
    if (this.hasIndex.get(DEFERRABLE_GRANT_INDEXES[0]!.name) !== undefined) {
      for (const ix of DEFERRABLE_GRANT_INDEXES) this.db.exec(`DROP INDEX IF EXISTS ${ix.name}`);
    }
    this.indexesDropped = true;
  }

  /** True while some plain v1_grants index is dropped. */
  get indexesDeferred(): boolean {
    return DEFERRABLE_GRANT_INDEXES.some((ix) => this.hasIndex.get(ix.name) === undefined);
  }

  /** Rebuild the dropped indexes (a no-op when none is missing). */
  finishIndexes(): void {
    this.indexesDropped = false;
    if (!this.indexesDeferred) return;
    this.db.transaction(() => {
      for (const ix of DEFERRABLE_GRANT_INDEXES) this.db.exec(ix.sql);
    })();
  }
}

/** Rows in GrantInserter's flat layout. */
function flatValues(rows: readonly GrantRow[], syncId: string, discoveredAt: string): unknown[] {
  const values = new Array<unknown>(rows.length * PARAMS_PER_ROW);
  let at = 0;
  for (const row of rows) {
    values[at++] = row.resourceTypeId;
    values[at++] = row.resourceId;
    values[at++] = row.entitlementId;
    values[at++] = row.principalResourceTypeId;
    values[at++] = row.principalResourceId;
    values[at++] = row.externalId;
    values[at++] = row.expansion;
    values[at++] = row.needsExpansion;
    values[at++] = row.data;
    values[at++] = syncId;
    values[at++] = discoveredAt;
  }
  return values;
}
