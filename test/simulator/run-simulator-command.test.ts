import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runSimulatorCommand, type XmattersSimulator } from '../../src/simulator/index.js';
import { call, basicAuth } from '../support/simulator-http.js';
import { rejectsWithCode } from '../support/simulator.js';

/** Runs the command until `use` is done with the live simulator, then aborts it; returns what it printed. */
async function runWith(
  opts: Omit<Parameters<typeof runSimulatorCommand>[0], 'stdout' | 'signal' | 'onReady'>,
  use: (sim: XmattersSimulator, printed: string) => Promise<void>,
): Promise<string> {
  let out = '';
  const controller = new AbortController();
  let failure: Error | undefined;
  await runSimulatorCommand({
    ...opts,
    stdout: { write: (s: string) => (out += s) },
    signal: controller.signal,
    onReady: (sim) => {
      use(sim, out)
        .catch((e: unknown) => (failure = e instanceof Error ? e : new Error(String(e))))
        .finally(() => controller.abort());
    },
  });
  if (failure !== undefined) throw failure;
  return out;
}

describe('runSimulatorCommand', () => {
  test('serves the sample tenant and prints the base URL, user name and password until aborted', async () => {
    const out = await runWith({}, async (sim, printed) => {
      assert.ok(printed.includes(`base URL:   ${sim.baseUrl}`));
      const r = await call(sim, '/api/xm/1/people?limit=1', { auth: basicAuth('demo', 'demo-password') });
      assert.equal(r.status, 200);
    });
    assert.match(out, /user name:  demo\n\s+password:   demo-password/);
    assert.match(out, /API key:    x-api-key-/);
    assert.match(out, /built-in sample: 25 people, 8 groups/);
    assert.match(out, /simulator stopped after 1 API requests \(0 non-GET\)/);
  });

  test('generates a tenant with faults from flags', async () => {
    const out = await runWith({ people: 50, groups: 5, seed: 3, latencyMs: 1, errorRate: 1 }, async (sim) => {
      const r = await call(sim, '/api/xm/1/roles', { auth: basicAuth('sim-user', 'sim-password') });
      assert.ok(r.status >= 500);
      assert.equal(sim.faults.latencyMs, 1);
    });
    assert.match(out, /generated, seed 3: 50 people, 5 groups/);
    assert.match(out, /user name:  sim-user/);
  });

  test('loads a tenant file and a faults file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xm-sim-cmd-'));
    try {
      const tenantFile = join(dir, 't.json');
      const faultsFile = join(dir, 'f.json');
      await writeFile(
        tenantFile,
        JSON.stringify({
          people: [{ id: 'p', targetName: 'p' }],
          credentials: [{ username: 'u', password: 'pw' }],
        }),
      );
      await writeFile(faultsFile, JSON.stringify({ rules: [{ action: { type: 'status', status: 418 } }] }));
      const out = await runWith({ tenantFile, faultsFile }, async (sim) => {
        assert.equal((await call(sim, '/api/xm/1/people', { auth: basicAuth('u', 'pw') })).status, 418);
      });
      assert.match(out, /t\.json: 1 people, 0 groups, 0 memberships/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('stops at once when the signal is already aborted', async () => {
    let out = '';
    await runSimulatorCommand({ stdout: { write: (s: string) => (out += s) }, signal: AbortSignal.abort() });
    assert.match(out, /simulator stopped after 0 API requests/);
  });

  const invalid: [string, Partial<Parameters<typeof runSimulatorCommand>[0]>, RegExp][] = [
    [
      'a tenant file together with sizes',
      { tenantFile: 'x.json', people: 3 },
      /either --tenant FILE or --people/,
    ],
    ['a bad port', { port: 70000 }, /--port/],
    ['a negative people count', { people: -1 }, /--people/],
    ['an error rate above 1', { errorRate: 2 }, /--error-rate/],
    ['a negative latency', { latencyMs: -5 }, /--latency-ms/],
    ['a missing faults file', { faultsFile: '/nonexistent/f.json' }, /Cannot read the faults file/],
  ];
  for (const [what, opts, message] of invalid) {
    test(`rejects ${what} with XM_CONFIG`, async () => {
      const e = await rejectsWithCode(
        runSimulatorCommand({ ...opts, stdout: { write: () => true }, signal: AbortSignal.abort() }),
        'XM_CONFIG',
      );
      assert.match(e.message, message);
    });
  }
});
