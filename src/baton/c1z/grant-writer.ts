import type { Database, Statement } from 'better-sqlite3';
import type { Grant } from '../gen/c1/connector/v2/grant_pb.js';
import type { GrantEncoder } from './grant-encoder.js';
import { GrantInserter, PARAMS_PER_ROW } from './grant-insert.js';
import { grantRow } from './grant-row.js';
import type { GrantRow } from './grant-row.js';
import { GrantWorkerClient } from './grant-worker-client.js';
import { DEFERRABLE_GRANT_INDEXES } from './schema.js';

export interface GrantWorkerOptions {
  dbPath: string;
  cacheMiB: number;
}

/**
 * Writes v1_grants rows in bulk. Rows are encoded here, on the caller's thread; the SQL runs either on the
 * store's connection or, given `worker`, on a worker thread's own connection (see GrantWorkerClient), which
 * takes SQLite's share of a large sync off the thread that reads the API. The four plain indexes are
 * dropped on the first put of a session and rebuilt from sorted data by finishIndexes() (endSync and close
 * call it; a killed run's missing indexes are recreated by the next open).
 */
export class GrantWriter {
  private readonly db: Database;
  private readonly encoder: GrantEncoder;
  private readonly inserter: GrantInserter;
  private readonly hasIndex: Statement;
  private readonly workerOptions: GrantWorkerOptions | undefined;
  private worker: GrantWorkerClient | undefined;
  /** Known to be dropped: the store's connection must not touch the schema while a worker writes. */
  private indexesDropped = false;

  constructor(db: Database, encoder: GrantEncoder, worker?: GrantWorkerOptions) {
    this.db = db;
    this.encoder = encoder;
    this.inserter = new GrantInserter(db);
    this.hasIndex = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?");
    this.workerOptions = worker;
  }

  /** Upsert grants in one transaction (rows encoded first: an invalid grant writes nothing of its batch). */
  put(items: readonly Grant[], syncId: string, discoveredAt: string): void {
    if (items.length === 0) return;
    const rows = items.map((g) => grantRow(g, this.encoder));
    if (this.worker === undefined) {
      this.db.transaction(() => {
        this.dropIndexes();
        if (this.workerOptions === undefined)
          this.inserter.insert(flatValues(rows, syncId, discoveredAt), rows.length);
      })();
      if (this.workerOptions === undefined) return;
      this.startWorker(this.workerOptions);
    }
    this.worker!.post(rows, syncId, discoveredAt);
  }

  /** Block until every grant put so far is committed (a no-op without a worker). */
  drain(): void {
    this.worker?.drain();
  }

  /** Drain and end the worker, if any; the store's connection is the only writer again. */
  stopWorker(quiet = false): void {
    const worker = this.worker;
    if (worker === undefined) return;
    this.worker = undefined;
    try {
      worker.stop(quiet);
    } finally {
      this.db.pragma('locking_mode = EXCLUSIVE');
    }
  }

  /** True while some plain v1_grants index is dropped. */
  get indexesDeferred(): boolean {
    return DEFERRABLE_GRANT_INDEXES.some((ix) => this.hasIndex.get(ix.name) === undefined);
  }

  /** Rebuild the dropped indexes (a no-op when none is missing). Stops the worker first. */
  finishIndexes(): void {
    this.stopWorker();
    this.indexesDropped = false;
    if (!this.indexesDeferred) return;
    this.db.transaction(() => {
      for (const ix of DEFERRABLE_GRANT_INDEXES) this.db.exec(ix.sql);
    })();
  }

  private startWorker(opts: GrantWorkerOptions): GrantWorkerClient {
    // Give up the exclusive file lock so the worker's connection can write; a read makes it take effect.
    this.db.pragma('locking_mode = NORMAL');
    this.hasIndex.get(DEFERRABLE_GRANT_INDEXES[0]!.name);
    this.worker = new GrantWorkerClient(opts.dbPath, opts.cacheMiB);
    return this.worker;
  }

  private dropIndexes(): void {
    if (this.indexesDropped) return;
    if (this.hasIndex.get(DEFERRABLE_GRANT_INDEXES[0]!.name) !== undefined) {
      for (const ix of DEFERRABLE_GRANT_INDEXES) this.db.exec(`DROP INDEX IF EXISTS ${ix.name}`);
    }
    this.indexesDropped = true;
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
