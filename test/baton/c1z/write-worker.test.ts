import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { C1zStore } from '../../../src/baton/c1z/index.js';
import { WriteWorkerClient } from '../../../src/baton/c1z/write-worker-client.js';
import { GRANT_LAYOUT, packRows, RESOURCE_LAYOUT, unpackRows } from '../../../src/baton/c1z/row-layout.js';
import { applySchema } from '../../../src/baton/c1z/schema.js';
import { openWorkingDb } from '../../../src/baton/c1z/working-db.js';
import type { GrantRow } from '../../../src/baton/c1z/grant-row.js';
import { newGrant, newGroupResource, newResourceId } from '../../../src/baton/model/index.js';
import { decodeC1zBytes } from '../../support/c1z-fixtures.js';
import { groupType, scratchDir, userType, writeSample } from '../../support/c1z-sample.js';

const workDb = (dir: string): string => {
  const [work] = readdirSync(dir).filter((n) => n.startsWith('baton-c1z-'));
  assert.ok(work, 'a working directory exists');
  return join(dir, work, 'db');
};

/** Resource and grant rows of the file's only sync, without the per-run sync id and time, in rowid order. */
function rowsOf(file: string): { resources: unknown[]; grants: unknown[] } {
  const db = new Database(Buffer.from(decodeC1zBytes(readFileSync(file))));
  try {
    return {
      resources: db
        .prepare(
          `SELECT id, resource_type_id, external_id, parent_resource_type_id, parent_resource_id,
                  hex(data) AS data FROM v1_resources ORDER BY id`,
        )
        .all(),
      grants: db
        .prepare(
          `SELECT id, resource_type_id, resource_id, entitlement_id, principal_resource_type_id,
                  principal_resource_id, external_id, expansion, needs_expansion, hex(data) AS data
           FROM v1_grants ORDER BY id`,
        )
        .all(),
    };
  } finally {
    db.close();
  }
}

async function writeFile(dir: string): Promise<string> {
  const file = join(dir, 'sync.c1z');
  const store = await C1zStore.open(file, { tmpDir: dir });
  store.startSync('full');
  writeSample(store, 40, 12);
  // A duplicate in a later batch upserts: same rowid, the later data.
  const g0 = newGroupResource('Group 0 renamed', groupType, 'g0', { profile: { index: 0 } });
  store.putResources([g0, newGroupResource('Gruppe Zoë 東京 \ud800', groupType, 'g-ü-\ud800', {})]);
  store.putGrants([
    newGrant(g0, 'member', newResourceId(userType, 'u0')),
    newGrant(g0, 'member', newResourceId(userType, 'Zoë 東京 \ud800 🚀')),
  ]);
  await store.endSync();
  await store.close();
  return file;
}

const row = (id: string, expansion: Uint8Array | null = null): GrantRow => ({
  resourceTypeId: 'group',
  resourceId: `g-${id}`,
  entitlementId: `group:g-${id}:member`,
  principalResourceTypeId: 'user',
  principalResourceId: id,
  externalId: `group:g-${id}:member:user:${id}`,
  expansion,
  needsExpansion: expansion === null ? 0 : 1,
  data: Buffer.from(`data of ${id}`),
});

