// Scenario 4, data changing while paging: people and groups added and removed mid-listing, duplicates
// across pages, short pages, a dropped `next` link, groups and people deleted before their rosters are
// read. The sync must exit 0 with no duplicate row, every item that existed for the whole run present,
// no grant pointing at something the file lacks, and every anomaly it skipped counted as a warning.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { memberRefIndex, memberRefType } from '../../src/simulator/member-ref.js';
import type { SimFaults, Tenant, XmattersSimulator } from '../../src/simulator/index.js';
import { assertIncludesAll, namesIn, readSynced } from '../support/reliability-content.js';
import {
  assertReadOnlySync,
  faultsInjected,
  fileFigures,
  note,
  relFile,
  relTenant,
  runRel,
  startRelSim,
  syncSetup,
} from '../support/reliability-harness.js';

const { scratch } = relFile('changes');

/** What existed from start to end of the run: initial records still live at the end, and their memberships. */
function stableContent(initial: Tenant, sim: XmattersSimulator) {
  const people = initial.people.filter((_, i) => sim.store.isPersonLive(i));
  const groups = initial.groups.filter((_, i) => sim.store.isGroupLive(i));
  const grants: string[] = [];
  initial.groups.forEach((g, gi) => {
    if (!sim.store.isGroupLive(gi)) return;
    for (const ref of g.members) {
      const pi = memberRefIndex(ref);
      if (memberRefType(ref) === 'PERSON' && sim.store.isPersonLive(pi))
        grants.push(`group:${g.id}:member:user:${initial.people[pi]!.id}`);
    }
  });
  return {
    resources: [...people.map((p) => `user:${p.id}`), ...groups.map((g) => `group:${g.id}`)],
    grants,
  };
}

interface Case {
  name: string;
  faults: SimFaults;
  /** Warning kinds the summary must count (at least once each). */
  warnings?: string[];
  /** Groups whose rosters are expected to be missing (deleted before they were read). */
  rosterLossAllowed?: boolean;
}

// The access check is the first /people and the first /groups request: rules aimed at a listing skip it.
const CASES: Case[] = [
  {
    name: 'people inserted and removed while /people is paged',
    faults: {
      seed: 3,
      rules: [
        { path: '/people', skip: 2, times: 1, action: { type: 'mutate', op: 'insertPeople', count: 3 } },
        {
          path: '/people',
          skip: 3,
          times: 1,
          action: { type: 'mutate', op: 'removePeople', count: 2, position: 'start' },
        },
        {
          path: '/people',
          skip: 4,
          times: 2,
          action: { type: 'mutate', op: 'removePeople', count: 1, position: 'random' },
        },
        {
          path: '/people',
          skip: 5,
          times: 1,
          action: { type: 'mutate', op: 'insertPeople', count: 2, position: 'random' },
        },
      ],
    },
  },
  {
    name: 'groups inserted and removed while /groups is paged',
    faults: {
      seed: 4,
      rules: [
        { path: '/groups', skip: 1, times: 1, action: { type: 'mutate', op: 'insertGroups', count: 2 } },
        {
          path: '/groups',
          skip: 2,
          times: 1,
          action: { type: 'mutate', op: 'removeGroups', count: 1, position: 'start' },
        },
      ],
    },
    rosterLossAllowed: true,
  },
  {
    name: 'duplicates across pages, short pages and a dropped next link',
    faults: {
      rules: [
        { path: '/people', skip: 2, every: 2, action: { type: 'duplicates', count: 3 } },
        { path: '/groups', skip: 2, action: { type: 'duplicates', count: 2 } },
        { path: '/groups/*/members', every: 3, action: { type: 'duplicates', count: 2 } },
        { path: '/people', skip: 3, every: 3, action: { type: 'shortPage', count: 2 } },
        { path: '/people', skip: 1, times: 1, action: { type: 'dropNext' } },
        { path: '/groups/*/members', every: 2, action: { type: 'dropNext' } },
      ],
    },
  },
  {
    name: 'a group deleted before its members are read',
    faults: { rules: [{ path: '/groups/*/members', skip: 3, times: 2, action: { type: 'deleteGroup' } }] },
    warnings: ['group-not-found'],
    rosterLossAllowed: true,
  },
  {
    name: 'people deleted while the rosters are read',
    faults: {
      seed: 6,
      rules: [
        {
          path: '/groups/*/members',
          skip: 2,
          every: 3,
          times: 3,
          action: { type: 'mutate', op: 'removePeople', count: 2, position: 'random' },
        },
      ],
    },
  },
  {
    name: 'all of it at once',
    faults: {
      seed: 8,
      rules: [
        { path: '/people', skip: 2, times: 2, action: { type: 'mutate', op: 'insertPeople', count: 2 } },
        {
          path: '/people',
          skip: 3,
          times: 1,
          action: { type: 'mutate', op: 'removePeople', count: 3, position: 'random' },
        },
        { path: '/people', skip: 2, every: 2, action: { type: 'duplicates', count: 2 } },
        {
          path: '/groups',
          skip: 1,
          times: 1,
          action: { type: 'mutate', op: 'insertGroups', count: 1, position: 'random' },
        },
        { path: '/groups/*/members', skip: 2, times: 1, action: { type: 'deleteGroup' } },
        {
          path: '/groups/*/members',
          skip: 4,
          times: 1,
          action: { type: 'mutate', op: 'removeGroups', count: 1, position: 'end' },
        },
        { path: '/groups/*/members', every: 4, action: { type: 'duplicates', count: 1 } },
      ],
    },
    warnings: ['group-not-found'],
    rosterLossAllowed: true,
  },
];

