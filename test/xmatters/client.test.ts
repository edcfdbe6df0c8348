import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { generateTenant, sampleTenant, type XmattersSimulator } from '../../src/simulator/index.js';
import { XmattersClient, parseXmattersTimestamp } from '../../src/xmatters/index.js';
import {
  GENERATED_USER,
  SAMPLE_CREDENTIALS,
  clientFor,
  collect,
  loggedQueries,
  rejectsWithCode,
  simulatorForSuite,
  startSimulator,
  stopSimulator,
} from '../support/simulator.js';

const ORACLE = '9b4f6e21-3c8d-4f0a-8e2b-000000000201';

describe('XmattersClient against the sample tenant', () => {
  const suite = simulatorForSuite();

  test("checkAccess makes three cheap authenticated GETs: people, groups and the first group's roster", async () => {
    const { client } = clientFor(suite.sim);
    await client.checkAccess();
    const firstGroup = suite.sim.store.tenant.groups[0]!.id;
    assert.deepEqual(suite.sim.requests(), [
      { method: 'GET', url: '/api/xm/1/people?offset=0&limit=1', authorization: true },
      { method: 'GET', url: '/api/xm/1/groups?offset=0&limit=1', authorization: true },
      {
        method: 'GET',
        url: `/api/xm/1/groups/${encodeURIComponent(firstGroup)}/members?offset=0&limit=1`,
        authorization: true,
      },
    ]);
    await client.close();
  });

  test('checkAccess with a wrong password: XM_AUTH naming the user, suggesting the API-key form', async () => {
    const { client } = clientFor(suite.sim, { password: 'wrong-password-Zq8!' });
    const e = await rejectsWithCode(client.checkAccess(), 'XM_AUTH');
    assert.equal(e.status, 401);
    assert.match(e.message, /user "demo"/);
    assert.match(e.message, /x-api-key-/);
    assert.equal(suite.sim.stats().authFailures, 1);
    await client.close();
  });

  test('an API key and its secret authenticate like a user and password', async () => {
    const { client } = clientFor(suite.sim, {
      username: SAMPLE_CREDENTIALS.apiKey,
      password: SAMPLE_CREDENTIALS.apiSecret,
    });
    await client.checkAccess();
    assert.equal((await collect(client.listPeople())).length, 25);
    await client.close();
  });

  test('an API key with a wrong secret is XM_AUTH naming the key', async () => {
    const { client } = clientFor(suite.sim, {
      username: SAMPLE_CREDENTIALS.apiKey,
      password: 'wrong-password-Zq8!',
    });
    const e = await rejectsWithCode(client.checkAccess(), 'XM_AUTH');
    assert.ok(e.message.includes(SAMPLE_CREDENTIALS.apiKey));
    await client.close();
  });

  test('a user without permission: XM_PERMISSION naming the endpoint and the REST Web Service User role', async () => {
    const { client } = clientFor(suite.sim, {
      username: SAMPLE_CREDENTIALS.noAccessUsername,
      password: SAMPLE_CREDENTIALS.noAccessPassword,
    });
    const e = await rejectsWithCode(collect(client.listGroups()), 'XM_PERMISSION');
    assert.equal(e.status, 403);
    assert.match(e.message, /GET \/api\/xm\/1\/groups\?/);
    assert.match(e.message, /REST Web Service User/);
    assert.equal(suite.sim.stats().permissionDenied, 1);
    await client.close();
  });

  test('listPeople returns typed people with embedded roles and tolerates absent fields', async () => {
    const { client } = clientFor(suite.sim);
    const people = await collect(client.listPeople());
    assert.equal(people.length, 25);
    const mary = people.find((p) => p.targetName === 'mmcbride')!;
    assert.deepEqual(
      mary.roles.map((r) => r.name),
      ['Standard User', 'Group Supervisor', 'Company Supervisor'],
    );
    assert.equal(mary.siteId, 'f0c572a8-45ec-4e23-889c-df749cf19a5e');
    assert.equal(mary.externallyOwned, true);
    assert.equal(parseXmattersTimestamp(mary.lastLogin)?.toISOString(), '2025-06-14T22:17:31.450Z');
    const zoe = people.find((p) => p.firstName === 'Zoë')!;
    assert.equal(
      parseXmattersTimestamp(zoe.lastLogin)?.toISOString(),
      '2024-11-02T07:45:10.004Z',
      'the +0000 form',
    );
    const minimal = people.find((p) => p.targetName === 'minimal.person')!;
    assert.deepEqual(Object.keys(minimal).sort(), [
      'externallyOwned',
      'id',
      'recipientType',
      'roles',
      'status',
      'targetName',
    ]);
    assert.ok(
      people.some((p) => p.id === 'legacy-0009'),
      'a non-UUID id',
    );
    assert.equal(people.find((p) => p.targetName === 'jdoe')?.status, 'INACTIVE');
    await client.close();
  });

  test('listGroups sorts by name and returns typed groups', async () => {
    const { client } = clientFor(suite.sim);
    const groups = await collect(client.listGroups());
    assert.equal(groups.length, 8);
    const q = loggedQueries(suite.sim, '/api/xm/1/groups')[0]!;
    assert.equal(q.get('sortBy'), 'NAME');
    assert.equal(q.get('sortOrder'), 'ASCENDING');
    assert.equal(groups.find((g) => g.targetName === 'West Coast Staff')?.status, 'INACTIVE');
    assert.ok(groups.some((g) => g.targetName === 'Café Support / EMEA'));
    await client.close();
  });

  test('listRoles returns the roles', async () => {
    const { client } = clientFor(suite.sim);
    assert.deepEqual(
      (await collect(client.listRoles())).map((r) => r.name).sort(),
      sampleTenant()
        .roles.map((r) => r.name)
        .sort(),
    );
    await client.close();
  });

  test('listGroupMembers returns person, nested group, device (with owner) and dynamic-team members', async () => {
    const { client } = clientFor(suite.sim);
    const r = await client.listGroupMembers(ORACLE);
    assert.ok(r.found);
    assert.deepEqual(
      r.members.map((m) => [m.member.recipientType, m.member.targetName, m.member.ownerId]),
      [
        ['PERSON', 'mmcbride', undefined],
        ['PERSON', 'zoë.ørsted', undefined],
        ['GROUP', 'West Coast Staff', undefined],
        ['DEVICE', 'jdoe|Work Phone', '5e0a1c2d-7b3f-4a6e-9d1c-000000000102'],
        ['DYNAMIC_TEAM', 'Database Escalation Team', undefined],
      ],
    );
    assert.deepEqual(r.members[0]!.group, { id: ORACLE, targetName: 'Oracle Administrators' });
    await client.close();
  });

  test('listGroupMembers encodes ids in the path', async () => {
    const { client } = clientFor(suite.sim);
    const r = await client.listGroupMembers('legacy-group-8');
    assert.ok(r.found);
    assert.equal(r.members.length, 3);
    const weird = await client.listGroupMembers('a/b?c=d');
    assert.equal(weird.found, false);
    assert.ok(suite.sim.requests().some((x) => x.url.startsWith('/api/xm/1/groups/a%2Fb%3Fc%3Dd/members?')));
    await client.close();
  });

  test('a 404 on a group roster is a typed not-found result', async () => {
    const { client } = clientFor(suite.sim);
    const r = await client.listGroupMembers('no-such-group');
    assert.equal(r.found, false);
    if (!r.found)
      assert.match(
        r.reason,
        /group no-such-group was not found.*Could not find a group with id no-such-group/,
      );
    await client.close();
  });
});

