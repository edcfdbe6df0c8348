// Resuming an interrupted sync, through the built CLI against the simulator: a resume happens only for the
// same xMatters instance and account (issue 10, defect 4), and the summary of a resumed sync describes the
// whole sync, not only the run that finished it (defect 5).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openC1zDb, syncContent } from '../support/open-c1z-db.js';
import { runCli, type CliResult } from '../support/run-cli.js';
import { expectedContent } from '../support/expected-content.js';
import { memberRefType } from '../../src/simulator/member-ref.js';
import {
  generateTenant,
  GENERATED_CREDENTIALS,
  XmattersSimulator,
  type Tenant,
} from '../../src/simulator/index.js';

const [user, apiKey] = GENERATED_CREDENTIALS;
// Many non-person members, so that both runs of an interrupted sync skip some.
const tenantA = generateTenant({
  seed: 7,
  people: 120,
  groups: 30,
  avgMembersPerGroup: 12,
  emptyGroupRatio: 0,
  nestedGroupRatio: 0.5,
  deviceMemberRatio: 0.5,
  dynamicTeamMemberRatio: 0.5,
});
const tenantB = generateTenant({ seed: 9, people: 90, groups: 20, avgMembersPerGroup: 10 });
const expectedB = expectedContent(tenantB);
let simA: XmattersSimulator;
let simB: XmattersSimulator;
let root: string;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'e2e-resume-'));
  simA = await XmattersSimulator.start({ tenant: structuredClone(tenantA) });
  simB = await XmattersSimulator.start({ tenant: structuredClone(tenantB) });
});
after(async () => {
  await Promise.all([simA.close(), simB.close()]);
  rmSync(root, { recursive: true, force: true });
});

interface LogLine {
  level: number | string;
  msg: string;
  [key: string]: unknown;
}

const logsOf = (r: CliResult): LogLine[] =>
  r.stderr.split('\n').flatMap((l) => {
    try {
      return l.startsWith('{') ? [JSON.parse(l) as LogLine] : [];
    } catch {
      return [];
    }
  });

/** Fresh output and temp directories for one test. */
function dirs(name: string): { file: string; tmp: string; cwd: string } {
  const cwd = join(root, name);
  const tmp = join(cwd, 'tmp');
  mkdirSync(tmp, { recursive: true });
  return { file: join(cwd, 'sync.c1z'), tmp, cwd };
}

function run(
  sim: XmattersSimulator | string,
  cred: { username: string; password: string },
  d: { file: string; tmp: string; cwd: string },
  extra: string[] = [],
): Promise<CliResult> {
  return runCli(['--file', d.file, '--c1z-temp-dir', d.tmp, '--output', 'json', ...extra], {
    cwd: d.cwd,
    env: {
      BATON_BASE_URL: typeof sim === 'string' ? sim : sim.baseUrl,
      BATON_USERNAME: cred.username,
      BATON_PASSWORD: cred.password,
      BATON_LOG_FORMAT: 'json',
    },
  });
}

/** A first run that fails in the grants phase after 10 rosters, leaving an unfinished sync to resume. */
async function interruptedRun(
  sim: XmattersSimulator,
  cred: { username: string; password: string },
  d: { file: string; tmp: string; cwd: string },
  rules: { path: string; times?: number; skip?: number; action: { type: 'status'; status: number } }[] = [],
): Promise<CliResult> {
  sim.setFaults({
    rules: [...rules, { path: '/groups/*/members', skip: 10, action: { type: 'status', status: 503 } }],
  });
  try {
    const first = await run(sim, cred, d, ['--max-attempts', '1']);
    assert.equal(first.code, 14, first.stderr.slice(-2000));
    assert.equal(readdirSync(d.tmp).length, 1, 'the working directory is kept for a resume');
    return first;
  } finally {
    sim.setFaults({});
  }
}

const discardLine = (r: CliResult): LogLine | undefined =>
  logsOf(r).find((l) => /another xMatters instance or account/.test(l.msg));

