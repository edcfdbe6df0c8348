// Full-disk safety of the c1z writer without a real full filesystem (issue 10, defects 12 and 13): the one
// write path of <file>.tmp is given a file that behaves like one on a disk with little room left (short
// writes, then ENOSPC), or like one that loses bytes, so these checks run on every machine, as any user.
// test/reliability/full-disk.test.ts runs the same failures on a real small tmpfs through the CLI.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { C1zStore } from '../../../src/baton/c1z/index.js';
import type { OutputFile } from '../../../src/baton/c1z/output-file.js';
import { isDiskFull, workingDirFullError } from '../../../src/baton/c1z/disk-full.js';
import { GrpcCode, isBatonError } from '../../../src/baton/errors.js';
import { decodeC1zBytes } from '../../support/c1z-fixtures.js';
import { scratchDir, writeSample } from '../../support/c1z-sample.js';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

const enospc = (syscall: string) =>
  Object.assign(new Error(`ENOSPC: no space left on device, ${syscall}`), {
    code: 'ENOSPC',
    errno: -28,
    syscall,
  });

/** Opens the real file, but its writes behave as given (the file is still really written). */
function outputWith(
  write: (real: OutputFile, buf: Uint8Array, off: number, len: number, pos: number) => Promise<number>,
  sync?: (real: OutputFile) => Promise<void>,
): (path: string) => Promise<OutputFile> {
  return async (path) => {
    const real = await open(path, 'w', 0o644);
    return {
      write: async (buf, off, len, pos) => ({ bytesWritten: await write(real, buf, off, len, pos) }),
      sync: () => (sync ? sync(real) : real.sync()),
      close: () => real.close(),
    };
  };
}

/** A filesystem with `room` bytes left: writes are cut short at the limit, the next one fails with ENOSPC. */
function diskWithRoom(room: number) {
  let used = 0;
  return outputWith(async (real, buf, off, len, pos) => {
    const n = Math.min(len, room - used);
    if (n <= 0) throw enospc('write');
    const { bytesWritten } = await real.write(buf, off, n, pos);
    used += bytesWritten;
    return bytesWritten;
  });
}

/** Writes one finished sync into `file` (a previous file, or the one under test) with the given output. */
async function syncInto(file: string, tmpDir: string, opts: Parameters<typeof C1zStore.open>[1] = {}) {
  const store = await C1zStore.open(file, { tmpDir, ...opts });
  store.startSync('full');
  writeSample(store, 300, 20);
  await store.cleanup();
  await store.endSync();
  return store.close();
}

async function failingClose(openOutput: (path: string) => Promise<OutputFile>) {
  const { dir, cleanup } = scratchDir();
  const file = join(dir, 'sync.c1z');
  await syncInto(file, dir);
  const before = sha(file);
  const size = statSync(file).size;
  const err: unknown = await syncInto(file, dir, { openOutput }).then(
    () => assert.fail('close() must fail'),
    (e: unknown) => e,
  );
  return { dir, file, before, size, err, cleanup };
}

