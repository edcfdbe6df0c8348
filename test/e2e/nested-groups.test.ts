// --expand-nested-groups end to end: the built CLI against the simulator, on a tenant with a nesting chain, a
// diamond and a cycle. The grants in the file must be exactly the roster grants plus the derived grants of a
// closure computed here, independently of the expander, with baton-sdk's rule for cycles.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { fromBinary } from '@bufbuild/protobuf';
import { GrantSchema } from '../../src/baton/gen/c1/connector/v2/grant_pb.js';
import { encodeMemberRef, memberRefIndex, memberRefType } from '../../src/simulator/member-ref.js';
import { generateTenant } from '../../src/simulator/index.js';
import { FakeC1 } from '../support/fake-c1.js';
import { finishedSyncs, openC1zDb } from '../support/open-c1z-db.js';
import { runCli } from '../support/run-cli.js';
import { e2eFile } from '../support/e2e-file.js';

const IMMUTABLE = 'type.googleapis.com/c1.connector.v2.GrantImmutable';
const tenant = generateTenant({
  seed: 14,
  people: 60,
  groups: 16,
  avgMembersPerGroup: 5,
  largeGroups: 0,
  nestedGroupRatio: 0,
});

// Group indices in the tenant, named by the part they play. "A in B" puts group A on B's roster.
const CHAIN = [0, 1, 2, 3]; // 3 in 2 in 1 in 0
const TOP = 4;
const LEFT = 5;
const RIGHT = 6;
const BOTTOM = 7; // the diamond: BOTTOM in LEFT and RIGHT, both in TOP
const X = 8;
const Y = 9;
const Z = 10; // the cycle: X in Y, Y in Z, Z in X
const FEEDER = 11; // FEEDER in X: its people reach the whole cycle
const OUTER = 12; // Y in OUTER: the cycle's people reach OUTER
const nestings: [inner: number, outer: number][] = [
  [1, 0],
  [2, 1],
  [3, 2],
  [LEFT, TOP],
  [RIGHT, TOP],
  [BOTTOM, LEFT],
  [BOTTOM, RIGHT],
  [X, Y],
  [Y, Z],
  [Z, X],
  [FEEDER, X],
  [Y, OUTER],
];
for (const [inner, outer] of nestings) tenant.groups[outer]!.members.push(encodeMemberRef('GROUP', inner));
// Every group of the structures gets two people of its own, who are on no other roster (so the checks
// below can name them), and one person is directly on both ends of the chain.
const OWN_FIRST = tenant.people.length - 2 * (OUTER + 1);
const own = (gi: number, k: 0 | 1) => OWN_FIRST + 2 * gi + k;
for (const g of tenant.groups) {
  g.members = g.members.filter((ref) => memberRefType(ref) !== 'PERSON' || memberRefIndex(ref) < OWN_FIRST);
}
for (let gi = 0; gi <= OUTER; gi++) {
  for (const k of [0, 1] as const) tenant.groups[gi]!.members.push(encodeMemberRef('PERSON', own(gi, k)));
}
const BOTH_ENDS = own(CHAIN[3]!, 0);
tenant.groups[CHAIN[0]!]!.members.push(encodeMemberRef('PERSON', BOTH_ENDS));

const gid = (i: number) => tenant.groups[i]!.id;
const pid = (i: number) => tenant.people[i]!.id;
const ent = (groupId: string) => `group:${groupId}:member`;

/**
 * What the file must hold, from the tenant alone. People hold their groups directly; nesting passes
 * membership from inner to outer groups, transitively. Groups on a cycle are one unit (baton-sdk collapses
 * each cycle): whoever reaches one of them gets all of them and whatever they reach, but membership does not
 * flow around the cycle itself. A grant's sources are the entitlements it came through, plus its own
 * entitlement when the person also holds it directly.
 */
