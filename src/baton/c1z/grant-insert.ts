import type { Database, Statement } from 'better-sqlite3';

const COLUMNS =
  'resource_type_id, resource_id, entitlement_id, principal_resource_type_id, principal_resource_id, ' +
  'external_id, expansion, needs_expansion, data, sync_id, discovered_at';
const ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
// Go's upsert (baton-interop.md §2.5): a duplicate keeps its rowid and discovered_at.
const UPSERT =
  'ON CONFLICT (external_id, sync_id) DO UPDATE SET ' +
  'data = excluded.data, expansion = excluded.expansion, needs_expansion = excluded.needs_expansion';

/** Values per v1_grants row, in COLUMNS order. */
export const PARAMS_PER_ROW = 11;
/** Rows per multi-row INSERT: fewer statement executions, far below SQLite's parameter limit. */
const ROWS_PER_INSERT = 50;

/**
 * Upserts v1_grants rows given as one flat array of column values (PARAMS_PER_ROW per row). It runs the
 * SQL only: the caller owns the transaction. Used on the store's connection and in the write worker.
 */
export class GrantInserter {
  private readonly single: Statement;
  private readonly multi: Statement;
  private readonly chunk: unknown[] = new Array<unknown>(ROWS_PER_INSERT * PARAMS_PER_ROW);
  private readonly one: unknown[] = new Array<unknown>(PARAMS_PER_ROW);

  constructor(db: Database) {
    this.single = db.prepare(`INSERT INTO v1_grants (${COLUMNS}) VALUES ${ROW} ${UPSERT}`);
    const rows = Array<string>(ROWS_PER_INSERT).fill(ROW).join(', ');
    this.multi = db.prepare(`INSERT INTO v1_grants (${COLUMNS}) VALUES ${rows} ${UPSERT}`);
  }

  /** Upsert `rows` rows of `values` (in order, so a later duplicate wins, as in Go). */
  insert(values: readonly unknown[], rows: number): void {
    const width = ROWS_PER_INSERT * PARAMS_PER_ROW;
    let row = 0;
    for (; row + ROWS_PER_INSERT <= rows; row += ROWS_PER_INSERT) {
      const at = row * PARAMS_PER_ROW;
      for (let k = 0; k < width; k++) this.chunk[k] = values[at + k];
      this.multi.run(this.chunk);
    }
    for (; row < rows; row++) {
      const at = row * PARAMS_PER_ROW;
      for (let k = 0; k < PARAMS_PER_ROW; k++) this.one[k] = values[at + k];
      this.single.run(this.one);
    }
  }
}
