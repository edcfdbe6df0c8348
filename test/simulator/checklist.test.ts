// The xmatters-api.md §10 checklist items beyond the basics: embedded supervisors and observers, the
// supervisors sub-resources, the `search` filter, and people hidden from the API account.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  XmattersSimulator,
  generateTenant,
  parseTenantData,
  tenantToData,
  type TenantData,
} from '../../src/simulator/index.js';
import { call, envelope } from '../support/simulator-http.js';
import { rejectsWithCode } from '../support/simulator.js';

const DATA: TenantData = {
  roles: [
    { id: 'r-std', name: 'Standard User' },
    { id: 'r-sup', name: 'Company Supervisor' },
  ],
  people: [
    { id: 'p-1', targetName: 'mmcbride', firstName: 'Mary', lastName: 'McBride', webLogin: 'mary.m' },
    { id: 'p-2', targetName: 'jdoe', firstName: 'John', lastName: 'Doe', supervisors: ['p-1', 'p-3'] },
    { id: 'p-3', targetName: 'ghost', firstName: 'Hidden', lastName: 'Person', hidden: true },
    { id: 'p-4', targetName: 'zoe', firstName: 'Zoë', lastName: 'Ørsted', supervisors: [] },
  ],
  groups: [
    {
      id: 'g-1',
      targetName: 'Oracle Administrators',
      description: 'DBA on-call rotation',
      supervisors: ['p-1'],
      observers: ['r-sup'],
    },
    { id: 'g-2', targetName: 'West Coast Staff', description: 'Everyone in the west' },
  ],
  memberships: {
    'g-1': [
      { type: 'PERSON', id: 'p-1' },
      { type: 'PERSON', id: 'p-3' },
    ],
    'g-2': [{ type: 'PERSON', id: 'p-2' }],
  },
  credentials: [{ username: 'demo', password: 'demo-password' }],
};

const MARY_REF = {
  id: 'p-1',
  targetName: 'mmcbride',
  firstName: 'Mary',
  lastName: 'McBride',
  recipientType: 'PERSON',
  links: { self: '/api/xm/1/people/p-1' },
};

const targetNames = (items: Record<string, unknown>[]): unknown[] => items.map((i) => i.targetName);

describe('simulator checklist: embeds, supervisors, search, hidden people', () => {
  let sim: XmattersSimulator;
  before(async () => {
    sim = await XmattersSimulator.start({ tenant: parseTenantData(structuredClone(DATA)) });
  });
  beforeEach(() => sim.resetStats());
  after(() => sim.close());

  test('/people with embed=supervisors inlines a pagination object of person references', async () => {
    const env = envelope(await call(sim, '/api/xm/1/people?embed=roles,supervisors'));
    const jdoe = env.data.find((p) => p.id === 'p-2')!;
    // The hidden supervisor is not visible to the account, so it is not embedded either.
    assert.deepEqual(jdoe.supervisors, { count: 1, total: 1, data: [MARY_REF] });
    assert.deepEqual(jdoe.roles, { count: 0, total: 0, data: [] });
    const mary = env.data.find((p) => p.id === 'p-1')!;
    assert.deepEqual(mary.supervisors, { count: 0, total: 0, data: [] });
    const plain = envelope(await call(sim, '/api/xm/1/people'));
    assert.ok(
      plain.data.every((p) => !('supervisors' in p) && !('roles' in p)),
      'only when asked for',
    );
  });

  test('/groups with embed=supervisors,observers inlines both; empty ones are empty pagination objects', async () => {
    const env = envelope(await call(sim, '/api/xm/1/groups?embed=supervisors,observers'));
    const [oracle, west] = env.data;
    assert.deepEqual(oracle!.supervisors, { count: 1, total: 1, data: [MARY_REF] });
    assert.deepEqual(oracle!.observers, {
      count: 1,
      total: 1,
      data: [{ id: 'r-sup', name: 'Company Supervisor' }],
    });
    assert.deepEqual(west!.supervisors, { count: 0, total: 0, data: [] });
    assert.deepEqual(west!.observers, { count: 0, total: 0, data: [] });
    const one = (await call(sim, '/api/xm/1/groups/g-1?embed=observers')).json as Record<string, unknown>;
    assert.equal(one.targetName, 'Oracle Administrators');
    assert.ok('observers' in one && !('supervisors' in one));
  });

  test('/people/{id}/supervisors and /groups/{id}/supervisors list people', async () => {
    const people = envelope(await call(sim, '/api/xm/1/people/jdoe/supervisors'));
    assert.equal(people.total, 1);
    assert.equal(people.data[0]!.targetName, 'mmcbride');
    assert.equal(people.data[0]!.recipientType, 'PERSON');
    assert.equal(people.links.self, '/api/xm/1/people/jdoe/supervisors?offset=0&limit=100');
    const groups = envelope(await call(sim, '/api/xm/1/groups/g-1/supervisors'));
    assert.deepEqual(targetNames(groups.data), ['mmcbride']);
    assert.equal((await call(sim, '/api/xm/1/groups/nope/supervisors')).status, 404);
    assert.equal((await call(sim, '/api/xm/1/people/nope/supervisors')).status, 404);
    assert.deepEqual(sim.stats().byRoute, {
      'GET /people/{id}/supervisors': 2,
      'GET /groups/{id}/supervisors': 2,
    });
  });

  test('search matches any term (or every term with operand=AND), case-insensitively, in the chosen fields', async () => {
    const people = async (query: string): Promise<unknown[]> =>
      targetNames(envelope(await call(sim, `/api/xm/1/people?${query}`)).data);
    assert.deepEqual(await people('search=mcbride'), ['mmcbride']);
    assert.deepEqual(await people('search=MARY+doe'), ['mmcbride', 'jdoe']);
    assert.deepEqual(await people('search=mary+doe&operand=AND'), []);
    assert.deepEqual(await people('search=mary.m&fields=WEB_LOGIN'), ['mmcbride']);
    assert.deepEqual(await people('search=mary&fields=LAST_NAME'), []);
    assert.deepEqual(await people('search=zoë'), ['zoe']);
    assert.deepEqual(await people('search=hidden'), [], 'hidden people are not found either');
    const groups = async (query: string): Promise<unknown[]> =>
      targetNames(envelope(await call(sim, `/api/xm/1/groups?${query}`)).data);
    assert.deepEqual(await groups('search=oracle'), ['Oracle Administrators']);
    assert.deepEqual(await groups('search=west&fields=DESCRIPTION'), ['West Coast Staff']);
    assert.deepEqual(await groups('search=rotation+everyone'), ['Oracle Administrators', 'West Coast Staff']);
    // next links keep the search.
    const paged = envelope(await call(sim, '/api/xm/1/people?search=mary+doe&limit=1'));
    assert.equal(paged.total, 2);
    assert.equal(paged.links.next, '/api/xm/1/people?search=mary+doe&offset=1&limit=1');
  });

  test('a bad fields or operand value is a 400 error object', async () => {
    const r = await call(sim, '/api/xm/1/people?search=x&fields=SHOE_SIZE');
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, {
      code: 400,
      reason: 'Bad Request',
      message: 'Invalid fields value "SHOE_SIZE"',
    });
    assert.equal((await call(sim, '/api/xm/1/groups?search=x&operand=XOR')).status, 400);
  });

  test('hidden people are on rosters but not in GET /people nor at /people/{id}', async () => {
    const listed = envelope(await call(sim, '/api/xm/1/people'));
    assert.equal(listed.total, 3);
    assert.ok(!listed.data.some((p) => p.id === 'p-3'));
    assert.equal((await call(sim, '/api/xm/1/people/p-3')).status, 404);
    assert.equal((await call(sim, '/api/xm/1/people/ghost')).status, 404);
    const roster = envelope(await call(sim, '/api/xm/1/groups/g-1/members'));
    assert.deepEqual(
      roster.data.map((m) => (m.member as { id: string }).id),
      ['p-1', 'p-3'],
    );
    assert.deepEqual(sim.store.counts(), { people: 3, groups: 2, memberships: 3 });
  });
});

