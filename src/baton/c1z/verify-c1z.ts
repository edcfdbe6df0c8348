import { open } from 'node:fs/promises';
import { C1Z_V1_MAGIC } from './c1z-file.js';
import { parseZstdFrameHeader } from './zstd-frame.js';

export interface ExpectedC1z {
  /** Bytes the writer wrote: the file must be exactly this long. */
  fileBytes: number;
  /** Size of the database compressed into it: the frame header must announce exactly this. */
  contentBytes: number;
}

/** zstd Block_Type values (RFC 8878 §3.1.1.2). */
const RAW = 0;
const RLE = 1;
const COMPRESSED = 2;
const HEADER_READ = 32;
const MAX_BLOCK = 128 * 1024;

/**
 * Checks a freshly written v1 c1z without decompressing it: the file has the written size, starts with the
 * magic and one zstd frame whose header announces the database size and a checksum, and the frame's block
 * headers chain exactly to the end of the file (a lost or zeroed write breaks the chain). Returns what is
 * wrong, or undefined. Costs one small read per zstd block (at most 128 KiB of data each).
 */
export async function verifyWrittenC1z(path: string, expected: ExpectedC1z): Promise<string | undefined> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    if (size !== expected.fileBytes) return `it is ${size} bytes long, ${expected.fileBytes} were written`;
    const head = Buffer.alloc(C1Z_V1_MAGIC.length + HEADER_READ);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    if (!head.subarray(0, C1Z_V1_MAGIC.length).equals(C1Z_V1_MAGIC)) return 'it does not start with C1ZF';
    const header = parseZstdFrameHeader(head.subarray(C1Z_V1_MAGIC.length, bytesRead));
    if (header === undefined) return 'no zstd frame follows the magic';
    if (header.contentSize !== expected.contentBytes) {
      return `its zstd frame announces ${header.contentSize ?? 'no'} content bytes, not ${expected.contentBytes}`;
    }
    if (!header.hasChecksum) return 'its zstd frame has no checksum';
    let pos = C1Z_V1_MAGIC.length + header.headerBytes;
    const blockHeader = Buffer.alloc(3);
    for (;;) {
      const got = (await fh.read(blockHeader, 0, 3, pos)).bytesRead;
      if (got < 3) return `its zstd frame ends early, at byte ${pos}`;
      const bits = blockHeader.readUIntLE(0, 3);
      const last = (bits & 1) === 1;
      const type = (bits >> 1) & 3;
      const blockSize = bits >>> 3;
      if (type !== RAW && type !== RLE && type !== COMPRESSED)
        return `a reserved zstd block type at byte ${pos}`;
      // zstd never writes an empty block before the last, nor one over the 128 KiB block limit: seen only
      // where bytes were lost (zeros read as empty raw blocks).
      if (blockSize > MAX_BLOCK || (blockSize === 0 && !last))
        return `an impossible zstd block at byte ${pos}`;
      pos += 3 + (type === RLE ? 1 : blockSize);
      if (pos > size) return `a zstd block at byte ${pos} runs past the end of the file`;
      if (last) break;
    }
    pos += 4; // Content_Checksum
    if (pos !== size) return `its zstd frame ends at byte ${pos}, the file at ${size}`;
    return undefined;
  } finally {
    await fh.close();
  }
}
