import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { XmattersSimulator, generateTenant } from '../../src/simulator/index.js';
import { basicAuth, call, envelope } from '../support/simulator-http.js';

const AUTH = basicAuth('sim-user', 'sim-password');
const get = (sim: XmattersSimulator, path: string): ReturnType<typeof call> =>
  call(sim, path, { auth: AUTH });

describe('fault injection over HTTP', () => {
  let sim: XmattersSimulator;
  before(async () => {
    sim = await XmattersSimulator.start({ tenant: generateTenant({ seed: 11, people: 40, groups: 10 }) });
  });
  beforeEach(() => {
    sim.setFaults({});
    sim.resetStats();
  });
  after(() => sim.close());

  test('base and per-item latency count into the service time', async () => {
    sim.setFaults({ latencyMs: 10, perItemLatencyMs: 1 });
    await get(sim, '/api/xm/1/people?limit=20');
    assert.ok(sim.stats().serviceTimeMs >= 30, `service time ${sim.stats().serviceTimeMs}`);
  });

  test('the concurrency cap answers 429, with and without Retry-After', async () => {
    for (const retryAfterSeconds of [undefined, 2]) {
      sim.setFaults({
        latencyMs: 40,
        concurrencyLimit: { max: 2, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) },
      });
      sim.resetStats();
      const replies = await Promise.all(Array.from({ length: 4 }, () => get(sim, '/api/xm/1/roles')));
      const rejected = replies.filter((r) => r.status === 429);
      assert.equal(rejected.length, 2);
      for (const r of rejected) {
        assert.deepEqual(r.json, {
          code: 429,
          reason: 'Too Many Requests',
          message: 'Too many concurrent requests',
        });
        assert.equal(r.headers['retry-after'], retryAfterSeconds === undefined ? undefined : '2');
      }
      assert.equal(sim.stats().faults['concurrency-429'], 2);
    }
  });

  test('the rate limit answers 429 once the bucket is empty', async () => {
    sim.setFaults({ rateLimit: { perSecond: 0.1, burst: 2, retryAfter: true } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(sim, '/api/xm/1/roles')).status);
    assert.deepEqual(statuses, [200, 200, 429]);
    const r = await get(sim, '/api/xm/1/roles');
    assert.equal(r.headers['retry-after'], '10');
  });

  test('random 5xx answers are seeded: the same seed gives the same statuses', async () => {
    const run = async (): Promise<number[]> => {
      sim.setFaults({
        seed: 5,
        rules: [{ probability: 0.5, action: { type: 'status', status: [500, 502, 503, 504] } }],
      });
      const out: number[] = [];
      for (let i = 0; i < 16; i++) out.push((await get(sim, '/api/xm/1/roles')).status);
      return out;
    };
    const a = await run();
    assert.deepEqual(await run(), a);
    assert.ok(a.some((s) => s === 200) && a.some((s) => s >= 500));
    assert.ok(a.every((s) => [200, 500, 502, 503, 504].includes(s)));
  });

  test('status faults can carry Retry-After and an HTML or empty body', async () => {
    sim.setFaults({
      rules: [
        {
          times: 1,
          action: { type: 'status', status: 503, retryAfter: 'Wed, 21 Oct 2015 07:28:00 GMT', body: 'html' },
        },
        { skip: 1, times: 1, action: { type: 'status', status: 502, body: 'empty' } },
      ],
    });
    const html = await get(sim, '/api/xm/1/roles');
    assert.equal(html.status, 503);
    assert.equal(html.headers['retry-after'], 'Wed, 21 Oct 2015 07:28:00 GMT');
    assert.match(html.text, /^<!DOCTYPE html>/);
    const empty = await get(sim, '/api/xm/1/roles');
    assert.deepEqual([empty.status, empty.text], [502, '']);
  });

  test('a slow response is survived when the client gives up early', async () => {
    sim.setFaults({ rules: [{ action: { type: 'delay', ms: 5000 } }] });
    await assert.rejects(
      fetch(`${sim.baseUrl}/roles`, { headers: { authorization: AUTH }, signal: AbortSignal.timeout(50) }),
      { name: 'TimeoutError' },
    );
    sim.setFaults({});
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(sim.stats().inFlight, 0);
    assert.equal((await get(sim, '/api/xm/1/roles')).status, 200);
  });

  test('a reset destroys the connection without an answer', async () => {
    sim.setFaults({ rules: [{ times: 1, action: { type: 'reset' } }] });
    await assert.rejects(get(sim, '/api/xm/1/roles'));
    assert.equal(sim.stats().byStatus.reset, 1);
  });

  const badBodies: [string, (r: Awaited<ReturnType<typeof call>>) => void][] = [
    ['invalid-json', (r) => assert.ok(r.json === undefined && r.text.startsWith('{'))],
    ['html-200', (r) => assert.match(String(r.headers['content-type']), /text\/html/)],
    ['truncated', (r) => assert.ok(r.json === undefined && r.text.startsWith('{"count":'))],
    [
      'wrong-content-type',
      (r) => assert.ok(String(r.headers['content-type']).startsWith('text/plain') && r.json !== undefined),
    ],
    ['empty', (r) => assert.equal(r.text, '')],
    ['not-a-list', (r) => assert.deepEqual(r.json, { status: 'ok', items: [] })],
  ];
  for (const [kind, check] of badBodies) {
    test(`a bad body: ${kind}, with status 200`, async () => {
      sim.setFaults({ rules: [{ action: { type: 'badBody', kind: kind as 'empty' } }] });
      const r = await get(sim, '/api/xm/1/people?limit=5');
      assert.equal(r.status, 200);
      check(r);
    });
  }

  test('every Nth request can be selected', async () => {
    sim.setFaults({ rules: [{ every: 3, action: { type: 'badBody', kind: 'empty' } }] });
    const texts = [];
    for (let i = 0; i < 6; i++) texts.push((await get(sim, '/api/xm/1/roles')).text === '');
    assert.deepEqual(texts, [false, false, true, false, false, true]);
  });

  test('pagination faults rewrite the links', async () => {
    sim.setFaults({ rules: [{ action: { type: 'foreignNext', origin: 'http://127.0.0.9:1' } }] });
    assert.equal(
      envelope(await get(sim, '/api/xm/1/people?limit=10')).links.next,
      'http://127.0.0.9:1/api/xm/1/people?offset=10&limit=10',
    );
    sim.setFaults({ rules: [{ action: { type: 'repeatNext' } }] });
    assert.equal(
      envelope(await get(sim, '/api/xm/1/people?limit=10&offset=20')).links.next,
      '/api/xm/1/people?offset=10&limit=10',
    );
    assert.equal(
      envelope(await get(sim, '/api/xm/1/people?limit=10')).links.next,
      '/api/xm/1/people?offset=0&limit=10',
    );
    sim.setFaults({ rules: [{ action: { type: 'dropNext' } }] });
    const dropped = envelope(await get(sim, '/api/xm/1/people?limit=10'));
    assert.equal(dropped.links.next, undefined);
    assert.equal(dropped.total, 40);
  });

  test('duplicates repeat the end of the previous page; short pages continue right after their last item', async () => {
    const plain = envelope(await get(sim, '/api/xm/1/people?limit=10&offset=0')).data.map((p) => p.id);
    sim.setFaults({ rules: [{ action: { type: 'duplicates', count: 2 } }] });
    const dup = envelope(await get(sim, '/api/xm/1/people?limit=10&offset=10'));
    assert.deepEqual(
      dup.data.slice(0, 2).map((p) => p.id),
      plain.slice(8),
    );
    assert.equal(dup.links.next, '/api/xm/1/people?offset=20&limit=10');
    sim.setFaults({ rules: [{ action: { type: 'shortPage', count: 3 } }] });
    const short = envelope(await get(sim, '/api/xm/1/people?limit=10'));
    assert.equal(short.count, 3);
    assert.equal(short.links.next, '/api/xm/1/people?offset=3&limit=10');
  });

  test('an item can lose a required field or get the wrong type', async () => {
    sim.setFaults({
      rules: [{ action: { type: 'invalidItem', field: 'recipientType', mode: 'missing', index: 1 } }],
    });
    assert.equal('recipientType' in envelope(await get(sim, '/api/xm/1/people?limit=3')).data[1]!, false);
    sim.setFaults({ rules: [{ action: { type: 'invalidItem', field: 'id', mode: 'empty' } }] });
    const members = envelope(
      await get(
        sim,
        `/api/xm/1/groups/${encodeURIComponent(sim.store.tenant.groups.find((g) => g.members.length > 0)!.id)}/members`,
      ),
    );
    assert.equal((members.data[0]!.member as { id: string }).id, '');
    sim.setFaults({ rules: [{ action: { type: 'invalidItem', field: 'targetName', mode: 'wrongType' } }] });
    assert.equal(envelope(await get(sim, '/api/xm/1/groups?limit=3')).data[0]!.targetName, 12345);
  });

  test('absurd values: 10 KB names, control characters, lone surrogates, impossible totals', async () => {
    sim.setFaults({ rules: [{ action: { type: 'absurd', kind: 'long-name' } }] });
    assert.ok(
      String(envelope(await get(sim, '/api/xm/1/people?limit=2')).data[0]!.targetName).length > 10_000,
    );
    sim.setFaults({ rules: [{ action: { type: 'absurd', kind: 'control-chars' } }] });
    assert.match(String(envelope(await get(sim, '/api/xm/1/people?limit=2')).data[0]!.targetName), /\u0000/);
    sim.setFaults({ rules: [{ action: { type: 'absurd', kind: 'lone-surrogate' } }] });
    const r = await get(sim, '/api/xm/1/people?limit=2');
    assert.match(r.text, /\\ud800/);
    sim.setFaults({ rules: [{ action: { type: 'absurd', kind: 'invalid-utf8' } }] });
    const raw = await get(sim, '/api/xm/1/people?limit=2');
    assert.ok(raw.text.includes('bad\ufffd(utf8'), 'bytes C3 28 on the wire decode to U+FFFD and "("');
    sim.setFaults({ rules: [{ action: { type: 'absurd', kind: 'huge-total' } }] });
    assert.equal(envelope(await get(sim, '/api/xm/1/people?limit=2')).total, 1e12);
    sim.setFaults({ rules: [{ action: { type: 'absurd', kind: 'wrong-types' } }] });
    assert.equal(envelope(await get(sim, '/api/xm/1/people?limit=2')).data[0]!.status, 42);
  });
});

