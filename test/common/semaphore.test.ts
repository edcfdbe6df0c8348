import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Semaphore } from '../../src/common/semaphore.js';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('Semaphore', () => {
  test('a raised capacity lets waiters in at once; a lowered one holds them until the count is below it', async () => {
    const sem = new Semaphore(2);
    await sem.acquire();
    await sem.acquire();
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) => sem.acquire().then(() => order.push(n)));
    sem.capacity = 3;
    await tick();
    assert.deepEqual(order, [1]);
    sem.capacity = 1; // 3 held: nobody new until fewer than 1 are
    sem.release();
    sem.release();
    await tick();
    assert.deepEqual(order, [1]);
    sem.release();
    await tick();
    assert.deepEqual(order, [1, 2], 'first come, first served');
    sem.release();
    await Promise.all(waiting);
    assert.deepEqual(order, [1, 2, 3]);
    assert.equal(sem.peak, 3);
  });

  test('a waiter whose signal aborts leaves the queue with the signal’s reason and holds nothing', async () => {
    const sem = new Semaphore(1);
    await sem.acquire();
    const controller = new AbortController();
    const reason = new Error('stopping');
    const waiting = sem.acquire(controller.signal);
    controller.abort(reason);
    await assert.rejects(waiting, (e) => e === reason);
    sem.release();
    assert.equal(sem.inUse, 0);
    await assert.rejects(sem.acquire(AbortSignal.abort(reason)), (e) => e === reason);
    assert.equal(sem.inUse, 0);
  });
});
