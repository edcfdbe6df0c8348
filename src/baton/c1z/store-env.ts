import { BatonError, GrpcCode } from '../errors.js';
import { parseBool } from '../parse-bool.js';
import { decodeLimitsFromEnv } from './decompress.js';
import type { OpenStoreOptions } from './store.js';

/**
 * The Go SDK's store variables (docs/c1z-format.md, "Container" and "Syncs inside a file"), read where a sync
 * opens its file: BATON_KEEP_SYNC_COUNT (finished full syncs kept, default 2), BATON_SKIP_CLEANUP (keep every
 * sync) and BATON_DECODER_MAX_DECODED_SIZE_MB / BATON_DECODER_MAX_MEMORY_MB (caps when decoding the existing
 * file). A value that is set but unusable is INVALID_ARGUMENT naming the variable, never silently ignored.
 */
export function storeOptionsFromEnv(
  env: NodeJS.ProcessEnv,
): Pick<OpenStoreOptions, 'keepFullSyncs' | 'skipCleanup' | 'decodeLimits'> {
  const out: Pick<OpenStoreOptions, 'keepFullSyncs' | 'skipCleanup' | 'decodeLimits'> = {
    decodeLimits: decodeLimitsFromEnv(env),
  };
  const keep = env.BATON_KEEP_SYNC_COUNT?.trim();
  if (keep !== undefined && keep !== '') {
    if (!/^\d+$/.test(keep) || Number(keep) < 1) {
      throw new BatonError(
        GrpcCode.INVALID_ARGUMENT,
        `BATON_KEEP_SYNC_COUNT=${JSON.stringify(keep)} is not a whole number of 1 or more (the finished full syncs a file keeps; default 2)`,
      );
    }
    out.keepFullSyncs = Number(keep);
  }
  const skip = env.BATON_SKIP_CLEANUP?.trim().toLowerCase();
  if (skip !== undefined && skip !== '') {
    const parsed = parseBool(skip);
    if (parsed === undefined) {
      throw new BatonError(
        GrpcCode.INVALID_ARGUMENT,
        `BATON_SKIP_CLEANUP=${JSON.stringify(skip)} is not a boolean; use 1 (keep every sync) or 0`,
      );
    }
    out.skipCleanup = parsed;
  }
  return out;
}
