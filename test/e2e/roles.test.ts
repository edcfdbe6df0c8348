// Roles, group supervisors and opt-in emails through the built CLI against the simulator. Every expectation
// is computed from the tenant data (test/support/expected-content.ts), never from the connector's mapping.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anyUnpack } from '@bufbuild/protobuf/wkt';
import { toJson } from '@bufbuild/protobuf';
import { RoleTraitSchema, UserTraitSchema } from '../../src/baton/gen/c1/connector/v2/annotation_trait_pb.js';
import { decodeSimpleResource } from '../support/decode-rows.js';
import { expectedContent } from '../support/expected-content.js';
import { finishedSyncs, openC1zDb, syncContent } from '../support/open-c1z-db.js';
import { runCli } from '../support/run-cli.js';
import { stopSimulator } from '../support/simulator.js';
import {
  generateTenant,
  GENERATED_CREDENTIALS,
  SUPERVISOR_EMBED_LIMIT,
  XmattersSimulator,
  type Tenant,
} from '../../src/simulator/index.js';

const cred = GENERATED_CREDENTIALS[0]!;
const PAGE = 50;
const tenant = generateTenant({
  seed: 13,
  people: 240,
  groups: 24,
  avgMembersPerGroup: 8,
  largeGroups: 1,
  largeGroupSize: 60,
  manySupervisors: 150,
});
const expected = expectedContent(tenant);
const crowded = tenant.groups.filter((g) => (g.supervisors?.length ?? 0) > SUPERVISOR_EMBED_LIMIT);
const pages = (n: number): number => Math.max(1, Math.ceil(n / PAGE));
const byPrefix = (ids: readonly string[], prefix: string) => ids.filter((id) => id.startsWith(prefix));
const withSlug = (ids: readonly string[], slug: string) => ids.filter((id) => id.includes(`:${slug}:user:`));

/** The EMAIL addresses of a person's devices, lowest sequence first: what its user trait must hold. */
function emailsOf(t: Tenant, personIndex: number): [string, boolean][] {
  return t.devices
    .map((d, i) => ({ d, i }))
    .filter(({ d }) => d.owner === personIndex && d.deviceType === 'EMAIL' && d.emailAddress)
    .sort((a, b) => (a.d.sequence ?? 1e9) - (b.d.sequence ?? 1e9) || a.i - b.i)
    .map(({ d }, k) => [d.emailAddress!, k === 0]);
}

interface Details {
  roles: number;
  grants: number;
  role_grants: number;
  supervisor_grants: number;
  member_grants: number;
  supervisor_lists_read: number;
  warnings_by_kind: Record<string, number>;
}

let dir: string;
const sims: XmattersSimulator[] = [];

async function startSim(opts: { rolesForbidden?: boolean } = {}): Promise<XmattersSimulator> {
  const sim = await XmattersSimulator.start({ tenant: structuredClone(tenant), ...opts });
  sims.push(sim);
  return sim;
}