describe('groups changing under the client', () => {
  let sim: XmattersSimulator;
  beforeEach(async () => {
    sim = await startSimulator();
  });
  const done = (): Promise<void> => stopSimulator(sim);

  test('a group deleted between listing and its member fetch gives found:false', async () => {
    const { client } = clientFor(sim);
    sim.setFaults({
      rules: [{ path: '/groups', times: 1, action: { type: 'deleteGroup', groupId: ORACLE } }],
    });
    const groups = await collect(client.listGroups());
    assert.ok(
      groups.some((g) => g.id === ORACLE),
      'listed before the deletion',
    );
    const r = await client.listGroupMembers(ORACLE);
    assert.equal(r.found, false);
    await client.close();
    await done();
  });

  test('a group deleted while its roster is paged gives found:false', async () => {
    const { client } = clientFor(sim, { pageSize: 5, maxInFlight: 1 });
    const everyone = '9b4f6e21-3c8d-4f0a-8e2b-000000000206';
    sim.setFaults({
      rules: [{ path: '/groups/*/members', skip: 1, times: 1, action: { type: 'deleteGroup' } }],
    });
    const r = await client.listGroupMembers(everyone);
    assert.equal(r.found, false);
    await client.close();
    await done();
  });
});

describe('the shared limiter', () => {
  let sim: XmattersSimulator;
  before(async () => {
    sim = await startSimulator({ tenant: generateTenant({ seed: 5, people: 200, groups: 60 }) });
  });
  beforeEach(() => {
    sim.setFaults({});
    sim.resetStats();
  });
  after(() => stopSimulator(sim));

  test('keeps requests in flight at or below maxInFlight across concurrent calls', async () => {
    sim.setFaults({ latencyMs: 5 });
    const { client } = clientFor(sim, { ...GENERATED_USER, maxInFlight: 3, pageSize: 20 });
    const groups = await collect(client.listGroups());
    const results = await Promise.all(groups.map((g) => client.listGroupMembers(g.id)));
    assert.ok(results.every((r) => r.found));
    assert.ok(sim.stats().maxConcurrency <= 3, `server saw ${sim.stats().maxConcurrency}`);
    assert.equal(client.stats().maxInFlightSeen, 3);
    await client.close();
  });

  test('keep-alive: many sequential and concurrent requests reuse a handful of connections', async () => {
    sim.setFaults({ latencyMs: 2 });
    const { client } = clientFor(sim, { ...GENERATED_USER, maxInFlight: 3, pageSize: 20 });
    // Sequential: a connection or two carry them all (undici may open a second one while the first is
    // being handed back to the pool).
    for (let i = 0; i < 20; i++) await collect(client.listRoles());
    const sequential = sim.stats().connections;
    assert.ok(sequential >= 1 && sequential <= 2, `${sequential} connections for 20 sequential requests`);
    // Concurrent: every roster at once, through the 3-slot limiter and its 3-connection pool.
    const groups = await collect(client.listGroups());
    const results = await Promise.all(groups.map((g) => client.listGroupMembers(g.id)));
    assert.ok(results.every((r) => r.found));
    const s = sim.stats();
    assert.ok(s.requests >= 80, `only ${s.requests} requests`);
    assert.ok(
      s.connections >= 1 && s.connections <= 3,
      `${s.connections} connections for ${s.requests} requests`,
    );
    assert.equal(s.requests, client.stats().requests);
    await client.close();
  });

  test('backs off on 429 and lowers its concurrency, then completes', async () => {
    sim.setFaults({ latencyMs: 5, concurrencyLimit: { max: 2 } });
    const { client } = clientFor(sim, { ...GENERATED_USER, maxInFlight: 6, maxAttempts: 10 });
    const groups = await collect(client.listGroups());
    const results = await Promise.all(groups.map((g) => client.listGroupMembers(g.id)));
    assert.ok(results.every((r) => r.found));
    const s = client.stats();
    assert.ok((s.retriesByReason['http-429'] ?? 0) > 0, 'the cap answered 429');
    assert.ok(s.lowestConcurrencyLimit <= 3, `lowest limit ${s.lowestConcurrencyLimit}`);
    assert.ok(s.concurrencyLimit <= 6);
    assert.ok((sim.stats().faults['concurrency-429'] ?? 0) > 0);
    await client.close();
  });
});

