import { open } from 'node:fs/promises';
import binding from 'zstd-napi/binding.js';
import { BatonError, GrpcCode } from '../errors.js';
import { C1Z_V1_MAGIC } from './c1z-file.js';
import { writeFully } from './output-file.js';
import { parseZstdFrameHeader } from './zstd-frame.js';

/**
 * Go's decoder limits (docs/c1z-format.md, "Container"); the CLI sets them from BATON_DECODER_MAX_DECODED_SIZE_MB
 * and BATON_DECODER_MAX_MEMORY_MB (src/baton/cli/store-fields.ts).
 */
export interface DecodeLimits {
  /** Largest database accepted; default 10 GiB. */
  maxDecodedBytes?: number;
  /** Largest zstd window accepted, as a log2; default 27 (128 MiB). */
  maxWindowLog?: number;
}

export const DEFAULT_MAX_DECODED_BYTES = 10 * 1024 ** 3;

const IN_CHUNK = 1024 * 1024;
const OUT_CHUNK = 4 * 1024 * 1024;

/**
 * Decode the SQLite database inside the v1 c1z at `src` into a new file `dst` (fsynced), within the
 * limits. Accepts any standard zstd stream (several frames, skippable frames, with or without
 * content size). Go writers leave the header's journal bytes in WAL mode although the WAL is folded
 * in; they are reset to rollback mode so SQLite opens the copy without looking for a -wal file.
 */
export async function decompressC1zToFile(
  src: string,
  dst: string,
  limits: DecodeLimits = {},
): Promise<number> {
  const maxBytes = limits.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES;
  const input = await open(src, 'r');
  const output = await open(dst, 'wx+', 0o600);
  try {
    const inBuf = Buffer.allocUnsafe(IN_CHUNK);
    const outBuf = Buffer.allocUnsafe(OUT_CHUNK);
    let pos = C1Z_V1_MAGIC.length;
    let first = true;
    let total = 0;
    let pending = 1;
    const dctx = new binding.DCtx();
    dctx.setParameter(binding.DParameter.windowLogMax, limits.maxWindowLog ?? 27);
    for (;;) {
      const { bytesRead } = await input.read(inBuf, 0, IN_CHUNK, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      let chunk = inBuf.subarray(0, bytesRead);
      if (first) {
        first = false;
        const header = parseZstdFrameHeader(chunk);
        if (header === undefined) {
          throw new BatonError(GrpcCode.DATA_LOSS, `${src}: the c1z payload is not a zstd stream`);
        }
        // Fail fast on an advertised size over the cap, like Go's ErrMaxSizeExceeded.
        if (header.contentSize !== undefined && header.contentSize > maxBytes) {
          throw tooLarge(src, maxBytes);
        }
      }
      // Feed the chunk; keep calling while the output buffer comes back full (more may be buffered).
      for (;;) {
        let produced: number;
        let consumed: number;
        try {
          [pending, produced, consumed] = dctx.decompressStream(outBuf, chunk);
        } catch (e) {
          throw new BatonError(GrpcCode.DATA_LOSS, `${src}: corrupt c1z: ${(e as Error).message}`, {
            cause: e,
          });
        }
        chunk = chunk.subarray(consumed);
        if (produced > 0) {
          if (total + produced > maxBytes) throw tooLarge(src, maxBytes);
          // Checked and continued: a short write on a nearly full disk must never leave a truncated copy.
          await writeFully(output, outBuf, 0, produced, total);
          total += produced;
        }
        if (chunk.length === 0 && produced < outBuf.length) break;
      }
    }
    // zstd returns 0 exactly when a frame has been fully decoded and flushed.
    if (pending !== 0 || first) {
      throw new BatonError(GrpcCode.DATA_LOSS, `${src}: truncated c1z (the zstd stream ends mid-frame)`);
    }
    const journal = Buffer.alloc(2);
    await output.read(journal, 0, 2, 18);
    if (journal[0] === 2 && journal[1] === 2) await writeFully(output, Buffer.from([1, 1]), 0, 2, 18);
    await output.sync();
    return total;
  } finally {
    await input.close();
    await output.close();
  }
}

const tooLarge = (src: string, max: number) =>
  new BatonError(
    GrpcCode.RESOURCE_EXHAUSTED,
    `${src} decodes to more than ${Math.round(max / 1024 / 1024)} MiB ` +
      `(raise BATON_DECODER_MAX_DECODED_SIZE_MB to accept it)`,
  );
