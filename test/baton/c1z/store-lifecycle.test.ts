import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { C1zStore } from '../../../src/baton/c1z/index.js';
import { isBatonError } from '../../../src/baton/errors.js';
import { byColumnName, describeSchema, documentedSchema } from '../../support/c1z-schema.js';
import { decodeC1zBytes, fixturePath } from '../../support/c1z-fixtures.js';
import { scratchDir, writeSample } from '../../support/c1z-sample.js';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const openDecoded = (path: string) => new Database(Buffer.from(decodeC1zBytes(readFileSync(path))));
const workDirs = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('baton-c1z-'));

async function fullSync(file: string, tmpDir: string, users = 3): Promise<string> {
  const store = await C1zStore.open(file, { tmpDir });
  const id = store.startSync('full');
  writeSample(store, users, 2);
  await store.cleanup();
  await store.endSync();
  await store.close();
  return id;
}

describe('C1zStore resume', () => {
  test('abandon keeps <file> untouched and the next open finds the unfinished sync and its token', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      const file = join(dir, 'sync.c1z');
      const firstId = await fullSync(file, dir);
      const before = sha(file);

      const store = await C1zStore.open(file, { tmpDir: dir });
      assert.equal(store.findResumableSync('full'), undefined);
      const id = store.startSync('full');
      writeSample(store, 4, 2);
      store.checkpoint('{"current_action_id":3}');
      await store.abandon();
      assert.equal(sha(file), before, 'abandon never writes <file>');
      const [work] = workDirs(dir);
      assert.ok(work);
      assert.equal(statSync(join(dir, work)).mode & 0o777, 0o700);
      assert.deepEqual(readdirSync(join(dir, work)).sort(), ['base.json', 'db', 'db-journal']);

      const again = await C1zStore.open(file, { tmpDir: dir });
      const run = again.findResumableSync('full');
      assert.ok(run);
      assert.equal(run.syncId, id);
      assert.equal(run.syncToken, '{"current_action_id":3}');
      assert.equal(run.endedAt, null);
      assert.equal(again.findResumableSync('partial'), undefined);
      assert.deepEqual(again.resumeSync(id).syncId, id);
      assert.equal(again.currentSyncId, id);
      assert.equal((await again.countRows()).grants, 4);
      await again.cleanup();
      await again.endSync();
      await again.close();

      const db = openDecoded(file);
      const ids = (
        db.prepare('SELECT sync_id FROM v1_sync_runs ORDER BY id').all() as { sync_id: string }[]
      ).map((r) => r.sync_id);
      assert.deepEqual(ids, [firstId, id]);
      db.close();
      assert.deepEqual(workDirs(dir), []);
    } finally {
      cleanup();
    }
  });

  test('an unfinished sync older than the resume window is not offered', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      const file = join(dir, 'sync.c1z');
      let now = new Date(2026, 5, 1, 12, 0, 0);
      const store = await C1zStore.open(file, { tmpDir: dir, now: () => now });
      const id = store.startSync('full');
      assert.equal(store.findResumableSync('full')?.syncId, id);
      now = new Date(2026, 5, 8, 11, 59, 59);
      assert.equal(store.findResumableSync('full')?.syncId, id, 'inside 7 days');
      now = new Date(2026, 5, 8, 12, 0, 1);
      assert.equal(store.findResumableSync('full'), undefined, 'past 7 days');
      assert.equal(store.findResumableSync('full', 30 * 86_400_000)?.syncId, id);
      await store.abandon();
    } finally {
      cleanup();
    }
  });

  test('a working database that does not match <file> any more is discarded', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      const file = join(dir, 'sync.c1z');
      await fullSync(file, dir);
      const store = await C1zStore.open(file, { tmpDir: dir });
      store.startSync('full');
      await store.abandon();
      await fullSync(join(dir, 'other.c1z'), dir, 9);
      copyFileSync(join(dir, 'other.c1z'), file);
      const again = await C1zStore.open(file, { tmpDir: dir });
      assert.equal(again.findResumableSync('full'), undefined);
      await again.abandon();
    } finally {
      cleanup();
    }
  });

  test('a leftover <file>.tmp from a killed close is removed on open', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      const file = join(dir, 'sync.c1z');
      writeFileSync(`${file}.tmp`, 'partial');
      const store = await C1zStore.open(file, { tmpDir: dir });
      assert.ok(!existsSync(`${file}.tmp`));
      await store.abandon();
    } finally {
      cleanup();
    }
  });
});

