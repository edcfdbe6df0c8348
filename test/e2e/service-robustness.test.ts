// Service mode through the built CLI when ConductorOne misbehaves (issue 11): transient failures on every
// RPC, cancellation at the first heartbeat, short-lived tokens, and SIGTERM at every stage. Every task
// must end with exactly one FinishTask, and the process must exit 0 within 10 s of SIGTERM.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { GrpcCode } from '../../src/baton/errors.js';
import { generateTenant } from '../../src/simulator/index.js';
import { expectedContent } from '../support/expected-content.js';
import { FakeC1, type FakeC1Options } from '../support/fake-c1.js';
import { finishedSyncs, openC1zDb, syncContent } from '../support/open-c1z-db.js';
import { runCli, type CliResult } from '../support/run-cli.js';
import { runServiceSoak } from '../support/service-soak.js';
import { e2eFile } from '../support/e2e-file.js';

const tenant = generateTenant({ seed: 1, people: 40, groups: 8, avgMembersPerGroup: 5 });
const expected = expectedContent(tenant);

const e2e = e2eFile('e2e-service-robust-', { tenant });

const syncTask = (id: string) => ({ id, taskType: { case: 'syncFull' as const, value: {} } });

interface Running {
  c1: FakeC1;
  tempDir: string;
  child: () => ChildProcess;
  run: Promise<CliResult>;
}

/** The CLI in service mode against a fresh fake ConductorOne, with its own c1z temp dir. */
async function startCli(opts: FakeC1Options, prepare?: (c1: FakeC1) => void): Promise<Running> {
  const c1 = await FakeC1.start(opts);
  prepare?.(c1);
  const tempDir = mkdtempSync(join(e2e.dir, 'temp-'));
  const caFile = join(e2e.dir, `ca-${c1.host.split(':')[1]}.pem`);
  writeFileSync(caFile, c1.ca);
  let child: ChildProcess | undefined;
  const run = runCli([], {
    cwd: e2e.dir,
    env: {
      BATON_CLIENT_ID: c1.clientId,
      BATON_CLIENT_SECRET: c1.clientSecret,
      BATON_C1_API_HOST: c1.host,
      BATON_HOST_ID: 'robust',
      NODE_EXTRA_CA_CERTS: caFile,
      ...e2e.env({ BATON_C1Z_TEMP_DIR: tempDir }),
    },
    timeoutMs: 90_000,
    onSpawn: (c) => (child = c),
  });
  return { c1, tempDir, child: () => child!, run };
}

/** SIGTERM, then the exit: code 0 within 10 s. */
async function terminate(r: Running): Promise<CliResult> {
  const t0 = performance.now();
  r.child().kill('SIGTERM');
  const result = await r.run;
  const ms = performance.now() - t0;
  assert.equal(result.code, 0, result.stderr.slice(-2000));
  assert.ok(ms < 10_000, `the process took ${ms.toFixed(0)} ms to exit after SIGTERM`);
  return result;
}

async function cleanupRun(r: Running): Promise<void> {
  r.child()?.kill('SIGKILL');
  await r.c1.close();
}

function uploadedGrants(bytes: Buffer) {
  const file = join(e2e.dir, 'uploaded.c1z');
  writeFileSync(file, bytes);
  const { db, close } = openC1zDb(file);
  try {
    return syncContent(db, finishedSyncs(db).at(-1)!.sync_id);
  } finally {
    close();
    rmSync(file, { force: true });
  }
}

