import type { DecodeLimits } from '../c1z/decompress.js';
import { DEFAULT_MAX_DEPTH } from '../sync/expand/expand-grants.js';
import type { FieldSpec, Settings } from './field.js';

/**
 * The Go SDK's store, decoder and expansion variables (docs/c1z-format.md, "Container" and "Syncs inside a
 * file"), as `envOnly` fields of the commands that open a c1z: Go reads them from the environment only, so
 * they have no flag and no `.baton.yaml` key. A value that is set but unusable is INVALID_ARGUMENT naming
 * the variable, like every other setting. The library takes the typed values as options and reads no
 * environment itself.
 */

const MIB = 1024 * 1024;

const KEEP_SYNC_COUNT = {
  name: 'keep-sync-count',
  type: 'int',
  envOnly: true,
  defaultValue: 2,
  min: 1,
  invalidText: 'is not a whole number of 1 or more (the finished full syncs a file keeps; default 2)',
  description: 'Finished full syncs a c1z keeps',
  exportTarget: 'none',
} as const satisfies FieldSpec;

const SKIP_CLEANUP = {
  name: 'skip-cleanup',
  type: 'bool',
  envOnly: true,
  invalidText: 'is not a boolean; use 1 (keep every sync) or 0',
  description: 'Keep every sync in the c1z (no cleanup of old syncs)',
  exportTarget: 'none',
} as const satisfies FieldSpec;

const GRAPH_EXPAND_MAX_DEPTH = {
  name: 'graph-expand-max-depth',
  type: 'int',
  envOnly: true,
  defaultValue: DEFAULT_MAX_DEPTH,
  min: 1,
  invalidText: `is not a whole number of 1 or more (the deepest entitlement nesting grant expansion accepts; default ${DEFAULT_MAX_DEPTH})`,
  description: 'Deepest entitlement nesting grant expansion accepts',
  exportTarget: 'none',
} as const satisfies FieldSpec;

/** Absent means the decoder's own default (DEFAULT_MAX_DECODED_BYTES). */
const DECODER_MAX_DECODED_SIZE_MB = {
  name: 'decoder-max-decoded-size-mb',
  type: 'number',
  envOnly: true,
  optional: true,
  min: 0.001,
  invalidText:
    'is not a number of MiB of at least 0.001 (the largest database a c1z may decode to; default 10240)',
  description: 'Largest database a c1z may decode to, in MiB',
  exportTarget: 'none',
} as const satisfies FieldSpec;

/** Absent means the decoder's own default window limit (128 MiB). */
const DECODER_MAX_MEMORY_MB = {
  name: 'decoder-max-memory-mb',
  type: 'number',
  envOnly: true,
  optional: true,
  // zstd's smallest window is 1 KiB (windowLog 10).
  min: 0.001,
  invalidText:
    'is not a number of MiB of at least 0.001 (the largest zstd window accepted when decoding a c1z; default 128)',
  description: 'Largest zstd window accepted when decoding a c1z, in MiB',
  exportTarget: 'none',
} as const satisfies FieldSpec;

/**
 * The decoder caps, for every command that reads a c1z (inspect, diff, report). A plain tuple rather than a
 * defineFields table, so a command's own table can spread it and keep each entry's type.
 */
export const DECODER_FIELDS = [DECODER_MAX_DECODED_SIZE_MB, DECODER_MAX_MEMORY_MB] as const;

/** Everything a sync into a c1z reads (the default action, service mode, demo). */
export const SYNC_STORE_FIELDS = [
  KEEP_SYNC_COUNT,
  SKIP_CLEANUP,
  GRAPH_EXPAND_MAX_DEPTH,
  ...DECODER_FIELDS,
] as const;

export type DecoderSettings = Settings<typeof DECODER_FIELDS>;
export type SyncStoreSettings = Settings<typeof SYNC_STORE_FIELDS>;

/** zstd's largest window on 64-bit builds; a larger memory setting accepts every window. */
const MAX_WINDOW_LOG = 31;

/** The decoder options for the settings: MiB become bytes and a window log, as Go converts them. */
export function decodeLimitsOf(v: DecoderSettings): DecodeLimits {
  const limits: DecodeLimits = {};
  const size = v['decoder-max-decoded-size-mb'];
  if (size !== undefined) limits.maxDecodedBytes = size * MIB;
  const memory = v['decoder-max-memory-mb'];
  if (memory !== undefined) {
    limits.maxWindowLog = Math.min(MAX_WINDOW_LOG, Math.floor(Math.log2(memory * MIB)));
  }
  return limits;
}

/** The sync's store and expansion options for the settings. */
export function syncStoreOptionsOf(v: SyncStoreSettings): {
  keepFullSyncs: number;
  skipCleanup: boolean;
  decodeLimits: DecodeLimits;
  expansionMaxDepth: number;
} {
  return {
    keepFullSyncs: v['keep-sync-count'],
    skipCleanup: v['skip-cleanup'],
    decodeLimits: decodeLimitsOf(v),
    expansionMaxDepth: v['graph-expand-max-depth'],
  };
}
