// The expander's rules on a real store (SQLite through C1zStore), one rule per test.
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { C1zStore } from '../../../../src/baton/c1z/index.js';
import { GrantExpandableSchema } from '../../../../src/baton/gen/c1/connector/v2/annotation_grant_pb.js';
import { GrantSchema } from '../../../../src/baton/gen/c1/connector/v2/grant_pb.js';
import type { Resource } from '../../../../src/baton/gen/c1/connector/v2/resource_pb.js';
import {
  newAssignmentEntitlement,
  newGrant,
  newGroupResource,
  newUserResource,
  packAnnotation,
} from '../../../../src/baton/model/index.js';
import type { SyncWarning } from '../../../../src/baton/sync/connector.js';
import { expandGrants } from '../../../../src/baton/sync/expand/expand-grants.js';
import { groupType, scratchDir, userType } from '../../../support/c1z-sample.js';

const IMMUTABLE = 'type.googleapis.com/c1.connector.v2.GrantImmutable';
let store: C1zStore;
let cleanup: () => void;
const groups = new Map<string, Resource>();
const users = new Map<string, Resource>();

beforeEach(async () => {
  const scratch = scratchDir();
  cleanup = scratch.cleanup;
  store = await C1zStore.open(join(scratch.dir, 'x.c1z'), { tmpDir: scratch.dir });
  store.startSync('full');
  store.putResourceTypes([userType, groupType]);
  groups.clear();
  users.clear();
  for (const id of ['a', 'b', 'c', 'd']) groups.set(id, newGroupResource(`Group ${id}`, groupType, id));
  for (const id of ['u1', 'u2', 'u3']) users.set(id, newUserResource(`User ${id}`, userType, id, {}));
  store.putResources([...users.values(), ...groups.values()]);
  store.putEntitlements([...groups.values()].map((g) => newAssignmentEntitlement(g, 'member')));
});
afterEach(async () => {
  await store.abandon();
  cleanup();
});

const member = (group: string, user: string) => newGrant(groups.get(group)!, 'member', users.get(user)!.id!);
/** Group `inner` on `outer`'s roster, expandable. */
function nest(
  inner: string,
  outer: string,
  opts: { shallow?: boolean; types?: string[]; expands?: string[] } = {},
) {
  return newGrant(groups.get(outer)!, 'member', groups.get(inner)!.id!, {
    annotations: [
      packAnnotation(GrantExpandableSchema, {
        entitlementIds: opts.expands ?? [`group:${inner}:member`],
        shallow: opts.shallow ?? false,
        resourceTypeIds: opts.types ?? ['user'],
      }),
    ],
  });
}

async function run(maxDepth?: number) {
  const warnings: SyncWarning[] = [];
  const stats = expandGrants(await store.grantExpansion(), { warn: (w) => warnings.push(w), maxDepth });
  return { stats, warnings };
}

/** grant id → sources (key: is_direct) and immutability, for the users' grants of `group`. */
async function grantsOf(group: string) {
  const out: Record<string, { sources: Record<string, boolean>; immutable: boolean }> = {};
  for (const row of (await store.grantExpansion()).grantsOf(`group:${group}:member`, 0, 1000)) {
    const g = fromBinary(GrantSchema, row.data);
    if (row.principalResourceTypeId !== 'user') continue;
    const sources = Object.fromEntries(
      Object.entries(g.sources?.sources ?? {}).map(([k, v]) => [k, v.isDirect] as const),
    );
    out[row.principalResourceId] = { sources, immutable: g.annotations.some((a) => a.typeUrl === IMMUTABLE) };
  }
  return out;
}

