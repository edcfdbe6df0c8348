// Legal but unusual xMatters answers through the built CLI: a server that filters by permission after
// paging (empty and short pages in the middle of /people, /groups and rosters that still link on), a
// total that promises more than is listed, ids longer than Baton allows or equal in their first 1024
// bytes, group ids that are URL dot segments, and an account that may not read rosters. Nothing read may
// be dropped without a counted, named warning, and the result must not depend on the concurrency.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { memberRefIndex, memberRefType } from '../../src/simulator/member-ref.js';
import { addOddIds, type SimFaults, type XmattersSimulator } from '../../src/simulator/index.js';
import { namesIn, readSynced } from '../support/reliability-content.js';
import { REL_NOROSTERS } from '../support/reliability-secrets.js';
import {
  fileFigures,
  note,
  relFile,
  relTenant,
  runRel,
  startRelSim,
  stopRelSims,
  syncSetup,
} from '../support/reliability-harness.js';

const { scratch } = relFile('odd');

const hidden = (from: number, count: number) => (i: number) => i >= from && i < from + count;

/** Ids of a listing in the order the simulator pages it. */
function peopleOrder(sim: XmattersSimulator): string[] {
  return sim.store
    .peopleView({ sortBy: 'TARGET_NAME', sortOrder: 'ASCENDING' })
    .map((i) => `user:${sim.store.tenant.people[i]!.id}`);
}
function groupOrder(sim: XmattersSimulator): string[] {
  return sim.store
    .groupsView({ sortBy: 'NAME', sortOrder: 'ASCENDING' })
    .map((i) => `group:${sim.store.tenant.groups[i]!.id}`);
}
/** Every person membership, minus the roster positions `skip` says the server hides. */
function grantsOf(sim: XmattersSimulator, skip: (position: number) => boolean = () => false): string[] {
  const t = sim.store.tenant;
  const out: string[] = [];
  t.groups.forEach((g, gi) => {
    sim.store.liveMembers(gi).forEach((ref, position) => {
      if (memberRefType(ref) === 'PERSON' && !skip(position))
        out.push(`group:${g.id}:member:user:${t.people[memberRefIndex(ref)]!.id}`);
    });
  });
  return out.sort();
}

interface HiddenCase {
  name: string;
  path: string;
  from: number;
  count: number;
  groups?: number;
  /** What the file must hold, given the simulator. */
  expect: (sim: XmattersSimulator) => { what: 'users' | 'groups' | 'grants'; ids: string[] };
}

// Pages of 7 (FAST_FLAGS): positions 7..20 are two whole pages, both answered empty with a next link.
const HIDDEN: HiddenCase[] = [
  {
    name: 'people',
    path: '/people',
    from: 7,
    count: 14,
    expect: (sim) => ({ what: 'users', ids: peopleOrder(sim).filter((_, i) => !hidden(7, 14)(i)) }),
  },
  {
    name: 'groups',
    path: '/groups',
    from: 7,
    count: 7,
    groups: 24,
    expect: (sim) => ({ what: 'groups', ids: groupOrder(sim).filter((_, i) => !hidden(7, 7)(i)) }),
  },
  {
    name: 'rosters',
    path: '/groups/*/members',
    from: 1,
    count: 13,
    expect: (sim) => ({ what: 'grants', ids: grantsOf(sim, hidden(1, 13)) }),
  },
];

function selectFrom(content: ReturnType<typeof readSynced>, what: 'users' | 'groups' | 'grants'): string[] {
  // Roster paging is under test: the membership grants (supervisor and role grants come from other listings).
  if (what === 'grants') return content.grants.filter((g) => /^group:[^:]*:member:/.test(g)).sort();
  const prefix = what === 'users' ? 'user:' : 'group:';
  return content.resources.filter((r) => r.startsWith(prefix)).sort();
}

describe('a server that filters by permission after paging: empty and short pages that link on', () => {
  for (const c of HIDDEN) {
    for (const concurrency of [1, 5]) {
      test(`${c.name}: every visible item synced at concurrency ${concurrency}, no warning`, async (t) => {
        const faults: SimFaults = {
          rules: [
            {
              path: c.path,
              action: { type: 'hideItems', from: c.from, count: c.count },
            },
          ],
        };
        const sim = await startRelSim(relTenant(c.groups === undefined ? {} : { groups: c.groups }), {
          faults,
        });
        const d = scratch.dirs(`hidden-${c.name}-${concurrency}`);
        const { args, env } = syncSetup(sim.baseUrl, d, ['--request-concurrency', String(concurrency)]);
        const run = await runRel(args, { cwd: d.out, env, scan: [d.out, d.tmp] });
        assert.equal(run.code, 0, run.stderr.slice(-3000));
        const expected = c.expect(sim);
        assert.deepEqual(selectFrom(readSynced(d.file), expected.what), [...expected.ids].sort());
        const byKind = (run.details?.warnings_by_kind ?? {}) as Record<string, number>;
        assert.equal(byKind['listing-short'], undefined, JSON.stringify(byKind));
        note(t, { faults: 1, runs: 1 });
      });
    }
  }

  test('a total that counts the hidden items: synced, and a counted listing-short warning with both numbers', async (t) => {
    const faults: SimFaults = {
      rules: [{ path: '/people', action: { type: 'hideItems', from: 7, count: 14, total: 'all' } }],
    };
    const sim = await startRelSim(relTenant(), { faults });
    const d = scratch.dirs('hidden-total-all');
    const { args, env } = syncSetup(sim.baseUrl, d);
    const run = await runRel(args, { cwd: d.out, env, scan: [d.out, d.tmp] });
    assert.equal(run.code, 0, run.stderr.slice(-3000));
    const users = selectFrom(readSynced(d.file), 'users');
    assert.equal(users.length, 60 - 14);
    const byKind = (run.details?.warnings_by_kind ?? {}) as Record<string, number>;
    assert.equal(byKind['listing-short'], 1, JSON.stringify(byKind));
    const line = run.logs.find((l) => l.kind === 'listing-short');
    assert.match(line?.msg ?? '', /\b60\b/);
    assert.match(line?.msg ?? '', /\b46\b/);
    assert.match(line?.msg ?? '', /\/people/);
    note(t, { faults: 1, runs: 1, warnings: 1 });
  });
});

