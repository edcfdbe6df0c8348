import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GrpcCode, isBatonError } from '../../../src/baton/errors.js';
import { SERVICE_TIMING } from '../../../src/baton/service/service-timing.js';
import { startTaskHeartbeat } from '../../../src/baton/service/task-heartbeat.js';
import type { FakeC1Options } from '../../support/fake-c1.js';
import { captureLogger, connectBatonClient } from './service-harness.js';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

const timing = { ...SERVICE_TIMING, heartbeatMinMs: 5, heartbeatDefaultMs: 5 };

const connect = (opts: FakeC1Options = {}) =>
  connectBatonClient({ nextHeartbeatMs: 5, ...opts }, cleanups, 'h');

const aborted = (signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve())));

describe('startTaskHeartbeat', () => {
  test('sends the first heartbeat before returning, then keeps sending until stopped', async () => {
    const { c1, client } = await connect();
    const runner = new AbortController();
    const hb = await startTaskHeartbeat({
      client,
      taskId: 't1',
      signal: runner.signal,
      timing,
      logger: captureLogger().logger,
    });
    assert.ok(c1.callsOf('heartbeat', 't1').length >= 1);
    await c1.waitFor(() => c1.callsOf('heartbeat', 't1').length >= 3, 'more heartbeats');
    hb.stop();
    assert.ok(!hb.signal.aborted, 'stopping the loop does not abort the task');
    // The third heartbeat left after the answer to the second arrived.
    assert.ok(hb.sent() >= 2);
  });

  test('a cancelled answer aborts the task signal with CANCELLED', async () => {
    const { c1, client } = await connect();
    const hb = await startTaskHeartbeat({
      client,
      taskId: 't2',
      signal: new AbortController().signal,
      timing,
      logger: captureLogger().logger,
    });
    c1.cancel('t2');
    await aborted(hb.signal);
    const reason: unknown = hb.signal.reason;
    assert.ok(isBatonError(reason));
    assert.equal(reason.code, GrpcCode.CANCELLED);
    assert.match(reason.message, /task t2 was cancelled by ConductorOne/);
  });

  test('a task cancelled before it starts comes back already aborted', async () => {
    const { c1, client } = await connect();
    c1.cancel('t3');
    const hb = await startTaskHeartbeat({
      client,
      taskId: 't3',
      signal: new AbortController().signal,
      timing,
      logger: captureLogger().logger,
    });
    assert.ok(hb.signal.aborted);
    assert.equal(c1.callsOf('heartbeat', 't3').length, 1);
  });

  test('10 failed heartbeats in a row abort the task with UNAVAILABLE', async () => {
    const { c1, client } = await connect({ heartbeatsBeforeFailing: 1 });
    const hb = await startTaskHeartbeat({
      client,
      taskId: 't4',
      signal: new AbortController().signal,
      timing,
      logger: captureLogger().logger,
    });
    await aborted(hb.signal);
    const reason: unknown = hb.signal.reason;
    assert.ok(isBatonError(reason));
    assert.equal(reason.code, GrpcCode.UNAVAILABLE);
    assert.match(reason.message, /10 heartbeats to ConductorOne failed in a row/);
    assert.equal(c1.callsOf('heartbeat', 't4').length, 11, 'the first one and 10 failures');
  });

  test('the runner stopping aborts the task signal with its reason', async () => {
    const { client } = await connect();
    const runner = new AbortController();
    const hb = await startTaskHeartbeat({
      client,
      taskId: 't5',
      signal: runner.signal,
      timing,
      logger: captureLogger().logger,
    });
    runner.abort(new Error('SIGTERM'));
    assert.ok(hb.signal.aborted);
    assert.equal((hb.signal.reason as Error).message, 'SIGTERM');
  });

  test('a failing first heartbeat throws', async () => {
    const { client } = await connect({ heartbeatsBeforeFailing: 0 });
    await assert.rejects(
      startTaskHeartbeat({
        client,
        taskId: 't6',
        signal: new AbortController().signal,
        timing,
        logger: captureLogger().logger,
      }),
      /heartbeat store unavailable/,
    );
  });
});