describe('XmattersClient.close', () => {
  test('closes the connection pool; later calls fail at once and a second close is harmless', async () => {
    const sim = await startSimulator();
    const client = new XmattersClient({ baseUrl: sim.baseUrl, username: 'demo', password: 'demo-password' });
    await client.checkAccess();
    await client.close();
    await client.close();
    await assert.rejects(client.checkAccess(), /closed/);
    assert.throws(() => client.listPeople(), /closed/);
    assert.equal(sim.stats().requests, 3);
    await stopSimulator(sim);
  });
});

describe('XmattersClient.checkAccess without the groups permission', () => {
  test('people readable, groups forbidden: XM_PERMISSION naming GET /groups, before any listing', async () => {
    const tenant = sampleTenant();
    tenant.credentials.push({
      username: 'no-groups',
      password: 'no-groups-password',
      forbidden: ['/groups'],
    });
    const sim = await startSimulator({ tenant });
    const { client } = clientFor(sim, { username: 'no-groups', password: 'no-groups-password' });
    const e = await rejectsWithCode(client.checkAccess(), 'XM_PERMISSION');
    assert.equal(e.status, 403);
    assert.match(e.message, /GET \/api\/xm\/1\/groups\?offset=0&limit=1 \(HTTP 403\)/);
    assert.match(e.message, /REST Web Service User/);
    assert.deepEqual(
      sim.requests().map((r) => r.url),
      ['/api/xm/1/people?offset=0&limit=1', '/api/xm/1/groups?offset=0&limit=1'],
    );
    await client.close();
    await stopSimulator(sim);
  });
});
