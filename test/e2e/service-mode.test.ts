import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { runCli } from '../support/run-cli.js';
import { expectedContent } from '../support/expected-content.js';
import { finishedSyncs, openC1zDb, syncContent } from '../support/open-c1z-db.js';
import { FakeC1 } from '../support/fake-c1.js';
import { generateTenant, GENERATED_CREDENTIALS, XmattersSimulator } from '../../src/simulator/index.js';

// The built CLI in service mode against a fake ConductorOne (TLS, trusted through NODE_EXTRA_CA_CERTS)
// and the xMatters simulator: what a self-hosted deployment does, end to end.
const tenant = generateTenant({ seed: 7, people: 120, groups: 30, avgMembersPerGroup: 12 });
const expected = expectedContent(tenant);
const cred = GENERATED_CREDENTIALS[0]!;
let sim: XmattersSimulator;
let dir: string;
let caFile: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'e2e-service-'));
  sim = await XmattersSimulator.start({ tenant: structuredClone(tenant) });
});
after(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const envFor = (c1: FakeC1, extra: Record<string, string> = {}) => {
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, c1.ca);
  return {
    BATON_CLIENT_ID: c1.clientId,
    BATON_CLIENT_SECRET: c1.clientSecret,
    BATON_C1_API_HOST: c1.host,
    BATON_HOST_ID: 'baton-xmatters-test',
    NODE_EXTRA_CA_CERTS: caFile,
    BATON_BASE_URL: sim.baseUrl,
    BATON_USERNAME: cred.username,
    BATON_PASSWORD: cred.password,
    BATON_LOG_FORMAT: 'json',
    BATON_C1Z_TEMP_DIR: dir,
    ...extra,
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
      const run = runCli([], { cwd: dir, env: envFor(c1), timeoutMs: 60_000, onSpawn: (c) => (child = c) });
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
      const file = join(dir, 'uploaded.c1z');
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
      assert.equal(sim.stats().nonGetRequests, 0);
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
        cwd: dir,
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
        cwd: dir,
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
