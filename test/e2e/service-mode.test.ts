import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { GrpcCode } from '../../src/baton/errors.js';
import { runCli } from '../support/run-cli.js';
import { expectedContent } from '../support/expected-content.js';
import { finishedSyncs, openC1zDb, syncContent } from '../support/open-c1z-db.js';
import { FakeC1 } from '../support/fake-c1.js';
import { generateTenant, GENERATED_CREDENTIALS } from '../../src/simulator/index.js';
import { e2eFile } from '../support/e2e-file.js';

// The built CLI in service mode against a fake ConductorOne (TLS, trusted through NODE_EXTRA_CA_CERTS)
// and the xMatters simulator: what a self-hosted deployment does, end to end.
const tenant = generateTenant({ seed: 7, people: 120, groups: 30, avgMembersPerGroup: 12 });
const expected = expectedContent(tenant);
const cred = GENERATED_CREDENTIALS[0]!;
let caFile: string;

const e2e = e2eFile('e2e-service-', { tenant });

/** The uploaded c1z's newest finished sync: its type and the ids it holds. */
function uploadedContent(bytes: Buffer) {
  const file = join(e2e.dir, 'uploaded.c1z');
  writeFileSync(file, bytes);
  const { db, close } = openC1zDb(file);
  try {
    const last = finishedSyncs(db).at(-1)!;
    return { syncType: last.sync_type, ...syncContent(db, last.sync_id) };
  } finally {
    close();
    rmSync(file, { force: true });
  }
}

