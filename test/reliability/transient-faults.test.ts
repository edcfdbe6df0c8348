// Scenario 1, transient faults: throttling storms, random 5xx, responses slower than the timeout and
// connection resets. Each sync must exit 0 with exactly the content of a fault-free run, honour every
// wait, and never have more requests in flight than --request-concurrency.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expectedContent } from '../support/expected-content.js';
import { contentOf, namesIn, readSynced, type SyncedContent } from '../support/reliability-content.js';
import {
  assertReadOnlySync,
  faultsInjected,
  fileFigures,
  note,
  resetSim,
  relTenant,
  runRel,
  Scratch,
  startRelSim,
  stopRelSims,
  syncSetup,
  type RelRun,
} from '../support/reliability-harness.js';
import type { SimFaults, XmattersSimulator } from '../../src/simulator/index.js';

const CONCURRENCY = 4;
const tenant = relTenant();
const expected = expectedContent(tenant);
const scratch = new Scratch('transient');
let sim: XmattersSimulator;
let baseline: SyncedContent;

async function sync(
  name: string,
  extra: readonly string[] = [],
): Promise<{ run: RelRun; content: SyncedContent }> {
  const d = scratch.dirs(name);
  const { args, env } = syncSetup(sim.baseUrl, d, ['--request-concurrency', String(CONCURRENCY), ...extra]);
  const run = await runRel(args, { cwd: d.out, env, scan: [d.out, d.tmp] });
  assert.equal(run.code, 0, run.stderr.slice(-3000));
  // A finished sync leaves nothing behind: no <file>.tmp, no working directory.
  assert.deepEqual(namesIn(d.out), ['sync.c1z']);
  assert.deepEqual(namesIn(d.tmp), []);
  return { run, content: readSynced(d.file) };
}

/** Every retry waited at least what the client decided (Retry-After or backoff) before the next attempt. */
function assertWaitsHonoured(run: RelRun): { retries: number; minServerWaitMs: number } {
  const arrivals = new Map<string, number[]>();
  for (const r of sim.requests()) {
    const list = arrivals.get(r.url) ?? [];
    list.push(r.at ?? Number.NaN);
    arrivals.set(r.url, list);
  }
  const retries = run.logs.filter((l) => l.msg === 'retrying xMatters request');
  let minServerWaitMs = Infinity;
  for (const r of retries) {
    const path = String(r.path);
    const attempt = Number(r.attempt);
    const waitMs = Number(r.waitMs);
    const times = arrivals.get(path) ?? [];
    const failed = times[attempt - 1];
    const next = times[attempt];
    assert.ok(
      failed !== undefined && next !== undefined,
      `attempts ${attempt} and ${attempt + 1} of ${path}`,
    );
    // Timers may fire a millisecond early; anything shorter than the wait was not a wait.
    assert.ok(
      next - failed >= waitMs - 2,
      `${path}: retried after ${next - failed} ms, wait was ${waitMs} ms`,
    );
    if (r.reason === 'http-429') minServerWaitMs = Math.min(minServerWaitMs, waitMs);
  }
  return { retries: retries.length, minServerWaitMs };
}

function assertLimiterRespected(run: RelRun, timeouts = false): void {
  const stats = sim.stats();
  // A request the client gave up on (timeout) may still look in flight to the server for the moment its
  // socket takes to close, so with timeouts the server may briefly count one abandoned request more.
  const slack = timeouts ? (stats.faults.delay ?? 0) : 0;
  assert.ok(
    stats.maxConcurrency <= CONCURRENCY + slack,
    `${stats.maxConcurrency} requests in flight at once`,
  );
  const summary = run.logs.find((l) => l.msg === 'xMatters client summary');
  assert.ok(summary, 'the client logs its summary at debug level');
  assert.ok(Number(summary.maxInFlightSeen) <= CONCURRENCY);
}

before(async () => {
  sim = await startRelSim(structuredClone(tenant), { faults: { latencyMs: 5 } });
  baseline = (await sync('baseline')).content;
  // The client does run requests in parallel: the bound below is not met by accident.
  assert.ok(sim.stats().maxConcurrency >= 2, `max in flight ${sim.stats().maxConcurrency}`);
  assert.deepEqual(baseline.resources, expected.resources);
  assert.deepEqual(baseline.entitlements, expected.entitlements);
  assert.deepEqual(baseline.grants, expected.grants);
  // The comparisons below cover every row's decoded data, not just ids: the baseline holds each user's
  // name, status and profile, and one changed value anywhere makes two contents differ.
  for (const p of tenant.people) {
    const data = baseline.rows.resources[`user:${p.id}`]?.data as
      { displayName?: string; status?: { status?: string }; profile?: Record<string, unknown> } | undefined;
    assert.equal(data?.profile?.target_name, p.targetName);
    assert.equal(data?.displayName, `${p.firstName} ${p.lastName}`);
    assert.equal(
      data?.status?.status,
      p.status === 'ACTIVE' ? 'RESOURCE_STATUS_ENABLED' : 'RESOURCE_STATUS_DISABLED',
    );
  }
  const corrupted = structuredClone(baseline);
  const someGrant = Object.values(corrupted.rows.grants)[0]!;
  someGrant.data = { ...(someGrant.data as object), id: 'corrupted' };
  assert.notDeepEqual(contentOf(corrupted), contentOf(baseline));
});

