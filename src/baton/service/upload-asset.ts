import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { Logger } from 'pino';
import type { BatonServiceUploadAssetRequestSchema } from '../gen/c1/connectorapi/baton/v1/baton_pb.js';
import type { BatonClient } from './baton-client.js';
import { jitteredBackoff } from './rpc-retry.js';
import { waitFor } from './wait-for.js';

export interface UploadAssetOptions {
  client: BatonClient;
  taskId: string;
  /** The finished c1z, sent byte for byte. */
  file: string;
  signal: AbortSignal;
  logger: Logger;
  /** The wait before the second attempt; later ones double it, all jittered. */
  retryDelayMs: number;
  /** 512 KiB, as baton-sdk sends (the server takes 1 byte to 1 MiB per message). */
  chunkBytes?: number;
  /** 3 attempts, each re-reading the file from the start. */
  attempts?: number;
}

export interface UploadResult {
  bytes: number;
  sha256: string;
  attempts: number;
}

export const UPLOAD_CHUNK_BYTES = 512 * 1024;
export const UPLOAD_ATTEMPTS = 3;

/**
 * UploadAsset (docs/service-mode.md, "The conversation"): a metadata message, the file in chunks, then an EOF
 * message carrying the SHA-256 of everything sent. A failed attempt starts over from the first byte.
 */
export async function uploadAsset(opts: UploadAssetOptions): Promise<UploadResult> {
  const attempts = opts.attempts ?? UPLOAD_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    try {
      const sent = { bytes: 0, sha256: '' };
      await opts.client.uploadAsset(messages(opts, sent), opts.signal);
      return { ...sent, attempts: attempt };
    } catch (err) {
      if (opts.signal.aborted || attempt >= attempts) throw err;
      const waitMs = jitteredBackoff({ initialMs: opts.retryDelayMs, maxMs: 8 * opts.retryDelayMs }, attempt);
      opts.client.countRetry('uploadAsset');
      opts.logger.warn(
        { err, attempt, waitMs, taskId: opts.taskId, rpc: 'uploadAsset' },
        'upload failed, starting it over',
      );
      await waitFor(waitMs, opts.signal);
      opts.signal.throwIfAborted();
    }
  }
}

type UploadMessage = MessageInitShape<typeof BatonServiceUploadAssetRequestSchema>;

async function* messages(
  opts: UploadAssetOptions,
  sent: { bytes: number; sha256: string },
): AsyncGenerator<UploadMessage> {
  const chunkBytes = opts.chunkBytes ?? UPLOAD_CHUNK_BYTES;
  const hash = createHash('sha256');
  yield {
    msg: { case: 'metadata', value: { hostId: opts.client.hostId, taskId: opts.taskId } },
  };
  const file = await open(opts.file, 'r');
  try {
    for (;;) {
      const chunk = await readFull(file, chunkBytes);
      if (chunk.length === 0) break;
      hash.update(chunk);
      sent.bytes += chunk.length;
      yield { msg: { case: 'data', value: { data: chunk } } };
      if (chunk.length < chunkBytes) break;
    }
  } finally {
    await file.close();
  }
  const digest = hash.digest();
  sent.sha256 = digest.toString('hex');
  yield { msg: { case: 'eof', value: { sha256Checksum: digest } } };
}

/** Reads up to `size` bytes, fewer only at the end of the file. */
async function readFull(file: FileHandle, size: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    const { bytesRead } = await file.read(buf, filled, size - filled, null);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buf.subarray(0, filled);
}