describe('4. data changing while paging: no duplicates, no crash, stable items present, warnings counted', () => {
  for (const c of CASES) {
    test(c.name, async (t) => {
      const tenant = relTenant();
      const initial = structuredClone(tenant);
      const sim = await startRelSim(tenant, { faults: c.faults });
      const d = scratch.dirs(c.name);
      const { args, env } = syncSetup(sim.baseUrl, d);
      const run = await runRel(args, { cwd: d.out, env, scan: [d.out, d.tmp] });
      assert.equal(run.code, 0, run.stderr.slice(-3000));
      assert.deepEqual(namesIn(d.out), ['sync.c1z']);
      assert.deepEqual(namesIn(d.tmp), []);
      const content = readSynced(d.file); // also: integrity_check, no duplicate external ids
      const stable = stableContent(initial, sim);
      assertIncludesAll(content.resources, stable.resources, 'stable people or groups');
      const deletedRosters = new Set(
        run.logs.filter((l) => l.kind === 'group-not-found').map((l) => /\(([^)]+)\)/.exec(l.msg)?.[1]),
      );
      const expectedGrants = c.rosterLossAllowed
        ? stable.grants.filter((g) => !deletedRosters.has(g.split(':')[1]))
        : stable.grants;
      assertIncludesAll(content.grants, expectedGrants, 'stable memberships');
      // Referential integrity: every grant joins a group (or role) and a user the file holds.
      const resources = new Set(content.resources);
      for (const g of content.grants) {
        const [type, id, , , uid] = g.split(':');
        assert.ok(resources.has(`${type}:${id}`) && resources.has(`user:${uid}`), g);
      }
      // Warnings are counted in the summary, by kind, and their total adds up.
      const byKind = (run.details?.warnings_by_kind ?? {}) as Record<string, number>;
      const total = Object.values(byKind).reduce((a, b) => a + b, 0);
      assert.equal(run.details?.warnings, total);
      for (const kind of c.warnings ?? [])
        assert.ok((byKind[kind] ?? 0) > 0, `${kind} counted: ${JSON.stringify(byKind)}`);
      if (c.rosterLossAllowed) assert.equal(byKind['group-not-found'] ?? 0, deletedRosters.size);
      note(t, { faults: faultsInjected(sim), runs: 1, warnings: total });
    });
  }

  test('8. read-only: a sync sends only GET requests (checked on its own simulator)', async (t) => {
    const { requests } = await assertReadOnlySync(relTenant(), scratch);
    note(t, { runs: 1, requests });
    t.diagnostic(fileFigures());
  });
});