function expectedGrants() {
  const outers = new Map<string, Set<string>>();
  const direct = new Map<string, Set<string>>(); // person → groups
  const rosterGrants = new Set<string>();
  const nestedGrants = new Set<string>();
  for (const g of tenant.groups) {
    for (const ref of g.members) {
      const i = memberRefIndex(ref);
      if (memberRefType(ref) === 'PERSON') {
        const p = tenant.people[i]!.id;
        if (!direct.has(p)) direct.set(p, new Set());
        direct.get(p)!.add(g.id);
        rosterGrants.add(`${ent(g.id)}:user:${p}`);
      } else if (memberRefType(ref) === 'GROUP') {
        const inner = tenant.groups[i]!.id;
        if (!outers.has(inner)) outers.set(inner, new Set());
        outers.get(inner)!.add(g.id);
        nestedGrants.add(`${ent(g.id)}:group:${inner}`);
      }
    }
  }
  const reach = new Map<string, Set<string>>(); // group → every group it is nested in, at any depth
  for (const g of tenant.groups) {
    const seen = new Set<string>();
    const queue = [...(outers.get(g.id) ?? [])];
    while (queue.length > 0) {
      const next = queue.shift()!;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(outers.get(next) ?? []));
    }
    reach.set(g.id, seen);
  }
  const sameUnit = (a: string, b: string) => a === b || (reach.get(a)!.has(b) && reach.get(b)!.has(a));
  const unitFeeds = (from: string, to: string) =>
    !sameUnit(from, to) &&
    tenant.groups.some(
      (a) => sameUnit(a.id, from) && [...(outers.get(a.id) ?? [])].some((b) => sameUnit(b, to)),
    );
  const derived = new Map<string, string[]>(); // grant id → sources
  const gainedSources = new Map<string, string[]>();
  for (const [person, groups] of direct) {
    const holds = new Set(groups);
    for (const h of groups) for (const g of reach.get(h)!) if (!sameUnit(g, h)) holds.add(g);
    for (const g of holds) {
      const sources = [...holds].filter((s) => unitFeeds(s, g)).map(ent);
      const id = `${ent(g)}:user:${person}`;
      if (!groups.has(g)) derived.set(id, sources.sort());
      else if (sources.length > 0) gainedSources.set(id, [...sources, ent(g)].sort());
    }
  }
  return { rosterGrants, nestedGrants, derived, gainedSources };
}
const expected = expectedGrants();

interface StoredGrant {
  id: string;
  sources: string[];
  immutable: boolean;
  expandable: boolean;
}

/** The group membership grants of the file's last sync (supervisor and role grants are not this test's). */
function storedGrants(file: string): StoredGrant[] {
  const { db, close } = openC1zDb(file);
  try {
    const run = finishedSyncs(db).at(-1)!;
    const rows = db
      .prepare(
        `select data, expansion from v1_grants
          where sync_id = ? and resource_type_id = 'group' and entitlement_id = 'group:' || resource_id || ':member'`,
      )
      .all(run.sync_id) as {
      data: Buffer;
      expansion: Buffer | null;
    }[];
    return rows.map(({ data, expansion }) => {
      const g = fromBinary(GrantSchema, data);
      return {
        id: g.id,
        sources: Object.keys(g.sources?.sources ?? {}).sort(),
        immutable: g.annotations.some((a) => a.typeUrl === IMMUTABLE),
        expandable: expansion !== null,
      };
    });
  } finally {
    close();
  }
}

const e2e = e2eFile('e2e-nested-', { tenant });

const env = (extra: Record<string, string> = {}) => e2e.env(extra);

