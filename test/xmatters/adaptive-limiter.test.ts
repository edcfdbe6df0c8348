import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AdaptiveLimiter, type LimiterPermit } from '../../src/xmatters/adaptive-limiter.js';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('AdaptiveLimiter', () => {
  test('never lets more than max requests in flight', async () => {
    const limiter = new AdaptiveLimiter(3);
    const permits: LimiterPermit[] = [];
    const pending = Array.from({ length: 10 }, () => limiter.acquire().then((p) => permits.push(p)));
    await tick();
    assert.equal(permits.length, 3);
    assert.equal(limiter.inFlight, 3);
    permits[0]!.release('ok');
    await tick();
    assert.equal(permits.length, 4);
    for (let i = 1; i < 10; i++) {
      permits[i]!.release('ok');
      await tick();
    }
    await Promise.all(pending);
    assert.equal(limiter.maxInFlightSeen, 3);
  });

  test('halves on a 429 (once for requests started under the same limit) and recovers by one per N successes', async () => {
    const limiter = new AdaptiveLimiter(8, { recoverAfter: 2 });
    const burst = await Promise.all(Array.from({ length: 8 }, () => limiter.acquire()));
    for (const p of burst) p.release('throttled');
    assert.equal(limiter.limit, 4, 'a burst of 429s halves once');
    (await limiter.acquire()).release('throttled');
    assert.equal(limiter.limit, 2);
    (await limiter.acquire()).release('throttled');
    (await limiter.acquire()).release('throttled');
    assert.equal(limiter.limit, 1, 'never below 1');
    assert.equal(limiter.lowestLimit, 1);
    for (let i = 0; i < 2 * 20; i++) (await limiter.acquire()).release('ok');
    assert.equal(limiter.limit, 8, 'recovers up to max, never above');
  });

  test('errors neither lower nor raise the limit', async () => {
    const limiter = new AdaptiveLimiter(4, { recoverAfter: 1 });
    (await limiter.acquire()).release('throttled');
    (await limiter.acquire()).release('error');
    assert.equal(limiter.limit, 2);
  });

  test('queued waiters honour the lowered limit', async () => {
    const limiter = new AdaptiveLimiter(4);
    const first = await Promise.all(Array.from({ length: 4 }, () => limiter.acquire()));
    const granted: LimiterPermit[] = [];
    for (let i = 0; i < 4; i++) void limiter.acquire().then((p) => granted.push(p));
    first[0]!.release('throttled'); // limit 2, 3 still active
    await tick();
    assert.equal(granted.length, 0);
    first[1]!.release('ok'); // 2 in flight: at the new limit
    await tick();
    assert.equal(granted.length, 0);
    first[2]!.release('ok'); // 1 in flight: one waiter may go
    await tick();
    assert.equal(granted.length, 1);
    assert.equal(limiter.inFlight, 2);
    first[3]!.release('ok');
    await tick();
    assert.equal(limiter.inFlight, 2);
    assert.equal(granted.length, 2);
  });

  test('a waiter whose signal aborts leaves the queue with the abort reason', async () => {
    const limiter = new AdaptiveLimiter(1);
    const held = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    const reason = new Error('stop');
    controller.abort(reason);
    await assert.rejects(waiting, (e) => e === reason);
    held.release('ok');
    const next = await limiter.acquire();
    assert.equal(limiter.inFlight, 1);
    next.release('ok');
    await assert.rejects(limiter.acquire(AbortSignal.abort()), { name: 'AbortError' });
  });

  test('ignores a second release of the same permit', async () => {
    const limiter = new AdaptiveLimiter(2);
    const p = await limiter.acquire();
    p.release('ok');
    p.release('ok');
    assert.equal(limiter.inFlight, 0);
  });
});
