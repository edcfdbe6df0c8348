// Legal but unusual xMatters answers the client must not lose data on: empty and short pages in the middle
// of a listing (a server filtering by permission after paging), totals that do not match what is listed,
// group ids that are URL dot segments, and a roster permission the access check must prove up front.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  addOddIds,
  generateTenant,
  sampleTenant,
  type SimFaults,
  type XmattersSimulator,
} from '../../src/simulator/index.js';
import type { ListingShort, XmattersClient } from '../../src/xmatters/index.js';
import { GENERATED_USER, clientFor, collect, rejectsWithCode, withSimulator } from '../support/simulator.js';

const withPeople = (people: number, faults: SimFaults, run: (sim: XmattersSimulator) => Promise<void>) =>
  withSimulator({ tenant: generateTenant({ seed: 7, people, groups: 0 }), faults }, run);

/** The ids GET /people lists without faults, in order (positions are what hideItems removes). */
const sortedIds = (sim: XmattersSimulator): string[] =>
  sim.store
    .peopleView({ sortBy: 'TARGET_NAME', sortOrder: 'ASCENDING' })
    .map((i) => sim.store.tenant.people[i]!.id);

const hide = (from: number, count: number, total?: 'visible' | 'all'): SimFaults => ({
  rules: [{ path: '/people', action: { type: 'hideItems', from, count, ...(total ? { total } : {}) } }],
});

async function listWith(
  sim: XmattersSimulator,
  maxInFlight: number,
): Promise<{ ids: string[]; short: ListingShort[]; requests: number }> {
  const { client } = clientFor(sim, { ...GENERATED_USER, pageSize: 10, maxInFlight });
  const short: ListingShort[] = [];
  const people = await collect(client.listPeople({ onListingShort: (s) => short.push(s) }));
  const requests = client.stats().requests;
  await client.close();
  return { ids: people.map((p) => p.id), short, requests };
}

describe('empty and short pages in the middle of a listing', () => {
  for (const maxInFlight of [1, 5]) {
    test(`an empty middle page that links on loses nothing (concurrency ${maxInFlight})`, () =>
      withPeople(45, hide(10, 10), async (sim) => {
        const expected = sortedIds(sim).filter((_, i) => i < 10 || i >= 20);
        const got = await listWith(sim, maxInFlight);
        assert.deepEqual([...got.ids].sort(), [...expected].sort());
        assert.equal(new Set(got.ids).size, got.ids.length);
        // total counted only the visible items: nothing is missing, so nothing to warn about.
        assert.deepEqual(got.short, []);
      }));

    test(`several empty pages in a row, a short page and an empty first page (concurrency ${maxInFlight})`, () =>
      withPeople(
        60,
        { rules: [{ path: '/people', action: { type: 'hideItems', from: 0, count: 33 } }] },
        async (sim) => {
          const expected = sortedIds(sim).slice(33);
          const got = await listWith(sim, maxInFlight);
          assert.deepEqual([...got.ids].sort(), [...expected].sort());
          assert.deepEqual(got.short, []);
        },
      ));

    test(`a total counting hidden items ends in a listing-short report with both numbers (concurrency ${maxInFlight})`, () =>
      withPeople(45, hide(10, 10, 'all'), async (sim) => {
        const got = await listWith(sim, maxInFlight);
        assert.equal(got.ids.length, 35);
        assert.equal(got.short.length, 1);
        assert.equal(got.short[0]!.promised, 45);
        assert.equal(got.short[0]!.listed, 35);
        assert.match(got.short[0]!.path, /^\/api\/xm\/1\/people\?/);
      }));
  }

  test('the same items at concurrency 1 and 5 with short pages everywhere', () =>
    withPeople(
      57,
      {
        rules: [
          { path: '/people', action: { type: 'hideItems', from: 3, count: 4 } },
          { path: '/people', action: { type: 'hideItems', from: 21, count: 19 } },
          { path: '/people', action: { type: 'hideItems', from: 50, count: 2 } },
        ],
      },
      async (sim) => {
        const one = await listWith(sim, 1);
        const five = await listWith(sim, 5);
        assert.equal(one.ids.length, 57 - 25);
        assert.deepEqual([...five.ids].sort(), [...one.ids].sort());
      },
    ));

  test('a total that moves while paging is reported with the first and the last total', () =>
    withPeople(
      40,
      { rules: [{ path: '/people', times: 1, action: { type: 'mutate', op: 'insertPeople', count: 3 } }] },
      async (sim) => {
        const got = await listWith(sim, 1);
        assert.equal(got.short.length, 1);
        assert.equal(got.short[0]!.promised, 40);
        assert.equal(got.short[0]!.lastTotal, 43);
      },
    ));

  test('an ordinary listing reports nothing and takes one request per page', () =>
    withPeople(45, {}, async (sim) => {
      const got = await listWith(sim, 5);
      assert.equal(got.ids.length, 45);
      assert.deepEqual(got.short, []);
      assert.equal(got.requests, 5);
    }));
});

