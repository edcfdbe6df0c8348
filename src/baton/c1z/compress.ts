import { open, stat } from 'node:fs/promises';
import binding from 'zstd-napi/binding.js';
import { CodedError } from '../../common/coded-error.js';
import { classifyError } from '../classify-error.js';
import { C1Z_V1_MAGIC } from './c1z-file.js';
import { openOutputFile, writeFully, type OpenOutputFile, type OutputFile } from './output-file.js';

export interface CompressOptions {
  /** zstd level; 3 is zstd's default and keeps the window at 8 MiB or less (Go caps at 128 MiB). */
  level?: number | undefined;
  /** zstd worker threads; 0 compresses on the calling thread. */
  workers?: number | undefined;
  /** Called after each compressed chunk is written (diagnostics and crash tests). */
  onChunk?: ((writtenBytes: number) => void | Promise<void>) | undefined;
  /** Opens the output file (default: the real file); tests give one that behaves like a full disk. */
  openOutput?: OpenOutputFile | undefined;
}

export interface CompressResult {
  compressedBytes: number;
  decompressedBytes: number;
}

/**
 * A failed write of the c1z, with how far it got: enough to say how much room the file needs. The store turns
 * it into a message that names the directory; its status is its cause's (a full disk is RESOURCE_EXHAUSTED).
 */
export class CompressWriteError extends CodedError {
  constructor(
    readonly writtenBytes: number,
    cause: unknown,
  ) {
    super(
      'C1Z_WRITE_FAILED',
      classifyError(cause).status,
      `writing the c1z failed after ${writtenBytes} bytes: ${(cause as Error).message}`,
      { cause },
    );
  }
}

const IN_CHUNK = 4 * 1024 * 1024;
const OUT_CHUNK = 1024 * 1024;

/**
 * Write `C1ZF\0` + one zstd frame of the SQLite file at `dbPath` to `outPath`, then fsync it. Every write is
 * checked and short writes are continued; any failure (ENOSPC included, also from the final fsync) is thrown
 * as a CompressWriteError. The frame carries Frame_Content_Size (pledged up front, as Go's
 * ResetContentSize does) and a content checksum. zstd-napi's CompressStream cannot pledge a size, hence
 * the binding-level loop.
 */
export async function compressDbToC1z(
  dbPath: string,
  outPath: string,
  opts: CompressOptions = {},
): Promise<CompressResult> {
  let output: OutputFile | undefined;
  let written = 0;
  try {
    output = await (opts.openOutput ?? openOutputFile)(outPath);
    const out = output;
    const result = await compressInto(dbPath, opts, async (buf, length) => {
      await writeFully(out, buf, 0, length, written);
      written += length;
      if (written > C1Z_V1_MAGIC.length) await opts.onChunk?.(written);
    });
    await out.sync();
    return result;
  } catch (e) {
    throw new CompressWriteError(written, e);
  } finally {
    await output?.close().catch(() => undefined);
  }
}

/** The exact size compressDbToC1z would write for `dbPath`, computed without writing anything. */
export async function compressedSizeOf(
  dbPath: string,
  opts: Pick<CompressOptions, 'level' | 'workers'>,
): Promise<number> {
  return (await compressInto(dbPath, opts, () => undefined)).compressedBytes;
}

async function compressInto(
  dbPath: string,
  opts: Pick<CompressOptions, 'level' | 'workers'>,
  sink: (buf: Buffer, length: number) => void | Promise<void>,
): Promise<CompressResult> {
  const size = (await stat(dbPath)).size;
  const cctx = new binding.CCtx();
  cctx.setParameter(binding.CParameter.compressionLevel, opts.level ?? 3);
  cctx.setParameter(binding.CParameter.checksumFlag, 1);
  cctx.setParameter(binding.CParameter.contentSizeFlag, 1);
  if ((opts.workers ?? 0) > 0) cctx.setParameter(binding.CParameter.nbWorkers, opts.workers ?? 0);
  cctx.setPledgedSrcSize(size);

  const input = await open(dbPath, 'r');
  try {
    await sink(C1Z_V1_MAGIC, C1Z_V1_MAGIC.length);
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
          await sink(outBuf, produced);
          written += produced;
        }
        if (src.length === 0 && (!last || remaining === 0)) break;
      }
      if (last) break;
    }
    return { compressedBytes: written, decompressedBytes: readTotal };
  } finally {
    await input.close();
  }
}
