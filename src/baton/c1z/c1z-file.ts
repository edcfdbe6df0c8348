import { open, stat } from 'node:fs/promises';
import { BatonError, GrpcCode } from '../errors.js';

/** The 5-byte magic of each container (docs/c1z-format.md, "Container"). */
export const C1Z_V1_MAGIC = Buffer.from('C1ZF\0', 'latin1');
export const C1Z_V3_MAGIC = Buffer.from('C1Z3\0', 'latin1');

export type C1zFileKind = 'missing' | 'empty' | 'directory' | 'v1' | 'v3' | 'other';

/** What is at `path`, judged by its type and first five bytes. */
export async function detectC1zFile(path: string): Promise<C1zFileKind> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw e;
  }
  if (info.isDirectory()) return 'directory';
  if (info.size === 0) return 'empty';
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(5);
    const { bytesRead } = await fh.read(head, 0, 5, 0);
    if (bytesRead === 5 && head.equals(C1Z_V1_MAGIC)) return 'v1';
    if (bytesRead === 5 && head.equals(C1Z_V3_MAGIC)) return 'v3';
    return 'other';
  } finally {
    await fh.close();
  }
}

/**
 * The writer appends to v1 files only; anything else would be destroyed by the rename on close, so
 * refuse it up front with what the file is and how to proceed.
 */
export function assertWritableKind(path: string, kind: C1zFileKind): void {
  switch (kind) {
    case 'directory':
      throw new BatonError(
        GrpcCode.INVALID_ARGUMENT,
        `${path} is a directory, not a c1z file: choose another --file`,
      );
    case 'v3':
      throw new BatonError(
        GrpcCode.FAILED_PRECONDITION,
        `${path} is a c1z v3 (Pebble) file, which this connector cannot append to: choose another --file ` +
          `or delete it (Go connectors write v1 files with --storage-engine sqlite)`,
      );
    case 'other':
      throw new BatonError(
        GrpcCode.INVALID_ARGUMENT,
        `${path} is not a c1z file (it does not start with the C1ZF magic): choose another --file or delete it`,
      );
    default:
      break;
  }
}

/** The reader needs an existing v1 file. */
export function assertReadableKind(path: string, kind: C1zFileKind): void {
  switch (kind) {
    case 'missing':
      throw new BatonError(GrpcCode.NOT_FOUND, `${path} does not exist`);
    case 'empty':
      throw new BatonError(GrpcCode.FAILED_PRECONDITION, `${path} is empty: it holds no sync`);
    case 'directory':
      throw new BatonError(GrpcCode.INVALID_ARGUMENT, `${path} is a directory, not a c1z file`);
    case 'v3':
      throw new BatonError(
        GrpcCode.FAILED_PRECONDITION,
        `${path}: c1z v3 (Pebble) files are not supported; re-run the Go connector with --storage-engine sqlite`,
      );
    case 'other':
      throw new BatonError(
        GrpcCode.INVALID_ARGUMENT,
        `${path} is not a c1z file (it does not start with the C1ZF magic)`,
      );
    default:
      break;
  }
}
