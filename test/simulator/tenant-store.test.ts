import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRng } from '../../src/simulator/prng.js';
import { sampleTenant } from '../../src/simulator/sample-tenant.js';
import { TenantStore } from '../../src/simulator/tenant-store.js';

const names = (store: TenantStore, view: number[]): string[] =>
  view.map((i) => store.tenant.people[i]!.targetName);

describe('TenantStore', () => {
  test('keeps insertion order without sortBy and sorts by code units with sortBy', () => {
    const store = new TenantStore(sampleTenant());
    assert.equal(names(store, store.peopleView({}))[0], 'mmcbride');
    const asc = names(store, store.peopleView({ sortBy: 'TARGET_NAME', sortOrder: 'ASCENDING' }));
    assert.deepEqual(
      asc,
      [...asc].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    assert.equal(asc.at(-1), 'zoë.ørsted');
  });

  test('finds records by id or target name, and not once deleted', () => {
    const store = new TenantStore(sampleTenant());
    const i = store.findPerson('legacy-0009')!;
    assert.equal(store.findPerson('legacy.user'), i);
    store.removePerson(i);
    assert.equal(store.findPerson('legacy-0009'), undefined);
    assert.equal(store.counts().people, 24);
  });

  test('drops references to deleted people and groups from rosters', () => {
    const store = new TenantStore(sampleTenant());
    const oracle = store.findGroup('Oracle Administrators')!;
    assert.equal(store.liveMembers(oracle).length, 5);
    store.removeGroup(store.findGroup('West Coast Staff')!);
    store.removePerson(store.findPerson('jdoe')!); // also owns the device member
    assert.equal(store.liveMembers(oracle).length, 3);
  });

  test('inserts and removes at the start or end of the name order', () => {
    const store = new TenantStore(sampleTenant());
    const rng = createRng(1);
    store.insertPeople(2, 'start', rng);
    store.insertPeople(1, 'end', rng);
    const view = names(store, store.peopleView({ sortBy: 'TARGET_NAME', sortOrder: 'ASCENDING' }));
    assert.ok(view[0]!.startsWith('!') && view[1]!.startsWith('!'));
    assert.ok(view.at(-1)!.startsWith('\uffee'));
    const removed = store.removePeople(2, 'start', rng);
    assert.equal(removed.length, 2);
    assert.equal(store.counts().people, 26);
    assert.equal(store.removeGroups(100, 'random', rng).length, 8);
    assert.equal(store.counts().groups, 0);
  });

  test('refreshes cached views after a change', () => {
    const store = new TenantStore(sampleTenant());
    const before = store.groupsView({ sortBy: 'NAME', sortOrder: 'ASCENDING' });
    assert.equal(store.groupsView({ sortBy: 'NAME', sortOrder: 'ASCENDING' }), before, 'cached');
    store.insertGroups(1, 'start', createRng(2));
    assert.equal(store.groupsView({ sortBy: 'NAME', sortOrder: 'ASCENDING' }).length, 9);
  });
});
