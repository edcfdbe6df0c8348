import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BatonError, GrpcCode, isBatonError } from '../../../src/baton/errors.js';
import { Capability } from '../../../src/baton/gen/c1/connector/v2/connector_pb.js';
import { runServiceMode } from '../../../src/baton/service/run-service-mode.js';
import type { FullSyncRequest } from '../../../src/baton/service/task-context.js';
import { UPLOAD_CHUNK_BYTES } from '../../../src/baton/service/upload-asset.js';
import { FakeC1 } from '../../support/fake-c1.js';
import {
  blockingSync,
  c1zContent,
  captureLogger,
  leftovers,
  metadata,
  recordingSync,
  referenceContent,
  serviceFile,
} from './service-harness.js';

const { fakeC1, start } = serviceFile();

const finishOf = (c1: FakeC1, taskId: string) => c1.callsOf('finishTask', taskId)[0]?.finish;

describe('runServiceMode against a fake ConductorOne', () => {
  test('says hello, answers a hello task, syncs, uploads the c1z and finishes the task', async () => {
    const c1 = await fakeC1({
      tasks: [
        { id: 'hello-1', taskType: { case: 'hello', value: {} } },
        { id: 'sync-1', taskType: { case: 'syncFull', value: { storageEngine: 'pebble' } } },
      ],
      nextHeartbeatMs: 20,
    });
    const sync = recordingSync();
    const s = start(c1, { runFullSync: sync.run });
    await c1.waitFor(() => finishOf(c1, 'sync-1') !== undefined, 'the sync task to finish');
    await s.stop();

    const [first] = c1.calls;
    assert.equal(first?.method, 'hello', 'the first call is the start-up Hello');
    assert.equal(first.taskId, '');
    assert.equal(first.hostId, 'test-host');
    const hello = first.hello!;
    assert.equal(hello.connectorMetadata?.displayName, 'Fake');
    assert.deepEqual(hello.connectorMetadata?.capabilities?.connectorCapabilities, [Capability.SYNC]);
    assert.equal(hello.buildInfo?.package, 'baton-xmatters');
    assert.equal(hello.buildInfo?.packageVersion, '9.9.9');
    assert.match(hello.buildInfo?.langVersion ?? '', /^node\d+\.\d+\.\d+$/);
    assert.notEqual(hello.osInfo?.hostname, '');
    assert.notEqual(hello.osInfo?.kernelArch, '');

    assert.equal(c1.callsOf('hello', 'hello-1').length, 1, 'the hello task is answered with a Hello');
    assert.ok(c1.callsOf('heartbeat', 'sync-1').length >= 1, 'heartbeats arrive');

    const [upload] = c1.uploads;
    assert.equal(upload?.taskId, 'sync-1');
    assert.equal(upload.hostId, 'test-host');
    assert.ok(upload.checksumOk);
    assert.ok(upload.chunkSizes.every((n) => n > 0 && n <= UPLOAD_CHUNK_BYTES));
    assert.equal(
      upload.bytes.subarray(0, 5).toString('latin1'),
      'C1ZF\0',
      'pebble is answered with a v1 c1z',
    );
    const uploaded = c1zContent(upload.bytes);
    assert.deepEqual(uploaded, await referenceContent(), 'the upload holds what a one-shot sync writes');
    assert.equal(uploaded.syncType, 'full');

    const finish = finishOf(c1, 'sync-1')!;
    assert.equal(finish.finalState.case, 'success');
    assert.equal(finish.status, undefined);
    assert.equal(finish.hostId, 'test-host');

    for (const call of c1.calls) {
      assert.match(call.authorization, /^Bearer [0-9a-f]{48}$/);
      // Exactly `<clientName> baton-sdk/<sdk version>` (baton-interop.md §7.2), nothing appended.
      assert.match(call.userAgent, /^xmatters-test baton-sdk\/v\d+\.\d+\.\d+$/);
    }
    assert.equal(c1.tokenRequests.length, 1, 'the token is cached');
    assert.ok(c1.tokenRequests[0]!.ok, c1.tokenRequests[0]!.reason);
    assert.deepEqual(leftovers(s.tmpDir), [], 'the temporary sync directory is removed');
    assert.ok(!s.lines.join('').includes(c1.clientSecret.split(':')[3]!), 'the secret is never logged');
  });

  test('honours the sync task flags', async () => {
    const c1 = await fakeC1({
      tasks: [
        {
          id: 'sync-flags',
          taskType: {
            case: 'syncFull',
            value: { skipEntitlementsAndGrants: true, syncResourceTypeIds: ['user'], skipGrants: true },
          },
        },
      ],
    });
    const sync = recordingSync();
    const s = start(c1, { runFullSync: sync.run });
    await c1.waitFor(() => finishOf(c1, 'sync-flags') !== undefined, 'the sync task to finish');
    await s.stop();
    const [req] = sync.requests;
    assert.equal(req?.skipEntitlementsAndGrants, true);
    assert.deepEqual(req.resourceTypeIds, ['user']);
    assert.equal(req.skipGrants, true);
    const uploaded = c1zContent(c1.uploads[0]!.bytes);
    assert.deepEqual(
      uploaded,
      await referenceContent({ skipEntitlementsAndGrants: true, resourceTypeIds: ['user'] }),
    );
    assert.equal(uploaded.syncType, 'resources_only');
  });

  test('a task cancelled through its heartbeat stops and is finished as cancelled', async () => {
    const c1 = await fakeC1({
      tasks: [{ id: 'sync-cancel', taskType: { case: 'syncFull', value: {} } }],
      nextHeartbeatMs: 20,
    });
    const started: FullSyncRequest[] = [];
    const s = start(c1, { runFullSync: blockingSync(started) });
    await c1.waitFor(() => c1.callsOf('heartbeat', 'sync-cancel').length >= 1, 'the first heartbeat');
    c1.cancel('sync-cancel');
    await c1.waitFor(() => finishOf(c1, 'sync-cancel') !== undefined, 'the cancelled task to finish');
    assert.ok(started[0]?.signal.aborted, 'the sync saw the cancellation');
    const finish = finishOf(c1, 'sync-cancel')!;
    assert.equal(finish.finalState.case, 'error');
    assert.equal(finish.status?.code, GrpcCode.CANCELLED);
    assert.match(finish.status?.message ?? '', /cancelled by ConductorOne/);
    assert.equal(c1.uploads.length, 0);
    assert.equal(c1.callsOf('heartbeat', 'sync-cancel').at(-1)?.cancelled, true);
    await s.stop();
    assert.deepEqual(leftovers(s.tmpDir), []);
  });

  test('refuses every task type but hello and sync_full with "unsupported task type"', async () => {
    const refused = [
      'grant',
      'revoke',
      'createAccount',
      'deleteResource',
      'rotateCredentials',
      'actionInvoke',
    ];
    const c1 = await fakeC1({
      tasks: refused.map((type) => ({ id: `t-${type}`, taskType: { case: type, value: {} } }) as never),
    });
    const s = start(c1, { runFullSync: recordingSync().run });
    await c1.waitFor(() => c1.callsOf('finishTask').length === refused.length, 'every task to be refused');
    await s.stop();
    for (const type of refused) {
      const finish = finishOf(c1, `t-${type}`);
      assert.equal(finish?.finalState.case, 'error', type);
      assert.equal(finish.status?.message, 'unsupported task type');
      assert.equal(finish.status?.code, GrpcCode.UNKNOWN);
    }
    assert.equal(c1.callsOf('heartbeat').length, 0, 'refused tasks are not started');
  });

  test('never runs more tasks at once than the task concurrency', async () => {
    const ids = ['a', 'b', 'c', 'd'].map((x) => `sync-${x}`);
    const c1 = await fakeC1({
      tasks: ids.map((id) => ({ id, taskType: { case: 'syncFull', value: {} } })),
    });
    const started: FullSyncRequest[] = [];
    const s = start(c1, { runFullSync: blockingSync(started), taskConcurrency: 2 });
    await c1.waitFor(() => c1.callsOf('heartbeat').length >= 2, 'two tasks to start');
    // With both slots taken the runner must not even ask for more work.
    const polls = c1.callsOf('getTask').length;
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(started.length, 2);
    assert.equal(c1.callsOf('getTask').length, polls, 'no GetTask while every slot is busy');
    await s.stop();
    assert.equal(started.length, 2, 'the other tasks stay with ConductorOne');
    assert.equal(c1.callsOf('finishTask').length, 2);
  });

  test('SIGTERM stops a running sync, reports it cancelled, removes its files and returns', async () => {
    const c1 = await fakeC1({ tasks: [{ id: 'sync-term', taskType: { case: 'syncFull', value: {} } }] });
    const started: FullSyncRequest[] = [];
    const s = start(c1, { runFullSync: blockingSync(started) });
    await c1.waitFor(() => started.length === 1, 'the sync to start');
    await s.stop();
    const finish = finishOf(c1, 'sync-term');
    assert.equal(finish?.finalState.case, 'error');
    assert.equal(finish.status?.code, GrpcCode.CANCELLED);
    assert.equal(finish.status?.message, 'interrupted by SIGTERM');
    assert.deepEqual(leftovers(s.tmpDir), []);
  });

  test('retries an interrupted upload from the start, up to 3 attempts', async () => {
    const c1 = await fakeC1({
      tasks: [{ id: 'sync-retry', taskType: { case: 'syncFull', value: {} } }],
      failUploads: 2,
    });
    const s = start(c1, { runFullSync: recordingSync().run });
    await c1.waitFor(() => finishOf(c1, 'sync-retry') !== undefined, 'the task to finish');
    await s.stop();
    assert.equal(c1.failedUploads, 2);
    assert.equal(c1.uploads.length, 1);
    assert.equal(finishOf(c1, 'sync-retry')?.finalState.case, 'success');
  });

  test('finishes the task with an error when all 3 upload attempts fail', async () => {
    const c1 = await fakeC1({
      tasks: [{ id: 'sync-lost', taskType: { case: 'syncFull', value: {} } }],
      failUploads: 3,
    });
    const s = start(c1, { runFullSync: recordingSync().run });
    await c1.waitFor(() => finishOf(c1, 'sync-lost') !== undefined, 'the task to finish');
    await s.stop();
    assert.equal(c1.failedUploads, 3);
    const finish = finishOf(c1, 'sync-lost');
    assert.equal(finish?.finalState.case, 'error');
    assert.equal(finish.status?.code, GrpcCode.UNAVAILABLE);
    assert.deepEqual(leftovers(s.tmpDir), []);
  });

  test('a targeted sync is refused as non-retryable: only full syncs are advertised', async () => {
    const c1 = await fakeC1({
      tasks: [
        {
          id: 'sync-targeted',
          taskType: {
            case: 'syncFull',
            value: { targetedSyncResources: [{ id: { resourceType: 'user', resource: 'u1' } }] },
          },
        },
      ],
    });
    const sync = recordingSync();
    const s = start(c1, { runFullSync: sync.run });
    await c1.waitFor(() => finishOf(c1, 'sync-targeted') !== undefined, 'the task to finish');
    await s.stop();
    const finish = finishOf(c1, 'sync-targeted');
    assert.equal(finish?.status?.code, GrpcCode.UNIMPLEMENTED);
    assert.match(finish.status?.message ?? '', /targeted sync is not supported/);
    assert.equal(finish.finalState.case === 'error' && finish.finalState.value.nonRetryable, true);
    assert.equal(sync.requests.length, 0, 'no sync ran');
  });

  test('a sync task whose temporary directory cannot be created is finished with an error', async () => {
    const c1 = await fakeC1({ tasks: [{ id: 'sync-nodir', taskType: { case: 'syncFull', value: {} } }] });
    const s = start(c1, { runFullSync: recordingSync().run, tmpDir: '/nonexistent/baton-test' });
    await c1.waitFor(() => finishOf(c1, 'sync-nodir') !== undefined, 'the task to finish');
    await s.stop();
    const finish = finishOf(c1, 'sync-nodir');
    assert.equal(finish?.status?.code, GrpcCode.FAILED_PRECONDITION);
    assert.match(finish.status?.message ?? '', /cannot create a temporary directory/);
  });

  test('a failing sync is finished with its error code and message', async () => {
    const c1 = await fakeC1({ tasks: [{ id: 'sync-fail', taskType: { case: 'syncFull', value: {} } }] });
    const s = start(c1, {
      runFullSync: () => Promise.reject(new BatonError(GrpcCode.PERMISSION_DENIED, 'xMatters said 403')),
    });
    await c1.waitFor(() => finishOf(c1, 'sync-fail') !== undefined, 'the task to finish');
    await s.stop();
    const finish = finishOf(c1, 'sync-fail');
    assert.equal(finish?.status?.code, GrpcCode.PERMISSION_DENIED);
    assert.equal(finish.status?.message, 'xMatters said 403');
    assert.equal(finish.finalState.case === 'error' && finish.finalState.value.nonRetryable, false);
  });

  test('retries the start-up Hello with backoff until ConductorOne answers', async () => {
    const c1 = await fakeC1({ failHellos: 2 });
    const s = start(c1, { runFullSync: recordingSync().run });
    await c1.waitFor(() => c1.callsOf('getTask').length >= 1, 'polling to start');
    await s.stop();
    const methods = c1.calls.map((c) => c.method);
    assert.deepEqual(methods.slice(0, 4), ['hello', 'hello', 'hello', 'getTask']);
  });

  test('serves /live, /ready and /health while connected', async () => {
    const c1 = await fakeC1();
    let url = '';
    let healthy = true;
    const s = start(c1, {
      runFullSync: recordingSync().run,
      healthCheck: { port: 0, bindAddress: '127.0.0.1' },
      validate: () => (healthy ? Promise.resolve() : Promise.reject(new Error('xMatters said 401'))),
      onHealthServer: (u) => {
        url = u;
      },
    });
    await c1.waitFor(() => c1.callsOf('getTask').length >= 1, 'polling to start');
    const get = async (path: string) => {
      const res = await fetch(`${url}${path}`);
      return {
        status: res.status,
        body: (await res.json()) as { status: string; details?: Record<string, string> },
      };
    };
    assert.deepEqual((await get('/live')).body.status, 'alive');
    assert.deepEqual(await get('/ready').then((r) => [r.status, r.body.status]), [200, 'ready']);
    assert.deepEqual(await get('/health').then((r) => [r.status, r.body.status]), [200, 'healthy']);
    healthy = false;
    const unhealthy = await get('/health');
    assert.equal(unhealthy.status, 503);
    assert.equal(unhealthy.body.details?.validation_error, 'xMatters said 401');
    await s.stop();
    await assert.rejects(fetch(`${url}/live`), 'the health server is closed on stop');
  });
});

