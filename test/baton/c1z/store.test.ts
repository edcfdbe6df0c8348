import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import Database from 'better-sqlite3';
import { C1zStore, KSUID_PATTERN, parseZstdFrameHeader } from '../../../src/baton/c1z/index.js';
import { GrantExpandableSchema } from '../../../src/baton/gen/c1/connector/v2/annotation_grant_pb.js';
import { EntitlementSchema } from '../../../src/baton/gen/c1/connector/v2/entitlement_pb.js';
import { GrantSchema } from '../../../src/baton/gen/c1/connector/v2/grant_pb.js';
import { ResourceSchema } from '../../../src/baton/gen/c1/connector/v2/resource_pb.js';
import {
  newAssignmentEntitlement,
  newGrant,
  newGroupResource,
  newResourceId,
  newUserResource,
  packAnnotation,
} from '../../../src/baton/model/index.js';
import { decodeC1zBytes } from '../../support/c1z-fixtures.js';
import { describeSchema, documentedSchema } from '../../support/c1z-schema.js';
import { groupType, scratchDir, userType, writeSample } from '../../support/c1z-sample.js';

const GO_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d*[1-9])?$/;

describe('a c1z written by C1zStore', () => {
  const { dir, cleanup } = scratchDir();
  const file = join(dir, 'sync.c1z');
  let bytes: Buffer;
  let db: Database.Database;
  let syncId: string;
  let counts: ReturnType<typeof writeSample>;
  let closeResult: Awaited<ReturnType<C1zStore['close']>>;

  before(async () => {
    const store = await C1zStore.open(file, { tmpDir: dir });
    syncId = store.startSync('full');
    counts = writeSample(store, 7, 4);
    store.markSupportsDiff();
    store.checkpoint('{"completed_actions_count":9,"version":1}');
    await store.cleanup();
    await store.endSync();
    closeResult = await store.close();
    bytes = readFileSync(file);
    const sqlite = Buffer.from(decodeC1zBytes(bytes));
    db = new Database(sqlite);
  });
  after(() => {
    db?.close();
    cleanup();
  });

  test('starts with C1ZF\\0 and one zstd frame carrying content size and checksum, window <= 128 MiB', () => {
    assert.equal(bytes.subarray(0, 5).toString('latin1'), 'C1ZF\0');
    const header = parseZstdFrameHeader(bytes.subarray(5));
    assert.ok(header);
    assert.equal(header.hasChecksum, true);
    assert.equal(header.contentSize, closeResult.decompressedBytes);
    assert.ok(header.windowSize > 0 && header.windowSize <= 128 * 1024 * 1024);
    assert.equal(closeResult.compressedBytes, bytes.length);
    assert.equal(closeResult.path, file);
  });

  test('decodes with fzstd to a rollback-journal SQLite file with user_version and application_id 0', () => {
    const sqlite = decodeC1zBytes(bytes);
    assert.equal(sqlite.length, closeResult.decompressedBytes);
    assert.equal(Buffer.from(sqlite.subarray(0, 16)).toString('latin1'), 'SQLite format 3\0');
    assert.deepEqual([sqlite[18], sqlite[19]], [1, 1], 'not WAL');
    assert.equal(db.pragma('user_version', { simple: true }), 0);
    assert.equal(db.pragma('application_id', { simple: true }), 0);
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  });

  test('has exactly the documented schema: columns, types, defaults, indexes and partial WHERE clauses', () => {
    assert.deepEqual(describeSchema(db), documentedSchema());
  });

  test('has one finished full sync row with KSUID, Go-layout times, token, flags and Go-JSON stats', () => {
    const runs = db.prepare('SELECT * FROM v1_sync_runs').all() as Record<string, unknown>[];
    assert.equal(runs.length, 1);
    const run = runs[0]!;
    assert.equal(run.sync_id, syncId);
    assert.match(syncId, KSUID_PATTERN);
    assert.match(String(run.started_at), GO_TIME);
    assert.match(String(run.ended_at), GO_TIME);
    assert.ok(String(run.ended_at) >= String(run.started_at));
    assert.equal(run.sync_type, 'full');
    assert.equal(run.parent_sync_id, '');
    assert.equal(run.linked_sync_id, '');
    assert.equal(run.supports_diff, 1);
    assert.equal(run.grants_backfilled, 1);
    assert.equal(run.sync_token, '{"completed_actions_count":9,"version":1}');
    assert.equal(
      run.stats,
      `{"resource_types":2,"resources":${counts.users + counts.groups},"entitlements":${counts.groups},` +
        `"grants":${counts.grants},"resources_by_resource_type":{"group":${counts.groups},"user":${counts.users}},` +
        `"grants_by_resource_type":{"group":${counts.grants}},"entitlements_by_resource_type":{"group":${counts.groups}}}`,
    );
  });

  test('stamps every row with the sync id and a Go-layout discovered_at', () => {
    for (const table of ['v1_resource_types', 'v1_resources', 'v1_entitlements', 'v1_grants']) {
      const rows = db.prepare(`SELECT sync_id, discovered_at FROM ${table}`).all() as {
        sync_id: string;
        discovered_at: string;
      }[];
      assert.ok(rows.length > 0, table);
      for (const r of rows) {
        assert.equal(r.sync_id, syncId);
        assert.match(r.discovered_at, GO_TIME);
      }
    }
  });

  test('index columns agree with the data blobs', () => {
    for (const r of db.prepare('SELECT * FROM v1_resources').all() as Record<string, unknown>[]) {
      const res = fromBinary(ResourceSchema, r.data as Buffer);
      assert.equal(r.resource_type_id, res.id?.resourceType);
      assert.equal(r.external_id, `${res.id?.resourceType}:${res.id?.resource}`);
      assert.equal(r.parent_resource_type_id, null);
      assert.equal(r.parent_resource_id, null);
    }
    for (const r of db.prepare('SELECT * FROM v1_entitlements').all() as Record<string, unknown>[]) {
      const e = fromBinary(EntitlementSchema, r.data as Buffer);
      assert.equal(r.external_id, e.id);
      assert.equal(r.resource_type_id, e.resource?.id?.resourceType);
      assert.equal(r.resource_id, e.resource?.id?.resource);
    }
    for (const r of db.prepare('SELECT * FROM v1_grants').all() as Record<string, unknown>[]) {
      const g = fromBinary(GrantSchema, r.data as Buffer);
      assert.equal(r.external_id, g.id);
      assert.equal(r.entitlement_id, g.entitlement?.id);
      assert.equal(r.resource_type_id, g.entitlement?.resource?.id?.resourceType);
      assert.equal(r.resource_id, g.entitlement?.resource?.id?.resource);
      assert.equal(r.principal_resource_type_id, g.principal?.id?.resourceType);
      assert.equal(r.principal_resource_id, g.principal?.id?.resource);
      assert.equal(
        g.id,
        `${g.entitlement?.id}:${g.principal?.id?.resourceType}:${g.principal?.id?.resource}`,
      );
      assert.equal(r.expansion, null);
      assert.equal(r.needs_expansion, 0);
    }
  });

  test('is referentially consistent: grants point at stored entitlements and principals', () => {
    const dangling = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    assert.equal(
      dangling(`SELECT count(*) AS n FROM v1_grants g WHERE NOT EXISTS (SELECT 1 FROM v1_entitlements e
        WHERE e.external_id = g.entitlement_id AND e.sync_id = g.sync_id)`),
      0,
    );
    assert.equal(
      dangling(`SELECT count(*) AS n FROM v1_grants g WHERE NOT EXISTS (SELECT 1 FROM v1_resources r
        WHERE r.external_id = g.principal_resource_type_id || ':' || g.principal_resource_id AND r.sync_id = g.sync_id)`),
      0,
    );
    assert.equal(
      dangling(`SELECT count(*) AS n FROM v1_entitlements e WHERE NOT EXISTS (SELECT 1 FROM v1_resources r
        WHERE r.external_id = e.resource_type_id || ':' || e.resource_id AND r.sync_id = e.sync_id)`),
      0,
    );
    assert.equal((db.prepare('SELECT count(*) AS n FROM v1_grants').get() as { n: number }).n, counts.grants);
  });

  test('leaves no working directory or temporary file behind', () => {
    assert.deepEqual(readdirSync(dir), ['sync.c1z']);
    assert.ok(!existsSync(`${file}.tmp`));
  });
});

