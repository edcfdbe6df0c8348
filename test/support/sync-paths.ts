// Output paths for tests that sync into real c1z files: one scratch root per test file, removed after
// the file's tests; each call gives a new file name and its own empty working-database directory, so
// tests never share a c1z or a temp dir and each passes alone.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

export interface SyncPaths {
  /** Where the c1z is written (absent until a sync writes it). */
  file: string;
  /** The working-database directory (`tmpDir` of syncToFile). */
  tmpDir: string;
}

/** Registers the cleanup of a fresh scratch root (named with `prefix`) and returns a maker of SyncPaths. */
export function syncPathsUnder(prefix: string): () => SyncPaths {
  const root = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;
  return () => {
    n += 1;
    const tmpDir = join(root, `tmp-${n}`);
    mkdirSync(tmpDir);
    return { file: join(root, `sync-${n}.c1z`), tmpDir };
  };
}
