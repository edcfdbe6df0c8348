// Benchmark of the review commands on a synthetic tenant of the large benchmark's size: writes two full
// syncs (people, groups, roles, memberships, supervisors, role holders; the second with some changes)
// into one c1z, then times the built CLI's `report` and `diff` on it and prints the figures.
// Usage: npm run bench:report [people] (default 100000; groups = people / 10).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { C1zStore } from '../src/baton/c1z/index.js';
import { UserTrait_Status_Status } from '../src/baton/gen/c1/connector/v2/annotation_trait_pb.js';
import type { Grant } from '../src/baton/gen/c1/connector/v2/grant_pb.js';
import type { Resource } from '../src/baton/gen/c1/connector/v2/resource_pb.js';
import {
  newAssignmentEntitlement,
  newGrant,
  newGroupResource,
  newPermissionEntitlement,
  newRoleResource,
  newUserResource,
} from '../src/baton/model/index.js';
import { groupType, roleType, userType } from '../test/support/review-tenant.js';

const people = Number(process.argv[2] ?? 100_000);
const groups = Math.max(1, Math.floor(people / 10));
const ROLES = ['Company Supervisor', 'Full Access User', 'Group Supervisor', 'Developer', 'Standard User'];
const BATCH = 5_000;

/** A deterministic pseudo-random sequence (the same tenant every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

async function writeSync(file: string, dir: string, second: boolean, at: Date): Promise<number> {
  const rand = rng(42);
  const store = await C1zStore.open(file, { tmpDir: dir, now: () => at });
  store.startSync('full');
  store.putResourceTypes([userType, groupType, roleType]);
  const users: Resource[] = [];
  // By person number, so that both syncs draw the same memberships; undefined: gone in this sync.
  const byNumber: (Resource | undefined)[] = [];
  for (let i = 0; i < people; i++) {
    // The second sync: 0.5 % of people gone, 0.5 % new, 0.5 % deactivated.
    if (second && i % 200 === 0) {
      byNumber.push(undefined);
      continue;
    }
    const inactive = i % 33 === 0 || (second && i % 200 === 1);
    const user = newUserResource(
      `Person ${i} ${['Smith', 'Jones', 'Garcia', 'Chen', 'Kumar'][i % 5]}`,
      userType,
      `p${i}`,
      {
        login: `person${i}`,
        status: inactive ? UserTrait_Status_Status.DISABLED : UserTrait_Status_Status.ENABLED,
        profile: { login: `person${i}`, time_zone: 'Europe/Paris' },
      },
    );
    users.push(user);
    byNumber.push(user);
  }
  if (second) {
    for (let i = 0; i < people / 200; i++)
      users.push(newUserResource(`New Person ${i}`, userType, `n${i}`, { login: `new${i}` }));
  }
  for (let i = 0; i < users.length; i += BATCH) store.putResources(users.slice(i, i + BATCH));
  const roles = ROLES.map((name, i) => newRoleResource(name, roleType, `r${i}`));
  const gs = Array.from({ length: groups }, (_, g) => newGroupResource(`Group ${g}`, groupType, `g${g}`));
  store.putResources([...roles, ...gs]);
  store.putEntitlements([
    ...roles.map((r) => newAssignmentEntitlement(r, 'assigned', { displayName: `${r.displayName} Role` })),
    ...gs.map((g) => newAssignmentEntitlement(g, 'member', { displayName: `${g.displayName} Group Member` })),
    ...gs.map((g) =>
      newPermissionEntitlement(g, 'supervisor', { displayName: `${g.displayName} Group Supervisor` }),
    ),
  ]);
  let grants = 0;
  let batch: Grant[] = [];
  const put = (g: Grant) => {
    batch.push(g);
    grants++;
    if (batch.length >= BATCH) {
      store.putGrants(batch);
      batch = [];
    }
  };
  // The same draws in both syncs; a person gone in this sync loses those grants.
  const pick = () => byNumber[Math.floor(rand() * people)];
  // Memberships: about 7 per person on average, 1 to ~140 per group.
  for (const g of gs) {
    const size = 1 + Math.floor(rand() * rand() * 280);
    const seen = new Set<Resource>();
    for (let k = 0; k < size; k++) {
      const u = pick();
      if (u !== undefined) seen.add(u);
    }
    for (const u of seen) put(newGrant(g, 'member', u.id!));
    // Most groups have 1–3 supervisors; every 20th has none.
    if (Number(g.id!.resource.slice(1)) % 20 !== 0) {
      const sup = new Set([pick(), pick()].slice(0, 1 + Math.floor(rand() * 2)));
      for (const u of sup) if (u !== undefined) put(newGrant(g, 'supervisor', u.id!));
    }
  }
  // Roles: everyone is a Standard User; a few hold the others.
  users.forEach((u, i) => {
    put(newGrant(roles[4]!, 'assigned', u.id!));
    if (i % 997 === 0) put(newGrant(roles[0]!, 'assigned', u.id!));
    if (i % 211 === 0) put(newGrant(roles[1]!, 'assigned', u.id!));
    if (i % 101 === 0) put(newGrant(roles[2]!, 'assigned', u.id!));
    if (i % 53 === 0) put(newGrant(roles[3]!, 'assigned', u.id!));
  });
  if (batch.length > 0) store.putGrants(batch);
  await store.endSync();
  await store.cleanup();
  await store.close();
  return grants;
}

/** Wall and CPU seconds (user + system: the machine may be shared) and peak RSS of one CLI run. */
function timed(
  args: string[],
  cwd: string,
): { seconds: number; cpuSeconds: number; stdout: string; rssMb: number } {
  const start = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', process.execPath, 'dist/main.js', ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
    env: { ...process.env, BATON_LOG_FORMAT: 'console' },
  });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const [user = NaN, sys = NaN, rssKb = NaN] = (r.stderr.trim().split('\n').at(-1) ?? '')
    .split(' ')
    .map(Number);
  return {
    seconds: (performance.now() - start) / 1000,
    cpuSeconds: user + sys,
    stdout: r.stdout,
    rssMb: Math.round(rssKb / 1024),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'baton-report-bench-'));