describe('--expand-nested-groups (built CLI against the simulator)', () => {
  test('the expected closure has chains, a diamond with two sources and a cycle', () => {
    const d = expected.derived;
    // Chain: the innermost group's people reach the outermost group, through the group in between.
    assert.deepEqual(d.get(`${ent(gid(CHAIN[0]!))}:user:${pid(own(CHAIN[3]!, 1))}`), [ent(gid(CHAIN[1]!))]);
    // Diamond: one grant, both sides as sources.
    assert.deepEqual(
      d.get(`${ent(gid(TOP))}:user:${pid(own(BOTTOM, 0))}`),
      [ent(gid(LEFT)), ent(gid(RIGHT))].sort(),
    );
    // Cycle: fed from outside it reaches all three; from inside, not the other two, but what the cycle feeds.
    for (const g of [X, Y, Z]) assert.ok(d.has(`${ent(gid(g))}:user:${pid(own(FEEDER, 0))}`));
    assert.ok(!d.has(`${ent(gid(Y))}:user:${pid(own(X, 0))}`));
    assert.deepEqual(d.get(`${ent(gid(OUTER))}:user:${pid(own(X, 0))}`), [ent(gid(X))]);
    // A direct grant that nesting also gives gains sources, its own entitlement among them.
    assert.ok(expected.gainedSources.has(`${ent(gid(CHAIN[0]!))}:user:${pid(BOTH_ENDS)}`));
  });

  test('writes the roster grants, one expandable grant per nesting, and exactly the derived closure', async () => {
    const file = join(e2e.dir, 'expanded.c1z');
    const r = await runCli(['--file', file, '--expand-nested-groups', '--output', 'json'], {
      cwd: e2e.dir,
      env: env(),
    });
    assert.equal(r.code, 0, r.stderr);
    const grants = storedGrants(file);
    const byId = new Map(grants.map((g) => [g.id, g]));
    assert.equal(byId.size, grants.length, 'grant ids are unique');
    const want = [...expected.rosterGrants, ...expected.nestedGrants, ...expected.derived.keys()].sort();
    assert.deepEqual([...byId.keys()].sort(), want);
    for (const [id, sources] of expected.derived) {
      assert.deepEqual(byId.get(id)?.sources, sources, id);
      assert.equal(byId.get(id)?.immutable, true, `${id} is GrantImmutable`);
    }
    for (const id of expected.rosterGrants) {
      assert.deepEqual(byId.get(id)?.sources, expected.gainedSources.get(id) ?? [], id);
      assert.equal(byId.get(id)?.immutable, false, `${id} is not GrantImmutable`);
    }
    for (const id of expected.nestedGrants) assert.equal(byId.get(id)?.expandable, true, id);
    const details = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(details.nested_group_grants, expected.nestedGrants.size);
    assert.equal(details.derived_grants, expected.derived.size);
    assert.equal(details.direct_grants_also_derived, expected.gainedSources.size);
    // Grants read from rosters (nested-group grants among them) are member grants; derived ones come on top.
    assert.equal(details.member_grants, expected.rosterGrants.size + expected.nestedGrants.size);
    const others = (details.supervisor_grants as number) + (details.role_grants as number);
    assert.equal(details.grants, want.length + others);
    assert.equal((details.skipped_members as { group: number }).group, 0);
    const { db, close } = openC1zDb(file);
    try {
      const run = finishedSyncs(db).at(-1)!;
      assert.match(run.sync_token, /"needs_expansion":true/);
    } finally {
      close();
    }
  });

  test('the console summary shows nested-group and derived grants', async () => {
    const r = await runCli(['--file', join(e2e.dir, 'summary.c1z')], {
      cwd: e2e.dir,
      env: env({ BATON_EXPAND_NESTED_GROUPS: 'true', BATON_LOG_LEVEL: 'error' }),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`nested-group grants\\s+${expected.nestedGrants.size}\\b`));
    assert.match(r.stderr, new RegExp(`derived grants\\s+${expected.derived.size} \\(`));
  });

  test('without the flag nested groups stay skipped and counted, and nothing is expanded', async () => {
    const file = join(e2e.dir, 'flat.c1z');
    const r = await runCli(['--file', file, '--output', 'json'], { cwd: e2e.dir, env: env() });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      storedGrants(file)
        .map((g) => g.id)
        .sort(),
      [...expected.rosterGrants].sort(),
    );
    const details = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal((details.skipped_members as { group: number }).group, nestings.length);
    assert.equal(details.derived_grants, 0);
    const { db, close } = openC1zDb(file);
    try {
      assert.doesNotMatch(finishedSyncs(db).at(-1)!.sync_token, /needs_expansion/);
    } finally {
      close();
    }
  });

  test('`config` publishes the flag as a boolean field', async () => {
    const r = await runCli(['config'], { cwd: e2e.dir, env: {} });
    assert.equal(r.code, 0, r.stderr);
    const schema = JSON.parse(r.stdout) as { fields: { name: string; boolField?: object }[] };
    const field = schema.fields.find((f) => f.name === 'expand-nested-groups');
    assert.deepEqual(field?.boolField, {}, 'a bool field whose default is false');
  });

  test('a nesting deeper than BATON_GRAPH_EXPAND_MAX_DEPTH fails with exit 9 and leaves no file', async () => {
    const file = join(e2e.dir, 'too-deep.c1z');
    const r = await runCli(['--file', file, '--expand-nested-groups'], {
      cwd: e2e.dir,
      env: env({ BATON_GRAPH_EXPAND_MAX_DEPTH: '2' }),
    });
    assert.equal(r.code, 9, r.stderr);
    assert.match(r.stderr, /nest 3 levels deep, more than the limit of 2/);
    assert.match(r.stderr, /BATON_GRAPH_EXPAND_MAX_DEPTH/);
    assert.ok(!existsSync(file), 'a failed sync writes no file');
  });
});

