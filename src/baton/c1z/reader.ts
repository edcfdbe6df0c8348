import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import Database from 'better-sqlite3';
import { EntitlementSchema } from '../gen/c1/connector/v2/entitlement_pb.js';
import type { Entitlement } from '../gen/c1/connector/v2/entitlement_pb.js';
import { GrantSchema } from '../gen/c1/connector/v2/grant_pb.js';
import type { Grant } from '../gen/c1/connector/v2/grant_pb.js';
import { ResourceSchema, ResourceTypeSchema } from '../gen/c1/connector/v2/resource_pb.js';
import type { Resource, ResourceType } from '../gen/c1/connector/v2/resource_pb.js';
import { BatonError, GrpcCode } from '../errors.js';
import { compareUtf8 } from '../model/utf8-compare.js';
import { assertReadableKind, detectC1zFile } from './c1z-file.js';
import { decompressC1zToFile } from './decompress.js';
import type { DecodeLimits } from './decompress.js';
import { tableColumns } from './schema.js';
import type { SyncRunRow } from './store.js';

export interface OpenReaderOptions {
  /** Where the private decoded copy lives; default os.tmpdir(). */
  tmpDir?: string | undefined;
  /** Decoder caps (the CLI sets them from the BATON_DECODER_* variables). */
  decodeLimits?: DecodeLimits | undefined;
}

/** Row counts of one sync. */
export interface SyncCounts {
  resourceTypes: number;
  /** Resources per resource type id, keys in UTF-8 order. */
  resources: Record<string, number>;
  entitlements: number;
  grants: number;
}

/** A grant as its index columns say, without decoding its blob (the entitlement is embedded there). */
export interface GrantRef {
  id: string;
  entitlementId: string;
  principalResourceType: string;
  principalResource: string;
}

const PAGE_ROWS = 1000;

/**
 * Read-only access to a v1 c1z. The database is decoded into a private temporary directory (removed
 * by close()); the file itself is never written. Files from older SDKs lack migrated columns, which
 * read as their defaults.
 */
export class C1zReader {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly dir: string;
  private readonly syncRunSelect: string;

  private constructor(path: string, db: Database.Database, dir: string) {
    this.path = path;
    this.db = db;
    this.dir = dir;
    const cols = tableColumns(db, 'v1_sync_runs');
    const col = (name: string, fallback: string) => (cols.has(name) ? name : fallback);
    this.syncRunSelect =
      'SELECT sync_id AS syncId, started_at AS startedAt, ended_at AS endedAt, sync_token AS syncToken, ' +
      `${col('sync_type', "'full'")} AS syncType, ${col('parent_sync_id', "''")} AS parentSyncId FROM v1_sync_runs`;
  }

