import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { C1zStore } from '../../../src/baton/c1z/index.js';
import { WriteWorkerClient } from '../../../src/baton/c1z/write-worker-client.js';
import { packGrantRows, unpackGrantRows } from '../../../src/baton/c1z/row-batch.js';
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

async function writeFile(dir: string, writeWorker: boolean): Promise<string> {
  const file = join(dir, `${writeWorker ? 'worker' : 'main'}.c1z`);
  const store = await C1zStore.open(file, { tmpDir: dir, writeWorker });
  store.startSync('full');
  writeSample(store, 40, 12);
  // A duplicate in a later batch upserts: same rowid, the later data.
  const g0 = newGroupResource('Group 0', groupType, 'g0', { profile: { index: 0 } });
  store.putResources([g0, newGroupResource('Gruppe Zoë 東京 \ud800', groupType, 'g-ü-\ud800', {})]);
  store.putGrants([
    newGrant(g0, 'member', newResourceId(userType, 'u0')),
    newGrant(g0, 'member', newResourceId(userType, 'Zoë 東京 \ud800 🚀')),
  ]);
  store.endSync();
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
  test('rows packed for the worker unpack to the values the main-thread writer binds', () => {
    const rows = [
      row('plain'),
      row('Zoë 東京 🚀 "q" / \\ \u0000 nul'),
      row(''),
      row('lone \ud800 surrogate', new Uint8Array([1, 2, 3])),
      row('empty expansion', new Uint8Array()),
    ];
    const values = unpackGrantRows(packGrantRows(rows), rows.length, 'sync-1', 'at-1');
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

  test('writes exactly the rows the main-thread writer writes, upserts included', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      const viaWorker = rowsOf(await writeFile(dir, true));
      const onMain = rowsOf(await writeFile(dir, false));
      assert.equal(viaWorker.resources.length, 40 + 12 + 1);
      assert.equal(viaWorker.grants.length, 40 * 6 + 1);
      assert.deepEqual(viaWorker, onMain);
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
      // Another connection sees the token and every grant: nothing is still queued in the worker.
      const db = new Database(workDb(dir), { readonly: true });
      try {
        assert.equal(
          (db.prepare('SELECT sync_token AS t FROM v1_sync_runs').get() as { t: string }).t,
          '{"version":1}',
        );
        assert.equal((db.prepare('SELECT count(*) AS n FROM v1_grants').get() as { n: number }).n, grants);
      } finally {
        db.close();
      }
      assert.equal(store.countRows().grants, grants);
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
      assert.throws(
        () => store.checkpoint('{"later":true}'),
        /writing to the working database failed: .*v1_grants/,
      );
    } finally {
      await store.abandon();
      cleanup();
    }
  });

  test('a worker that cannot open the database reports it instead of leaving the store waiting', () => {
    const { dir, cleanup } = scratchDir();
    try {
      const client = new WriteWorkerClient(join(dir, 'missing', 'db'), 4);
      client.postGrants([row('x')], 'sync', 'now');
      assert.throws(() => client.drain(), /writing to the working database failed: .*did not start/);
      client.stop(true);
    } finally {
      cleanup();
    }
  });
});
