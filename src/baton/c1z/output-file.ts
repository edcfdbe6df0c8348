import { open } from 'node:fs/promises';

/**
 * The file a c1z is written to: the part of `FileHandle` the writers use. Writes are positioned, so a short
 * write can be continued where it stopped. Replaceable (OpenStoreOptions.openOutput) so that tests can give
 * a file that behaves like one on a full disk without needing one.
 */
export interface OutputFile {
  write(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export type OpenOutputFile = (path: string) => Promise<OutputFile>;

/** Creates (or truncates) `path` for writing, readable by others like any c1z. */
export const openOutputFile: OpenOutputFile = (path) => open(path, 'w', 0o644);

/**
 * Writes all `length` bytes at `position`, continuing after short writes (a nearly full disk accepts part
 * of a write without an error). A write that makes no progress at all is reported as ENOSPC.
 */
export async function writeFully(
  file: OutputFile,
  buffer: Uint8Array,
  offset: number,
  length: number,
  position: number,
): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesWritten } = await file.write(buffer, offset + done, length - done, position + done);
    if (bytesWritten <= 0) {
      throw Object.assign(new Error('ENOSPC: no space left on device, write (no byte was written)'), {
        code: 'ENOSPC',
        syscall: 'write',
      });
    }
    done += bytesWritten;
  }
}