describe('data changing while paging', () => {
  test('mutations apply after the selected answer: inserts shift later pages, removals shrink the total', async () => {
    const sim = await XmattersSimulator.start({ tenant: generateTenant({ seed: 2, people: 30, groups: 6 }) });
    try {
      sim.setFaults({
        rules: [
          {
            path: '/people',
            times: 1,
            action: { type: 'mutate', op: 'insertPeople', count: 3, position: 'start' },
          },
        ],
      });
      const q = '/api/xm/1/people?limit=10&sortBy=TARGET_NAME&sortOrder=ASCENDING';
      const first = envelope(await get(sim, q));
      assert.equal(first.total, 30);
      const again = envelope(await get(sim, q));
      assert.equal(again.total, 33);
      assert.ok(String(again.data[0]!.targetName).startsWith('!inserted.'));
      assert.equal(again.data[3]!.id, first.data[0]!.id, 'the old first item moved down by three');

      sim.setFaults({
        rules: [
          {
            path: '/groups',
            times: 1,
            action: { type: 'mutate', op: 'removeGroups', count: 2, position: 'end' },
          },
        ],
      });
      assert.equal(envelope(await get(sim, '/api/xm/1/groups')).total, 6);
      assert.equal(envelope(await get(sim, '/api/xm/1/groups')).total, 4);
      sim.setFaults({
        rules: [
          {
            path: '/people',
            times: 1,
            action: { type: 'mutate', op: 'removePeople', count: 5, position: 'random' },
          },
        ],
      });
      await get(sim, '/api/xm/1/people');
      assert.equal(envelope(await get(sim, '/api/xm/1/people')).total, 28);
      sim.setFaults({
        rules: [
          {
            path: '/groups',
            times: 1,
            action: { type: 'mutate', op: 'insertGroups', count: 1, position: 'end' },
          },
        ],
      });
      await get(sim, '/api/xm/1/groups');
      const groups = envelope(await get(sim, '/api/xm/1/groups?sortBy=NAME&sortOrder=ASCENDING'));
      assert.ok(String(groups.data.at(-1)!.targetName).includes('Inserted group'));
    } finally {
      await sim.close();
    }
  });

  test('deleteGroup removes a group after the listing, or the addressed group before answering', async () => {
    const sim = await XmattersSimulator.start();
    try {
      const oracle = '9b4f6e21-3c8d-4f0a-8e2b-000000000201';
      sim.setFaults({
        rules: [{ path: '/groups', times: 1, action: { type: 'deleteGroup', groupId: oracle } }],
      });
      const listed = envelope(await call(sim, '/api/xm/1/groups'));
      assert.ok(listed.data.some((g) => g.id === oracle));
      assert.equal((await call(sim, `/api/xm/1/groups/${oracle}/members`)).status, 404);
      assert.equal(envelope(await call(sim, '/api/xm/1/groups')).total, 7);
      // Members of the deleted group disappear from other rosters too.
      const leads = envelope(await call(sim, '/api/xm/1/groups/Platform%20Leads/members'));
      assert.ok(!leads.data.some((m) => (m.member as { id: string }).id === oracle));

      sim.setFaults({ rules: [{ path: '/groups/*/members', times: 1, action: { type: 'deleteGroup' } }] });
      assert.equal((await call(sim, '/api/xm/1/groups/Everyone/members')).status, 404);
      assert.equal((await call(sim, '/api/xm/1/groups/Everyone')).status, 404);
    } finally {
      await sim.close();
    }
  });
});
