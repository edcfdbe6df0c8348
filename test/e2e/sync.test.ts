import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { anyUnpack } from '@bufbuild/protobuf/wkt';
import { UserTraitSchema } from '../../src/baton/gen/c1/connector/v2/annotation_trait_pb.js';
import { decodeSimpleResource } from '../support/decode-rows.js';
import { finishedSyncs, openC1zDb, syncContent } from '../support/open-c1z-db.js';
import { runCli } from '../support/run-cli.js';
import { expectedContent } from '../support/expected-content.js';
import { generateTenant, GENERATED_CREDENTIALS } from '../../src/simulator/index.js';
import { e2eFile } from '../support/e2e-file.js';

const cred = GENERATED_CREDENTIALS[0]!;
const tenant = generateTenant({
  seed: 7,
  people: 120,
  groups: 30,
  avgMembersPerGroup: 12,
  largeGroups: 1,
  largeGroupSize: 60,
});
const expected = expectedContent(tenant);

/** The UserTrait of a stored user. */
function storedUserTrait(db: Parameters<typeof decodeSimpleResource>[0], personId: string) {
  const { resource } = decodeSimpleResource(db, `user:${personId}`);
  const any = resource.annotations.find((a) => a.typeUrl.endsWith('c1.connector.v2.UserTrait'));
  const trait = any && anyUnpack(any, UserTraitSchema);
  if (!trait) throw new Error(`user:${personId} has no UserTrait`);
  return trait;
}

describe('the generated e2e tenant', () => {
  test('has every member kind, inactive groups and people whose web login is not their target name', () => {
    const { group, device, dynamic_team } = expected.skippedMembers;
    assert.ok(group > 0 && device > 0 && dynamic_team > 0, JSON.stringify(expected.skippedMembers));
    assert.ok(expected.grants.length > 0, 'person members');
    assert.ok(expected.groups.inactive > 0 && expected.groups.active > 0, JSON.stringify(expected.groups));
    assert.ok(expected.loginAliases.size > 0, 'people with a web login other than their target name');
  });
});

const e2e = e2eFile('e2e-sync-', { tenant });

const env = (extra: Record<string, string> = {}) => e2e.env(extra);

