import { existsSync } from 'node:fs';
import { rename, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import type Database from 'better-sqlite3';
import { EntitlementSchema } from '../gen/c1/connector/v2/entitlement_pb.js';
import type { Entitlement } from '../gen/c1/connector/v2/entitlement_pb.js';
import type { Grant } from '../gen/c1/connector/v2/grant_pb.js';
import { ResourceSchema, ResourceTypeSchema } from '../gen/c1/connector/v2/resource_pb.js';
import type { Resource, ResourceType } from '../gen/c1/connector/v2/resource_pb.js';
import type { SyncStats } from '../gen/c1/reader/v2/sync_pb.js';
import { BatonError, GrpcCode, isBatonError } from '../errors.js';
import { assertWritableKind, detectC1zFile } from './c1z-file.js';
import { compressDbToC1z, compressedSizeOf, CompressWriteError } from './compress.js';
import { isDiskFull, outputDirFullError, workingDirFullError } from './disk-full.js';
import type { OpenOutputFile } from './output-file.js';
import { verifyWrittenC1z } from './verify-c1z.js';
import { decompressC1zToFile } from './decompress.js';
import type { DecodeLimits } from './decompress.js';
import { formatGoLocalTime } from './go-time.js';
import { GrantEncoder } from './grant-encoder.js';
import { GrantExpansionStore } from './grant-expansion-store.js';
import { GrantWriter } from './grant-writer.js';
import {
  ENTITLEMENT_LAYOUT,
  GRANT_LAYOUT,
  RESOURCE_LAYOUT,
  RESOURCE_TYPE_LAYOUT,
  type EntitlementRow,
  type ResourceRow,
  type ResourceTypeRow,
} from './row-layout.js';
import { WriteWorkerClient } from './write-worker-client.js';
import { newKsuid } from './ksuid.js';
import { deleteSyncs, syncsToDelete } from './retention.js';
import { applySchema } from './schema.js';
import { prepareStatements } from './store-statements.js';
import type { StoreStatements } from './store-statements.js';
import { computeSyncStats, syncStatsToGoJson } from './sync-stats.js';
import { fingerprint, sameBase, syncDir, WorkDir } from './work-dir.js';
import { holdWorkingDb, openWorkingDb, shareWorkingDb } from './working-db.js';

export type SyncType = 'full' | 'resources_only' | 'partial';

/**
 * One row of the c1z's `sync_runs` table: a sync as the file records it (a resumed sync is still one row).
 * Not to be confused with the engine's execution of a sync (syncer.ts), of which a resumed sync has several.
 */
export interface SyncRunRow {
  syncId: string;
  startedAt: string;
  endedAt: string | null;
  syncToken: string;
  syncType: string;
  parentSyncId: string;
}

export interface OpenStoreOptions {
  /** Where the working directory lives (--c1z-temp-dir); default os.tmpdir(). */
  tmpDir?: string | undefined;
  /** Finished full syncs kept by cleanup() (BATON_KEEP_SYNC_COUNT); default 2. */
  keepFullSyncs?: number | undefined;
  /** Make cleanup() a no-op (BATON_SKIP_CLEANUP). */
  skipCleanup?: boolean | undefined;
  now?: (() => Date) | undefined;
  /** Limits for decoding the existing file (BATON_DECODER_MAX_*). */
  decodeLimits?: DecodeLimits | undefined;
  /** SQLite page cache of the working database; default 16 MiB (bulk writes gain little from more). */
  cacheMiB?: number | undefined;
  /** zstd level used by close(); default 3. */
  compressionLevel?: number | undefined;
  /** zstd worker threads used by close(); default 1 (compression overlaps file I/O). */
  compressionWorkers?: number | undefined;
  /** Called after each compressed chunk close() writes (diagnostics; crash tests pause here). */
  onCompressChunk?: ((writtenBytes: number) => void | Promise<void>) | undefined;
  /** Opens `<file>.tmp` for close() (default: the real file); tests simulate a full disk with it. */
  openOutput?: OpenOutputFile | undefined;
}

export interface CloseResult {
  path: string;
  compressedBytes: number;
  decompressedBytes: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const PAGE_ROWS = 1000;
const DEFAULT_CACHE_MIB = 16;

/**
 * Writer of a v1 c1z file. All writes go to a SQLite database in a private working directory; the
 * output file is only replaced, atomically, by close(). A process killed at any point leaves the
 * output file as it was, and the next open() of the same file resumes from the working database.
 *
 * While a sync is written, one write path: every put, checkpoint and markSupportsDiff is queued, never
 * waited for, to the write worker (write-worker.ts), which commits them in order on its own connection; a
 * checkpoint therefore never runs ahead of the rows put before it. whenWritable() is the backpressure callers
 * await; the read methods are asynchronous and read only after every queued write is committed. endSync(),
 * cleanup(), close(), abandon() and grantExpansion() stop the worker; the store's own connection then writes
 * alone (a later put or checkpoint starts a worker again).
 *
 * Protobuf messages handed to put*() are encoded once and cached by object identity (see
 * GrantEncoder): do not mutate a Resource after writing it.
 */
export class C1zStore {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly stmts: StoreStatements;
  private readonly work: WorkDir;
  private readonly opts: OpenStoreOptions;
  private readonly now: () => Date;
  private readonly encoder = new GrantEncoder();
  private readonly grants: GrantWriter;
  /** The one writer while a sync is written: started by the first write, stopped by endSync/cleanup/close. */
  private worker: WriteWorkerClient | undefined;
  private current: string | undefined;
  private closed = false;
  /** The working database was made by this open (not an earlier run's, reopened to resume). */
  private readonly fresh: boolean;

  private constructor(
    path: string,
    db: Database.Database,
    work: WorkDir,
    opts: OpenStoreOptions,
    fresh: boolean,
    private readonly freeAtStart: number | undefined,
  ) {
    this.fresh = fresh;
    this.path = path;
    this.db = db;
    this.work = work;
    this.opts = opts;
    this.now = opts.now ?? (() => new Date());
    this.stmts = prepareStatements(db);
    this.grants = new GrantWriter(db, this.encoder);
  }

  static async open(path: string, opts: OpenStoreOptions = {}): Promise<C1zStore> {
    const abs = resolve(path);
    assertWritableKind(abs, await detectC1zFile(abs));
    const dir = await stat(dirname(abs)).catch(() => undefined);
    if (dir === undefined || !dir.isDirectory()) {
      throw new BatonError(
        GrpcCode.INVALID_ARGUMENT,
        `the directory of ${abs} does not exist: create it or choose another --file`,
      );
    }
    // Found out now, not after a whole sync when close() cannot write <file>.tmp there.
    await assertDirWritable(abs);
    const cacheMiB = cacheMiBOf(opts);
    const freeAtStart = await freeBytes(opts.tmpDir ?? tmpdir());
    const work = await WorkDir.acquire(abs, opts.tmpDir ?? tmpdir());
    let db: Database.Database | undefined;
    let fresh = false;
    try {
      // A killed close() leaves a partial <file>.tmp behind; it is never a valid result.
      await rm(`${abs}.tmp`, { force: true });
      const base = await fingerprint(abs);
      if (sameBase(await work.readBase(), base) && existsSync(work.dbPath))
        db = reopen(work.dbPath, cacheMiB);
      if (db === undefined) {
        fresh = true;
        await work.discardDb();
        if (base.source === 'file') await decompressExisting(abs, work.dbPath, opts.decodeLimits);
        db = openWorkingDb(work.dbPath, { cacheMiB, fresh: base.source === 'none' });
        db.transaction(() => applySchema(db!))();
        await work.writeBase(base);
      } else {
        db.transaction(() => applySchema(db!))();
      }
      return new C1zStore(abs, db, work, opts, fresh, freeAtStart);
    } catch (e) {
      db?.close();
      const usedBytes = isDiskFull(e) ? await workingBytes(work.dbPath) : 0;
      // A working database this open began holds nothing worth resuming.
      await (fresh ? work.remove() : work.release());
      if (isDiskFull(e)) throw workingDirFull(opts, e, usedBytes, !fresh, freeAtStart);
      throw e;
    }
  }

  get currentSyncId(): string | undefined {
    return this.current;
  }

  /** The latest unfinished sync of this type, if it started within maxAgeMs (default 7 days). */
  findResumableSync(syncType: SyncType, maxAgeMs = 7 * DAY_MS): SyncRunRow | undefined {
    this.assertNoQueuedWrites('findResumableSync');
    const run = this.stmts.latestUnfinished.get(syncType) as SyncRunRow | undefined;
    if (run === undefined) return undefined;
    // Text comparison in Go's layout, as Go does it (docs/c1z-format.md, "Times").
    const cutoff = formatGoLocalTime(new Date(this.now().getTime() - maxAgeMs));
    return run.startedAt >= cutoff ? run : undefined;
  }

  /** Insert a v1_sync_runs row and make it current; partial syncs default their parent to the last full. */
  /**
   * Starts a sync. `syncToken` is written with the run row itself, synchronously: a process killed before its
   * first queued checkpoint commits still leaves a token that says whose sync this is (resume checks it).
   */
  startSync(syncType: SyncType, parentSyncId?: string, syncToken = ''): string {
    this.assertOpen();
    this.assertNoQueuedWrites('startSync');
    if (this.current !== undefined && this.run(this.current).endedAt === null) {
      throw new BatonError(GrpcCode.FAILED_PRECONDITION, `sync ${this.current} is still running`);
    }
    const now = this.now();
    const syncId = newKsuid(now);
    let parent = parentSyncId ?? '';
    if (parentSyncId === undefined && syncType === 'partial') {
      parent = (this.stmts.latestFinishedFull.get() as SyncRunRow | undefined)?.syncId ?? '';
    }
    this.stmts.insertSyncRun.run(syncId, formatGoLocalTime(now), syncToken, syncType, parent);
    this.current = syncId;
    return syncId;
  }

  resumeSync(syncId: string): SyncRunRow {
    this.assertOpen();
    this.assertNoQueuedWrites('resumeSync');
    const run = this.run(syncId);
    if (run.endedAt !== null)
      throw new BatonError(GrpcCode.FAILED_PRECONDITION, `sync ${syncId} has already ended`);
    this.current = syncId;
    return run;
  }

  /** Deletes an unfinished sync and all its rows: it was not to be resumed (another source, say). */
  discardSync(syncId: string): void {
    this.assertOpen();
    this.assertNoQueuedWrites('discardSync');
    if (this.run(syncId).endedAt !== null)
      throw new BatonError(GrpcCode.FAILED_PRECONDITION, `sync ${syncId} has already ended`);
    if (this.current === syncId) this.current = undefined;
    deleteSyncs(this.db, [syncId]);
  }

  /** Saves the sync token after every row put before it (queued behind them: the token never runs ahead). */
  checkpoint(syncToken: string): void {
    const syncId = this.syncId();
    this.writer().run('checkpoint', [syncToken, syncId]);
  }

  markSupportsDiff(): void {
    const syncId = this.syncId();
    this.writer().run('supportsDiff', [syncId]);
  }

  /** Resolves once the queue of writes is below its bound (backpressure); rejects with a failed write. */
  whenWritable(): Promise<void> {
    return this.worker?.ready() ?? Promise.resolve();
  }

  /** Resolves once every write queued so far is committed; rejects with a failed write. */
  flush(): Promise<void> {
    return this.worker?.flush() ?? Promise.resolve();
  }

  /** Text columns are stored well-formed (a lone surrogate as U+FFFD), as Go's UTF-8 strings are. */
  putResourceTypes(items: readonly ResourceType[]): void {
    const syncId = this.syncId();
    const at = formatGoLocalTime(this.now());
    const rows: ResourceTypeRow[] = items.map((rt) => {
      if (rt.id === '') throw new BatonError(GrpcCode.INVALID_ARGUMENT, 'resource type without an id');
      return { externalId: rt.id.toWellFormed(), data: toBinary(ResourceTypeSchema, rt) };
    });
    this.writer().postRows(RESOURCE_TYPE_LAYOUT, rows, syncId, at);
  }

  putResources(items: readonly Resource[]): void {
    const syncId = this.syncId();
    const at = formatGoLocalTime(this.now());
    const rows: ResourceRow[] = items.map((r) => {
      const id = r.id;
      if (id === undefined || id.resourceType === '' || id.resource === '') {
        throw new BatonError(GrpcCode.INVALID_ARGUMENT, `resource "${r.displayName}" without a full id`);
      }
      const parent = r.parentResourceId;
      return {
        resourceTypeId: id.resourceType.toWellFormed(),
        externalId: `${id.resourceType}:${id.resource}`.toWellFormed(),
        parentResourceTypeId: parent?.resourceType.toWellFormed() ?? null,
        parentResourceId: parent?.resource.toWellFormed() ?? null,
        data: this.encoder.resourceBytes(r),
      };
    });
    this.writer().postRows(RESOURCE_LAYOUT, rows, syncId, at);
  }

  putEntitlements(items: readonly Entitlement[]): void {
    const syncId = this.syncId();
    const at = formatGoLocalTime(this.now());
    const rows: EntitlementRow[] = items.map((e) => {
      const rid = e.resource?.id;
      if (rid === undefined || e.id === '') {
        throw new BatonError(GrpcCode.INVALID_ARGUMENT, `entitlement "${e.id}" without an id or resource`);
      }
      return {
        resourceTypeId: rid.resourceType.toWellFormed(),
        resourceId: rid.resource.toWellFormed(),
        externalId: e.id.toWellFormed(),
        data: toBinary(EntitlementSchema, e),
      };
    });
    this.writer().postRows(ENTITLEMENT_LAYOUT, rows, syncId, at);
  }

  /**
   * Write grants with upsert semantics on (external_id, sync_id); a GrantExpandable annotation moves
   * to the expansion/needs_expansion columns. See GrantWriter for how the indexes are maintained.
   */
  putGrants(items: readonly Grant[]): void {
    const syncId = this.syncId();
    const at = formatGoLocalTime(this.now());
    this.writer().postRows(GRANT_LAYOUT, this.grants.rows(items), syncId, at);
  }

  /**
   * Grant expansion's access to the current sync's rows (see GrantExpansionStore). Every queued write is
   * committed, the write worker stopped and the plain grant indexes rebuilt first: expansion looks grants up
   * by entitlement, on the store's own connection, which writes alone from here until the sync ends.
   */
  async grantExpansion(): Promise<GrantExpansionStore> {
    const syncId = this.syncId();
    await this.stopWorker();
    this.grants.finishIndexes();
    return new GrantExpansionStore(this.db, syncId, () => formatGoLocalTime(this.now()));
  }

  async hasResource(resourceTypeId: string, resourceId: string): Promise<boolean> {
    await this.flush();
    return (
      this.stmts.hasResource.get(
        `${resourceTypeId}:${resourceId}`.toWellFormed(),
        this.syncId(),
        resourceTypeId.toWellFormed(),
      ) !== undefined
    );
  }

  /** Resource types of the current sync, in rowid order. */
  listResourceTypes(): AsyncIterable<ResourceType> {
    return this.pages(this.stmts.resourceTypesPage, [], (d: Buffer) => fromBinary(ResourceTypeSchema, d));
  }

  /** Resources of the current sync (optionally of one type), in rowid order. */
  listResources(resourceTypeId?: string): AsyncIterable<Resource> {
    const decode = (d: Buffer) => fromBinary(ResourceSchema, d);
    return resourceTypeId === undefined
      ? this.pages(this.stmts.resourcesPage, [], decode)
      : this.pages(this.stmts.resourcesOfTypePage, [resourceTypeId], decode);
  }

  /** Entitlement ids of the current sync, in rowid order. */
  listEntitlementIds(): AsyncIterable<string> {
    return this.pages(this.stmts.entitlementIdsPage, [], (id: string) => id);
  }

  /**
   * Rows fetched in pages by rowid, so that no statement stays open between iterations and the
   * caller may write while it iterates; each page waits for the write worker's commits first.
   */
  private async *pages<R, T>(
    stmt: Database.Statement,
    args: unknown[],
    map: (data: R) => T,
  ): AsyncIterable<T> {
    const syncId = this.syncId();
    let after = 0;
    for (;;) {
      await this.flush();
      const rows = stmt.all(syncId, ...args, after, PAGE_ROWS) as { id: number; data: R }[];
      for (const row of rows) yield map(row.data);
      if (rows.length < PAGE_ROWS) return;
      after = rows[rows.length - 1]!.id;
    }
  }

  async countRows(): Promise<{
    resourceTypes: number;
    resources: number;
    entitlements: number;
    grants: number;
  }> {
    await this.flush();
    const syncId = this.syncId();
    const n = (s: Database.Statement) => (s.get(syncId) as { n: number }).n;
    return {
      resourceTypes: n(this.stmts.countResourceTypes),
      resources: n(this.stmts.countResources),
      entitlements: n(this.stmts.countEntitlements),
      grants: n(this.stmts.countGrants),
    };
  }

  /** Set ended_at and store the stats JSON (Go encoding/json shape) of the current sync. */
  async endSync(): Promise<SyncStats> {
    const syncId = this.syncId();
    await this.stopWorker();
    this.grants.finishIndexes();
    this.stmts.endSync.run(formatGoLocalTime(this.now()), syncId);
    const stats = computeSyncStats(this.db, syncId);
    this.stmts.setStats.run(syncStatsToGoJson(stats), syncId);
    return stats;
  }

  /**
   * Retention: keep the newest keepFullSyncs finished full syncs (one fewer while a sync is open) and
   * drop older partial/resources-only syncs, then VACUUM if anything was deleted. Returns the
   * deleted sync ids.
   */
  async cleanup(): Promise<string[]> {
    this.assertOpen();
    await this.stopWorker();
    if (this.opts.skipCleanup) return [];
    const doomed = syncsToDelete(this.db, {
      keepFullSyncs: this.opts.keepFullSyncs ?? 2,
      currentSyncId: this.current,
    });
    if (doomed.length > 0) {
      deleteSyncs(this.db, doomed);
      this.db.exec('VACUUM');
    }
    return doomed;
  }

  /**
   * Compress the database to `<file>.tmp`, fsync it, check it (size and zstd frame), rename it over `<file>`
   * and fsync the directory. On any failure `<file>.tmp` is removed, `<file>` is left as it was and the
   * working database stays for a later run; a full disk is reported as RESOURCE_EXHAUSTED with the room needed.
   */
  async close(): Promise<CloseResult> {
    this.assertOpen();
    try {
      await this.stopWorker();
      this.grants.finishIndexes();
    } catch (e) {
      const usedBytes = await workingBytes(this.work.dbPath);
      const kept = await this.abandon();
      throw isDiskFull(e) ? workingDirFull(this.opts, e, usedBytes, kept, this.freeAtStart) : e;
    }
    this.closed = true;
    this.db.close();
    const tmp = `${this.path}.tmp`;
    const compression = { level: this.opts.compressionLevel, workers: this.opts.compressionWorkers ?? 1 };
    let result;
    try {
      result = await compressDbToC1z(this.work.dbPath, tmp, {
        ...compression,
        onChunk: this.opts.onCompressChunk,
        openOutput: this.opts.openOutput,
      });
      const problem = await verifyWrittenC1z(tmp, {
        fileBytes: result.compressedBytes,
        contentBytes: result.decompressedBytes,
      });
      if (problem !== undefined) {
        throw new BatonError(
          GrpcCode.DATA_LOSS,
          `the new ${this.path} did not verify after it was written (${problem}): the filesystem lost data ` +
            `or is failing. The previous file is unchanged and ${tmp} was removed; check the filesystem of ` +
            `${dirname(this.path)} and run the same command again`,
        );
      }
      await rename(tmp, this.path);
      await syncDir(dirname(this.path));
    } catch (e) {
      // The working database stays, so a later open() can still finish the job.
      await rm(tmp, { force: true });
      const failure =
        isDiskFull(e) && e instanceof CompressWriteError
          ? outputDirFullError({
              file: this.path,
              writtenBytes: e.writtenBytes,
              neededBytes: await compressedSizeOf(this.work.dbPath, compression),
              cause: e.cause,
            })
          : e instanceof CompressWriteError
            ? e.cause
            : e;
      await this.work.release();
      throw failure;
    }
    await this.work.remove();
    return { path: this.path, ...result };
  }

  /**
   * Failure path: leave `<file>` untouched and keep the working database for a later resume. With
   * `dropIfUnused`, a store that started no sync (the run failed first: wrong password, no permission) and
   * made its working database itself, rather than reopening an earlier run's, leaves no directory behind.
   */
  async abandon(opts: { dropIfUnused?: boolean } = {}): Promise<boolean> {
    if (this.closed) return true;
    this.closed = true;
    // What the worker has queued is committed (or dropped on its failure) before the connection closes.
    await this.stopWorker(true);
    this.db.close();
    const drop = opts.dropIfUnused === true && this.fresh && this.current === undefined;
    await (drop ? this.work.remove() : this.work.release());
    return !drop;
  }

  /**
   * The error to report for `err`, which stopped the sync, after abandon() (whose result is `kept`): a full
   * working-database directory is RESOURCE_EXHAUSTED with the room needed; anything else stays as it is.
   */
  explainFailure(err: unknown, usedBytes: number, kept: boolean): unknown {
    return isDiskFull(err) ? workingDirFull(this.opts, err, usedBytes, kept, this.freeAtStart) : err;
  }

  /** Bytes the working database and its journal take now (for the room a sync needs). */
  workingBytes(): Promise<number> {
    return workingBytes(this.work.dbPath);
  }

  /** The write worker, started now if it is not running. */
  private writer(): WriteWorkerClient {
    if (this.worker !== undefined) return this.worker;
    shareWorkingDb(this.db);
    this.worker = new WriteWorkerClient(this.work.dbPath, cacheMiBOf(this.opts));
    return this.worker;
  }

  /** Commit what is queued and end the write worker: the store's connection is the only writer again. */
  private async stopWorker(quiet = false): Promise<void> {
    const worker = this.worker;
    if (worker === undefined) return;
    this.worker = undefined;
    try {
      await worker.stop(quiet);
    } finally {
      holdWorkingDb(this.db);
    }
  }

  /** Reads of sync runs on the store's connection would miss queued checkpoints: refused, not raced. */
  private assertNoQueuedWrites(method: string): void {
    if (this.worker !== undefined) {
      throw new BatonError(
        GrpcCode.FAILED_PRECONDITION,
        `${method} while a sync is being written: end it (endSync) or close the store first`,
      );
    }
  }

  private run(syncId: string): SyncRunRow {
    const run = this.stmts.syncRun.get(syncId) as SyncRunRow | undefined;
    if (run === undefined) throw new BatonError(GrpcCode.NOT_FOUND, `sync ${syncId} is not in ${this.path}`);
    return run;
  }

  private syncId(): string {
    this.assertOpen();
    if (this.current === undefined) throw new BatonError(GrpcCode.FAILED_PRECONDITION, 'no sync started');
    return this.current;
  }

  private assertOpen(): void {
    if (this.closed) throw new BatonError(GrpcCode.FAILED_PRECONDITION, `c1z store ${this.path} is closed`);
  }
}

/** The existing file, decoded to append to it; a corrupt one is refused with what to do about it. */
async function decompressExisting(
  file: string,
  dbPath: string,
  limits: DecodeLimits | undefined,
): Promise<void> {
  try {
    await decompressC1zToFile(file, dbPath, limits);
  } catch (e) {
    if (!isBatonError(e) || e.code !== GrpcCode.DATA_LOSS) throw e;
    throw new BatonError(
      GrpcCode.DATA_LOSS,
      `${e.message}; a new sync cannot be appended to it: restore it from a backup, or move it away ` +
        '(or choose another --file) to start a new file',
      { cause: e.cause },
    );
  }
}

/** Creates and deletes a probe file next to `file`: a directory we cannot write fails here, with a fix. */
async function assertDirWritable(file: string): Promise<void> {
  const probe = join(dirname(file), `.${basename(file)}.${process.pid}.probe`);
  try {
    await writeFile(probe, '', { mode: 0o600 });
  } catch (e) {
    throw new BatonError(
      GrpcCode.FAILED_PRECONDITION,
      `cannot write in the directory of ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'}): ` +
        'choose a --file in a writable directory or give this user write permission there',
    );
  }
  await rm(probe, { force: true });
}

/** Reopen a working database from an earlier run; undefined when it does not pass quick_check. */
function reopen(path: string, cacheMiB: number): Database.Database | undefined {
  let db: Database.Database | undefined;
  try {
    db = openWorkingDb(path, { cacheMiB });
    if (db.pragma('quick_check', { simple: true }) === 'ok') return db;
  } catch {
    // Unreadable: rebuilt from the output file below.
  }
  db?.close();
  return undefined;
}

const cacheMiBOf = (opts: OpenStoreOptions): number => opts.cacheMiB ?? DEFAULT_CACHE_MIB;

/** Size of the working database with its rollback journal; 0 for what does not exist. */
async function workingBytes(dbPath: string): Promise<number> {
  let total = 0;
  for (const path of [dbPath, `${dbPath}-journal`])
    total += (await stat(path).catch(() => undefined))?.size ?? 0;
  return total;
}

/** Bytes free for this user in `dir`; undefined where the filesystem does not say. */
async function freeBytes(dir: string): Promise<number | undefined> {
  const s = await statfs(dir).catch(() => undefined);
  return s === undefined ? undefined : s.bavail * s.bsize;
}

function workingDirFull(
  opts: OpenStoreOptions,
  err: unknown,
  usedBytes: number,
  kept: boolean,
  freeAtStartBytes: number | undefined,
): BatonError {
  return workingDirFullError({
    tmpDir: resolve(opts.tmpDir ?? tmpdir()),
    fromOption: opts.tmpDir !== undefined,
    usedBytes,
    freeAtStartBytes,
    kept,
    cause: err,
  });
}
