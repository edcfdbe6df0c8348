import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  SAMPLE_CREDENTIALS,
  XmattersSimulator,
  generateTenant,
  sampleTenant,
} from '../../src/simulator/index.js';
import { Agent, request } from 'undici';
import { DEMO_AUTH, basicAuth, call, envelope } from '../support/simulator-http.js';
import { rejectsWithCode } from '../support/simulator.js';

describe('XmattersSimulator.start', () => {
  test('binds 127.0.0.1 on a free port and reports its URLs', async () => {
    const sim = await XmattersSimulator.start();
    try {
      assert.ok(sim.port > 0);
      assert.equal(sim.origin, `http://127.0.0.1:${sim.port}`);
      assert.equal(sim.baseUrl, `http://127.0.0.1:${sim.port}/api/xm/1`);
    } finally {
      await sim.close();
    }
  });

  for (const host of ['0.0.0.0', '::', 'localhost', '192.168.1.10']) {
    test(`refuses to bind ${host}`, async () => {
      const e = await rejectsWithCode(XmattersSimulator.start({ host }), 'XM_CONFIG');
      assert.match(e.message, /only binds to 127\.0\.0\.1/);
    });
  }
});

describe('the simulated API', () => {
  let sim: XmattersSimulator;
  before(async () => {
    sim = await XmattersSimulator.start();
  });
  beforeEach(() => {
    sim.setFaults({});
    sim.resetStats();
  });
  after(() => sim.close());

  test('serves the list envelope with a default limit of 100 and self showing offset and limit', async () => {
    const r = await call(sim, '/api/xm/1/people');
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^application\/json/);
    const env = envelope(r);
    assert.equal(env.count, 25);
    assert.equal(env.total, 25);
    assert.equal(env.data.length, 25);
    assert.deepEqual(env.links, { self: '/api/xm/1/people?offset=0&limit=100' });
  });

  test('links are root-relative, keep the other parameters, and next is absent on the last page', async () => {
    const first = envelope(
      await call(sim, '/api/xm/1/people?embed=roles,devices&limit=10&sortBy=TARGET_NAME&sortOrder=ASCENDING'),
    );
    assert.equal(first.count, 10);
    assert.equal(
      first.links.self,
      '/api/xm/1/people?embed=roles%2Cdevices&sortBy=TARGET_NAME&sortOrder=ASCENDING&offset=0&limit=10',
    );
    assert.equal(
      first.links.next,
      '/api/xm/1/people?embed=roles%2Cdevices&sortBy=TARGET_NAME&sortOrder=ASCENDING&offset=10&limit=10',
    );
    assert.equal(first.links.previous, undefined);
    const middle = envelope(await call(sim, first.links.next));
    assert.equal(middle.links.previous, first.links.self);
    const last = envelope(await call(sim, '/api/xm/1/people?limit=10&offset=20'));
    assert.equal(last.count, 5);
    assert.equal('next' in last.links, false);
  });

  test('can write raw commas in links', async () => {
    const raw = await XmattersSimulator.start({ rawCommasInLinks: true });
    try {
      const env = envelope(await call(raw, '/api/xm/1/people?embed=roles,devices&limit=10'));
      assert.equal(env.links.next, '/api/xm/1/people?embed=roles,devices&offset=10&limit=10');
    } finally {
      await raw.close();
    }
  });

  test('an offset at or past the total gives an empty page with the real total and no next', async () => {
    for (const offset of [25, 500]) {
      const env = envelope(await call(sim, `/api/xm/1/people?offset=${offset}`));
      assert.deepEqual([env.count, env.total, env.data, env.links.next], [0, 25, [], undefined]);
    }
  });

  test('clamps limit at 1000 by default', async () => {
    const big = await XmattersSimulator.start({ tenant: generateTenant({ people: 1200, groups: 0 }) });
    try {
      const env = envelope(
        await call(big, '/api/xm/1/people?limit=5000', { auth: basicAuth('sim-user', 'sim-password') }),
      );
      assert.equal(env.count, 1000);
      assert.equal(env.links.self, '/api/xm/1/people?offset=0&limit=1000');
    } finally {
      await big.close();
    }
  });

  test('answers 400 above the maximum when configured to reject', async () => {
    const strict = await XmattersSimulator.start({ overLimit: 'reject', maxLimit: 5 });
    try {
      const r = await call(strict, '/api/xm/1/people?limit=6');
      assert.equal(r.status, 400);
      assert.deepEqual(r.json, {
        code: 400,
        reason: 'Bad Request',
        message: 'The limit parameter must not exceed 5',
      });
    } finally {
      await strict.close();
    }
  });

  test('rejects malformed paging and sort parameters with the error object', async () => {
    for (const q of [
      'limit=0',
      'limit=abc',
      'offset=-1',
      'sortBy=TARGET_NAME',
      'sortBy=NOPE&sortOrder=ASCENDING',
      'status=GONE',
    ]) {
      const r = await call(sim, `/api/xm/1/people?${q}`);
      assert.equal(r.status, 400, q);
      assert.equal((r.json as { code: number }).code, 400);
    }
  });

  test('embeds roles as a pagination object only when asked', async () => {
    const plain = envelope(await call(sim, '/api/xm/1/people?limit=1'));
    assert.equal('roles' in plain.data[0]!, false);
    const withRoles = envelope(await call(sim, '/api/xm/1/people?limit=1&embed=roles'));
    assert.deepEqual(withRoles.data[0]!.roles, {
      count: 3,
      total: 3,
      data: [
        { id: 'c2bdcd9e-1a18-4ff6-bfde-000000000301', name: 'Standard User' },
        { id: 'c2bdcd9e-1a18-4ff6-bfde-000000000302', name: 'Group Supervisor' },
        { id: 'c2bdcd9e-1a18-4ff6-bfde-000000000303', name: 'Company Supervisor' },
      ],
    });
  });

  test('honours sortBy and sortOrder, ties broken by id', async () => {
    const asc = envelope(await call(sim, '/api/xm/1/people?sortBy=TARGET_NAME&sortOrder=ASCENDING')).data.map(
      (p) => p.targetName as string,
    );
    assert.deepEqual(
      asc,
      [...asc].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    const desc = envelope(
      await call(sim, '/api/xm/1/people?sortBy=TARGET_NAME&sortOrder=DESCENDING'),
    ).data.map((p) => p.targetName);
    assert.deepEqual(desc, [...asc].reverse());
    const byStatus = envelope(await call(sim, '/api/xm/1/people?sortBy=STATUS&sortOrder=ASCENDING')).data;
    const active = byStatus.filter((p) => p.status === 'ACTIVE').map((p) => p.id as string);
    assert.deepEqual(active, [...active].sort());
    const groups = envelope(await call(sim, '/api/xm/1/groups?sortBy=NAME&sortOrder=DESCENDING')).data.map(
      (g) => g.targetName,
    );
    assert.equal(groups[0], 'West Coast Staff');
  });

  test('filters by status', async () => {
    const inactive = envelope(await call(sim, '/api/xm/1/people?status=INACTIVE'));
    assert.deepEqual(
      inactive.data.map((p) => p.targetName),
      ['jdoe'],
    );
    assert.equal(inactive.total, 1);
    const groups = envelope(await call(sim, '/api/xm/1/groups?status=INACTIVE'));
    assert.deepEqual(
      groups.data.map((g) => g.targetName),
      ['West Coast Staff'],
    );
  });

  test('serves a person by id or by percent-encoded target name, and 404s an unknown one', async () => {
    const byId = await call(sim, '/api/xm/1/people/legacy-0009');
    assert.equal((byId.json as { targetName: string }).targetName, 'legacy.user');
    const byName = await call(sim, `/api/xm/1/people/${encodeURIComponent('ops/bot')}?embed=roles`);
    assert.equal((byName.json as { firstName: string }).firstName, 'Ops');
    const missing = await call(sim, '/api/xm/1/people/nobody');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json, {
      code: 404,
      reason: 'Not Found',
      message: 'Could not find a person with id nobody',
    });
  });

  test('serves a group and its members with the roster item shape', async () => {
    const g = await call(sim, `/api/xm/1/groups/${encodeURIComponent('Café Support / EMEA')}`);
    assert.equal((g.json as { groupType: string }).groupType, 'ON_CALL');
    const members = envelope(await call(sim, '/api/xm/1/groups/Oracle%20Administrators/members'));
    assert.equal(members.total, 5);
    const device = members.data.find(
      (m) => (m.member as { recipientType: string }).recipientType === 'DEVICE',
    )!;
    assert.deepEqual(device.group, {
      id: '9b4f6e21-3c8d-4f0a-8e2b-000000000201',
      targetName: 'Oracle Administrators',
      recipientType: 'GROUP',
      groupType: 'ON_CALL',
      links: { self: '/api/xm/1/groups/9b4f6e21-3c8d-4f0a-8e2b-000000000201' },
    });
    assert.deepEqual(device.member, {
      id: 'd7a1c3e5-0b2d-4f6a-8c9e-000000000401',
      targetName: 'jdoe|Work Phone',
      recipientType: 'DEVICE',
      deviceType: 'VOICE',
      name: 'Work Phone',
      status: 'ACTIVE',
      owner: {
        id: '5e0a1c2d-7b3f-4a6e-9d1c-000000000102',
        targetName: 'jdoe',
        links: { self: '/api/xm/1/people/5e0a1c2d-7b3f-4a6e-9d1c-000000000102' },
      },
      links: { self: '/api/xm/1/devices/d7a1c3e5-0b2d-4f6a-8c9e-000000000401' },
    });
    const team = members.data.find(
      (m) => (m.member as { recipientType: string }).recipientType === 'DYNAMIC_TEAM',
    )!;
    assert.deepEqual(Object.keys(team.member as object).sort(), ['id', 'recipientType', 'targetName']);
    const empty = envelope(await call(sim, '/api/xm/1/groups/9b4f6e21-3c8d-4f0a-8e2b-000000000204/members'));
    assert.deepEqual([empty.count, empty.total, empty.data], [0, 0, []]);
  });

  test('404s an unknown group, its members and unknown resources with the error object', async () => {
    for (const [path, message] of [
      ['/api/xm/1/groups/nope', 'Could not find a group with id nope'],
      ['/api/xm/1/groups/nope/members', 'Could not find a group with id nope'],
      ['/api/xm/1/devices', 'No such resource: /api/xm/1/devices'],
      ['/elsewhere', 'No such resource: /elsewhere'],
    ]) {
      const r = await call(sim, path!);
      assert.equal(r.status, 404, path);
      assert.deepEqual(r.json, { code: 404, reason: 'Not Found', message });
    }
  });

  test('serves roles', async () => {
    const env = envelope(await call(sim, '/api/xm/1/roles'));
    assert.equal(env.total, sampleTenant().roles.length);
    assert.deepEqual(env.data[0], {
      id: 'c2bdcd9e-1a18-4ff6-bfde-000000000301',
      name: 'Standard User',
      description: 'Default role for every user',
    });
  });

  test('answers any non-GET with 405 and counts it', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'HEAD']) {
      const r = await call(sim, '/api/xm/1/people', { method, ...(method === 'HEAD' ? {} : { body: '{}' }) });
      assert.equal(r.status, 405, method);
      assert.equal(r.headers.allow, 'GET');
    }
    const s = sim.stats();
    assert.equal(s.nonGetRequests, 5);
    assert.equal(s.lifetimeNonGetRequests, 5);
    assert.equal(s.byRoute['DELETE /people'], 1);
    sim.resetStats();
    // A reset clears the per-test counter but not the lifetime total, so a suite cannot hide a non-GET.
    assert.equal(sim.stats().nonGetRequests, 0);
    assert.equal(sim.stats().lifetimeNonGetRequests, 5);
    const admin = (await call(sim, '/_sim/stats', { auth: null })).json as Record<string, number>;
    assert.equal(admin.lifetimeNonGetRequests, 5);
    assert.equal((await call(sim, '/_sim/reset', { method: 'POST', auth: null })).status, 204);
    assert.equal(sim.stats().lifetimeNonGetRequests, 5, 'POST /_sim/reset keeps it too');
  });

  test('counts TCP connections: keep-alive requests share one', async () => {
    const agent = new Agent({ connections: 1, keepAliveTimeout: 10_000 });
    try {
      for (let i = 0; i < 5; i++) {
        const res = await request(`${sim.baseUrl}/roles`, {
          dispatcher: agent,
          headers: { authorization: DEMO_AUTH },
        });
        await res.body.text();
      }
    } finally {
      await agent.close();
    }
    assert.equal(sim.stats().requests, 5);
    assert.equal(sim.stats().connections, 1);
  });

  test('Basic auth: user/password and API key/secret pass; anything else is a 401 error object', async () => {
    assert.equal(
      (
        await call(sim, '/api/xm/1/roles', {
          auth: basicAuth(SAMPLE_CREDENTIALS.apiKey, SAMPLE_CREDENTIALS.apiSecret),
        })
      ).status,
      200,
    );
    for (const auth of [
      null,
      basicAuth('demo', 'nope'),
      basicAuth(SAMPLE_CREDENTIALS.apiKey, 'nope'),
      'Bearer abc',
      'Basic !!!',
      basicAuth('nobody', 'demo-password'),
    ]) {
      const r = await call(sim, '/api/xm/1/roles', { auth });
      assert.equal(r.status, 401, String(auth));
      assert.deepEqual(r.json, { code: 401, reason: 'Unauthorized', message: 'Invalid credentials' });
    }
    assert.equal(sim.stats().authFailures, 6);
  });

  test('a user without permission gets 403 on whole endpoints', async () => {
    const r = await call(sim, '/api/xm/1/groups', {
      auth: basicAuth(SAMPLE_CREDENTIALS.noAccessUsername, SAMPLE_CREDENTIALS.noAccessPassword),
    });
    assert.equal(r.status, 403);
    assert.equal((r.json as { reason: string }).reason, 'Forbidden');
    assert.equal(sim.stats().permissionDenied, 1);
  });

  test('counts requests by method, route and status, concurrency and service time', async () => {
    sim.setFaults({ latencyMs: 20 });
    await Promise.all([
      call(sim, '/api/xm/1/people'),
      call(sim, '/api/xm/1/people'),
      call(sim, '/api/xm/1/groups/x/members'),
    ]);
    const s = sim.stats();
    assert.equal(s.requests, 3);
    assert.deepEqual(s.byMethod, { GET: 3 });
    assert.deepEqual(s.byRoute, { 'GET /people': 2, 'GET /groups/{id}/members': 1 });
    assert.deepEqual(s.byStatus, { '200': 2, '404': 1 });
    assert.equal(s.maxConcurrency, 3);
    assert.equal(s.inFlight, 0);
    assert.ok(s.serviceTimeMs >= 60, `service time ${s.serviceTimeMs}`);
    assert.equal(s.itemsServed, 50);
  });

  test('reports mean requests in flight, time-weighted from the first arrival to the last answer', async () => {
    // Long enough that the stagger of the three arrivals (a loaded machine) stays a small part of the span.
    sim.setFaults({ latencyMs: 300 });
    await Promise.all([
      call(sim, '/api/xm/1/people'),
      call(sim, '/api/xm/1/people'),
      call(sim, '/api/xm/1/people'),
    ]);
    const s = sim.stats();
    assert.ok(s.activeSpanMs >= 300, `span ${s.activeSpanMs}`);
    // Three requests overlap for nearly the whole span; the stagger of their arrivals is all that is lost.
    assert.ok(s.meanInFlight > 2 && s.meanInFlight <= 3, `mean in flight ${s.meanInFlight}`);
    sim.resetStats();
    assert.equal(sim.stats().meanInFlight, 0);
  });

  test('keeps a log of requests with whether they carried credentials, never the credentials', async () => {
    await call(sim, '/api/xm/1/roles?limit=2');
    await call(sim, '/api/xm/1/roles', { auth: null });
    assert.deepEqual(sim.requests(), [
      { method: 'GET', url: '/api/xm/1/roles?limit=2', authorization: true },
      { method: 'GET', url: '/api/xm/1/roles', authorization: false },
    ]);
  });
});

