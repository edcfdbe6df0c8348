import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { C1zReader, C1zStore } from '../../../src/baton/c1z/index.js';
import { isBatonError } from '../../../src/baton/errors.js';
import { FIXTURES, fixturePath } from '../../support/c1z-fixtures.js';
import { scratchDir, writeSample } from '../../support/c1z-sample.js';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const count = (it: Iterable<unknown>) => {
  let n = 0;
  for (const _ of it) n++;
  return n;
};

describe('C1zReader on the Go-written fixtures', () => {
  for (const fx of FIXTURES) {
    test(`${fx.file}: picks sync ${fx.syncId} and counts exactly what the README states`, async () => {
      // Read the fixture before making the scratch directory: a missing fixture must not leave one behind.
      const path = fixturePath(fx.file);
      const before = { sha: sha(path), mtime: statSync(path).mtimeMs, size: statSync(path).size };
      const { dir, cleanup } = scratchDir();
      try {
        assert.equal(before.size, fx.bytes);
        const reader = await C1zReader.open(path, { tmpDir: dir });
        const syncs = reader.listSyncs();
        assert.equal(syncs.length, 1);
        const run = reader.chooseSync();
        assert.equal(run.syncId, fx.syncId);
        assert.equal(run.syncType, fx.syncType);
        assert.equal(run.startedAt, fx.startedAt);
        assert.equal(run.endedAt, fx.endedAt);
        assert.deepEqual(reader.stats(run.syncId), {
          resourceTypes: fx.resourceTypes,
          resources: fx.resources,
          entitlements: fx.entitlements,
          grants: fx.grants,
        });
        // Streams agree with the counts.
        assert.equal(count(reader.resourceTypes(run.syncId)), fx.resourceTypes);
        for (const [type, n] of Object.entries(fx.resources)) {
          let seen = 0;
          for (const r of reader.resources(run.syncId, type)) {
            assert.equal(r.id?.resourceType, type);
            seen++;
          }
          assert.equal(seen, n, type);
        }
        assert.equal(count(reader.entitlements(run.syncId)), fx.entitlements);
        let grants = 0;
        for (const g of reader.grants(run.syncId)) {
          assert.ok(g.id.startsWith(`${g.entitlement?.id}:`));
          grants++;
        }
        assert.equal(grants, fx.grants);
        assert.equal(readdirSync(dir).length, 1, 'a private decoded copy while open');
        await reader.close();
        assert.deepEqual(readdirSync(dir), [], 'the copy is deleted on close');
      } finally {
        cleanup();
      }
      assert.deepEqual({ sha: sha(path), mtime: statSync(path).mtimeMs, size: statSync(path).size }, before);
    });
  }
});

describe('C1zReader sync choice', () => {
  test('latest finished full sync by default, an explicit id on request, NOT_FOUND for an unknown one', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      const file = join(dir, 'sync.c1z');
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        const store = await C1zStore.open(file, { tmpDir: dir });
        ids.push(store.startSync('full'));
        writeSample(store, 3 + i, 2);
        await store.endSync();
        await store.close();
      }
      const store = await C1zStore.open(file, { tmpDir: dir });
      const unfinished = store.startSync('full');
      writeSample(store, 9, 1);
      await store.close();

      const reader = await C1zReader.open(file, { tmpDir: dir });
      assert.deepEqual(
        reader.listSyncs().map((s) => s.syncId),
        [...ids, unfinished],
      );
      assert.equal(reader.chooseSync().syncId, ids[1]);
      assert.equal(reader.chooseSync(unfinished).syncId, unfinished);
      assert.equal(reader.stats(unfinished).grants, 5);
      assert.throws(
        () => reader.chooseSync('nope'),
        (e: unknown) => isBatonError(e) && e.code === 5,
      );
      await reader.close();
    } finally {
      cleanup();
    }
  });
});

describe('C1zReader refusals and limits', () => {
  const cases: [string, (p: string) => void, number, RegExp][] = [
    ['a missing file', () => undefined, 5, /does not exist/],
    ['an empty file', (p) => writeFileSync(p, ''), 9, /is empty/],
    ['a directory', (p) => mkdirSync(p), 3, /is a directory/],
    [
      'a c1z v3 (Pebble) file',
      (p) => writeFileSync(p, Buffer.from('C1Z3\0\0\0\0\0', 'latin1')),
      9,
      /c1z v3 \(Pebble\) files are not supported; re-run the Go connector with --storage-engine sqlite/,
    ],
    ['a non-c1z file', (p) => writeFileSync(p, 'PK\x03\x04 zip'), 3, /not a c1z file/],
    [
      'a C1ZF file whose payload is not zstd',
      (p) => writeFileSync(p, 'C1ZF\0garbage here'),
      15,
      /not a zstd stream/,
    ],
  ];
  for (const [name, make, code, message] of cases) {
    test(`refuses ${name} with a clear message`, async () => {
      const { dir, cleanup } = scratchDir();
      try {
        const file = join(dir, 'x.c1z');
        make(file);
        await assert.rejects(C1zReader.open(file, { tmpDir: dir }), (e: unknown) => {
          assert.ok(isBatonError(e), String(e));
          assert.equal(e.code, code);
          assert.match(e.message, message);
          return true;
        });
        assert.deepEqual(
          readdirSync(dir).filter((n) => n.startsWith('baton-c1z-read-')),
          [],
        );
      } finally {
        cleanup();
      }
    });
  }

  test('fails fast on a content size over the cap, and while streaming a frame without one', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      const file = join(dir, 'sync.c1z');
      const store = await C1zStore.open(file, { tmpDir: dir });
      store.startSync('full');
      writeSample(store, 50, 5);
      await store.close();
      const tooSmall = { maxDecodedBytes: 64 * 1024 };
      await assert.rejects(
        C1zReader.open(file, { tmpDir: dir, decodeLimits: tooSmall }),
        /BATON_DECODER_MAX_DECODED_SIZE_MB/,
      );
      // The Go fixture has no Frame_Content_Size: the cap trips while decoding.
      await assert.rejects(
        C1zReader.open(fixturePath('go-sdk-in-progress.c1z'), { tmpDir: dir, decodeLimits: tooSmall }),
        (e: unknown) => isBatonError(e) && e.code === 8,
      );
      assert.deepEqual(
        readdirSync(dir).filter((n) => n.startsWith('baton-c1z-read-')),
        [],
      );
    } finally {
      cleanup();
    }
  });

  test('rejects a frame advertising more than the default 10 GiB before decoding anything', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      const file = join(dir, 'huge.c1z');
      const header = Buffer.alloc(14);
      header.writeUInt32LE(0xfd2fb528, 0); // zstd magic
      header[4] = 0xc4; // 8-byte Frame_Content_Size, checksum
      header[5] = 0x68; // window descriptor
      header.writeBigUInt64LE(1n << 40n, 6); // 1 TiB
      writeFileSync(
        file,
        Buffer.concat([Buffer.from('C1ZF\0', 'latin1'), header, Buffer.from('not a block')]),
      );
      await assert.rejects(
        C1zReader.open(file, { tmpDir: dir }),
        (e: unknown) => isBatonError(e) && e.code === 8,
      );
    } finally {
      cleanup();
    }
  });
});