describe('C1zStore retention', () => {
  test('three consecutive syncs into one file leave exactly the two newest finished full syncs', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      const file = join(dir, 'sync.c1z');
      const ids = [await fullSync(file, dir, 3), await fullSync(file, dir, 4), await fullSync(file, dir, 5)];
      const db = openDecoded(file);
      const runs = db.prepare('SELECT sync_id, sync_type, ended_at FROM v1_sync_runs ORDER BY id').all() as {
        sync_id: string;
        sync_type: string;
        ended_at: string | null;
      }[];
      assert.deepEqual(
        runs.map((r) => r.sync_id),
        ids.slice(1),
      );
      assert.ok(runs.every((r) => r.sync_type === 'full' && r.ended_at !== null));
      for (const table of ['v1_resource_types', 'v1_resources', 'v1_entitlements', 'v1_grants']) {
        const n = db.prepare(`SELECT count(*) AS n FROM ${table} WHERE sync_id = ?`).get(ids[0]) as {
          n: number;
        };
        assert.equal(n.n, 0, `${table} rows of the oldest sync are deleted`);
      }
      const grants = db
        .prepare('SELECT sync_id, count(*) AS n FROM v1_grants GROUP BY sync_id ORDER BY n')
        .all();
      assert.deepEqual(grants, [
        { sync_id: ids[1], n: 4 },
        { sync_id: ids[2], n: 5 },
      ]);
      db.close();
    } finally {
      cleanup();
    }
  });

  test('a partial sync gets the latest full sync as parent; cleanup can be disabled', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      const file = join(dir, 'sync.c1z');
      const full = await fullSync(file, dir);
      await fullSync(file, dir);
      const store = await C1zStore.open(file, { tmpDir: dir, keepFullSyncs: 1, skipCleanup: true });
      store.startSync('partial');
      assert.deepEqual(await store.cleanup(), []);
      const db0 = store.resumeSync(store.currentSyncId!);
      assert.notEqual(db0.parentSyncId, '');
      assert.notEqual(db0.parentSyncId, full, 'the newest full sync is the parent');
      assert.equal(db0.syncType, 'partial');
      await store.abandon();
    } finally {
      cleanup();
    }
  });
});

describe('C1zStore refuses what it must not overwrite', () => {
  const cases: [string, (p: string) => void, number, RegExp][] = [
    [
      'a c1z v3 (Pebble) file',
      (p) => writeFileSync(p, Buffer.from('C1Z3\0\0\0\0\0rest', 'latin1')),
      9,
      /c1z v3 \(Pebble\).*choose another --file or delete it/,
    ],
    [
      'a file that is not a c1z',
      (p) => writeFileSync(p, 'SQLite format 3\0...'),
      3,
      /not a c1z file.*choose another --file or delete it/,
    ],
    ['a directory', (p) => mkdirSync(p), 3, /is a directory/],
  ];
  for (const [name, make, code, message] of cases) {
    test(`refuses ${name} and leaves it untouched`, async () => {
      const { dir, cleanup } = scratchDir();
      try {
        const file = join(dir, 'sync.c1z');
        make(file);
        const before = statSync(file).isFile() ? sha(file) : 'dir';
        await assert.rejects(C1zStore.open(file, { tmpDir: dir }), (e: unknown) => {
          assert.ok(isBatonError(e));
          assert.equal(e.code, code);
          assert.match(e.message, message);
          return true;
        });
        assert.equal(statSync(file).isFile() ? sha(file) : 'dir', before);
        assert.deepEqual(workDirs(dir), []);
      } finally {
        cleanup();
      }
    });
  }

  test('refuses a second writer of the same file, and takes over a lock whose process is gone', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      const file = join(dir, 'sync.c1z');
      const first = await C1zStore.open(file, { tmpDir: dir });
      await assert.rejects(
        C1zStore.open(file, { tmpDir: dir }),
        /another process \(pid \d+\) is writing .*sync\.c1z/,
      );
      await first.abandon();
      // A pid that certainly ended: a child process that has exited.
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
        encoding: 'utf8',
      });
      const [work] = workDirs(dir);
      writeFileSync(join(dir, work!, 'lock'), dead.stdout);
      const second = await C1zStore.open(file, { tmpDir: dir });
      await second.abandon();
    } finally {
      cleanup();
    }
  });
});

describe('C1zStore on a file written by the Go SDK (old schema)', () => {
  test('migrates the schema, appends a sync and keeps the Go sync readable', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      const file = join(dir, 'go.c1z');
      copyFileSync(fixturePath('go-sdk-demo-expanded.c1z'), file);
      const id = await fullSync(file, dir);
      const db = openDecoded(file);
      assert.deepEqual(byColumnName(describeSchema(db)), byColumnName(documentedSchema()));
      const runs = db.prepare('SELECT sync_id, grants_backfilled FROM v1_sync_runs ORDER BY id').all();
      assert.deepEqual(runs, [
        { sync_id: '36zfOAoWMxQdISbixanQCRBiX7E', grants_backfilled: 0 },
        { sync_id: id, grants_backfilled: 1 },
      ]);
      const goGrants = db
        .prepare('SELECT count(*) AS n FROM v1_grants WHERE sync_id = ?')
        .get('36zfOAoWMxQdISbixanQCRBiX7E');
      assert.deepEqual(goGrants, { n: 14981 });
      assert.deepEqual([...readFileSync(file).subarray(0, 5)], [...Buffer.from('C1ZF\0', 'latin1')]);
      db.close();
    } finally {
      cleanup();
    }
  });
});
