import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateTenant, type XmattersSimulator } from '../../src/simulator/index.js';
import type { InvalidItem, Person } from '../../src/xmatters/index.js';
import { RecordingServer } from '../support/simulator-recorder.js';
import {
  GENERATED_USER,
  clientFor,
  collect,
  loggedQueries,
  rejectsWithCode,
  startSimulator,
  stopSimulator,
  withSimulator,
} from '../support/simulator.js';

const PEOPLE = '/api/xm/1/people';

/** A simulator with `people` generated people; pages of 10 keep the tests quick. */
const withPeople = (people: number, run: (sim: XmattersSimulator) => Promise<void>): Promise<void> =>
  withSimulator({ tenant: generateTenant({ seed: 7, people, groups: 0 }) }, run);

const client10 = (sim: XmattersSimulator, extra = {}): ReturnType<typeof clientFor> =>
  clientFor(sim, { ...GENERATED_USER, pageSize: 10, ...extra });

const ids = (items: { id: string }[]): string[] => items.map((i) => i.id);
const tenantIds = (sim: XmattersSimulator): string[] => sim.store.tenant.people.map((p) => p.id);

describe('paging over the simulator', () => {
  test('lists every person across many pages with exactly one request per page', () =>
    withPeople(95, async (sim) => {
      const { client } = client10(sim);
      const people = await collect(client.listPeople());
      assert.deepEqual(ids(people).sort(), tenantIds(sim).sort());
      const names = people.map((p) => p.targetName);
      assert.deepEqual(
        names,
        [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
        'sorted by target name',
      );
      assert.equal(sim.stats().byRoute['GET /people'], 10);
      assert.equal(client.stats().requests, 10);
      await client.close();
    }));

  test('sends limit, offset, explicit sortBy+sortOrder and embed=roles on every page', () =>
    withPeople(25, async (sim) => {
      const { client } = client10(sim);
      await collect(client.listPeople());
      const queries = loggedQueries(sim, PEOPLE);
      assert.deepEqual(queries.map((q) => q.get('offset')).sort(), ['0', '10', '20']);
      for (const q of queries) {
        assert.equal(q.get('limit'), '10');
        assert.equal(q.get('sortBy'), 'TARGET_NAME');
        assert.equal(q.get('sortOrder'), 'ASCENDING');
        assert.equal(q.get('embed'), 'roles');
      }
      assert.ok(
        sim.requests().every((r) => r.authorization),
        'Basic auth on every request',
      );
      await client.close();
    }));

  test('uses limit=1000 by default', () =>
    withPeople(3, async (sim) => {
      const { client } = clientFor(sim, GENERATED_USER);
      await collect(client.listPeople());
      assert.equal(loggedQueries(sim, PEOPLE)[0]?.get('limit'), '1000');
      await client.close();
    }));

  test('an empty list yields nothing after one request', () =>
    withPeople(0, async (sim) => {
      const { client } = clientFor(sim, GENERATED_USER);
      assert.deepEqual(await collect(client.listPeople()), []);
      assert.equal(sim.stats().requests, 1);
      await client.close();
    }));

  test('exactly 1000 people take one request; 1001 take two', async () => {
    await withPeople(1000, async (sim) => {
      const { client } = clientFor(sim, GENERATED_USER);
      assert.equal((await collect(client.listPeople())).length, 1000);
      assert.equal(sim.stats().requests, 1);
      await client.close();
    });
    await withPeople(1001, async (sim) => {
      const { client } = clientFor(sim, GENERATED_USER);
      assert.equal((await collect(client.listPeople())).length, 1001);
      assert.equal(sim.stats().requests, 2);
      await client.close();
    });
  });

  test('drops duplicates repeated across pages', () =>
    withPeople(40, async (sim) => {
      sim.setFaults({ rules: [{ path: '/people', action: { type: 'duplicates', count: 3 } }] });
      const { client } = client10(sim);
      const people = await collect(client.listPeople());
      assert.equal(new Set(ids(people)).size, people.length);
      assert.equal(people.length, 40);
      assert.equal(client.stats().duplicatesSkipped, 9);
      await client.close();
    }));

  test('people inserted while paging: nothing lost, nothing doubled', () =>
    withPeople(50, async (sim) => {
      const before = tenantIds(sim);
      // After page 1 is served, 5 people appear at the start of the sort order: every later page shifts by 5.
      sim.setFaults({
        rules: [
          {
            path: '/people',
            times: 1,
            action: { type: 'mutate', op: 'insertPeople', count: 5, position: 'start' },
          },
        ],
      });
      const { client } = client10(sim, { maxInFlight: 1 });
      const people = await collect(client.listPeople());
      assert.equal(new Set(ids(people)).size, people.length, 'no duplicates');
      for (const id of before) assert.ok(ids(people).includes(id), `person ${id} missing`);
      assert.ok(client.stats().verificationPasses >= 1, 'the changed total triggered a verification pass');
      await client.close();
    }));

  test('people removed while paging: everyone present for the whole run is listed', () =>
    withPeople(50, async (sim) => {
      sim.setFaults({
        rules: [
          {
            path: '/people',
            times: 1,
            action: { type: 'mutate', op: 'removePeople', count: 5, position: 'start' },
          },
        ],
      });
      const removedLater = new Set<string>();
      const { client } = client10(sim, { maxInFlight: 1 });
      const people = await collect(client.listPeople());
      const live = sim.store.peopleView({}).map((i) => sim.store.tenant.people[i]!.id);
      for (const id of tenantIds(sim)) if (!live.includes(id)) removedLater.add(id);
      assert.equal(removedLater.size, 5);
      for (const id of live) assert.ok(ids(people).includes(id), `person ${id} missing`);
      assert.equal(new Set(ids(people)).size, people.length);
      await client.close();
    }));

  test('a first page without next still gets the pages its total announces (a dropped link loses nothing)', () =>
    withPeople(30, async (sim) => {
      sim.setFaults({ rules: [{ path: '/people', times: 1, action: { type: 'dropNext' } }] });
      const { client } = client10(sim);
      const people = await collect(client.listPeople());
      assert.equal(people.length, 30);
      assert.equal(new Set(ids(people)).size, 30);
      assert.equal(sim.stats().requests, 3);
      await client.close();
    }));

  test('a middle page without next does not lose the pages the total announced', () =>
    withPeople(30, async (sim) => {
      sim.setFaults({ rules: [{ path: '/people', skip: 1, times: 1, action: { type: 'dropNext' } }] });
      const { client } = client10(sim);
      assert.equal((await collect(client.listPeople())).length, 30);
      await client.close();
    }));

  test('a next link pointing back at the same page is XM_PAGINATION after one request', () =>
    withPeople(30, async (sim) => {
      sim.setFaults({ rules: [{ path: '/people', action: { type: 'repeatNext' } }] });
      const { client } = client10(sim);
      const e = await rejectsWithCode(collect(client.listPeople()), 'XM_PAGINATION');
      assert.match(e.message, /same page/);
      assert.equal(sim.stats().requests, 1);
      await client.close();
    }));

  test('a next link to a page already fetched is XM_PAGINATION, not a loop', () =>
    withPeople(30, async (sim) => {
      // The first page is fine; every later page (the last one included) links back to its predecessor.
      sim.setFaults({ rules: [{ path: '/people', skip: 1, action: { type: 'repeatNext' } }] });
      const { client } = client10(sim);
      const e = await rejectsWithCode(collect(client.listPeople()), 'XM_PAGINATION');
      assert.match(e.message, /already requested/);
      assert.ok(sim.stats().requests <= 4);
      await client.close();
    }));

  for (const [where, rule] of [
    ['first', { times: 1 }],
    ['last', { skip: 2 }],
  ] as const) {
    test(`a next link to another origin on the ${where} page is refused: no request, no credentials sent there`, () =>
      withPeople(30, async (sim) => {
        const other = await RecordingServer.start();
        try {
          sim.setFaults({
            rules: [{ path: '/people', ...rule, action: { type: 'foreignNext', origin: other.origin } }],
          });
          const { client } = client10(sim);
          const e = await rejectsWithCode(collect(client.listPeople()), 'XM_FOREIGN_ORIGIN');
          assert.ok(e.message.includes(other.origin.replace('http://', '')), e.message);
          assert.equal(other.requests.length, 0);
          assert.equal(other.authorizationHeadersSeen, 0);
          await client.close();
        } finally {
          await other.close();
        }
      }));
  }

  test('a short page in the middle: its next link is followed for the gap only, no re-read of the listing', () =>
    withPeople(40, async (sim) => {
      sim.setFaults({
        rules: [{ path: '/people', skip: 1, times: 1, action: { type: 'shortPage', count: 4 } }],
      });
      const { client } = client10(sim);
      const people = await collect(client.listPeople());
      assert.deepEqual(ids(people).sort(), tenantIds(sim).sort());
      assert.equal(client.stats().verificationPasses, 0);
      // Four pages, plus one request for the six people the short page left out (offset 14, limit 6).
      assert.equal(sim.stats().requests, 5);
      const gap = loggedQueries(sim, PEOPLE).find((q) => q.get('offset') === '14');
      assert.equal(gap?.get('limit'), '6');
      await client.close();
    }));

  test('an absurd total costs a few extra requests, not a loop', () =>
    withPeople(25, async (sim) => {
      sim.setFaults({
        rules: [{ path: '/people', times: 1, action: { type: 'absurd', kind: 'huge-total' } }],
      });
      const { client } = client10(sim, { maxInFlight: 2 });
      const people = await collect(client.listPeople());
      assert.deepEqual(ids(people).sort(), tenantIds(sim).sort());
      assert.ok(sim.stats().requests < 15, `requests ${sim.stats().requests}`);
      await client.close();
    }));

  test('without a usable total it follows next links one page at a time', () =>
    withPeople(25, async (sim) => {
      sim.setFaults({ rules: [{ path: '/people', action: { type: 'absurd', kind: 'negative-total' } }] });
      const { client } = client10(sim);
      assert.equal((await collect(client.listPeople())).length, 25);
      assert.deepEqual(
        loggedQueries(sim, PEOPLE).map((q) => q.get('offset')),
        ['0', '10', '20'],
      );
      await client.close();
    }));

  test('skips invalid items and reports each through onInvalidItem', () =>
    withPeople(20, async (sim) => {
      sim.setFaults({
        rules: [
          {
            path: '/people',
            times: 1,
            action: { type: 'invalidItem', field: 'id', mode: 'missing', index: 2 },
          },
          {
            path: '/people',
            skip: 1,
            times: 1,
            action: { type: 'invalidItem', field: 'targetName', mode: 'wrongType', index: 0 },
          },
        ],
      });
      const invalid: InvalidItem[] = [];
      const { client } = client10(sim, { maxInFlight: 1 });
      const people: Person[] = await collect(client.listPeople({ onInvalidItem: (i) => invalid.push(i) }));
      assert.equal(people.length, 18);
      assert.equal(invalid.length, 2);
      assert.deepEqual(
        invalid.map((i) => [i.index, i.reason]),
        [
          [2, 'missing id'],
          [0, 'targetName is number, expected a string'],
        ],
      );
      assert.ok(invalid[1]!.id !== undefined);
      assert.ok(invalid.every((i) => i.path.startsWith(`${PEOPLE}?`)));
      await client.close();
    }));

  test('absurd values in items (10 KB names, control characters, invalid UTF-8) do not crash the listing', () =>
    withPeople(25, async (sim) => {
      sim.setFaults({
        rules: [
          { path: '/people', times: 1, action: { type: 'absurd', kind: 'long-name' } },
          { path: '/people', skip: 1, times: 1, action: { type: 'absurd', kind: 'control-chars' } },
          { path: '/people', skip: 2, action: { type: 'absurd', kind: 'invalid-utf8' } },
        ],
      });
      const { client } = client10(sim, { maxInFlight: 1 });
      const people = await collect(client.listPeople());
      assert.equal(people.length, 25);
      assert.ok(people.some((p) => p.targetName.length > 10_000));
      assert.ok(people.some((p) => p.targetName.includes('\u001b')));
      assert.ok(
        people.some((p) => p.targetName === 'bad\ufffd(utf8'),
        'invalid UTF-8 decoded with a replacement character',
      );
      await client.close();
    }));

  test('fetches the known pages concurrently after the first, then follows next from the last page', () =>
    withPeople(95, async (sim) => {
      // Right after the first page is answered, 15 people are added at the end of the name order: the
      // prefetched offsets (from the first page's total of 95) cannot see them, only the last page's next can.
      sim.setFaults({
        latencyMs: 30,
        rules: [
          {
            path: '/people',
            times: 1,
            action: { type: 'mutate', op: 'insertPeople', count: 15, position: 'end' },
          },
        ],
      });
      const maxInFlight = 4;
      const { client } = client10(sim, { maxInFlight });
      const people = await collect(client.listPeople());
      assert.equal(people.length, 110);
      assert.deepEqual(ids(people).sort(), tenantIds(sim).sort());
      assert.equal(people.filter((p) => p.targetName.startsWith('\uffee')).length, 15);
      const max = sim.stats().maxConcurrency;
      assert.ok(max > 1 && max <= maxInFlight, `max concurrency ${max}`);
      // The first eleven requests: offset 0 alone, the nine offsets up to 90 built by the client (offset
      // first), then offset 100 taken from the last page's next link (which the server writes offset last).
      const urls = sim
        .requests()
        .slice(0, 11)
        .map((r) => r.url);
      assert.match(urls[0]!, /^\/api\/xm\/1\/people\?offset=0&/);
      assert.deepEqual(
        urls
          .slice(1, 10)
          .map((u) => new URLSearchParams(u.split('?')[1]).get('offset'))
          .sort((a, b) => Number(a) - Number(b)),
        ['10', '20', '30', '40', '50', '60', '70', '80', '90'],
      );
      assert.ok(
        urls.slice(1, 10).every((u) => /\?offset=\d+&limit=10&/.test(u)),
        'built by the client',
      );
      assert.match(urls[10]!, /&offset=100&limit=10$/, 'the next link of the page at offset 90');
      // The total changed, so the listing was walked again: its 11 re-read pages are not a paging cycle.
      assert.equal(client.stats().verificationPasses, 1);
      await client.close();
    }));

  test('stopping early aborts the prefetches without an error', () =>
    withPeople(200, async (sim) => {
      const { client } = client10(sim);
      let pages = 0;
      for await (const _page of client.listPeople()) if (++pages === 2) break;
      assert.equal(pages, 2);
      assert.ok(client.stats().requests < 20);
      await client.close();
    }));

  test('an aborted signal stops the listing with the abort reason', () =>
    withPeople(60, async (sim) => {
      sim.setFaults({ latencyMs: 20 });
      const { client } = client10(sim, { maxInFlight: 1 });
      const controller = new AbortController();
      const reason = new Error('user cancelled');
      let pages = 0;
      await assert.rejects(
        (async () => {
          for await (const _page of client.listPeople({ signal: controller.signal })) {
            if (++pages === 1) controller.abort(reason);
          }
        })(),
        (e) => e === reason,
      );
      assert.ok(sim.stats().requests <= 3);
      await client.close();
    }));
});

describe('group members over the simulator', () => {
  let sim: XmattersSimulator;
  before(async () => {
    sim = await startSimulator({
      tenant: generateTenant({ seed: 3, people: 300, groups: 20, largeGroups: 1, largeGroupSize: 120 }),
    });
  });
  after(() => stopSimulator(sim));

  test('collects a large roster across pages, each member once', async () => {
    const g = sim.store.tenant.groups.find((x) => x.members.length >= 120)!;
    const { client } = client10(sim);
    sim.resetStats();
    const r = await client.listGroupMembers(g.id);
    assert.ok(r.found);
    assert.equal(r.members.length, g.members.length);
    assert.equal(sim.stats().byRoute['GET /groups/{id}/members'], Math.ceil(g.members.length / 10));
    assert.ok(r.members.every((m) => m.group.id === g.id));
    await client.close();
  });

  test('an empty group gives an empty roster after one request', async () => {
    const g = sim.store.tenant.groups.find((x) => x.members.length === 0)!;
    const { client } = client10(sim);
    sim.resetStats();
    assert.deepEqual(await client.listGroupMembers(g.id), { found: true, members: [] });
    assert.equal(sim.stats().requests, 1);
    await client.close();
  });
});