describe('C1zStore writes', () => {
  test('upserts keep the first rowid and discovered_at and replace the data', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      let clock = new Date(2026, 0, 2, 3, 4, 5, 100);
      const store = await C1zStore.open(join(dir, 'a.c1z'), { tmpDir: dir, now: () => clock });
      store.startSync('full');
      const group = newGroupResource('G', groupType, 'g');
      const user = newUserResource('U', userType, 'u');
      store.putResources([group, user]);
      store.putEntitlements([newAssignmentEntitlement(group, 'member')]);
      store.putGrants([newGrant(group, 'member', user.id!)]);
      clock = new Date(2026, 0, 2, 3, 4, 6);
      const renamed = newGroupResource('G renamed', groupType, 'g');
      store.putResources([renamed]);
      const expandable = packAnnotation(GrantExpandableSchema, { entitlementIds: ['group:other:member'] });
      store.putGrants([newGrant(renamed, 'member', user.id!, { annotations: [expandable] })]);
      await store.endSync();
      await store.close();
      const db = new Database(Buffer.from(decodeC1zBytes(readFileSync(join(dir, 'a.c1z')))));
      const rows = db.prepare('SELECT id, data, discovered_at FROM v1_resources ORDER BY id').all() as {
        id: number;
        data: Buffer;
        discovered_at: string;
      }[];
      assert.deepEqual(
        rows.map((r) => [r.id, fromBinary(ResourceSchema, r.data).displayName, r.discovered_at]),
        [
          [1, 'G renamed', '2026-01-02 03:04:05.1'],
          [2, 'U', '2026-01-02 03:04:05.1'],
        ],
      );
      const grants = db.prepare('SELECT * FROM v1_grants').all() as Record<string, unknown>[];
      assert.equal(grants.length, 1);
      const g = grants[0]!;
      assert.equal(g.id, 1);
      assert.equal(g.discovered_at, '2026-01-02 03:04:05.1');
      assert.equal(g.needs_expansion, 1);
      const stored = fromBinary(GrantSchema, g.data as Buffer);
      assert.equal(stored.annotations.length, 0, 'GrantExpandable is moved out of data');
      assert.equal(stored.entitlement?.resource?.displayName, 'G renamed');
      assert.deepEqual(fromBinary(GrantExpandableSchema, g.expansion as Buffer).entitlementIds, [
        'group:other:member',
      ]);
      db.close();
    } finally {
      cleanup();
    }
  });

  test('a GrantExpandable with only blank entitlement ids is dropped without expansion', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      const store = await C1zStore.open(join(dir, 'b.c1z'), { tmpDir: dir });
      store.startSync('full');
      const group = newGroupResource('G', groupType, 'g');
      const annotation = packAnnotation(GrantExpandableSchema, { entitlementIds: [' '] });
      const grant = newGrant(group, 'member', newResourceId('user', 'u'), { annotations: [annotation] });
      store.putGrants([grant]);
      assert.equal(grant.annotations.length, 1, "the caller's grant is not modified");
      await store.endSync();
      await store.close();
      const db = new Database(Buffer.from(decodeC1zBytes(readFileSync(join(dir, 'b.c1z')))));
      const row = db.prepare('SELECT expansion, needs_expansion, data FROM v1_grants').get() as Record<
        string,
        unknown
      >;
      assert.equal(row.expansion, null);
      assert.equal(row.needs_expansion, 0);
      const copy = newGrant(group, 'member', newResourceId('user', 'u'));
      assert.deepEqual(row.data, Buffer.from(toBinary(GrantSchema, copy)));
      db.close();
    } finally {
      cleanup();
    }
  });

  test('stores a child resource with its parent columns', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      const store = await C1zStore.open(join(dir, 'p.c1z'), { tmpDir: dir });
      store.startSync('full');
      const team = newGroupResource('Team', groupType, 't1');
      const child = newGroupResource('Sub', groupType, 's1', {}, { parent: team.id });
      store.putResources([team, child]);
      await store.endSync();
      await store.close();
      const db = new Database(Buffer.from(decodeC1zBytes(readFileSync(join(dir, 'p.c1z')))));
      assert.deepEqual(
        db
          .prepare(
            'SELECT external_id, parent_resource_type_id, parent_resource_id FROM v1_resources ORDER BY id',
          )
          .all(),
        [
          { external_id: 'group:t1', parent_resource_type_id: null, parent_resource_id: null },
          { external_id: 'group:s1', parent_resource_type_id: 'group', parent_resource_id: 't1' },
        ],
      );
      db.close();
    } finally {
      cleanup();
    }
  });

  test('lists and counts what the current sync holds, while writes continue', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      const store = await C1zStore.open(join(dir, 'c.c1z'), { tmpDir: dir });
      store.startSync('full');
      writeSample(store, 2500, 2);
      assert.deepEqual(
        (await collect(store.listResourceTypes())).map((t) => t.id),
        ['user', 'group'],
      );
      let seen = 0;
      for await (const u of store.listResources('user')) {
        if (seen++ === 1500) store.putResources([newUserResource('late', userType, 'late')]);
        assert.equal(u.id?.resourceType, 'user');
      }
      assert.equal(seen, 2501, 'rows written during iteration are seen in rowid order');
      assert.equal((await collect(store.listResources())).length, 2503);
      assert.deepEqual(await collect(store.listEntitlementIds()), ['group:g0:member', 'group:g1:member']);
      assert.ok(await store.hasResource('user', 'u7'));
      assert.ok(!(await store.hasResource('group', 'u7')));
      assert.ok(!(await store.hasResource('user', 'nobody')));
      assert.deepEqual(await store.countRows(), {
        resourceTypes: 2,
        resources: 2503,
        entitlements: 2,
        grants: 2500,
      });
      await store.abandon();
    } finally {
      cleanup();
    }
  });

  test('rejects writes before a sync is started and objects without ids', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      const store = await C1zStore.open(join(dir, 'd.c1z'), { tmpDir: dir });
      assert.throws(() => store.putResources([]), /no sync started/);
      store.startSync('full');
      assert.throws(() => store.startSync('full'), /still running/);
      assert.throws(() => store.putResources([newUserResource('x', userType, '')]), /without a full id/);
      assert.throws(
        () =>
          store.putGrants(
            [newGrant(newGroupResource('G', groupType, 'g'), 'm', newResourceId('user', 'u'), {})].map(
              (g) => ({ ...g, id: '' }),
            ),
          ),
        /needs an id/,
      );
      await store.abandon();
      await assert.rejects(store.close(), /closed/);
      assert.ok(statSync(dir).isDirectory());
    } finally {
      cleanup();
    }
  });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of items) out.push(x);
  return out;
}