describe('C1zStore.close() on a full output disk', () => {
  test('ENOSPC after a short write: exit code 8, names the directory and the space needed, <file> untouched', async () => {
    const r = await failingClose(diskWithRoom(4000));
    try {
      assert.ok(isBatonError(r.err), String(r.err));
      assert.equal(r.err.code, GrpcCode.RESOURCE_EXHAUSTED);
      assert.ok(r.err.message.includes(r.dir), r.err.message);
      assert.match(r.err.message, /needs about [\d.,]+ (KiB|MiB|B)/);
      assert.match(r.err.message, /unchanged/);
      assert.equal(sha(r.file), r.before, 'the previous file is byte-identical');
      assert.ok(!existsSync(`${r.file}.tmp`), '<file>.tmp is removed');
    } finally {
      r.cleanup();
    }
  });

  test('fsync reporting ENOSPC (space found missing only at flush) fails the same way', async () => {
    const r = await failingClose(
      outputWith(
        async (real, buf, off, len, pos) => (await real.write(buf, off, len, pos)).bytesWritten,
        () => Promise.reject(enospc('fsync')),
      ),
    );
    try {
      assert.ok(isBatonError(r.err), String(r.err));
      assert.equal(r.err.code, GrpcCode.RESOURCE_EXHAUSTED);
      assert.equal(sha(r.file), r.before);
      assert.ok(!existsSync(`${r.file}.tmp`));
    } finally {
      r.cleanup();
    }
  });

  test('a write that reports success but lost bytes is caught before the rename', async () => {
    // Says every byte was written, but the last one of each write never reaches the file.
    const r = await failingClose(
      outputWith(async (real, buf, off, len, pos) => {
        await real.write(buf, off, Math.max(0, len - 1), pos);
        return len;
      }),
    );
    try {
      assert.ok(isBatonError(r.err), String(r.err));
      assert.match(r.err.message, /did not verify|size/);
      assert.equal(sha(r.file), r.before);
      assert.ok(!existsSync(`${r.file}.tmp`));
    } finally {
      r.cleanup();
    }
  });

  test('a write that lands as zeros (a lost block) fails the zstd frame check before the rename', async () => {
    let calls = 0;
    const r = await failingClose(
      outputWith(async (real, buf, off, len, pos) => {
        calls += 1;
        const data = calls === 2 ? Buffer.alloc(len) : buf.subarray(off, off + len);
        return (await real.write(data, 0, len, pos)).bytesWritten;
      }),
    );
    try {
      assert.ok(isBatonError(r.err), String(r.err));
      assert.match(r.err.message, /did not verify/);
      assert.equal(sha(r.file), r.before);
      assert.ok(!existsSync(`${r.file}.tmp`));
    } finally {
      r.cleanup();
    }
  });

  test('short writes are continued, not ignored: the file is whole', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      const file = join(dir, 'sync.c1z');
      const result = await syncInto(file, dir, {
        openOutput: outputWith(
          async (real, buf, off, len, pos) =>
            (await real.write(buf, off, Math.min(len, 777), pos)).bytesWritten,
        ),
      });
      assert.equal(statSync(file).size, result.compressedBytes);
      const db = new Database(Buffer.from(decodeC1zBytes(readFileSync(file))));
      try {
        assert.equal(db.prepare('select count(*) from v1_resources').pluck().get(), 320);
      } finally {
        db.close();
      }
      assert.deepEqual(readdirSync(dir), ['sync.c1z']);
    } finally {
      cleanup();
    }
  });
});

describe('a full working-database directory', () => {
  test('SQLite reporting a full database is recognised as a full disk, not an internal error', () => {
    const db = new Database(':memory:');
    let full: unknown;
    try {
      // max_page_count makes SQLite hit its SQLITE_FULL path for real, as on a full disk.
      db.pragma('max_page_count = 8');
      db.exec('create table t (x blob)');
      const insert = db.prepare('insert into t values (?)');
      for (let i = 0; i < 100; i++) insert.run(Buffer.alloc(4096));
    } catch (e) {
      full = e;
    } finally {
      db.close();
    }
    assert.ok(isDiskFull(full), String(full));
    assert.ok(isDiskFull(enospc('write')));
    assert.ok(isDiskFull(Object.assign(new Error('quota'), { code: 'EDQUOT' })));
    assert.ok(!isDiskFull(Object.assign(new Error('denied'), { code: 'EACCES' })));
    // The write worker reports a failure with the SQLite code copied over.
    assert.ok(isDiskFull(Object.assign(new Error('writing ... failed'), { code: 'SQLITE_FULL' })));
  });

  test('the message names the directory and its option, the space needed and whether work was kept', () => {
    const kept = workingDirFullError({
      tmpDir: '/var/tmp/baton',
      fromOption: true,
      usedBytes: 150 * 1024 * 1024,
      kept: true,
      cause: enospc('write'),
    });
    assert.equal(kept.code, GrpcCode.RESOURCE_EXHAUSTED);
    assert.match(kept.message, /\/var\/tmp\/baton/);
    assert.match(kept.message, /--c1z-temp-dir/);
    assert.match(kept.message, /needs at least 300\.0 MiB/);
    assert.match(kept.message, /kept/);
    assert.match(kept.message, /run the same command again/);
    const notKept = workingDirFullError({
      tmpDir: '/tmp',
      fromOption: false,
      usedBytes: 1024,
      kept: false,
      cause: enospc('write'),
    });
    assert.match(notKept.message, /the OS temp directory \/tmp/);
    assert.match(notKept.message, /nothing was kept/i);
  });
});