describe('baton-xmatters sync (built CLI against the simulator)', () => {
  test('writes exactly the expected users, groups, entitlements and grants', async () => {
    e2e.sim.resetStats();
    const file = join(e2e.dir, 'full.c1z');
    // A page size of 7 makes every listing, and the large group's roster, span many pages.
    const r = await runCli(['--file', file, '--page-size', '7', '--output', 'json'], {
      cwd: e2e.dir,
      env: env(),
    });
    assert.equal(r.code, 0, r.stderr);
    const details = JSON.parse(r.stdout) as Record<string, unknown>;
    const { db, close } = openC1zDb(file);
    try {
      const [run] = finishedSyncs(db);
      assert.ok(run);
      assert.equal(details.sync_id, run.sync_id);
      const content = syncContent(db, run.sync_id);
      assert.deepEqual(content.resourceTypes, ['group', 'role', 'user']);
      assert.deepEqual(content.resources, expected.resources);
      assert.deepEqual(content.entitlements, expected.entitlements);
      assert.deepEqual(content.grants, expected.grants);
      // Status mapping: inactive people are disabled users (Resource.status and trait), names survive.
      const user = decodeSimpleResource(db, `user:${expected.inactivePersonId}`);
      assert.equal(user.status, 'DISABLED');
      const uni = decodeSimpleResource(db, `group:${expected.unicodeGroupId}`);
      assert.equal(uni.displayName, expected.unicodeGroupName);
      // Inactive groups are DISABLED resources, the others ENABLED.
      for (const g of tenant.groups) {
        const want = g.status === 'INACTIVE' ? 'DISABLED' : 'ENABLED';
        assert.equal(decodeSimpleResource(db, `group:${g.id}`).status, want, `group ${g.id} (${g.status})`);
      }
      assert.equal(expected.inactiveGroupIds.length, expected.groups.inactive);
      // Login is the target name; a different web login is the one login alias, otherwise there is none.
      for (const p of tenant.people) {
        const trait = storedUserTrait(db, p.id);
        assert.equal(trait.login, p.targetName);
        const alias = expected.loginAliases.get(p.id);
        assert.deepEqual(trait.loginAliases, alias === undefined ? [] : [alias], `user ${p.id}`);
      }
      // Nested groups, devices and dynamic teams are never grants: every grant's principal is a user.
      const principals = db
        .prepare('select distinct principal_resource_type_id from v1_grants where sync_id = ?')
        .pluck()
        .all(run.sync_id);
      assert.deepEqual(principals, ['user']);
    } finally {
      close();
    }
    // Summary numbers match what the simulator counted.
    const stats = e2e.sim.stats();
    assert.equal(details.requests, stats.requests);
    assert.equal(stats.nonGetRequests, 0);
    // Every skipped kind is counted, nested groups included (the tenant has each kind, checked above).
    assert.deepEqual(details.skipped_members, expected.skippedMembers);
    assert.deepEqual(details.users, expected.users);
    assert.deepEqual(details.groups, expected.groups);
    assert.equal(details.grants, expected.grants.length);
  });

  test('a second run appends a sync; a third keeps the newest two finished full syncs', async () => {
    const file = join(e2e.dir, 'retention.c1z');
    for (let i = 0; i < 3; i++) {
      const r = await runCli(['-f', file], { cwd: e2e.dir, env: env() });
      assert.equal(r.code, 0, r.stderr);
    }
    const { db, close } = openC1zDb(file);
    try {
      const syncs = finishedSyncs(db);
      assert.equal(syncs.length, 2);
      assert.deepEqual(syncContent(db, syncs[0]!.sync_id), syncContent(db, syncs[1]!.sync_id));
    } finally {
      close();
    }
  });

  test('flag beats env beats .baton.yaml beats default', async () => {
    const work = mkdtempSync(join(e2e.dir, 'precedence-'));
    // The file names a wrong password and a bogus URL; env fixes the URL, the flag fixes the password.
    writeFileSync(
      join(work, '.baton.yaml'),
      `base-url: https://wrong.example.invalid/api/xm/1\nusername: ${cred.username}\npassword: wrong-from-file\nfile: from-yaml.c1z\n`,
    );
    const r = await runCli(['--password', cred.password], {
      cwd: work,
      env: { BATON_BASE_URL: e2e.sim.baseUrl, BATON_LOG_FORMAT: 'json' },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(readFileSync(join(work, 'from-yaml.c1z')).length > 0, 'file: from .baton.yaml is used');
    // Without the flag, the file's wrong password is used and rejected.
    const bad = await runCli([], {
      cwd: work,
      env: { BATON_BASE_URL: e2e.sim.baseUrl, BATON_LOG_FORMAT: 'json' },
    });
    assert.equal(bad.code, 16, bad.stderr);
    assert.ok(!bad.stderr.includes('wrong-from-file'), 'the password never appears');
  });

  test('BATON_CONFIG_PATH names another config file', async () => {
    const work = mkdtempSync(join(e2e.dir, 'configpath-'));
    const cfg = join(work, 'conn.yaml');
    writeFileSync(
      cfg,
      `base-url: ${e2e.sim.baseUrl}\nusername: ${cred.username}\npassword: ${cred.password}\n`,
    );
    const r = await runCli(['-f', 'x.c1z'], { cwd: work, env: { BATON_CONFIG_PATH: cfg } });
    assert.equal(r.code, 0, r.stderr);
  });

  test('resumes an interrupted sync instead of starting over', async () => {
    const file = join(e2e.dir, 'resume.c1z');
    // Every roster request after the 10th fails until the fault is lifted: the first run gives up at the
    // first failure (one attempt: what is tested here is the resume, not the retries).
    e2e.sim.setFaults({
      rules: [{ path: '/groups/*/members', skip: 10, action: { type: 'status', status: 503 } }],
    });
    const first = await runCli(['-f', file, '--max-attempts', '1'], {
      cwd: e2e.dir,
      env: env(),
    });
    e2e.sim.setFaults({});
    assert.equal(first.code, 14, first.stderr);
    assert.match(first.stderr, /503|unavailable/i);
    e2e.sim.resetStats();
    const second = await runCli(['-f', file, '--output', 'json'], { cwd: e2e.dir, env: env() });
    assert.equal(second.code, 0, second.stderr);
    const details = JSON.parse(second.stdout) as { resumed: boolean; grants: number };
    assert.equal(details.resumed, true);
    assert.equal(details.grants, expected.grants.length);
    // The rosters read before the failure are not read again.
    const rosters = e2e.sim.stats().byRoute['GET /groups/{id}/members'] ?? 0;
    assert.ok(
      rosters > 0 && rosters < expected.groupCount,
      `${rosters} roster requests: ${JSON.stringify(e2e.sim.stats().byRoute)}`,
    );
    const { db, close } = openC1zDb(file);
    try {
      const [run] = finishedSyncs(db);
      assert.deepEqual(syncContent(db, run!.sync_id).grants, expected.grants);
    } finally {
      close();
    }
  });

  test('--skip-entitlements-and-grants writes a resources_only sync without roster requests', async () => {
    e2e.sim.resetStats();
    const file = join(e2e.dir, 'resources-only.c1z');
    const r = await runCli(['-f', file, '--skip-entitlements-and-grants'], { cwd: e2e.dir, env: env() });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(e2e.sim.stats().byRoute['GET /groups/{id}/members'] ?? 0, 0);
    const { db, close } = openC1zDb(file);
    try {
      assert.equal(finishedSyncs(db)[0]?.sync_type, 'resources_only');
    } finally {
      close();
    }
  });
});