describe('write worker', () => {
  test('rows packed for the worker unpack to the values of the INSERT, in the layout column order', () => {
    const rows = [
      row('plain'),
      row('Zoë 東京 🚀 "q" / \\ \u0000 nul'),
      row(''),
      row('lone \ud800 surrogate', new Uint8Array([1, 2, 3])),
      row('empty expansion', new Uint8Array()),
    ];
    const values = unpackRows(GRANT_LAYOUT, packRows(GRANT_LAYOUT, rows), rows.length, 'sync-1', 'at-1');
    // A lone surrogate becomes U+FFFD, as SQLite's binding of the string itself stores it.
    const utf8 = (t: string) => t.replaceAll('\ud800', '\ufffd');
    const expected = rows.flatMap((r) => [
      utf8(r.resourceTypeId),
      utf8(r.resourceId),
      utf8(r.entitlementId),
      utf8(r.principalResourceTypeId),
      utf8(r.principalResourceId),
      utf8(r.externalId),
      r.expansion === null ? null : Buffer.from(r.expansion),
      r.needsExpansion,
      r.data,
      'sync-1',
      'at-1',
    ]);
    assert.deepEqual(values, expected);
  });

  test('resource rows with and without a parent round-trip through the packed form', () => {
    const rows = [
      {
        resourceTypeId: 'user',
        externalId: 'user:u1',
        parentResourceTypeId: null,
        parentResourceId: null,
        data: new Uint8Array([9]),
      },
      {
        resourceTypeId: 'group',
        externalId: 'group:g',
        parentResourceTypeId: 'org',
        parentResourceId: 'o1',
        data: new Uint8Array(),
      },
    ];
    const values = unpackRows(RESOURCE_LAYOUT, packRows(RESOURCE_LAYOUT, rows), 2, 's', 'a');
    assert.deepEqual(values, [
      'user',
      'user:u1',
      null,
      null,
      Buffer.from([9]),
      's',
      'a',
      'group',
      'group:g',
      'org',
      'o1',
      Buffer.alloc(0),
      's',
      'a',
    ]);
  });

  test('upserts keep the first rowid with the later data; text columns are stored well-formed', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      const { resources, grants } = rowsOf(await writeFile(dir));
      assert.equal(resources.length, 40 + 12 + 1);
      assert.equal(grants.length, 40 * 6 + 1);
      const g0 = (resources as { id: number; external_id: string; data: string }[]).filter(
        (r) => r.external_id === 'group:g0',
      );
      assert.equal(g0.length, 1);
      assert.equal(g0[0]!.id, 41, 'the first rowid of g0 (after 40 users)');
      assert.ok(Buffer.from(g0[0]!.data, 'hex').toString('latin1').includes('renamed'), 'the later data');
      const principals = (grants as { principal_resource_id: string }[]).map((g) => g.principal_resource_id);
      assert.ok(principals.includes('Zoë 東京 \ufffd 🚀'));
      assert.ok((resources as { external_id: string }[]).some((r) => r.external_id === 'group:g-ü-\ufffd'));
    } finally {
      cleanup();
    }
  });

  test('a checkpoint is written only after every grant put before it is committed', async (t) => {
    const { dir, cleanup } = scratchDir();
    t.after(cleanup); // also when opening the store fails
    const store = await C1zStore.open(join(dir, 'sync.c1z'), { tmpDir: dir });
    try {
      store.startSync('full');
      const { grants } = writeSample(store, 200, 30);
      store.checkpoint('{"version":1}');
      // checkpoint() only queues: watch from another connection for the token, without waiting on the store.
      // Whenever the token is there, every grant put before it is there too.
      const db = new Database(workDb(dir), { readonly: true });
      try {
        const token = db.prepare('SELECT sync_token AS t FROM v1_sync_runs');
        const count = db.prepare('SELECT count(*) AS n FROM v1_grants');
        const deadline = Date.now() + 30_000;
        let seen = false;
        while (!seen && Date.now() < deadline) {
          db.transaction(() => {
            if ((token.get() as { t: string }).t !== '{"version":1}') return;
            seen = true;
            assert.equal((count.get() as { n: number }).n, grants);
          })();
          if (!seen) await new Promise((r) => setTimeout(r, 5));
        }
        assert.ok(seen, 'the checkpoint was committed within 30 s');
      } finally {
        db.close();
      }
      assert.equal((await store.countRows()).grants, grants);
    } finally {
      await store.abandon();
      cleanup();
    }
  });

  test('a failed write surfaces at the next store call with SQLite’s reason', async (t) => {
    const { dir, cleanup } = scratchDir();
    t.after(cleanup); // also when opening the store fails
    const store = await C1zStore.open(join(dir, 'sync.c1z'), { tmpDir: dir });
    try {
      store.startSync('full');
      writeSample(store, 10, 2);
      store.checkpoint('{}');
      // Pull the table from under the worker: its next insert fails.
      const db = new Database(workDb(dir));
      db.exec('DROP TABLE v1_grants');
      db.close();
      const g = newGroupResource('Group 9', groupType, 'g9', {});
      store.putGrants([newGrant(g, 'member', newResourceId(userType, 'u1'))]);
      await assert.rejects(store.flush(), /writing to the working database failed: .*v1_grants/);
      assert.throws(
        () => store.checkpoint('{"later":true}'),
        /writing to the working database failed: .*v1_grants/,
      );
    } finally {
      await store.abandon();
      cleanup();
    }
  });

  test('a worker that cannot open the database reports it instead of leaving the store waiting', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      const client = new WriteWorkerClient(join(dir, 'missing', 'db'), 4);
      client.postRows(GRANT_LAYOUT, [row('x')], 'sync', 'now');
      await assert.rejects(client.flush(), /writing to the working database failed: .*did not start/);
      await client.stop(true);
    } finally {
      cleanup();
    }
  });

  test('rows queued for the worker stay within the byte bound: buffers it is done with come back', async (t) => {
    const { dir, cleanup } = scratchDir();
    t.after(cleanup);
    const path = join(dir, 'db');
    const db = openWorkingDb(path, { cacheMiB: 4, fresh: true });
    applySchema(db);
    db.close();
    const bound = 1024 * 1024;
    const client = new WriteWorkerClient(path, 4, { maxQueuedBytes: bound });
    try {
      // 96 MiB of grant rows in batches of 250, awaiting the backpressure after each batch as the engine does.
      const blob = Buffer.alloc(2048, 7);
      const base = process.memoryUsage().arrayBuffers;
      let peak = 0;
      for (let batch = 0; batch < 192; batch++) {
        const rows = Array.from({ length: 250 }, (_, i) => ({ ...row(`${batch}-${i}`), data: blob }));
        client.postRows(GRANT_LAYOUT, rows, 'sync', 'now');
        assert.ok(client.queuedBytes <= bound + 2 * 250 * 2400, `queued ${client.queuedBytes} bytes`);
        await client.ready();
        assert.ok(client.queuedBytes < bound, `ready() with ${client.queuedBytes} bytes queued`);
        peak = Math.max(peak, process.memoryUsage().arrayBuffers - base);
      }
      await client.flush();
      // Buffers queued or in the worker's hands, plus the idle ones kept for reuse: about twice the bound,
      // however many rows went through (before, the worker's garbage held tens of MiB of them).
      assert.ok(peak < 4 * bound, `array buffers grew by ${(peak / 1048576).toFixed(1)} MiB`);
    } finally {
      await client.stop(true);
    }
    const check = new Database(path, { readonly: true });
    try {
      assert.equal(
        (check.prepare('SELECT count(*) AS n FROM v1_grants').get() as { n: number }).n,
        192 * 250,
      );
    } finally {
      check.close();
    }
  });
});
