import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { generateTenant } from '../../src/simulator/generate-tenant.js';
import { sampleTenantData } from '../../src/simulator/sample-tenant.js';
import { loadTenantFile, parseTenantData, tenantToData } from '../../src/simulator/tenant-file.js';
import { rejectsWithCode } from '../support/simulator.js';

const minimal = {
  roles: [{ id: 'r1', name: 'Standard User' }],
  people: [{ id: 'p1', targetName: 'ann', roles: ['r1'] }],
  groups: [{ id: 'g1', targetName: 'Ops' }],
  devices: [{ id: 'd1', name: 'Work Email', deviceType: 'EMAIL', ownerId: 'p1' }],
  dynamicTeams: [{ id: 't1', targetName: 'Team' }],
  memberships: {
    g1: [
      { type: 'PERSON', id: 'p1' },
      { type: 'DEVICE', id: 'd1' },
      { type: 'DYNAMIC_TEAM', id: 't1' },
    ],
  },
  credentials: [{ username: 'u', password: 'p' }],
};

describe('parseTenantData', () => {
  test('builds the compact tenant, with defaults for status and group type', () => {
    const t = parseTenantData(minimal);
    assert.equal(t.people[0]!.status, 'ACTIVE');
    assert.deepEqual(t.people[0]!.roles, [0]);
    assert.equal(t.groups[0]!.groupType, 'ON_CALL');
    assert.equal(t.groups[0]!.members.length, 3);
    assert.equal(t.devices[0]!.owner, 0);
  });

  test('round-trips through tenantToData', () => {
    const generated = generateTenant({ seed: 3, people: 200, groups: 30 });
    assert.deepEqual(parseTenantData(tenantToData(generated)), generated);
    const sample = parseTenantData(sampleTenantData());
    assert.deepEqual(parseTenantData(JSON.parse(JSON.stringify(tenantToData(sample)))), sample);
  });

  test('lists every problem with its location', async () => {
    const bad = {
      roles: [
        { id: 'r1', name: 'A' },
        { id: 'r1', name: 'B' },
      ],
      people: [
        { id: 'p1', targetName: 'a', roles: ['nope'], status: 'GONE', firstName: 3 },
        { targetName: 'b' },
      ],
      groups: [{ id: 'g1', targetName: '', groupType: 'WEIRD', externallyOwned: 'yes' }],
      devices: [{ id: 'd1', name: 'x', ownerId: 'missing' }],
      memberships: {
        g1: [
          { type: 'PERSON', id: 'p9' },
          { type: 'ROBOT', id: 'p1' },
        ],
        g9: [],
      },
      credentials: [{ username: 'u' }],
    };
    const e = await rejectsWithCode(
      Promise.resolve().then(() => parseTenantData(bad, 'tenant file t.json')),
      'XM_CONFIG',
    );
    for (const part of [
      'Invalid tenant file t.json',
      'roles[1]: duplicate id "r1"',
      'people[0]: unknown role id "nope"',
      'people[0]: "status" must be ACTIVE or INACTIVE',
      'people[0]: "firstName" must be a string',
      'people[1]: "id" must be a non-empty string',
      'groups[0]: "targetName" must be a non-empty string',
      'groups[0]: "groupType" must be ON_CALL, BROADCAST or DYNAMIC',
      'groups[0]: "externallyOwned" must be a boolean',
      'devices[0]: "ownerId" must be the id of a person',
      'memberships["g1"][0]: no PERSON with id "p9"',
      'memberships["g1"][1]: must be {"type"',
      'memberships["g9"]: unknown group id',
      'credentials[0]: "username" and "password" must be non-empty strings',
      'src/simulator/README.md',
    ]) {
      assert.ok(e.message.includes(part), `missing: ${part}\n${e.message}`);
    }
  });

  test('names the path of shape problems in items, record values and fields', async () => {
    const e = await rejectsWithCode(
      Promise.resolve().then(() =>
        parseTenantData({
          roles: [7],
          groups: [{ id: 'g1', targetName: 'Ops' }],
          devices: [{ id: 'd1', name: 'x', ownerId: 'p1', sequence: 0 }],
          people: [{ id: 'p1', targetName: 'ann' }],
          memberships: { g1: 5 },
        }),
      ),
      'XM_CONFIG',
    );
    for (const part of [
      'roles[0]: must be an object',
      'devices[0]: "sequence" must be an integer ≥ 1',
      'memberships["g1"]: must be an array of {type, id}',
    ]) {
      assert.ok(e.message.includes(part), `missing: ${part}\n${e.message}`);
    }
  });

  test('rejects a top level that is not an object, and sections that are not arrays', async () => {
    await rejectsWithCode(
      Promise.resolve().then(() => parseTenantData([])),
      'XM_CONFIG',
    );
    const e = await rejectsWithCode(
      Promise.resolve().then(() => parseTenantData({ people: {} })),
      'XM_CONFIG',
    );
    assert.match(e.message, /"people" must be an array/);
  });
});

describe('loadTenantFile', () => {
  test('reads a JSON file; a missing or invalid file is XM_CONFIG naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xm-tenant-'));
    try {
      const good = join(dir, 'tenant.json');
      await writeFile(good, JSON.stringify(minimal));
      assert.equal((await loadTenantFile(good)).people.length, 1);
      const broken = join(dir, 'broken.json');
      await writeFile(broken, '{ nope');
      assert.match(
        (await rejectsWithCode(loadTenantFile(broken), 'XM_CONFIG')).message,
        /broken\.json is not valid JSON/,
      );
      assert.match(
        (await rejectsWithCode(loadTenantFile(join(dir, 'absent.json')), 'XM_CONFIG')).message,
        /Cannot read the tenant file/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
