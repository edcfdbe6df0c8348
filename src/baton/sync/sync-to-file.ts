import type { DecodeLimits } from '../c1z/decompress.js';
import { C1zStore } from '../c1z/store.js';
import { runSync, type SyncOptions, type SyncResult } from './syncer.js';

export interface SyncToFileOptions extends Omit<SyncOptions, 'store'> {
  /** `--file`: the c1z to write (created, or appended to as a new sync). */
  file: string;
  /** `--c1z-temp-dir`. */
  tmpDir?: string | undefined;
  /** Called once the store is open and credentials are checked, before any listing. */
  onValidated?: () => void;
  /** `--skip-full-sync`: record an empty full sync (started and ended, nothing listed), as baton-sdk does. */
  skipFullSync?: boolean;
  /** Finished full syncs the file keeps (BATON_KEEP_SYNC_COUNT in the CLI); default 2. */
  keepFullSyncs?: number | undefined;
  /** Keep every sync in the file (BATON_SKIP_CLEANUP in the CLI). */
  skipCleanup?: boolean | undefined;
  /** Caps when decoding the existing file (BATON_DECODER_* in the CLI). */
  decodeLimits?: DecodeLimits | undefined;
}

export interface SyncToFileResult extends SyncResult {
  file: string;
  fileBytes: number;
}

/**
 * A one-shot sync (the default mode of every baton-* binary): open the c1z, check the connector's
 * credentials, sync, and atomically replace the file. Any failure leaves the existing file byte-identical
 * and keeps the working database so the next run resumes where this one stopped (when a sync had begun).
 */
export async function syncToFile(opts: SyncToFileOptions): Promise<SyncToFileResult> {
  const store = await C1zStore.open(opts.file, {
    tmpDir: opts.tmpDir,
    keepFullSyncs: opts.keepFullSyncs,
    skipCleanup: opts.skipCleanup,
    decodeLimits: opts.decodeLimits,
  });
  let result: SyncResult;
  try {
    if (opts.skipFullSync === true) {
      result = await emptySync(store);
    } else {
      await opts.connector.validate(opts.signal ?? new AbortController().signal);
      opts.onValidated?.();
      result = await runSync({ ...opts, store });
    }
  } catch (err) {
    const usedBytes = await store.workingBytes();
    // A failure before any sync began (credentials, permissions, flags) leaves nothing behind.
    const kept = await store.abandon({ dropIfUnused: true });
    throw store.explainFailure(err, usedBytes, kept);
  }
  // The written c1z is the magic plus the zstd frame: exactly the bytes the store reports.
  const { compressedBytes } = await store.close();
  return { ...result, file: opts.file, fileBytes: compressedBytes };
}

async function emptySync(store: C1zStore): Promise<SyncResult> {
  const syncId = store.startSync('full');
  await store.endSync();
  return {
    syncId,
    syncType: 'full',
    resumed: false,
    resourcesByType: {},
    resourcesByStatus: {},
    entitlements: 0,
    grants: 0,
    grantsBySlug: {},
    warnings: 0,
    warningsByKind: {},
    warningSamples: [],
    counters: {},
    earlierRuns: {},
    checkpoints: 0,
  };
}