describe('runServiceMode with bad credentials', () => {
  const base = () => fakeC1();
  const run = (c1: FakeC1, clientId: string, clientSecret: string) =>
    runServiceMode({
      clientId,
      clientSecret,
      apiHostOverride: c1.host,
      taskConcurrency: 1,
      connectorMetadata: metadata(),
      build: { package: 'baton-xmatters', packageVersion: '0.0.0' },
      runFullSync: () => Promise.resolve(),
      logger: captureLogger().logger,
      signal: new AbortController().signal,
      tls: { ca: c1.ca },
    });

  test('a malformed client ID fails with INVALID_ARGUMENT before any request', async () => {
    const c1 = await base();
    await assert.rejects(run(c1, 'no-at-sign', c1.clientSecret), (err: unknown) => {
      assert.ok(isBatonError(err));
      assert.equal(err.code, GrpcCode.INVALID_ARGUMENT);
      assert.match(err.message, /invalid client ID: it has no '@'/);
      return true;
    });
    assert.equal(c1.tokenRequests.length + c1.calls.length, 0);
  });

  test('a malformed client secret fails with INVALID_ARGUMENT and never shows the secret', async () => {
    const c1 = await base();
    const broken = c1.clientSecret.replace(':v1:', ':v2:');
    await assert.rejects(run(c1, c1.clientId, broken), (err: unknown) => {
      assert.ok(isBatonError(err));
      assert.equal(err.code, GrpcCode.INVALID_ARGUMENT);
      assert.match(err.message, /invalid client secret: the third part is not 'v1'/);
      for (const part of broken.split(':')) assert.ok(!err.message.includes(part) || part.length < 4);
      return true;
    });
    assert.equal(c1.tokenRequests.length + c1.calls.length, 0);
  });

  test('credentials the token endpoint rejects fail fast with UNAUTHENTICATED', async () => {
    const c1 = await fakeC1({ tokenStatus: 401 });
    await assert.rejects(run(c1, c1.clientId, c1.clientSecret), (err: unknown) => {
      assert.ok(isBatonError(err));
      assert.equal(err.code, GrpcCode.UNAUTHENTICATED);
      assert.match(err.message, /rejected the client credentials \(HTTP 401, invalid_client\)/);
      return true;
    });
    assert.equal(c1.tokenRequests.length, 1);
    assert.equal(c1.calls.length, 0);
  });
});