  static async open(path: string, opts: OpenReaderOptions = {}): Promise<C1zReader> {
    const abs = resolve(path);
    assertReadableKind(abs, await detectC1zFile(abs));
    const dir = await mkdtemp(join(opts.tmpDir ?? tmpdir(), 'baton-c1z-read-'));
    try {
      const dbPath = join(dir, 'db');
      await decompressC1zToFile(abs, dbPath, opts.decodeLimits);
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      try {
        if (tableColumns(db, 'v1_sync_runs').size === 0) throw new Error('no v1_sync_runs table');
      } catch (e) {
        db.close();
        throw new BatonError(GrpcCode.DATA_LOSS, `${abs} does not hold a c1z v1 SQLite database`, {
          cause: e,
        });
      }
      return new C1zReader(abs, db, dir);
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** Every sync in the file, oldest first. */
  listSyncs(): SyncRunRow[] {
    return this.db.prepare(`${this.syncRunSelect} ORDER BY id`).all() as SyncRunRow[];
  }

  /**
   * The sync to read: the one asked for, else the latest finished full sync (ORDER BY ended_at DESC,
   * sync_id DESC, like Go), else the latest unfinished one, else the latest finished of any type.
   */
  chooseSync(syncId?: string): SyncRunRow {
    if (syncId !== undefined) {
      const run = this.db.prepare(`${this.syncRunSelect} WHERE sync_id = ?`).get(syncId) as
        SyncRunRow | undefined;
      if (run === undefined)
        throw new BatonError(GrpcCode.NOT_FOUND, `sync ${syncId} is not in ${this.path}`);
      return run;
    }
    const runs = this.listSyncs();
    const desc = (key: (r: SyncRunRow) => string) => (a: SyncRunRow, b: SyncRunRow) =>
      key(b) < key(a) ? -1 : key(b) > key(a) ? 1 : b.syncId < a.syncId ? -1 : b.syncId > a.syncId ? 1 : 0;
    const finished = runs.filter((r) => r.endedAt !== null).sort(desc((r) => r.endedAt!));
    const unfinished = runs.filter((r) => r.endedAt === null).sort(desc((r) => r.startedAt));
    const run = finished.find((r) => r.syncType === 'full') ?? unfinished[0] ?? finished[0];
    if (run === undefined) throw new BatonError(GrpcCode.FAILED_PRECONDITION, `${this.path} holds no sync`);
    return run;
  }

  resourceTypes(syncId: string): Iterable<ResourceType> {
    return this.rows('v1_resource_types', ResourceTypeSchema, syncId);
  }

  resources(syncId: string, resourceTypeId?: string): Iterable<Resource> {
    return this.rows('v1_resources', ResourceSchema, syncId, resourceTypeId);
  }

  entitlements(syncId: string): Iterable<Entitlement> {
    return this.rows('v1_entitlements', EntitlementSchema, syncId);
  }

  grants(syncId: string): Iterable<Grant> {
    return this.rows('v1_grants', GrantSchema, syncId);
  }

  /**
   * Every grant of a sync from its index columns, in external_id order (SQLite's byte order, which is
   * UTF-8 order): two files can be merged in one pass. Far cheaper than grants() on large syncs.
   */
  *grantRefs(syncId: string): Iterable<GrantRef> {
    const stmt = this.db.prepare(
      'SELECT external_id AS id, entitlement_id AS entitlementId, principal_resource_type_id AS principalResourceType, ' +
        'principal_resource_id AS principalResource FROM v1_grants WHERE sync_id = ? AND external_id > ? ' +
        `ORDER BY external_id LIMIT ${PAGE_ROWS}`,
    );
    let after = '';
    for (;;) {
      const rows = stmt.all(syncId, after) as GrantRef[];
      yield* rows;
      if (rows.length < PAGE_ROWS) return;
      after = rows[rows.length - 1]!.id;
    }
  }

  stats(syncId: string): SyncCounts {
    const count = (table: string) =>
      (this.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE sync_id = ?`).get(syncId) as { n: number })
        .n;
    const byType = this.db
      .prepare('SELECT resource_type_id AS t, count(*) AS n FROM v1_resources WHERE sync_id = ? GROUP BY 1')
      .all(syncId) as { t: string; n: number }[];
    const resources: Record<string, number> = {};
    for (const row of byType.sort((a, b) => compareUtf8(a.t, b.t))) resources[row.t] = row.n;
    return {
      resourceTypes: count('v1_resource_types'),
      resources,
      entitlements: count('v1_entitlements'),
      grants: count('v1_grants'),
    };
  }

  /** Delete the decoded copy. */
  async close(): Promise<void> {
    this.db.close();
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Decoded rows in rowid order, fetched a page at a time (nothing is loaded in full). */
  private *rows<D extends DescMessage>(
    table: string,
    schema: D,
    syncId: string,
    resourceTypeId?: string,
  ): Iterable<MessageShape<D>> {
    const byType = resourceTypeId === undefined ? '' : ' AND resource_type_id = ?';
    const stmt = this.db.prepare(
      `SELECT id, data FROM ${table} WHERE sync_id = ?${byType} AND id > ? ORDER BY id LIMIT ${PAGE_ROWS}`,
    );
    let after = 0;
    for (;;) {
      const args: unknown[] =
        resourceTypeId === undefined ? [syncId, after] : [syncId, resourceTypeId, after];
      const rows = stmt.all(...args) as { id: number; data: Buffer }[];
      for (const row of rows) yield fromBinary(schema, row.data);
      if (rows.length < PAGE_ROWS) return;
      after = rows[rows.length - 1]!.id;
    }
  }
}