describe('odd ids', () => {
  test('ids over 1024 bytes are never cut: those items are left out with invalid-item warnings; dot ids sync', async (t) => {
    const tenant = relTenant();
    const odd = addOddIds(tenant);
    const sim = await startRelSim(tenant);
    const d = scratch.dirs('odd-ids');
    const { args, env } = syncSetup(sim.baseUrl, d);
    const run = await runRel(args, { cwd: d.out, env, scan: [d.out, d.tmp] });
    assert.equal(run.code, 0, run.stderr.slice(-3000));
    const content = readSynced(d.file);
    const resources = new Set(content.resources);
    // Fits: the near-limit person and the dot groups. Does not: the long people and both long groups.
    assert.ok(resources.has(`user:${odd.nearLimitPerson}`));
    for (const id of odd.dotGroups) assert.ok(resources.has(`group:${id}`), id);
    for (const id of odd.longPeople) assert.ok(!resources.has(`user:${id}`));
    assert.ok(!resources.has(`group:${odd.longGroup}`) && !resources.has(`group:${odd.nearLimitGroup}`));
    // Nothing was cut: no stored id is a prefix of a long one.
    for (const r of content.resources)
      assert.ok(Buffer.byteLength(r) <= 1024 + 'group:'.length, r.slice(0, 80));
    assert.ok(!content.resources.some((r) => r.startsWith('user:pppp')), 'no cut id of the long people');
    // Every grant that fits is there, every one that does not is counted: the long people's grants and the
    // near-limit person's grant in the ordinary group whose id makes the grant id too long.
    const fits = (g: string): boolean => Buffer.byteLength(g) <= 1024;
    const stored = new Set(content.grants);
    const allGrants = grantsOf(sim).filter(
      (g) => !g.startsWith(`group:${odd.longGroup}:`) && !g.startsWith(`group:${odd.nearLimitGroup}:`),
    );
    for (const g of allGrants.filter(fits)) assert.ok(stored.has(g), g.slice(0, 120));
    const tooLong = allGrants.filter((g) => !fits(g));
    assert.ok(tooLong.length >= 3, `${tooLong.length}`);
    for (const g of content.grants) assert.ok(fits(g), g.slice(0, 120));
    const byKind = (run.details?.warnings_by_kind ?? {}) as Record<string, number>;
    // 2 people + 2 groups + the grants that do not fit (the long people's, in the dot groups and the first
    // group; the near-limit person's in the first group).
    assert.equal(byKind['invalid-item'], 4 + tooLong.length, JSON.stringify(byKind));
    assert.equal(byKind['grant-principal-missing'], undefined, JSON.stringify(byKind));
    const invalid = run.logs.filter((l) => l.kind === 'invalid-item').map((l) => l.msg);
    assert.ok(
      invalid.some(
        (m) => m.includes(odd.longPeople[0].slice(0, 80)) && !m.includes(odd.longPeople[0].slice(0, 81)),
      ),
    );
    assert.ok(invalid.some((m) => m.includes(odd.longGroup.slice(0, 80))));
    // Rosters: the dot groups' read as %2E and %2E%2E, the long groups' never, no 404 anywhere.
    const urls = sim.requests().map((r) => r.url);
    assert.ok(urls.some((u) => u.startsWith('/api/xm/1/groups/%2E/members?')));
    assert.ok(urls.some((u) => u.startsWith('/api/xm/1/groups/%2E%2E/members?')));
    assert.ok(!urls.some((u) => u.includes('long-group-') || u.includes('near-limit-group-')));
    assert.equal(sim.stats().byStatus['404'], undefined);
    assert.deepEqual(namesIn(d.out), ['sync.c1z']);
    note(t, { runs: 1, warnings: byKind['invalid-item'] });
  });
});

describe('the access check', () => {
  test('an account that may not read rosters fails at the access check (exit 7), before any listing', async (t) => {
    const sim = await startRelSim(relTenant());
    const d = scratch.dirs('norosters-upfront');
    const { args } = syncSetup(sim.baseUrl, d);
    const env = {
      BATON_BASE_URL: sim.baseUrl,
      BATON_USERNAME: REL_NOROSTERS.username,
      BATON_PASSWORD: REL_NOROSTERS.password,
    };
    const run = await runRel(args, { cwd: d.out, env, scan: [d.out, d.tmp] });
    assert.equal(run.code, 7, run.stderr.slice(-2000));
    assert.match(run.error ?? '', /GET \/api\/xm\/1\/groups\/[^/]+\/members\?offset=0&limit=1 \(HTTP 403\)/);
    assert.match(run.error ?? '', /REST Web Service User/);
    assert.match(run.error ?? '', /group members/);
    // people (limit 1), groups (limit 1), one roster (limit 1): nothing was listed.
    assert.deepEqual(
      sim.requests().map((r) => new URLSearchParams(r.url.split('?')[1]).get('limit')),
      ['1', '1', '1'],
    );
    assert.deepEqual(namesIn(d.out), []);
    note(t, { badInputs: 1, runs: 1 });
  });

  test('8. read-only: the simulators saw only GET requests', async (t) => {
    await stopRelSims();
    t.diagnostic(fileFigures());
  });
});
