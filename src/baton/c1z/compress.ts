import { open, stat } from 'node:fs/promises';
import binding from 'zstd-napi/binding.js';
import { C1Z_V1_MAGIC } from './c1z-file.js';

export interface CompressOptions {
  /** zstd level; 3 is zstd's default and keeps the window at 8 MiB or less (Go caps at 128 MiB). */
  level?: number | undefined;
  /** zstd worker threads; 0 compresses on the calling thread. */
  workers?: number | undefined;
  /** Called after each compressed chunk is written (diagnostics and crash tests). */
  onChunk?: ((writtenBytes: number) => void | Promise<void>) | undefined;
}

export interface CompressResult {
  compressedBytes: number;
  decompressedBytes: number;
}

const IN_CHUNK = 4 * 1024 * 1024;
const OUT_CHUNK = 1024 * 1024;

/**
 * Write `C1ZF\0` + one zstd frame of the SQLite file at `dbPath` to `outPath`, then fsync it. The
 * frame carries Frame_Content_Size (pledged up front, as Go's ResetContentSize does) and a content
 * checksum. zstd-napi's CompressStream cannot pledge a size, hence the binding-level loop.
 */
export async function compressDbToC1z(
  dbPath: string,
  outPath: string,
  opts: CompressOptions = {},
): Promise<CompressResult> {
  const size = (await stat(dbPath)).size;
  const cctx = new binding.CCtx();
  cctx.setParameter(binding.CParameter.compressionLevel, opts.level ?? 3);
  cctx.setParameter(binding.CParameter.checksumFlag, 1);
  cctx.setParameter(binding.CParameter.contentSizeFlag, 1);
  if ((opts.workers ?? 0) > 0) cctx.setParameter(binding.CParameter.nbWorkers, opts.workers ?? 0);
  cctx.setPledgedSrcSize(size);

  const input = await open(dbPath, 'r');
  const output = await open(outPath, 'w', 0o644);
  try {
    await output.write(C1Z_V1_MAGIC);
    let written = C1Z_V1_MAGIC.length;
    const inBuf = Buffer.allocUnsafe(IN_CHUNK);
    const outBuf = Buffer.allocUnsafe(OUT_CHUNK);
    let readTotal = 0;
    for (;;) {
      const { bytesRead } = await input.read(inBuf, 0, IN_CHUNK, readTotal);
      readTotal += bytesRead;
      const last = bytesRead === 0 || readTotal >= size;
      const directive = last ? binding.EndDirective.end : binding.EndDirective.continue;
      let src = inBuf.subarray(0, bytesRead);
      for (;;) {
        const [remaining, produced, consumed] = cctx.compressStream2(outBuf, src, directive);
        src = src.subarray(consumed);
        if (produced > 0) {
          await output.write(outBuf, 0, produced);
          written += produced;
          await opts.onChunk?.(written);
        }
        if (src.length === 0 && (!last || remaining === 0)) break;
      }
      if (last) break;
    }
    await output.sync();
    return { compressedBytes: written, decompressedBytes: readTotal };
  } finally {
    await input.close();
    await output.close();
  }
}
