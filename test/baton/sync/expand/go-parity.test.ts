// Our grant expansion against baton-sdk's: the unexpanded Go fixture, loaded into our store and expanded by
// us, must hold exactly the grants of the Go-expanded fixture, with the same sources keys and the same
// GrantImmutable annotations. (is_direct is not compared: the fixture was written in 2025-12, before
// baton-sdk set it at all (commit 0d333743, 2026-02), so every flag in it is false; a test below holds that.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { C1zReader, C1zStore } from '../../../../src/baton/c1z/index.js';
import { GrantSchema, type Grant } from '../../../../src/baton/gen/c1/connector/v2/grant_pb.js';
import { expandGrants } from '../../../../src/baton/sync/expand/expand-grants.js';
import type { SyncWarning } from '../../../../src/baton/sync/connector.js';
import { fixturePath } from '../../../support/c1z-fixtures.js';
import { openC1zDb } from '../../../support/open-c1z-db.js';

const UNEXPANDED = fixturePath('go-sdk-demo-unexpanded.c1z');
const EXPANDED = fixturePath('go-sdk-demo-expanded.c1z');
const SYNC_ID = '36zfOAoWMxQdISbixanQCRBiX7E';
const IMMUTABLE = 'type.googleapis.com/c1.connector.v2.GrantImmutable';
const EXPANDABLE = 'type.googleapis.com/c1.connector.v2.GrantExpandable';

/** What the comparison looks at, per grant id. */
interface GrantFacts {
  sources: string[];
  immutable: boolean;
}

function facts(grants: Iterable<Grant>): Map<string, GrantFacts> {
  const out = new Map<string, GrantFacts>();
  for (const g of grants) {
    const sources = Object.keys(g.sources?.sources ?? {}).sort();
    out.set(g.id, { sources, immutable: g.annotations.some((a) => a.typeUrl === IMMUTABLE) });
  }
  return out;
}

function rowsOf(file: string, syncId: string): Grant[] {
  const { db, close } = openC1zDb(file);
  try {
    return (db.prepare('select data from v1_grants where sync_id = ?').pluck().all(syncId) as Buffer[]).map(
      (d) => fromBinary(GrantSchema, d),
    );
  } finally {
    close();
  }
}

let dir: string;
let ours: Map<string, GrantFacts>;
let go: Map<string, GrantFacts>;
let goDirectFlags: boolean[];
let ourSyncId: string;
let ourFile: string;
let unexpandedCount: number;
const warnings: SyncWarning[] = [];
let stats: ReturnType<typeof expandGrants>;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'expand-go-parity-'));
  ourFile = join(dir, 'ours.c1z');
  // Load the Go sync into our store the way a sync writes it: GrantExpandable moves to the expansion column.
  const reader = await C1zReader.open(UNEXPANDED, { tmpDir: dir });
  const store = await C1zStore.open(ourFile, { tmpDir: dir });
  try {
    const run = reader.chooseSync();
    assert.equal(run.syncId, SYNC_ID);
    ourSyncId = store.startSync('full');
    store.putResourceTypes([...reader.resourceTypes(SYNC_ID)]);
    store.putResources([...reader.resources(SYNC_ID)]);
    store.putEntitlements([...reader.entitlements(SYNC_ID)]);
    const grants = [...reader.grants(SYNC_ID)];
    unexpandedCount = grants.length;
    store.putGrants(grants);
    stats = expandGrants(await store.grantExpansion(), { warn: (w) => warnings.push(w) });
    await store.endSync();
  } finally {
    await reader.close();
  }
  await store.close();
  ours = facts(rowsOf(ourFile, ourSyncId));
  const goGrants = rowsOf(EXPANDED, SYNC_ID);
  go = facts(goGrants);
  goDirectFlags = goGrants.flatMap((g) => Object.values(g.sources?.sources ?? {}).map((s) => s.isDirect));
});

after(() => rmSync(dir, { recursive: true, force: true }));

describe('grant expansion against baton-sdk (go-sdk-demo fixtures)', () => {
  test('the fixture pair is what this test expects: expandable grants in, derived grants out', () => {
    assert.equal(unexpandedCount, 2909);
    assert.equal(go.size, 14981);
    assert.ok(stats.expandableGrants > 0, 'the unexpanded sync carries GrantExpandable');
    assert.deepEqual(warnings, [], 'every expandable entitlement exists in the fixture');
  });

  test('the same set of grant ids', () => {
    const missing = [...go.keys()].filter((id) => !ours.has(id)).sort();
    const extra = [...ours.keys()].filter((id) => !go.has(id)).sort();
    assert.deepEqual(
      { missing: missing.slice(0, 20), extra: extra.slice(0, 20) },
      { missing: [], extra: [] },
    );
    assert.equal(ours.size, go.size);
    assert.equal(stats.derivedGrants, go.size - unexpandedCount);
  });

  test('every grant has the same sources keys and the same GrantImmutable annotation', () => {
    const differ: string[] = [];
    for (const [id, want] of go) {
      const got = ours.get(id);
      if (got === undefined) continue;
      if (JSON.stringify(got) !== JSON.stringify(want))
        differ.push(`${id}: ours ${JSON.stringify(got)} go ${JSON.stringify(want)}`);
    }
    assert.deepEqual(differ.slice(0, 10), []);
    assert.ok(
      [...go.values()].some((f) => f.immutable) && [...go.values()].some((f) => f.sources.length > 1),
      'the comparison covers derived grants and grants with several sources',
    );
  });

  test('the Go fixture predates is_direct: all its flags are false (compare them too if it is ever replaced)', () => {
    assert.ok(goDirectFlags.length > 0);
    assert.ok(goDirectFlags.every((d) => !d));
  });

  test('rows with GrantExpandable keep it in the expansion column (needs_expansion = 1), not in data', () => {
    const { db, close } = openC1zDb(ourFile);
    try {
      const rows = db
        .prepare(
          'select data, expansion, needs_expansion from v1_grants where sync_id = ? and expansion is not null',
        )
        .all(ourSyncId) as { data: Buffer; expansion: Buffer; needs_expansion: number }[];
      assert.equal(rows.length, stats.expandableGrants);
      for (const row of rows) {
        assert.equal(row.needs_expansion, 1);
        assert.ok(!fromBinary(GrantSchema, row.data).annotations.some((a) => a.typeUrl === EXPANDABLE));
      }
    } finally {
      close();
    }
  });
});