async function sync(
  sim: XmattersSimulator,
  name: string,
  args: string[] = [],
  env: Record<string, string> = {},
) {
  const file = join(dir, `${name}.c1z`);
  sim.resetStats();
  const r = await runCli(['--file', file, '--page-size', String(PAGE), '--output', 'json', ...args], {
    cwd: dir,
    env: {
      BATON_BASE_URL: sim.baseUrl,
      BATON_USERNAME: cred.username,
      BATON_PASSWORD: cred.password,
      BATON_LOG_FORMAT: 'json',
      ...env,
    },
  });
  assert.equal(r.code, 0, r.stderr);
  const { db, close } = openC1zDb(file);
  try {
    const [run] = finishedSyncs(db);
    assert.ok(run);
    const content = syncContent(db, run.sync_id);
    const trait = <T>(id: string, read: (r: ReturnType<typeof decodeSimpleResource>['resource']) => T): T =>
      read(decodeSimpleResource(db, id).resource);
    const userEmails = new Map<string, [string, boolean][]>();
    tenant.people.forEach((p) => {
      userEmails.set(
        p.id,
        trait(`user:${p.id}`, (res) => {
          const any = res.annotations.find((a) => a.typeUrl.endsWith('.UserTrait'));
          return anyUnpack(any!, UserTraitSchema)!.emails.map((e): [string, boolean] => [
            e.address,
            e.isPrimary,
          ]);
        }),
      );
    });
    const roles = byPrefix(content.resources, 'role:').map((id) => {
      const res = decodeSimpleResource(db, id).resource;
      const any = res.annotations.find((a) => a.typeUrl.endsWith('.RoleTrait'));
      const roleTrait = any && anyUnpack(any, RoleTraitSchema);
      return {
        id: res.id!.resource,
        name: res.displayName,
        description: res.description,
        profile: roleTrait
          ? (toJson(RoleTraitSchema, roleTrait) as { profile?: unknown }).profile
          : undefined,
      };
    });
    return { content, userEmails, roles, details: JSON.parse(r.stdout) as Details, requests: sim.requests() };
  } finally {
    close();
  }
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'e2e-roles-'));
});
after(async () => {
  try {
    for (const sim of sims) await stopSimulator(sim);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('the roles e2e tenant', () => {
  test('has roles held and not held, supervised groups and one group with more supervisors than the embed carries', () => {
    assert.ok(expected.roleGrants.length > tenant.people.length, 'everyone has a role, some have two');
    assert.ok(
      tenant.roles.some((_, i) => !tenant.people.some((p) => p.roles.includes(i))),
      'a role nobody holds',
    );
    assert.equal(crowded.length, 1);
    assert.equal(crowded[0]!.supervisors!.length, 150);
    assert.ok(tenant.devices.some((d) => d.deviceType === 'VOICE' && d.phoneNumber));
    assert.ok(
      tenant.people.some((_, i) => emailsOf(tenant, i).length > 1),
      'someone with two emails',
    );
  });
});

describe('roles and group supervisors (built CLI against the simulator)', () => {
  test('every role, role grant and supervisor grant is in the c1z exactly; emails are off by default', async () => {
    const sim = await startSim();
    const { content, roles, details, requests, userEmails } = await sync(sim, 'default');
    assert.deepEqual(content.resourceTypes, ['group', 'role', 'user']);
    assert.deepEqual(content.resources, expected.resources);
    assert.deepEqual(content.entitlements, expected.entitlements);
    assert.deepEqual(content.grants, expected.grants);
    assert.deepEqual(withSlug(content.grants, 'assigned'), expected.roleGrants);
    assert.deepEqual(withSlug(content.grants, 'supervisor'), expected.supervisorGrants);
    // Roles from /roles: name, description and a RoleTrait profile with the role's name and id.
    assert.deepEqual(
      roles.sort((a, b) => (a.id < b.id ? -1 : 1)),
      tenant.roles
        .map((r) => ({
          id: r.id,
          name: r.name,
          description: r.description ?? '',
          profile: { role_id: r.id, role_name: r.name },
        }))
        .sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    // All 150 supervisors of the crowded group, read from its supervisors endpoint (the embed has 100).
    const big = crowded[0]!;
    assert.equal(
      withSlug(content.grants, 'supervisor').filter((g) => g.startsWith(`group:${big.id}:`)).length,
      150,
    );
    const supervisorReads = requests.filter((q) => q.url.includes('/supervisors'));
    assert.equal(supervisorReads.length, pages(150));
    assert.ok(
      supervisorReads.every((q) => q.url.includes(`/groups/${encodeURIComponent(big.id)}/supervisors`)),
    );
    assert.ok(
      requests.some((q) => q.url.startsWith('/api/xm/1/groups?') && q.url.includes('embed=supervisors')),
    );
    // The summary's figures.
    assert.equal(details.roles, tenant.roles.length);
    assert.equal(details.role_grants, expected.roleGrants.length);
    assert.equal(details.supervisor_grants, expected.supervisorGrants.length);
    assert.equal(details.member_grants, expected.memberGrants.length);
    assert.equal(details.grants, expected.grants.length);
    assert.equal(details.supervisor_lists_read, 1);
    assert.deepEqual(details.warnings_by_kind, {});
    // Emails off: no device data asked for, none stored.
    assert.ok(!requests.some((q) => q.url.includes('devices')), 'no request mentions devices');
    assert.ok(
      [...userEmails.values()].every((e) => e.length === 0),
      'no user has an email',
    );
  });

  test('/roles answering 403: one warning, roles built from people, every role grant still written', async () => {
    const sim = await startSim({ rolesForbidden: true });
    const { content, roles, details } = await sync(sim, 'forbidden');
    assert.deepEqual(details.warnings_by_kind, { 'roles-list-forbidden': 1 });
    const held = tenant.roles.filter((_, i) => tenant.people.some((p) => p.roles.includes(i)));
    assert.ok(held.length < tenant.roles.length, 'a role nobody holds cannot be seen without /roles');
    assert.deepEqual(
      roles.map((r) => [r.id, r.name, r.description]).sort(),
      held.map((r) => [r.id, r.name, '']).sort(),
    );
    assert.deepEqual(withSlug(content.grants, 'assigned'), expected.roleGrants);
    assert.deepEqual(withSlug(content.grants, 'supervisor'), expected.supervisorGrants);
    assert.deepEqual(
      byPrefix(content.entitlements, 'role:'),
      held.map((r) => `role:${r.id}:assigned`).sort(),
    );
  });

  test('BATON_SYNC_EMAILS=true: devices are asked for, and only EMAIL addresses are stored, primary first', async () => {
    const sim = await startSim();
    const { content, requests, userEmails } = await sync(sim, 'emails', [], { BATON_SYNC_EMAILS: 'true' });
    // The listing's pages (the access check reads one person without embeds).
    const people = requests.filter(
      (q) => q.url.startsWith('/api/xm/1/people?') && q.url.includes(`limit=${PAGE}`),
    );
    assert.ok(people.length >= pages(tenant.people.length));
    assert.ok(
      people.every((q) => /embed=roles(%2C|,)devices/.test(q.url)),
      JSON.stringify(people[0]),
    );
    tenant.people.forEach((p, i) =>
      assert.deepEqual(userEmails.get(p.id), emailsOf(tenant, i), p.targetName),
    );
    const phones = new Set(tenant.devices.map((d) => d.phoneNumber).filter((n) => n !== undefined));
    assert.ok(phones.size > 0);
    for (const emails of userEmails.values())
      for (const [a] of emails) assert.ok(!phones.has(a) && a.includes('@'));
    // Everything else is unchanged.
    assert.deepEqual(content.grants, expected.grants);
  });

  test('--sync-emails works as a flag too', async () => {
    const sim = await startSim();
    const { userEmails } = await sync(sim, 'emails-flag', ['--sync-emails']);
    const i = tenant.people.findIndex((_, k) => emailsOf(tenant, k).length > 1);
    assert.deepEqual(userEmails.get(tenant.people[i]!.id), emailsOf(tenant, i));
  });

  test('--sync-resource-types user,group: no role type, no /roles request, supervisors still synced', async () => {
    const sim = await startSim();
    const { content, requests, details } = await sync(sim, 'no-roles', [
      '--sync-resource-types',
      'user,group',
    ]);
    assert.deepEqual(content.resourceTypes, ['group', 'user']);
    assert.deepEqual(byPrefix(content.resources, 'role:'), []);
    assert.deepEqual(withSlug(content.grants, 'assigned'), []);
    assert.deepEqual(withSlug(content.grants, 'supervisor'), expected.supervisorGrants);
    assert.ok(!requests.some((q) => q.url.startsWith('/api/xm/1/roles')));
    assert.equal(details.roles, 0);
    assert.deepEqual(details.warnings_by_kind, {});
  });
});
