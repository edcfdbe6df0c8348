import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { GrpcCode, isBatonError } from '../../../src/baton/errors.js';
import { startHealthServer, type HealthServer } from '../../../src/baton/service/health-server.js';
import { captureLogger } from './service-harness.js';

const servers: HealthServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

async function start(opts: { ready?: boolean; validate?: (signal: AbortSignal) => Promise<void> } = {}) {
  const server = await startHealthServer({
    port: 0,
    bindAddress: '127.0.0.1',
    isReady: () => opts.ready ?? true,
    validate: opts.validate,
    logger: captureLogger().logger,
    scrub: (t) => t.replaceAll('hunter2', '[REDACTED]'),
  });
  servers.push(server);
  return server;
}

async function get(server: HealthServer, path: string) {
  const res = await fetch(`${server.url}${path}`);
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), text };
}

describe('startHealthServer', () => {
  test('/live is always 200 alive with a UTC timestamp', async () => {
    const server = await start({ ready: false });
    const res = await get(server, '/live');
    assert.equal(res.status, 200);
    assert.equal(res.type, 'application/json');
    const body = JSON.parse(res.text) as { status: string; timestamp: string };
    assert.equal(body.status, 'alive');
    assert.match(body.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  test('/ready follows the runner: 503 not_ready, then 200 ready', async () => {
    let ready = false;
    const server = await startHealthServer({
      port: 0,
      bindAddress: '127.0.0.1',
      isReady: () => ready,
      logger: captureLogger().logger,
      scrub: (t) => t,
    });
    servers.push(server);
    assert.equal((await get(server, '/ready')).status, 503);
    assert.match((await get(server, '/ready')).text, /"status":"not_ready"/);
    ready = true;
    assert.match((await get(server, '/ready')).text, /"status":"ready"/);
  });

  test('/health validates the connector and serves the scrubbed reason when it fails', async () => {
    let calls = 0;
    const server = await start({
      validate: () => {
        calls += 1;
        return calls === 1 ? Promise.resolve() : Promise.reject(new Error('password hunter2 refused'));
      },
    });
    const ok = await get(server, '/health');
    assert.equal(ok.status, 200);
    assert.match(ok.text, /"status":"healthy"/);
    const bad = await get(server, '/health');
    assert.equal(bad.status, 503);
    const body = JSON.parse(bad.text) as { status: string; details: Record<string, string> };
    assert.equal(body.status, 'unhealthy');
    assert.deepEqual(body.details, {
      error: 'connector validation failed',
      validation_error: 'password [REDACTED] refused',
    });
  });

  test('other paths are 404', async () => {
    const server = await start();
    assert.equal((await get(server, '/metrics')).status, 404);
  });

  test('a port in use fails with FAILED_PRECONDITION naming the address', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const { port } = blocker.address() as AddressInfo;
    try {
      await assert.rejects(
        startHealthServer({
          port,
          bindAddress: '127.0.0.1',
          isReady: () => true,
          logger: captureLogger().logger,
          scrub: (t) => t,
        }),
        (err: unknown) =>
          isBatonError(err) &&
          err.code === GrpcCode.FAILED_PRECONDITION &&
          err.message.includes(`127.0.0.1:${port}`),
      );
    } finally {
      blocker.close();
    }
  });
});