try {
  const file = join(dir, 'large.c1z');
  const t0 = performance.now();
  const g1 = await writeSync(file, dir, false, new Date('2026-01-10T10:00:00Z'));
  const g2 = await writeSync(file, dir, true, new Date('2026-01-11T10:00:00Z'));
  const writeSeconds = (performance.now() - t0) / 1000;
  const cwd = process.cwd();
  const out = join(dir, 'access-report.html');
  const report = timed(['report', '--file', file, '--out', out, '--c1z-temp-dir', dir], cwd);
  const diff = timed(['diff', '--file', file, '-o', 'json', '--c1z-temp-dir', dir], cwd);
  const figures = {
    people,
    groups,
    grants_first_sync: g1,
    grants_second_sync: g2,
    c1z_mb: +(statSync(file).size / 2 ** 20).toFixed(1),
    write_two_syncs_s: +writeSeconds.toFixed(1),
    report_wall_s: +report.seconds.toFixed(1),
    report_cpu_s: +report.cpuSeconds.toFixed(1),
    report_peak_rss_mb: report.rssMb,
    report_html_mb: +(statSync(out).size / 2 ** 20).toFixed(1),
    diff_json_wall_s: +diff.seconds.toFixed(1),
    diff_json_cpu_s: +diff.cpuSeconds.toFixed(1),
    diff_peak_rss_mb: diff.rssMb,
    diff_json_mb: +(Buffer.byteLength(diff.stdout) / 2 ** 20).toFixed(1),
    load_average_1min: +loadavg()[0]!.toFixed(2),
  };
  console.log(JSON.stringify(figures));
  if (process.env.REPORT_BENCH_KEEP) {
    // Keep the page for a look in the browser (the directory is left behind).
    console.log(`kept ${out}`);
  }
} finally {
  if (!process.env.REPORT_BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
}
