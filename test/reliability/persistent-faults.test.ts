// Scenario 2, persistent faults: the API is down or keeps failing. The sync must give up within the
// configured attempts and waits, exit 14 with a message naming the request, the number of attempts and
// the cause, and leave the previous sync.c1z byte-identical.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { closedPort } from '../support/closed-port.js';
import { expectedContent } from '../support/expected-content.js';
import { namesIn, readSynced, sha256 } from '../support/reliability-content.js';
import {
  assertReadOnlySync,
  faultsInjected,
  fileFigures,
  note,
  relFile,
  relTenant,
  resetSim,
  runRel,
  syncSetup,
} from '../support/reliability-harness.js';
import type { SimFaults } from '../../src/simulator/index.js';

const tenant = relTenant();
const expected = expectedContent(tenant);
const rel = relFile('persistent', { tenant, previous: true });
const { scratch, withPrevious } = rel;

// The limits every case sets explicitly; the time bound and the messages below are derived from them.
// Two attempts (one retry) prove the configured count is honoured (it is not the default) while waiting out
// one backoff instead of three; test/xmatters/get-json.test.ts covers the backoff sequence itself.
const ATTEMPTS = 2;
const MAX_WAIT_S = 6;
const TIMEOUT_S = 2;
/** Starting node, validating, the fault-free part of the sync before the fault, exiting: generous. */
const OVERHEAD_S = 10;

interface Case {
  name: string;
  faults?: SimFaults;
  down?: true;
  /** --request-timeout-seconds, when not TIMEOUT_S. */
  timeoutS?: number;
  /** Attempts the failing request gets, when not all ATTEMPTS (a wait it refuses ends it at once). */
  attempts?: number;
  message: RegExp;
}

const CASES: Case[] = [
  { name: 'the API is down (connection refused)', down: true, message: /cannot connect \(ECONNREFUSED\)/ },
  {
    name: 'every request answered 503',
    faults: { rules: [{ action: { type: 'status', status: 503 } }] },
    message: /HTTP 503/,
  },
  {
    name: 'rosters answered 503 forever once the grants phase started',
    faults: { rules: [{ path: '/groups/*/members', skip: 4, action: { type: 'status', status: 503 } }] },
    message: /GET \/api\/xm\/1\/groups\/[^/]+\/members\?.*HTTP 503/,
  },
  {
    name: 'every request throttled with Retry-After: 1',
    faults: { rules: [{ action: { type: 'status', status: 429, retryAfter: 1 } }] },
    message: /HTTP 429.*throttling/,
  },
  {
    name: 'Retry-After of an hour is not waited for',
    faults: { rules: [{ path: '/groups', action: { type: 'status', status: 503, retryAfter: 3600 } }] },
    attempts: 1,
    message: new RegExp(`would pass the ${MAX_WAIT_S * 1000} ms wait limit`),
  },
  {
    name: 'the API hangs (every response slower than the timeout)',
    faults: { rules: [{ path: '/people', skip: 1, action: { type: 'delay', ms: 30_000 } }] },
    timeoutS: 1,
    message: /No complete response arrived within 1000 ms/,
  },
  {
    name: 'every connection reset',
    faults: { rules: [{ path: '/groups/**', action: { type: 'reset' } }] },
    message: /connection reset/,
  },
];

describe('2. persistent faults: bounded, exit 14, says what failed, previous file byte-identical', () => {
  for (const c of CASES) {
    test(c.name, async (t) => {
      resetSim(rel.sim);
      rel.sim.setFaults(c.faults ?? {});
      const d = withPrevious(c.name);
      const baseUrl = c.down ? `http://127.0.0.1:${await closedPort()}/api/xm/1` : rel.sim.baseUrl;
      const timeoutS = c.timeoutS ?? TIMEOUT_S;
      const attempts = c.attempts ?? ATTEMPTS;
      const { args, env } = syncSetup(baseUrl, d, [
        '--max-attempts',
        String(ATTEMPTS),
        '--max-retry-wait-seconds',
        String(MAX_WAIT_S),
        '--request-timeout-seconds',
        String(timeoutS),
      ]);
      // Bounded: every attempt of the failing request timing out, plus every wait allowed between them,
      // plus the overhead of a run. Requests in flight beside it fail within the same window.
      const boundMs = (ATTEMPTS * timeoutS + MAX_WAIT_S + OVERHEAD_S) * 1000;
      const started = performance.now();
      const run = await runRel(args, { cwd: d.out, env, scan: [d.out, d.tmp], timeoutMs: boundMs + 20_000 });
      const wallMs = performance.now() - started;
      const injected = c.down ? ATTEMPTS : faultsInjected(rel.sim);
      rel.sim.setFaults({});
      assert.equal(run.signal, null, 'the sync stopped by itself');
      assert.ok(wallMs < boundMs, `gave up after ${Math.round(wallMs)} ms; the bound is ${boundMs} ms`);
      assert.equal(run.code, 14, run.stderr.slice(-2000));
      assert.ok(run.error, 'an error line is logged');
      const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
      assert.match(run.error, new RegExp(`^error: GET /api/xm/1/\\S+ failed after ${tries} \\(`));
      assert.match(run.error, c.message);
      assert.match(run.error, /check|raise|lower|try again/i, 'the message says what to do');
      assert.equal(sha256(d.file), d.hash, 'the previous file is byte-identical');
      assert.deepEqual(namesIn(d.out), ['sync.c1z'], 'no temp file next to the output');
      note(t, { faults: injected, runs: 1, wallMs: Math.round(wallMs), boundMs });
    });
  }

  test('after a persistent failure the kept working dir is private and the next run resumes', async (t) => {
    resetSim(rel.sim);
    rel.sim.setFaults({
      rules: [{ path: '/groups/*/members', skip: 6, action: { type: 'status', status: 502 } }],
    });
    const d = withPrevious('resume');
    const { args, env } = syncSetup(rel.sim.baseUrl, d, ['--max-attempts', '2']);
    const failed = await runRel(args, { cwd: d.out, env, scan: [d.out, d.tmp] });
    const injected = faultsInjected(rel.sim);
    rel.sim.setFaults({});
    assert.equal(failed.code, 14, failed.stderr.slice(-2000));
    assert.equal(sha256(d.file), d.hash);
    const [work] = namesIn(d.tmp);
    assert.match(work ?? '', /^baton-c1z-[0-9a-f]{16}$/, 'the working directory is kept for the resume');
    assert.equal(statSync(join(d.tmp, work!)).mode & 0o777, 0o700, 'and only its owner can read it');
    const resumed = await runRel(args, { cwd: d.out, env, scan: [d.out, d.tmp] });
    assert.equal(resumed.code, 0, resumed.stderr.slice(-2000));
    assert.equal(resumed.details?.resumed, true);
    const content = readSynced(d.file);
    assert.deepEqual(content.resources, expected.resources);
    assert.deepEqual(content.grants, expected.grants);
    assert.equal(content.syncCount, 2, 'the previous sync is kept next to the new one');
    assert.deepEqual(namesIn(d.tmp), [], 'the working directory is removed after success');
    note(t, { faults: injected, runs: 2 });
  });

  test('8. read-only: a sync sends only GET requests (checked on its own simulator)', async (t) => {
    const { requests } = await assertReadOnlySync(tenant, scratch);
    note(t, { runs: 1, requests });
    t.diagnostic(fileFigures());
  });
});