describe('ids in URL paths', () => {
  // Each sub-listing of a group puts the group id in the path: "." and ".." must stay segments.
  const listings: { listing: string; read: (c: XmattersClient, id: string) => Promise<void> }[] = [
    {
      listing: 'members',
      read: async (c, id) => {
        const r = await c.listGroupMembers(id);
        assert.ok(r.found, `roster of ${id}: ${r.found ? '' : r.reason}`);
        assert.equal(r.members.length, 6);
      },
    },
    {
      listing: 'supervisors',
      read: async (c, id) => {
        const r = await c.listGroupSupervisors(id);
        assert.ok(r.found, `supervisors of ${id}: ${r.found ? '' : r.reason}`);
      },
    },
  ];
  for (const { listing, read } of listings) {
    test(`group ids "." and ".." are requested as %2E and %2E%2E and their ${listing} are read`, async () => {
      const tenant = generateTenant({ seed: 3, people: 20, groups: 2 });
      const odd = addOddIds(tenant);
      await withSimulator({ tenant }, async (sim) => {
        const { client } = clientFor(sim, { ...GENERATED_USER, pageSize: 2 });
        for (const id of odd.dotGroups) await read(client, id);
        const urls = sim.requests().map((r) => r.url);
        for (const segment of ['%2E', '%2E%2E'])
          assert.ok(
            urls.some((u) => u.startsWith(`/api/xm/1/groups/${segment}/${listing}?`)),
            urls.join('\n'),
          );
        assert.ok(
          urls.every((u) => u.startsWith('/api/xm/1/groups/%2E')),
          urls.join('\n'),
        );
        await client.close();
      });
    });
  }
});

describe('the access check reads a roster', () => {
  /** The sample tenant with an account that may read people and groups but no roster. */
  const NO_ROSTERS = { username: 'no-rosters', password: 'no-rosters-pw' };
  const noRostersTenant = () => {
    const tenant = sampleTenant();
    tenant.credentials.push({ ...NO_ROSTERS, forbidden: ['/groups/*/members'] });
    return tenant;
  };

  test('checkAccess also reads one roster of the first group', () =>
    withSimulator({}, async (sim) => {
      const { client } = clientFor(sim);
      await client.checkAccess();
      const urls = sim.requests().map((r) => r.url);
      assert.equal(urls.length, 3, urls.join('\n'));
      assert.match(urls[2]!, /^\/api\/xm\/1\/groups\/[^/]+\/members\?offset=0&limit=1$/);
      await client.close();
    }));

  test('people and groups readable, rosters forbidden: XM_PERMISSION naming the roster, at the access check', () =>
    withSimulator({ tenant: noRostersTenant() }, async (sim) => {
      const { client } = clientFor(sim, NO_ROSTERS);
      const e = await rejectsWithCode(client.checkAccess(), 'XM_PERMISSION');
      assert.equal(e.status, 403);
      assert.match(e.message, /GET \/api\/xm\/1\/groups\/[^/]+\/members\?offset=0&limit=1 \(HTTP 403\)/);
      assert.match(e.message, /group members/);
      assert.match(e.message, /REST Web Service User/);
      assert.equal(sim.requests().length, 3);
      await client.close();
    }));

  test('a sync that reads no roster asks for no roster permission: checkAccess with roster false', () =>
    withSimulator({ tenant: noRostersTenant() }, async (sim) => {
      const { client } = clientFor(sim, NO_ROSTERS);
      await client.checkAccess(undefined, { roster: false });
      assert.equal(sim.requests().length, 2);
      await client.close();
    }));

  test('a tenant without groups passes the access check with two requests', () =>
    withSimulator({ tenant: generateTenant({ seed: 1, people: 3, groups: 0 }) }, async (sim) => {
      const { client } = clientFor(sim, GENERATED_USER);
      await client.checkAccess();
      assert.equal(sim.requests().length, 2);
      await client.close();
    }));
});

describe('next links with dot segments', () => {
  test('are kept as segments, never resolved away', async () => {
    const { resolveNextLink, requestKey } = await import('../../src/xmatters/resolve-next-link.js');
    const origin = 'http://127.0.0.1:9';
    const from = '/api/xm/1/groups/%2E%2E/members?offset=0&limit=2';
    for (const link of [
      '/api/xm/1/groups/%2E%2E/members?offset=2&limit=2',
      '/api/xm/1/groups/%2e%2e/members?offset=2&limit=2',
      '/api/xm/1/groups/../members?offset=2&limit=2',
      `${origin}/api/xm/1/groups/../members?offset=2&limit=2`,
    ]) {
      assert.equal(
        resolveNextLink(link, origin, from),
        '/api/xm/1/groups/%2E%2E/members?offset=2&limit=2',
        link,
      );
    }
    assert.equal(
      resolveNextLink('/api/xm/1/groups/./members?offset=2', origin, from),
      '/api/xm/1/groups/%2E/members?offset=2',
    );
    assert.notEqual(
      requestKey('/api/xm/1/groups/%2E%2E/members?offset=2'),
      requestKey('/api/xm/1/members?offset=2'),
    );
  });
});
