import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, test } from 'node:test';
import { XmattersClient } from '../../src/xmatters/index.js';
import { sampleTenant } from '../../src/simulator/index.js';
import { assertNoSecrets } from '../support/simulator-secrets.js';
import {
  SAMPLE_CREDENTIALS,
  clientFor,
  collect,
  rejectsWithCode,
  simulatorForSuite,
} from '../support/simulator.js';

// Retries, waits and timeouts of single requests, observed through listRoles (one page on the sample tenant).
describe('retrying requests', () => {
  const suite = simulatorForSuite();

  const roles = '/roles';

  for (const status of [429, 500, 502, 503, 504]) {
    test(`retries ${status} with exponential backoff and full jitter when there is no Retry-After`, async () => {
      suite.sim.setFaults({ rules: [{ path: roles, times: 2, action: { type: 'status', status } }] });
      const { client, waits } = clientFor(suite.sim);
      assert.equal((await collect(client.listRoles())).length, sampleTenant().roles.length);
      assert.deepEqual(waits, [250, 500], 'random 0.5 × 500 ms, then × 1000 ms');
      assert.equal(suite.sim.stats().requests, 3);
      const s = client.stats();
      assert.equal(s.retries, 2);
      assert.deepEqual(s.retriesByReason, { [`http-${status}`]: 2 });
      assert.equal(s.waitedMs, 750);
      await client.close();
    });

    test(`honours Retry-After seconds on ${status}`, async () => {
      suite.sim.setFaults({
        rules: [{ path: roles, times: 2, action: { type: 'status', status, retryAfter: 3 } }],
      });
      const { client, waits } = clientFor(suite.sim);
      await collect(client.listRoles());
      assert.deepEqual(waits, [3000, 3000]);
      await client.close();
    });
  }

  test('honours Retry-After as an HTTP date', async () => {
    const when = new Date(Date.now() + 20_000).toUTCString();
    suite.sim.setFaults({
      rules: [{ path: roles, times: 1, action: { type: 'status', status: 503, retryAfter: when } }],
    });
    const { client, waits } = clientFor(suite.sim);
    await collect(client.listRoles());
    assert.equal(waits.length, 1);
    assert.ok(waits[0]! > 15_000 && waits[0]! <= 20_000, `wait ${waits[0]}`);
    await client.close();
  });

  test('caps a huge Retry-After at 60 s', async () => {
    suite.sim.setFaults({
      rules: [{ path: roles, times: 1, action: { type: 'status', status: 429, retryAfter: 86_400 } }],
    });
    const { client, waits } = clientFor(suite.sim);
    await collect(client.listRoles());
    assert.deepEqual(waits, [60_000]);
    await client.close();
  });

  test('waits for the rate-limit window announced by x-ratelimit headers', async () => {
    suite.sim.setFaults({ rateLimit: { perSecond: 0.5, burst: 1, rateLimitHeaders: true } });
    const { client, waits } = clientFor(suite.sim, { maxAttempts: 2 });
    await collect(client.listRoles()); // takes the only token
    // The bucket is empty: 429 with x-ratelimit-used = limit and a 2 s period; the fake sleep does not refill it.
    await rejectsWithCode(collect(client.listRoles()), 'XM_RATE_LIMITED');
    assert.deepEqual(waits, [2000]);
    await client.close();
  });

  test('waits for real when Retry-After says 1 s', async () => {
    suite.sim.setFaults({
      rules: [{ path: roles, times: 1, action: { type: 'status', status: 429, retryAfter: 1 } }],
    });
    const client = new XmattersClient({
      baseUrl: suite.sim.baseUrl,
      username: SAMPLE_CREDENTIALS.username,
      password: SAMPLE_CREDENTIALS.password,
    });
    const started = Date.now();
    assert.equal((await collect(client.listRoles())).length, sampleTenant().roles.length);
    assert.ok(Date.now() - started >= 990, 'the real sleep happened');
    assert.equal(client.stats().waitedMs, 1000);
    await client.close();
  });

  test('gives up after maxAttempts with XM_UNAVAILABLE, naming the path, attempts and last status', async () => {
    suite.sim.setFaults({ rules: [{ path: roles, action: { type: 'status', status: 503 } }] });
    const { client } = clientFor(suite.sim, { maxAttempts: 3 });
    const e = await rejectsWithCode(collect(client.listRoles()), 'XM_UNAVAILABLE');
    assert.equal(e.attempts, 3);
    assert.equal(e.status, 503);
    assert.equal(e.method, 'GET');
    assert.match(e.path ?? '', /^\/api\/xm\/1\/roles\?/);
    assert.match(e.message, /failed after 3 attempts/);
    assert.match(e.message, /HTTP 503/);
    assert.match(e.message, /Injected 503 Service Unavailable/);
    assert.equal(suite.sim.stats().requests, 3);
    await client.close();
  });

  test('gives up on persistent 429 with XM_RATE_LIMITED', async () => {
    suite.sim.setFaults({ rules: [{ path: roles, action: { type: 'status', status: 429 } }] });
    const { client } = clientFor(suite.sim, { maxAttempts: 4 });
    const e = await rejectsWithCode(collect(client.listRoles()), 'XM_RATE_LIMITED');
    assert.match(e.message, /throttling/);
    assert.equal(e.attempts, 4);
    await client.close();
  });

  test('stops when the next wait would pass maxTotalWaitMs', async () => {
    suite.sim.setFaults({
      rules: [{ path: roles, action: { type: 'status', status: 503, retryAfter: 10 } }],
    });
    const { client, waits } = clientFor(suite.sim, { maxTotalWaitMs: 15_000 });
    const e = await rejectsWithCode(collect(client.listRoles()), 'XM_UNAVAILABLE');
    assert.deepEqual(waits, [10_000]);
    assert.equal(e.attempts, 2);
    assert.match(e.message, /15000 ms wait limit/);
    await client.close();
  });

  test('retries an HTML 502 page and quotes it when giving up', async () => {
    suite.sim.setFaults({ rules: [{ path: roles, action: { type: 'status', status: 502, body: 'html' } }] });
    const { client } = clientFor(suite.sim, { maxAttempts: 2 });
    const e = await rejectsWithCode(collect(client.listRoles()), 'XM_UNAVAILABLE');
    assert.match(e.message, /<!DOCTYPE html>/);
    await client.close();
  });

  test('does not retry other 5xx statuses', async () => {
    suite.sim.setFaults({ rules: [{ path: roles, action: { type: 'status', status: 501 } }] });
    const { client } = clientFor(suite.sim);
    const e = await rejectsWithCode(collect(client.listRoles()), 'XM_UNAVAILABLE');
    assert.match(e.message, /not retried/);
    assert.equal(suite.sim.stats().requests, 1);
    await client.close();
  });

  test('retries a response slower than the timeout, then succeeds', async () => {
    suite.sim.setFaults({ rules: [{ path: roles, times: 1, action: { type: 'delay', ms: 2000 } }] });
    const { client } = clientFor(suite.sim, { timeoutMs: 150 });
    assert.equal((await collect(client.listRoles())).length, sampleTenant().roles.length);
    assert.deepEqual(client.stats().retriesByReason, { timeout: 1 });
    await client.close();
  });

  test('reports XM_TIMEOUT when every attempt times out', async () => {
    suite.sim.setFaults({ rules: [{ path: roles, action: { type: 'delay', ms: 2000 } }] });
    const { client } = clientFor(suite.sim, { timeoutMs: 100, maxAttempts: 2 });
    const e = await rejectsWithCode(collect(client.listRoles()), 'XM_TIMEOUT');
    assert.match(e.message, /within 100 ms/);
    assert.equal(e.attempts, 2);
    await client.close();
  });

  test('retries connection resets', async () => {
    suite.sim.setFaults({ rules: [{ path: roles, times: 2, action: { type: 'reset' } }] });
    const { client } = clientFor(suite.sim);
    assert.equal((await collect(client.listRoles())).length, sampleTenant().roles.length);
    assert.deepEqual(client.stats().retriesByReason, { reset: 2 });
    await client.close();
  });

  test('reports XM_UNAVAILABLE when the connection is reset every time', async () => {
    suite.sim.setFaults({ rules: [{ path: roles, action: { type: 'reset' } }] });
    const { client } = clientFor(suite.sim, { maxAttempts: 3 });
    const e = await rejectsWithCode(collect(client.listRoles()), 'XM_UNAVAILABLE');
    assert.match(e.message, /connection reset/);
    await client.close();
  });

  test('retries a body cut off mid-way (connection closed before Content-Length bytes), then succeeds', async () => {
    suite.sim.setFaults({
      rules: [{ path: roles, times: 2, action: { type: 'badBody', kind: 'closed-mid-body' } }],
    });
    const { client } = clientFor(suite.sim);
    assert.equal((await collect(client.listRoles())).length, sampleTenant().roles.length);
    assert.deepEqual(client.stats().retriesByReason, { reset: 2 });
    assert.equal(suite.sim.stats().requests, 3);
    assert.deepEqual(suite.sim.stats().faults, { badBody: 2 });
    await client.close();
  });

  test('a body cut off every time ends in XM_UNAVAILABLE naming the status, the path and the bytes received', async () => {
    suite.sim.setFaults({ rules: [{ path: roles, action: { type: 'badBody', kind: 'closed-mid-body' } }] });
    const { client } = clientFor(suite.sim, { maxAttempts: 3 });
    const e = await rejectsWithCode(collect(client.listRoles()), 'XM_UNAVAILABLE');
    assert.equal(e.status, 200);
    assert.equal(e.attempts, 3);
    assert.match(e.path ?? '', /^\/api\/xm\/1\/roles\?/);
    assert.match(e.message, /GET \/api\/xm\/1\/roles\?\S+ failed after 3 attempts/);
    assert.match(e.message, /HTTP 200 body cut off after \d+ of \d+ bytes: connection reset/);
    await client.close();
  });

  for (const [status, reason] of [
    [400, 'Bad Request'],
    [409, 'Conflict'],
    [422, 'Unprocessable Entity'],
  ] as const) {
    test(`a ${status} is not retried: XM_REQUEST with the xMatters {code, reason, message} text`, async () => {
      const message = `Parameter check failed for request ${status}`;
      suite.sim.setFaults({ rules: [{ path: roles, action: { type: 'status', status, message } }] });
      const { client } = clientFor(suite.sim);
      const e = await rejectsWithCode(collect(client.listRoles()), 'XM_REQUEST');
      assert.equal(e.status, status);
      assert.deepEqual(e.apiError, { code: status, reason, message });
      assert.match(e.message, /^xMatters refused GET \/api\/xm\/1\/roles\?\S+ /);
      assert.ok(
        e.message.includes(`(HTTP ${status}; xMatters said: ${status} ${reason}: ${message}).`),
        e.message,
      );
      assert.equal(suite.sim.stats().requests, 1, 'not retried');
      await client.close();
    });
  }

  test('logs every retry at debug with reason, status, path, attempt and wait', async () => {
    suite.sim.setFaults({ rules: [{ path: roles, times: 2, action: { type: 'status', status: 503 } }] });
    const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
    const logger = {
      debug: (obj: object, msg: string) =>
        lines.push({ level: 'debug', obj: obj as Record<string, unknown>, msg }),
      info: (obj: object, msg: string) =>
        lines.push({ level: 'info', obj: obj as Record<string, unknown>, msg }),
      warn: (obj: object, msg: string) =>
        lines.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
    };
    const { client } = clientFor(suite.sim, { logger });
    await collect(client.listRoles());
    await client.close();
    const retries = lines.filter((l) => l.msg === 'retrying xMatters request');
    assert.equal(retries.length, 2);
    assert.deepEqual(
      retries.map((l) => [l.level, l.obj.reason, l.obj.status, l.obj.attempt, l.obj.waitMs]),
      [
        ['debug', 'http-503', 503, 1, 250],
        ['debug', 'http-503', 503, 2, 500],
      ],
    );
    assert.match(String(retries[0]!.obj.path), /^\/api\/xm\/1\/roles\?/);
    const summary = lines.find((l) => l.msg === 'xMatters client summary');
    assert.equal(summary?.obj.retries, 2);
    for (const l of lines) assertNoSecrets(new Error(JSON.stringify(l)));
  });

  test('an abort during a backoff wait ends the request with the abort reason', async () => {
    suite.sim.setFaults({
      rules: [{ path: roles, action: { type: 'status', status: 503, retryAfter: 30 } }],
    });
    const client = new XmattersClient({
      baseUrl: suite.sim.baseUrl,
      username: SAMPLE_CREDENTIALS.username,
      password: SAMPLE_CREDENTIALS.password,
    });
    const controller = new AbortController();
    const reason = new Error('shutting down');
    setTimeout(() => controller.abort(reason), 50);
    await assert.rejects(collect(client.listRoles({ signal: controller.signal })), (e) => e === reason);
    await client.close();
  });
});

describe('unreachable servers', () => {
  test('a closed port is retried and then reported as XM_UNAVAILABLE', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const client = new XmattersClient({
      baseUrl: `http://127.0.0.1:${port}/api/xm/1`,
      username: SAMPLE_CREDENTIALS.username,
      password: SAMPLE_CREDENTIALS.password,
      maxAttempts: 3,
      sleep: () => Promise.resolve(),
    });
    const e = await rejectsWithCode(client.checkAccess(), 'XM_UNAVAILABLE');
    assert.match(e.message, /ECONNREFUSED/);
    assert.match(e.message, /check the base URL/);
    assert.deepEqual(client.stats().retriesByReason, { connect: 2 });
    await client.close();
  });
});