describe('--expand-nested-groups in service mode (fake ConductorOne)', () => {
  test('skip_expand_grants uploads the nested grants unexpanded; otherwise the upload is expanded', async () => {
    const unexpanded = 'task00000000000nestedskipexp';
    const expandedTask = 'task00000000000nestedexpand0';
    const c1 = await FakeC1.start({
      tasks: [
        { id: unexpanded, taskType: { case: 'syncFull', value: { skipExpandGrants: true } } },
        { id: expandedTask, taskType: { case: 'syncFull', value: {} } },
      ],
    });
    const caFile = join(e2e.dir, 'ca.pem');
    writeFileSync(caFile, c1.ca);
    let child: ChildProcess | undefined;
    try {
      const run = runCli([], {
        cwd: e2e.dir,
        timeoutMs: 90_000,
        onSpawn: (c) => (child = c),
        env: env({
          BATON_CLIENT_ID: c1.clientId,
          BATON_CLIENT_SECRET: c1.clientSecret,
          BATON_C1_API_HOST: c1.host,
          BATON_HOST_ID: 'baton-xmatters-test',
          NODE_EXTRA_CA_CERTS: caFile,
          BATON_C1Z_TEMP_DIR: e2e.dir,
          BATON_EXPAND_NESTED_GROUPS: 'true',
          BATON_TASK_CONCURRENCY: '1',
        }),
      });
      await c1.waitFor(
        () =>
          c1.callsOf('finishTask', unexpanded).length + c1.callsOf('finishTask', expandedTask).length === 2,
        'both sync tasks to finish',
      );
      child!.kill('SIGTERM');
      const r = await run;
      assert.equal(r.code, 0, r.stderr);
      assert.equal(c1.uploads.length, 2);
      const ids = (bytes: Buffer) => {
        const file = join(e2e.dir, 'uploaded.c1z');
        writeFileSync(file, bytes);
        try {
          return storedGrants(file);
        } finally {
          rmSync(file, { force: true });
        }
      };
      const uploads = c1.uploads.map((u) => ({ taskId: u.taskId, grants: ids(u.bytes) }));
      const flat = uploads.find((u) => u.taskId === unexpanded)!.grants;
      const full = uploads.find((u) => u.taskId === expandedTask)!.grants;
      assert.deepEqual(
        flat.map((g) => g.id).sort(),
        [...expected.rosterGrants, ...expected.nestedGrants].sort(),
        'roster and nested grants only',
      );
      assert.equal(flat.filter((g) => g.expandable).length, expected.nestedGrants.size);
      assert.equal(full.length, flat.length + expected.derived.size);
    } finally {
      child?.kill('SIGKILL');
      await c1.close();
    }
  });
});
