import type { Database, Statement } from 'better-sqlite3';
import type { Grant } from '../gen/c1/connector/v2/grant_pb.js';
import type { GrantEncoder } from './grant-encoder.js';
import { grantRow } from './grant-row.js';
import type { GrantRow } from './grant-row.js';
import { DEFERRABLE_GRANT_INDEXES } from './schema.js';

/**
 * v1_grants in bulk: rows encoded on the store's side (see GrantEncoder) for the write worker, which drops the
 * four plain indexes before its first grant; finishIndexes() rebuilds them from sorted data on the store's
 * connection once the worker has stopped (endSync and close call it; a killed run's missing indexes are
 * recreated by the next open).
 */
export class GrantWriter {
  private readonly db: Database;
  private readonly encoder: GrantEncoder;
  private readonly hasIndex: Statement;

  constructor(db: Database, encoder: GrantEncoder) {
    this.db = db;
    this.encoder = encoder;
    this.hasIndex = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?");
  }

  /** Encoded rows of a batch (an invalid grant throws before anything of its batch is written). */
  rows(items: readonly Grant[]): GrantRow[] {
    return items.map((g) => grantRow(g, this.encoder));
  }

  /** True while some plain v1_grants index is dropped. */
  get indexesDeferred(): boolean {
    return DEFERRABLE_GRANT_INDEXES.some((ix) => this.hasIndex.get(ix.name) === undefined);
  }

  /** Rebuild the dropped indexes (a no-op when none is missing). Only while no other connection writes. */
  finishIndexes(): void {
    if (!this.indexesDeferred) return;
    this.db.transaction(() => {
      for (const ix of DEFERRABLE_GRANT_INDEXES) this.db.exec(ix.sql);
    })();
  }
}