describe('an interrupted sync resumes only for the same instance and account', () => {
  test('another base URL: the unfinished sync is discarded with an info line and a fresh sync runs', async () => {
    const d = dirs('other-url');
    await interruptedRun(simA, user!, d);
    const second = await run(simB, user!, d);
    assert.equal(second.code, 0, second.stderr.slice(-2000));
    const details = JSON.parse(second.stdout) as { resumed: boolean; users: { total: number } };
    assert.equal(details.resumed, false, 'not resumed');
    const line = discardLine(second);
    assert.ok(line, `an info line says the unfinished sync was discarded:\n${second.stderr.slice(-3000)}`);
    assert.equal(line.level, 'info', 'at info level');
    assert.equal(details.users.total, tenantB.people.length);
    const { db, close } = openC1zDb(d.file);
    try {
      const syncs = db.prepare('select sync_id from v1_sync_runs').pluck().all() as string[];
      assert.equal(syncs.length, 1, 'only the fresh sync is in the file: nothing of the discarded one');
      const content = syncContent(db, syncs[0]!);
      assert.deepEqual(content.resources, expectedB.resources, "only instance B's people and groups");
      assert.deepEqual(content.grants, expectedB.grants);
      const total = db.prepare('select count(*) from v1_resources').pluck().get() as number;
      assert.equal(total, expectedB.resources.length, 'no row of instance A anywhere in the file');
    } finally {
      close();
    }
  });

  test('another user name on the same instance: discarded, a fresh sync runs', async () => {
    const d = dirs('other-user');
    await interruptedRun(simA, user!, d);
    simA.resetStats();
    const second = await run(simA, apiKey!, d);
    assert.equal(second.code, 0, second.stderr.slice(-2000));
    assert.equal((JSON.parse(second.stdout) as { resumed: boolean }).resumed, false);
    assert.ok(discardLine(second), second.stderr.slice(-3000));
    // A fresh sync reads every roster again (plus the one roster entry the access check reads).
    assert.equal(simA.stats().byRoute['GET /groups/{id}/members'], tenantA.groups.length + 1);
    // The secret never reaches the working directory or the logs: only a hash of URL and user name is kept.
    assert.ok(!second.stderr.includes(apiKey!.password) && !second.stderr.includes(user!.password));
  });

  test('the same instance and account (base URL written differently) still resumes', async () => {
    const d = dirs('same');
    await interruptedRun(simA, user!, d);
    const second = await run(`${simA.baseUrl}/`, user!, d);
    assert.equal(second.code, 0, second.stderr.slice(-2000));
    assert.equal((JSON.parse(second.stdout) as { resumed: boolean }).resumed, true);
    assert.equal(discardLine(second), undefined);
  });
});

/** Members of each group that are not people, by kind, as the summary counts them. */
function skippedByGroup(
  tenant: Tenant,
): Map<string, { group: number; device: number; dynamic_team: number }> {
  const out = new Map<string, { group: number; device: number; dynamic_team: number }>();
  for (const g of tenant.groups) {
    const counts = { group: 0, device: 0, dynamic_team: 0 };
    for (const ref of g.members) {
      const type = memberRefType(ref);
      if (type === 'GROUP') counts.group += 1;
      else if (type === 'DEVICE') counts.device += 1;
      else if (type === 'DYNAMIC_TEAM') counts.dynamic_team += 1;
    }
    out.set(g.id, counts);
  }
  return out;
}

/**
 * The requests of both runs, as the simulator counted them. The connector counts a request when it sends
 * it, so the requests the failing run cancelled in flight (up to --request-concurrency) may be counted by
 * it and not by the simulator.
 */
function assertBothRuns(reported: number, served: number): void {
  assert.ok(reported >= served && reported <= served + 5, `${reported} requests reported, ${served} served`);
}

describe('the summary of a resumed sync describes the whole sync', () => {
  for (const output of ['json', 'console'] as const) {
    test(`skipped members, warnings and requests of the interrupted run are counted (--output ${output})`, async () => {
      const d = dirs(`tallies-${output}`);
      simA.resetStats();
      // The sync's first roster answers 404 (a group deleted mid-sync: a warning), the 11th and later 503.
      // The access check's roster read comes first and is let through.
      const first = await interruptedRun(simA, user!, d, [
        { path: '/groups/*/members', skip: 1, times: 1, action: { type: 'status', status: 404 } },
      ]);
      const firstRequests = simA.stats().requests;
      const warned = logsOf(first).filter((l) => l.kind === 'group-not-found');
      assert.equal(warned.length, 1, first.stderr.slice(-2000));
      const goneId = tenantA.groups.find((g) => warned[0]!.msg.includes(`(${g.id})`))?.id;
      assert.ok(goneId, warned[0]!.msg);
      const expected = { group: 0, device: 0, dynamic_team: 0 };
      for (const [id, c] of skippedByGroup(tenantA)) {
        if (id === goneId) continue;
        expected.group += c.group;
        expected.device += c.device;
        expected.dynamic_team += c.dynamic_team;
      }

      simA.resetStats();
      const second = await run(simA, user!, d, ['--output', output]);
      assert.equal(second.code, 0, second.stderr.slice(-2000));
      const secondRequests = simA.stats().requests;
      if (output === 'json') {
        const details = JSON.parse(second.stdout) as {
          resumed: boolean;
          skipped_members: typeof expected;
          warnings: number;
          warnings_by_kind: Record<string, number>;
          requests: number;
        };
        assert.equal(details.resumed, true);
        assert.deepEqual(details.skipped_members, expected, 'skipped members of both runs');
        assert.equal(details.warnings, 1, 'the warning of the interrupted run');
        assert.deepEqual(details.warnings_by_kind, { 'group-not-found': 1 });
        assertBothRuns(details.requests, firstRequests + secondRequests);
      } else {
        const summary = second.stderr.slice(second.stderr.indexOf('sync finished'));
        assert.match(summary, /resumed/);
        // Singular or plural: only the figures matter here.
        const skipped = new RegExp(
          `${expected.group} nested groups?, ${expected.device} devices?, ${expected.dynamic_team} dynamic teams?`,
        );
        assert.match(summary, skipped);
        assert.match(summary, /\n {2}warnings +1\n/);
        const requests = /\n {2}requests +([\d,]+)\n/.exec(summary)?.[1];
        assert.ok(requests, summary);
        assertBothRuns(Number(requests.replace(/,/g, '')), firstRequests + secondRequests);
      }
    });
  }
});