describe('expandGrants', () => {
  test('a derived grant carries the source (direct when the holder is on the roster) and GrantImmutable', async () => {
    store.putGrants([member('b', 'u1'), nest('b', 'a')]);
    const { stats } = await run();
    assert.deepEqual(await grantsOf('a'), { u1: { sources: { 'group:b:member': true }, immutable: true } });
    assert.equal(stats.derivedGrants, 1);
  });

  test('through two levels the outer source is indirect; shallow stops there', async () => {
    store.putGrants([member('c', 'u1'), nest('c', 'b'), nest('b', 'a')]);
    await run();
    assert.deepEqual((await grantsOf('a')).u1, { sources: { 'group:b:member': false }, immutable: true });

    store.putGrants([member('c', 'u2'), nest('b', 'd', { shallow: true })]);
    await run();
    assert.deepEqual(Object.keys(await grantsOf('d')), [], 'u1 and u2 hold b only through c');
  });

  test('a holder already on the roster keeps the grant, which gains its own entitlement and the source', async () => {
    store.putGrants([member('b', 'u1'), member('a', 'u1'), nest('b', 'a')]);
    const { stats } = await run();
    assert.deepEqual((await grantsOf('a')).u1, {
      sources: { 'group:a:member': true, 'group:b:member': true },
      immutable: false,
    });
    assert.equal(stats.derivedGrants, 0);
    assert.equal(stats.directGrantsWithSources, 1);
  });

  test('a diamond gives one grant with both sources', async () => {
    store.putGrants([member('d', 'u1'), nest('d', 'b'), nest('d', 'c'), nest('b', 'a'), nest('c', 'a')]);
    await run();
    assert.deepEqual((await grantsOf('a')).u1?.sources, { 'group:b:member': false, 'group:c:member': false });
  });

  test('resource_type_ids filters the principals passed on; an empty list passes every type', async () => {
    store.putGrants([member('c', 'u1'), nest('c', 'b'), nest('b', 'a', { types: [] })]);
    await run();
    const principals = (await store.grantExpansion())
      .grantsOf('group:a:member', 0, 100)
      .map((r) => `${r.principalResourceTypeId}:${r.principalResourceId}`)
      .sort();
    // b's members are u1 (derived) and group c (its roster): with no filter both reach a.
    assert.deepEqual(principals, ['group:b', 'group:c', 'user:u1']);
  });

  test('running it again changes nothing', async () => {
    store.putGrants([member('c', 'u1'), member('a', 'u1'), nest('c', 'b'), nest('b', 'a'), nest('a', 'c')]);
    await run();
    const first = [await grantsOf('a'), await grantsOf('b'), await grantsOf('c')];
    const again = await run();
    assert.deepEqual([await grantsOf('a'), await grantsOf('b'), await grantsOf('c')], first);
    assert.equal(again.stats.derivedGrants, 0);
  });

  test('an expandable entitlement the sync did not store is a warning, not a failure', async () => {
    store.putGrants([
      member('b', 'u1'),
      nest('b', 'a', { expands: ['group:b:member', 'group:b:nonexistent'] }),
    ]);
    const { warnings, stats } = await run();
    assert.deepEqual(
      warnings.map((w) => w.kind),
      ['expansion-source-missing'],
    );
    assert.equal(stats.droppedEdges, 1);
    assert.ok((await grantsOf('a')).u1, 'the existing entitlement is still expanded');
  });

  test("an expandable entitlement that is not the principal's own fails, as in baton-sdk", async () => {
    store.putGrants([nest('b', 'a', { expands: ['group:c:member'] })]);
    await assert.rejects(
      run(),
      /expands entitlement group:c:member of group:c, not of its principal group:b/,
    );
  });

  test('nesting deeper than the limit fails before anything is written', async () => {
    store.putGrants([member('d', 'u1'), nest('d', 'c'), nest('c', 'b'), nest('b', 'a')]);
    await assert.rejects(run(2), /nest 3 levels deep, more than the limit of 2/);
    assert.deepEqual(await grantsOf('c'), {});
    assert.equal((await run(3)).stats.derivedGrants, 3);
  });

  test('an aborted signal stops it before anything is written', async () => {
    store.putGrants([member('b', 'u1'), nest('b', 'a')]);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const rows = await store.grantExpansion();
    assert.throws(() => expandGrants(rows, { warn: () => {}, signal: controller.signal }), /stop/);
    assert.deepEqual(await grantsOf('a'), {});
  });
});