describe('service mode robustness (built CLI, fake ConductorOne, simulator)', () => {
  test('transient failures of every RPC are retried: the task succeeds and is finished once', async () => {
    const id = 'task0000000000000000transient';
    const r = await startCli({ tasks: [syncTask(id)], nextHeartbeatMs: 1000 }, (c1) => {
      c1.failNext('getTask', 2);
      c1.failNext('heartbeat', 2, { taskId: id });
      c1.failNext('uploadAsset', 1, { taskId: id });
      c1.failNext('finishTask', 2, { taskId: id });
    });
    try {
      await r.c1.waitFor(() => r.c1.finishes(id).length === 1, 'the task to finish', 60_000);
      await terminate(r);
      const [finish] = r.c1.finishes(id);
      assert.equal(finish?.finalState.case, 'success');
      assert.equal(r.c1.finishes(id).length, 1);
      assert.deepEqual(r.c1.injected, { hello: 0, getTask: 2, heartbeat: 2, finishTask: 2, uploadAsset: 1 });
      const content = uploadedGrants(r.c1.uploads[0]!.bytes);
      assert.deepEqual(content.resources, expected.resources);
      assert.deepEqual(content.grants, expected.grants);
      assert.deepEqual(readdirSync(r.tempDir), []);
    } finally {
      await cleanupRun(r);
    }
  });

  test('a task cancelled at its first heartbeat is finished CANCELLED once, without a sync', async () => {
    const id = 'task000000000000000cancelled0';
    const r = await startCli({ tasks: [syncTask(id)] }, (c1) => c1.cancel(id));
    try {
      await r.c1.waitFor(() => r.c1.finishes(id).length === 1, 'the task to finish', 60_000);
      await terminate(r);
      const [finish] = r.c1.finishes(id);
      assert.equal(finish?.status?.code, GrpcCode.CANCELLED);
      assert.match(finish.status?.message ?? '', /cancelled by ConductorOne/);
      assert.equal(r.c1.uploads.length, 0);
      assert.deepEqual(readdirSync(r.tempDir), []);
    } finally {
      await cleanupRun(r);
    }
  });

  test('SIGTERM with GetTask in flight exits 0 at once', async () => {
    const r = await startCli({ delayMs: { getTask: 60_000 } });
    try {
      await r.c1.waitFor(() => r.c1.arrivals('getTask') >= 1, 'a GetTask in flight', 60_000);
      await terminate(r);
    } finally {
      await cleanupRun(r);
    }
  });

  test('SIGTERM while a sync runs finishes it CANCELLED, removes its files and exits 0', async () => {
    const id = 'task00000000000000termsync00';
    e2e.sim.setFaults({ latencyMs: 1000 });
    const r = await startCli({ tasks: [syncTask(id)] });
    try {
      await r.c1.waitFor(() => r.c1.callsOf('heartbeat', id).length >= 1, 'the sync to start', 60_000);
      await terminate(r);
      const [finish] = r.c1.finishes(id);
      assert.equal(finish?.status?.code, GrpcCode.CANCELLED);
      assert.equal(r.c1.finishes(id).length, 1);
      assert.deepEqual(readdirSync(r.tempDir), []);
    } finally {
      e2e.sim.setFaults({});
      await cleanupRun(r);
    }
  });

  test('SIGTERM during the upload finishes the task CANCELLED, removes its files and exits 0', async () => {
    const id = 'task0000000000000termupload0';
    const r = await startCli({ tasks: [syncTask(id)], delayMs: { uploadAsset: 60_000 } });
    try {
      await r.c1.waitFor(() => r.c1.arrivals('uploadAsset', id) >= 1, 'the upload to start', 60_000);
      await terminate(r);
      const [finish] = r.c1.finishes(id);
      assert.equal(finish?.status?.code, GrpcCode.CANCELLED);
      assert.equal(r.c1.finishes(id).length, 1);
      assert.deepEqual(readdirSync(r.tempDir), []);
    } finally {
      await cleanupRun(r);
    }
  });

  test('short soak: 12 tasks, 10 % UNAVAILABLE on every RPC, 2 s tokens, cancellations', async () => {
    const result = await runServiceSoak({
      tasks: 12,
      cancelEvery: 4,
      failureRate: 0.1,
      tokenExpiresIn: 2,
      taskConcurrency: 3,
      people: 40,
      groups: 8,
      seed: 1,
      timeoutMs: 180_000,
      sampleAt: 3,
    });
    assert.deepEqual(result.problems, [], 'every task not cancelled succeeds with the tenant content');
    assert.deepEqual(result.finishCountErrors, [], 'every task is finished exactly once');
    assert.equal(result.expiredTokenCalls, 0, 'no call carries an expired token');
    assert.ok(result.tokenRequests >= 2, 'tokens are refreshed');
    assert.deepEqual(result.tempLeft, []);
    assert.equal(result.exitCode, 0);
  });
});
