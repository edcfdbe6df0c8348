import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TaskSlots } from '../../../src/baton/service/task-slots.js';

describe('TaskSlots', () => {
  test('hands out at most `size` slots and gives a released one to the first waiter', async () => {
    const slots = new TaskSlots(2);
    const signal = new AbortController().signal;
    assert.equal(await slots.acquire(signal), true);
    assert.equal(await slots.acquire(signal), true);
    const order: string[] = [];
    const third = slots.acquire(signal).then((ok) => order.push(`third:${ok}`));
    const fourth = slots.acquire(signal).then((ok) => order.push(`fourth:${ok}`));
    await Promise.resolve();
    assert.deepEqual(order, []);
    assert.equal(slots.inUse, 2);
    slots.release();
    await third;
    assert.deepEqual(order, ['third:true']);
    slots.release();
    await fourth;
    assert.deepEqual(order, ['third:true', 'fourth:true']);
    assert.equal(slots.peak, 2);
  });

  test('a waiter gets false when its signal aborts, and no slot', async () => {
    const slots = new TaskSlots(1);
    const controller = new AbortController();
    assert.equal(await slots.acquire(controller.signal), true);
    const waiting = slots.acquire(controller.signal);
    controller.abort();
    assert.equal(await waiting, false);
    slots.release();
    assert.equal(slots.inUse, 0);
    assert.equal(await slots.acquire(controller.signal), false, 'an aborted signal never gets a slot');
  });
});
