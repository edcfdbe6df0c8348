import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { runCli } from '../support/run-cli.js';
import { closedPort } from '../support/closed-port.js';
import { FakeC1 } from '../support/fake-c1.js';
import { sampleTenant, SAMPLE_CREDENTIALS, XmattersSimulator } from '../../src/simulator/index.js';

// The built CLI ends on its own: nothing it opened (simulator server, keep-alive sockets, the write
// worker, timers, signal handlers, the health server) holds the event loop after the command is done,
// and main.ts forces no exit. Each case bounds the time from "done" to the process being gone.

/** Longest time from the command's last output (or SIGTERM) to the process being gone. */
const EXIT_WITHIN_MS = 5_000;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'e2e-process-exit-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI and records when its output last grew, so the caller can bound the quiet tail. */
async function runTimed(args: string[], env: Record<string, string>, onSpawn?: (c: ChildProcess) => void) {
  let lastOutputAt = Date.now();
  const result = await runCli(args, {
    cwd: dir,
    env,
    timeoutMs: 60_000,
    onSpawn: (child) => {
      const touch = () => (lastOutputAt = Date.now());
      child.stdout?.on('data', touch);
      child.stderr?.on('data', touch);
      onSpawn?.(child);
    },
  });
  return { ...result, quietMs: Date.now() - lastOutputAt };
}

describe('the built CLI exits on its own, promptly, with the right code', () => {
  test('demo: 0, shortly after its summary', async () => {
    const r = await runTimed(['demo', '--file', join(dir, 'demo.c1z')], {});
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.signal, null);
    assert.match(r.stderr, /Look inside/);
    assert.ok(r.quietMs < EXIT_WITHIN_MS, `exited ${r.quietMs} ms after its last output`);
  });

  test('a failed sync (xMatters unreachable): 14, shortly after the error', async () => {
    const port = await closedPort();
    const r = await runTimed(
      [
        '--base-url',
        `http://127.0.0.1:${port}/api/xm/1`,
        '--username',
        'ann',
        '--password',
        'not-a-real-password',
        '--max-attempts',
        '1',
        '--file',
        join(dir, 'failed.c1z'),
      ],
      {},
    );
    assert.equal(r.code, 14, r.stderr);
    assert.equal(r.signal, null);
    assert.ok(r.quietMs < EXIT_WITHIN_MS, `exited ${r.quietMs} ms after its last output`);
  });

  test('service mode with the health server: 0, shortly after SIGTERM', async () => {
    const sim = await XmattersSimulator.start({ tenant: sampleTenant() });
    const c1 = await FakeC1.start({ tasks: [] });
    let child: ChildProcess | undefined;
    try {
      const caFile = join(dir, 'ca.pem');
      writeFileSync(caFile, c1.ca);
      let killedAt = 0;
      const run = runCli(['--health-check', '--health-check-port', String(await closedPort())], {
        cwd: dir,
        env: {
          BATON_CLIENT_ID: c1.clientId,
          BATON_CLIENT_SECRET: c1.clientSecret,
          BATON_C1_API_HOST: c1.host,
          NODE_EXTRA_CA_CERTS: caFile,
          BATON_BASE_URL: sim.baseUrl,
          BATON_USERNAME: SAMPLE_CREDENTIALS.username,
          BATON_PASSWORD: SAMPLE_CREDENTIALS.password,
          BATON_LOG_FORMAT: 'json',
          BATON_C1Z_TEMP_DIR: dir,
        },
        timeoutMs: 60_000,
        onSpawn: (c) => (child = c),
      });
      // Polling for tasks: token, Hello and GetTask sockets are open, the health server listens.
      await c1.waitFor(() => c1.callsOf('getTask').length >= 1, 'the first GetTask');
      killedAt = Date.now();
      child!.kill('SIGTERM');
      const r = await run;
      const exitMs = Date.now() - killedAt;
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.signal, null);
      assert.ok(exitMs < EXIT_WITHIN_MS, `exited ${exitMs} ms after SIGTERM`);
    } finally {
      child?.kill('SIGKILL');
      await c1.close();
      await sim.close();
    }
  });
});