after(async () => {
  await stopRelSims();
  scratch.remove();
});

const CASES: { name: string; faults: SimFaults; extra?: string[]; retryAfterMs?: number }[] = [
  {
    name: '429 storm with Retry-After',
    faults: {
      rules: [{ skip: 2, every: 3, times: 8, action: { type: 'status', status: 429, retryAfter: 1 } }],
    },
    retryAfterMs: 1000,
  },
  {
    name: '429 storm without Retry-After',
    faults: { rules: [{ skip: 1, every: 2, times: 12, action: { type: 'status', status: 429 } }] },
  },
  {
    name: 'concurrency cap and token-bucket rate limit answered with 429',
    faults: {
      latencyMs: 10,
      concurrencyLimit: { max: 2 },
      rateLimit: { perSecond: 25, burst: 6, retryAfter: true, rateLimitHeaders: true },
    },
  },
  {
    name: '8% random 500/502/503/504',
    faults: {
      seed: 5,
      rules: [{ probability: 0.08, action: { type: 'status', status: [500, 502, 503, 504] } }],
    },
  },
  {
    name: 'responses slower than the request timeout',
    faults: {
      rules: [{ path: '/groups/*/members', every: 4, times: 3, action: { type: 'delay', ms: 1600 } }],
    },
    extra: ['--request-timeout-seconds', '1'],
  },
  {
    name: 'connection resets',
    faults: { rules: [{ skip: 1, every: 4, times: 6, action: { type: 'reset' } }] },
  },
  {
    name: 'everything at once (5xx, HTML 503, resets, 429, a slow page)',
    faults: {
      seed: 9,
      rules: [
        { probability: 0.05, action: { type: 'status', status: [500, 502, 503, 504] } },
        { path: '/people', skip: 2, times: 1, action: { type: 'status', status: 503, body: 'html' } },
        { skip: 3, every: 7, times: 3, action: { type: 'reset' } },
        { skip: 4, every: 6, times: 3, action: { type: 'status', status: 429 } },
        { path: '/groups', times: 1, action: { type: 'delay', ms: 1300 } },
      ],
    },
    extra: ['--request-timeout-seconds', '1'],
  },
];

describe('1. transient faults: exit 0 and the content of a fault-free run', () => {
  for (const c of CASES) {
    test(c.name, async (t) => {
      resetSim(sim);
      // A little latency makes requests overlap, so the in-flight bound is really exercised.
      sim.setFaults({ latencyMs: 5, ...c.faults });
      const { run, content } = await sync(c.name, c.extra);
      const injected = faultsInjected(sim);
      sim.setFaults({});
      assert.ok(injected > 0, 'the faults fired');
      assert.deepEqual(contentOf(content), contentOf(baseline));
      // Every failed attempt was retried (none gave up), and each retry waited as long as it should.
      const stats = sim.stats();
      const failedAttempts = stats.requests - (stats.byStatus['200'] ?? 0);
      assert.ok(failedAttempts > 0);
      assert.equal(run.details?.retries, failedAttempts, JSON.stringify(stats.byStatus));
      const { retries, minServerWaitMs } = assertWaitsHonoured(run);
      assert.equal(retries, failedAttempts);
      if (c.retryAfterMs !== undefined) assert.ok(minServerWaitMs >= c.retryAfterMs, 'Retry-After honoured');
      assertLimiterRespected(run, c.extra?.includes('--request-timeout-seconds'));
      note(t, { faults: injected, runs: 1 });
    });
  }

  test('throttling lowers the effective concurrency (adaptive limiter)', async (t) => {
    resetSim(sim);
    sim.setFaults({ latencyMs: 15, concurrencyLimit: { max: 1 } });
    const { run, content } = await sync('adaptive');
    const injected = faultsInjected(sim);
    sim.setFaults({});
    const summary = run.logs.find((l) => l.msg === 'xMatters client summary');
    assert.ok(injected > 0);
    assert.ok(Number(summary?.lowestConcurrencyLimit) < CONCURRENCY, JSON.stringify(summary));
    assert.deepEqual(contentOf(content), contentOf(baseline));
    assertLimiterRespected(run);
    note(t, { faults: injected, runs: 1 });
  });

  test('8. read-only: a sync sends only GET requests (checked on its own simulator)', async (t) => {
    const { requests } = await assertReadOnlySync(tenant, scratch);
    note(t, { runs: 1, requests });
    t.diagnostic(fileFigures());
  });
});