/** A TCP port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Fetches `url` until it answers `status` (connection errors count as not yet); the last answer. */
async function fetchUntil(url: string, status: number, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      const body = await res.text();
      last = `${res.status} ${body}`;
      if (res.status === status) return { status: res.status, body: JSON.parse(body) as { status: string } };
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not answer ${status} in time; last: ${last}`);
}

const envFor = (c1: FakeC1, extra: Record<string, string> = {}) => {
  caFile = join(e2e.dir, 'ca.pem');
  writeFileSync(caFile, c1.ca);
  return {
    BATON_CLIENT_ID: c1.clientId,
    BATON_CLIENT_SECRET: c1.clientSecret,
    BATON_C1_API_HOST: c1.host,
    BATON_HOST_ID: 'baton-xmatters-test',
    NODE_EXTRA_CA_CERTS: caFile,
    ...e2e.env({ BATON_C1Z_TEMP_DIR: e2e.dir, ...extra }),
  };
};

describe('service mode (built CLI, fake ConductorOne, simulator)', () => {
  test('says hello, syncs on request, uploads the c1z, refuses an unsupported task, stops on SIGTERM', async () => {
    const c1 = await FakeC1.start({
      tasks: [
        { id: 'task0000000000000000000hello', taskType: { case: 'hello', value: {} } },
        { id: 'task00000000000000000000sync', taskType: { case: 'syncFull', value: {} } },
        { id: 'task0000000000000000000grant', taskType: { case: 'grant', value: {} } },
      ],
    });
    let child: ChildProcess | undefined;
    try {
      const run = runCli([], {
        cwd: e2e.dir,
        env: envFor(c1),
        timeoutMs: 60_000,
        onSpawn: (c) => (child = c),
      });
      await c1.waitFor(
        () => c1.uploads.length === 1 && c1.callsOf('finishTask').length === 2,
        'the sync upload and two finished tasks',
      );
      child!.kill('SIGTERM');
      const r = await run;
      assert.equal(r.code, 0, r.stderr);

      const hello = c1.callsOf('hello')[0]?.hello;
      assert.equal(hello?.connectorMetadata?.displayName, 'xMatters');
      assert.equal(c1.callsOf('hello')[0]?.hostId, 'baton-xmatters-test');
      assert.ok(c1.callsOf('heartbeat', 'task00000000000000000000sync').length >= 1, 'heartbeats arrive');

      const finishes = c1.callsOf('finishTask');
      const sync = finishes.find((f) => f.taskId === 'task00000000000000000000sync');
      assert.equal(sync?.finish?.finalState.case, 'success');
      const grant = finishes.find((f) => f.taskId === 'task0000000000000000000grant');
      assert.equal(grant?.finish?.finalState.case, 'error');
      assert.match(grant?.finish?.status?.message ?? '', /unsupported task type/);

      const upload = c1.uploads[0]!;
      assert.ok(upload.checksumOk);
      const file = join(e2e.dir, 'uploaded.c1z');
      writeFileSync(file, upload.bytes);
      const { db, close } = openC1zDb(file);
      try {
        const [run0] = finishedSyncs(db);
        const content = syncContent(db, run0!.sync_id);
        assert.deepEqual(content.resources, expected.resources);
        assert.deepEqual(content.grants, expected.grants);
      } finally {
        close();
      }
      assert.ok(!r.stderr.includes(c1.clientSecret) && !r.stderr.includes(cred.password), 'no secret logged');
      assert.equal(e2e.sim.stats().nonGetRequests, 0);
    } finally {
      child?.kill('SIGKILL');
      await c1.close();
    }
  });

  test('a task cancelled by ConductorOne stops the running sync, is reported cancelled, leaves no file', async () => {
    // ~1 s per xMatters request: the sync is still listing when the second heartbeat (1 s, the shortest
    // interval the CLI allows) answers `cancelled`.
    e2e.sim.setFaults({ latencyMs: 1000 });
    const taskDir = mkdtempSync(join(tmpdir(), 'e2e-service-cancel-'));
    const id = 'task000000000000000000cancel';
    const c1 = await FakeC1.start({
      tasks: [{ id, taskType: { case: 'syncFull', value: {} } }],
      nextHeartbeatMs: 1000,
    });
    let child: ChildProcess | undefined;
    try {
      const run = runCli([], {
        cwd: e2e.dir,
        env: envFor(c1, { BATON_C1Z_TEMP_DIR: taskDir }),
        timeoutMs: 60_000,
        onSpawn: (c) => (child = c),
      });
      await c1.waitFor(() => c1.callsOf('heartbeat', id).length >= 1, 'the first heartbeat of the sync');
      assert.equal(c1.callsOf('finishTask', id).length, 0, 'the sync is still running');
      assert.ok(readdirSync(taskDir).length > 0, 'the sync works in the temp directory');
      c1.cancel(id);
      await c1.waitFor(() => c1.callsOf('finishTask', id).length === 1, 'the cancelled task to finish');
      child!.kill('SIGTERM');
      const r = await run;
      assert.equal(r.code, 0, r.stderr);

      assert.equal(c1.callsOf('heartbeat', id).at(-1)?.cancelled, true);
      const finish = c1.callsOf('finishTask', id)[0]!.finish!;
      assert.equal(finish.finalState.case, 'error');
      assert.equal(finish.status?.code, GrpcCode.CANCELLED);
      assert.match(finish.status?.message ?? '', /cancelled by ConductorOne/);
      assert.equal(c1.uploads.length, 0, 'nothing is uploaded');
      assert.match(r.stderr, /ConductorOne cancelled the task/);
      assert.deepEqual(readdirSync(taskDir), [], 'the temporary sync file and working directory are removed');
      assert.equal(e2e.sim.stats().nonGetRequests, 0);
    } finally {
      e2e.sim.setFaults({});
      child?.kill('SIGKILL');
      await c1.close();
      rmSync(taskDir, { recursive: true, force: true });
    }
  });

  test('a skip_grants sync task uploads resources and entitlements without grants', async () => {
    const id = 'task0000000000000skipgrants0';
    const c1 = await FakeC1.start({
      tasks: [{ id, taskType: { case: 'syncFull', value: { skipGrants: true } } }],
    });
    const rosterReads = () => e2e.sim.stats().byRoute['GET /groups/{id}/members'] ?? 0;
    const rostersBefore = rosterReads();
    let child: ChildProcess | undefined;
    try {
      const run = runCli([], {
        cwd: e2e.dir,
        env: envFor(c1),
        timeoutMs: 60_000,
        onSpawn: (c) => (child = c),
      });
      await c1.waitFor(() => c1.callsOf('finishTask', id).length === 1, 'the sync task to finish');
      child!.kill('SIGTERM');
      const r = await run;
      assert.equal(r.code, 0, r.stderr);
      assert.equal(c1.callsOf('finishTask', id)[0]?.finish?.finalState.case, 'success');
      assert.equal(c1.uploads.length, 1);
      const content = uploadedContent(c1.uploads[0]!.bytes);
      assert.deepEqual(content.resourceTypes, ['group', 'role', 'user']);
      assert.deepEqual(content.resources, expected.resources);
      assert.deepEqual(content.entitlements, expected.entitlements);
      assert.deepEqual(content.grants, [], 'no grants');
      assert.equal(rosterReads(), rostersBefore, 'no roster is read');
    } finally {
      child?.kill('SIGKILL');
      await c1.close();
    }
  });

  test('well-formed client credentials the token endpoint rejects exit 16 with a clear message', async () => {
    const c1 = await FakeC1.start({ tokenStatus: 401 });
    try {
      const r = await runCli([], { cwd: e2e.dir, env: envFor(c1), timeoutMs: 30_000 });
      assert.equal(r.code, 16, r.stderr);
      assert.match(r.stderr, /ConductorOne rejected the client credentials \(HTTP 401, invalid_client\)/);
      assert.match(r.stderr, /BATON_CLIENT_ID/);
      assert.equal(c1.tokenRequests.length, 1, 'no retry: a rejected credential does not get better');
      assert.equal(c1.calls.length, 0, 'no RPC without a token');
      assert.ok(!r.stderr.includes(c1.clientSecret.split(':')[3]!), 'the secret is not echoed');
    } finally {
      await c1.close();
    }
  });

  test('--health-check serves /live and /ready on the given port', async () => {
    const c1 = await FakeC1.start();
    const port = await freePort();
    let child: ChildProcess | undefined;
    try {
      const run = runCli(['--health-check', '--health-check-port', String(port)], {
        cwd: e2e.dir,
        env: envFor(c1),
        timeoutMs: 60_000,
        onSpawn: (c) => (child = c),
      });
      const live = await fetchUntil(`http://127.0.0.1:${port}/live`, 200);
      assert.equal(live.body.status, 'alive');
      const ready = await fetchUntil(`http://127.0.0.1:${port}/ready`, 200);
      assert.equal(ready.body.status, 'ready');
      assert.ok(c1.callsOf('hello').length >= 1, 'ready once connected to ConductorOne');
      child!.kill('SIGTERM');
      const r = await run;
      assert.equal(r.code, 0, r.stderr);
      await assert.rejects(
        fetch(`http://127.0.0.1:${port}/live`),
        'the health server stops with the process',
      );
    } finally {
      child?.kill('SIGKILL');
      await c1.close();
    }
  });

  test('a malformed client secret fails fast with exit 3 and does not echo it', async () => {
    const c1 = await FakeC1.start();
    try {
      const bad = 'secret-token:conductorone.com:v2:not-a-key';
      const r = await runCli([], {
        cwd: e2e.dir,
        env: envFor(c1, { BATON_CLIENT_SECRET: bad }),
        timeoutMs: 20_000,
      });
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /client secret/i);
      assert.ok(!r.stderr.includes('not-a-key'));
      assert.equal(c1.tokenRequests.length, 0, 'nothing was sent to ConductorOne');
    } finally {
      await c1.close();
    }
  });

  test('a malformed client id fails fast with exit 3', async () => {
    const c1 = await FakeC1.start();
    try {
      const r = await runCli([], {
        cwd: e2e.dir,
        env: envFor(c1, { BATON_CLIENT_ID: 'no-at-sign' }),
        timeoutMs: 20_000,
      });
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /client id/i);
    } finally {
      await c1.close();
    }
  });
});
