import type { Database, Statement } from 'better-sqlite3';
import type { Grant } from '../gen/c1/connector/v2/grant_pb.js';
import type { GrantEncoder } from './grant-encoder.js';
import { grantRow } from './grant-row.js';
import { DEFERRABLE_GRANT_INDEXES } from './schema.js';

const COLUMNS =
  'resource_type_id, resource_id, entitlement_id, principal_resource_type_id, principal_resource_id, ' +
  'external_id, expansion, needs_expansion, data, sync_id, discovered_at';
const ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
// Go's upsert (baton-interop.md §2.5): a duplicate keeps its rowid and discovered_at.
const UPSERT =
  'ON CONFLICT (external_id, sync_id) DO UPDATE SET ' +
  'data = excluded.data, expansion = excluded.expansion, needs_expansion = excluded.needs_expansion';
const PARAMS_PER_ROW = 11;
/** Rows per multi-row INSERT: fewer statement executions, far below SQLite's parameter limit. */
const ROWS_PER_INSERT = 50;

/**
 * Writes v1_grants rows in bulk: multi-row upserts, and the four plain indexes dropped on the first
 * put of a session and rebuilt from sorted data by finishIndexes() (endSync and close call it; a
 * killed run's missing indexes are recreated by the next open).
 */
export class GrantWriter {
  private readonly db: Database;
  private readonly encoder: GrantEncoder;
  private readonly single: Statement;
  private readonly multi: Statement;
  private readonly hasIndex: Statement;
  private readonly params: unknown[] = new Array<unknown>(ROWS_PER_INSERT * PARAMS_PER_ROW);
  private readonly one: unknown[] = new Array<unknown>(PARAMS_PER_ROW);

  constructor(db: Database, encoder: GrantEncoder) {
    this.db = db;
    this.encoder = encoder;
    this.single = db.prepare(`INSERT INTO v1_grants (${COLUMNS}) VALUES ${ROW} ${UPSERT}`);
    const rows = Array<string>(ROWS_PER_INSERT).fill(ROW).join(', ');
    this.multi = db.prepare(`INSERT INTO v1_grants (${COLUMNS}) VALUES ${rows} ${UPSERT}`);
    this.hasIndex = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?");
  }

  /** Upsert grants; runs inside the caller's transaction. */
  put(items: readonly Grant[], syncId: string, discoveredAt: string): void {
    this.dropIndexes();
    const params = this.params;
    let i = 0;
    for (; i + ROWS_PER_INSERT <= items.length; i += ROWS_PER_INSERT) {
      for (let k = 0; k < ROWS_PER_INSERT; k++) {
        this.fill(params, k * PARAMS_PER_ROW, items[i + k]!, syncId, discoveredAt);
      }
      this.multi.run(params);
    }
    for (; i < items.length; i++) {
      this.fill(this.one, 0, items[i]!, syncId, discoveredAt);
      this.single.run(this.one);
    }
  }

  private fill(params: unknown[], at: number, grant: Grant, syncId: string, discoveredAt: string): void {
    const row = grantRow(grant, this.encoder);
    params[at] = row.resourceTypeId;
    params[at + 1] = row.resourceId;
    params[at + 2] = row.entitlementId;
    params[at + 3] = row.principalResourceTypeId;
    params[at + 4] = row.principalResourceId;
    params[at + 5] = row.externalId;
    params[at + 6] = row.expansion;
    params[at + 7] = row.needsExpansion;
    params[at + 8] = row.data;
    params[at + 9] = syncId;
    params[at + 10] = discoveredAt;
  }

  /** True while some plain v1_grants index is dropped. */
  get indexesDeferred(): boolean {
    return DEFERRABLE_GRANT_INDEXES.some((ix) => this.hasIndex.get(ix.name) === undefined);
  }

  private dropIndexes(): void {
    if (this.hasIndex.get(DEFERRABLE_GRANT_INDEXES[0]!.name) === undefined) return;
    for (const ix of DEFERRABLE_GRANT_INDEXES) this.db.exec(`DROP INDEX IF EXISTS ${ix.name}`);
  }

  /** Rebuild the dropped indexes (a no-op when none is missing). */
  finishIndexes(): void {
    if (!this.indexesDeferred) return;
    this.db.transaction(() => {
      for (const ix of DEFERRABLE_GRANT_INDEXES) this.db.exec(ix.sql);
    })();
  }
}