describe('hidden people options', () => {
  test('hiddenPeople hides people of a generated tenant by id or target name', async () => {
    const tenant = generateTenant({ seed: 5, people: 20, groups: 3 });
    const [a, b] = tenant.people;
    const sim = await XmattersSimulator.start({ tenant, hiddenPeople: [a!.id, b!.targetName] });
    try {
      const env = envelope(await call(sim, '/api/xm/1/people', { auth: basic() }));
      assert.equal(env.total, 18);
      assert.ok(!env.data.some((p) => p.id === a!.id || p.id === b!.id));
    } finally {
      await sim.close();
    }
  });

  test('a hiddenPeople entry naming nobody is refused with XM_CONFIG', async () => {
    const e = await rejectsWithCode(
      XmattersSimulator.start({ hiddenPeople: ['no-such-person'] }),
      'XM_CONFIG',
    );
    assert.match(e.message, /"no-such-person"/);
  });
});

describe('tenant file: supervisors, observers and hidden', () => {
  test('round-trip through tenantToData', () => {
    const tenant = parseTenantData(structuredClone(DATA));
    assert.deepEqual(tenant.people[1]!.supervisors, [0, 2]);
    assert.deepEqual(tenant.groups[0]!.observers, [1]);
    assert.equal(tenant.people[2]!.hidden, true);
    assert.deepEqual(parseTenantData(tenantToData(tenant)), tenant);
    const data = tenantToData(tenant);
    assert.deepEqual(data.people![1]!.supervisors, ['p-1', 'p-3']);
    assert.deepEqual(data.groups![0]!.observers, ['r-sup']);
    assert.ok(!('supervisors' in data.groups![1]!), 'absent stays absent');
  });

  test('unknown ids and wrong types are listed', async () => {
    const bad = {
      roles: [{ id: 'r', name: 'R' }],
      people: [{ id: 'p', targetName: 'p', supervisors: ['nobody'], hidden: 'yes' }],
      groups: [{ id: 'g', targetName: 'g', observers: ['p'], supervisors: 'p' }],
    };
    const e = await rejectsWithCode(
      Promise.resolve().then(() => parseTenantData(bad)),
      'XM_CONFIG',
    );
    assert.match(e.message, /people\[0\]: unknown person id "nobody" in "supervisors"/);
    assert.match(e.message, /people\[0\]: "hidden" must be a boolean/);
    assert.match(e.message, /groups\[0\]: unknown role id "p" in "observers"/);
    assert.match(e.message, /groups\[0\]: "supervisors" must be an array of person ids/);
  });
});

function basic(): string {
  return `Basic ${Buffer.from('sim-user:sim-password').toString('base64')}`;
}
