// People the xMatters account cannot see (README "Prerequisites: visibility"): they are on group rosters and
// among group supervisors but not in GET /people. The built CLI must make no grant for them (member,
// supervisor or role), count a warning per roster or supervisor entry, and still exit 0.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { finishedSyncs, openC1zDb, syncContent } from '../support/open-c1z-db.js';
import { runCli } from '../support/run-cli.js';
import { generateTenant, GENERATED_CREDENTIALS } from '../../src/simulator/index.js';
import { memberRefIndex, memberRefType } from '../../src/simulator/member-ref.js';
import { e2eFile } from '../support/e2e-file.js';

const cred = GENERATED_CREDENTIALS[0]!;
const tenant = generateTenant({ seed: 11, people: 80, groups: 12, avgMembersPerGroup: 10 });

/** Every (group, person) roster pair, once per group. */
const rosterPairs: { groupId: string; personId: string }[] = [];
for (const g of tenant.groups) {
  const seen = new Set<string>();
  for (const ref of g.members) {
    if (memberRefType(ref) !== 'PERSON') continue;
    const personId = tenant.people[memberRefIndex(ref)]!.id;
    if (!seen.has(personId)) rosterPairs.push({ groupId: g.id, personId });
    seen.add(personId);
  }
}
/** Every (group, supervisor) pair. */
const supervisorPairs = tenant.groups.flatMap((g) =>
  (g.supervisors ?? []).map((i) => ({ groupId: g.id, personId: tenant.people[i]!.id })),
);
// Three people: two on at least one roster, and one who supervises a group.
const onRosters = [...new Set(rosterPairs.map((p) => p.personId))];
const supervisor = supervisorPairs.map((p) => p.personId).find((id) => !onRosters.slice(0, 2).includes(id))!;
const hidden = [...onRosters.slice(0, 2), supervisor];
const hiddenPairs = rosterPairs.filter((p) => hidden.includes(p.personId));
const hiddenSupervisions = supervisorPairs.filter((p) => hidden.includes(p.personId));
/** Role grants of the people the account sees. */
const roleGrants = tenant.people
  .filter((p) => !hidden.includes(p.id))
  .reduce((n, p) => n + p.roles.length, 0);

before(() => assert.equal(hidden.length, 3, 'the tenant needs three people on rosters'));
const e2e = e2eFile('e2e-visibility-', { tenant, hiddenPeople: hidden });

describe('people hidden from the xMatters account (built CLI against the simulator)', () => {
  test('roster members missing from /people get no grant, a counted warning each, and exit 0', async () => {
    const file = join(e2e.dir, 'sync.c1z');
    const r = await runCli(['--file', file, '--page-size', '9', '--output', 'json'], {
      cwd: e2e.dir,
      env: {
        BATON_BASE_URL: e2e.sim.baseUrl,
        BATON_USERNAME: cred.username,
        BATON_PASSWORD: cred.password,
        BATON_LOG_FORMAT: 'json',
      },
    });
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as {
      users: { total: number };
      grants: number;
      warnings: number;
      warnings_by_kind: Record<string, number>;
    };
    assert.equal(summary.users.total, tenant.people.length - hidden.length);
    const supervisions = supervisorPairs.length - hiddenSupervisions.length;
    assert.equal(summary.grants, rosterPairs.length - hiddenPairs.length + supervisions + roleGrants);
    assert.ok(hiddenPairs.length >= 2 && hiddenSupervisions.length >= 1);
    const dropped = hiddenPairs.length + hiddenSupervisions.length;
    assert.equal(summary.warnings, dropped, r.stderr);
    assert.deepEqual(summary.warnings_by_kind, { 'grant-principal-missing': dropped });

    const { db, close } = openC1zDb(file);
    try {
      const [run] = finishedSyncs(db);
      assert.ok(run);
      const content = syncContent(db, run.sync_id);
      for (const id of hidden) {
        assert.ok(!content.resources.includes(`user:${id}`), `no user for hidden ${id}`);
        assert.ok(!content.grants.some((g) => g.endsWith(`:user:${id}`)), `no grant for hidden ${id}`);
      }
      const expected = rosterPairs
        .filter((p) => !hidden.includes(p.personId))
        .map((p) => `group:${p.groupId}:member:user:${p.personId}`)
        .sort();
      assert.deepEqual(
        content.grants.filter((g) => g.includes(':member:')),
        expected,
      );
      assert.deepEqual(
        content.grants.filter((g) => g.includes(':supervisor:')),
        supervisorPairs
          .filter((p) => !hidden.includes(p.personId))
          .map((p) => `group:${p.groupId}:supervisor:user:${p.personId}`)
          .sort(),
      );
    } finally {
      close();
    }
    // The warnings are logged too, naming the missing principal.
    for (const id of hidden) assert.ok(r.stderr.includes(id), `a warning names ${id}`);
  });
});