describe('the admin endpoint', () => {
  let sim: XmattersSimulator;
  before(async () => {
    sim = await XmattersSimulator.start();
  });
  after(() => sim.close());

  test('GET /_sim/stats returns the counters and tenant size, and is not counted', async () => {
    await call(sim, '/api/xm/1/roles');
    const r = await call(sim, '/_sim/stats', { auth: null });
    assert.equal(r.status, 200);
    const s = r.json as { requests: number; tenant: { people: number; groups: number; memberships: number } };
    assert.equal(s.requests, 1);
    assert.deepEqual(s.tenant, { people: 25, groups: 8, memberships: 39 });
    assert.equal(sim.stats().requests, 1);
  });

  test('POST /_sim/reset clears the counters', async () => {
    assert.equal((await call(sim, '/_sim/reset', { method: 'POST', auth: null })).status, 204);
    assert.equal(sim.stats().requests, 0);
    assert.equal(sim.stats().nonGetRequests, 0, 'admin POSTs are not API traffic');
  });

  test('POST /_sim/faults sets faults from another process; invalid ones are a 400', async () => {
    const faults = {
      latencyMs: 1,
      rules: [{ path: '/roles', times: 1, action: { type: 'status', status: 503 } }],
    };
    assert.equal(
      (await call(sim, '/_sim/faults', { method: 'POST', auth: null, body: JSON.stringify(faults) })).status,
      204,
    );
    assert.deepEqual((await call(sim, '/_sim/faults', { auth: null })).json, faults);
    assert.equal((await call(sim, '/api/xm/1/roles')).status, 503);
    const bad = await call(sim, '/_sim/faults', {
      method: 'POST',
      auth: null,
      body: '{"rules":[{"action":{"type":"explode"}}]}',
    });
    assert.equal(bad.status, 400);
    assert.match((bad.json as { message: string }).message, /unknown action type "explode"/);
    assert.equal((await call(sim, '/_sim/nope', { auth: null })).status, 404);
    sim.setFaults({});
  });
});
