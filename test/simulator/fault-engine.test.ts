import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FaultEngine, validateFaults } from '../../src/simulator/fault-engine.js';
import { compilePathPattern, type FaultRule, type SimFaults } from '../../src/simulator/faults.js';

const status503 = { type: 'status', status: 503 } as const;
const fires = (engine: FaultEngine, path: string, n: number): boolean[] =>
  Array.from({ length: n }, () => engine.evaluate(path).replace !== undefined);

describe('compilePathPattern', () => {
  test('* matches one segment, ** anything, the rest literally', () => {
    const one = compilePathPattern('/groups/*/members');
    assert.ok(one.test('/groups/abc/members'));
    assert.ok(!one.test('/groups/a/b/members'));
    assert.ok(!one.test('/groups//members'));
    assert.ok(compilePathPattern('**').test('/people/x/y'));
    assert.ok(compilePathPattern('/people').test('/people'));
    assert.ok(!compilePathPattern('/people').test('/people/x'));
    assert.ok(!compilePathPattern('/a.b').test('/aXb'), 'dots are literal');
  });
});

describe('FaultEngine rule selection', () => {
  const engine = (rule: Omit<FaultRule, 'action'>, extra: SimFaults = {}): FaultEngine =>
    new FaultEngine({ ...extra, rules: [{ ...rule, action: status503 }] });

  test('path selects the requests a rule sees', () => {
    const e = engine({ path: '/roles' });
    assert.deepEqual([e.evaluate('/people').replace, e.evaluate('/roles').replace], [undefined, status503]);
  });

  test('skip lets the first matches through, times bounds the firings', () => {
    assert.deepEqual(fires(engine({ skip: 2, times: 2 }), '/people', 6), [
      false,
      false,
      true,
      true,
      false,
      false,
    ]);
  });

  test('every fires on every Nth match after the skipped ones', () => {
    assert.deepEqual(fires(engine({ skip: 1, every: 3 }), '/people', 8), [
      false,
      false,
      false,
      true,
      false,
      false,
      true,
      false,
    ]);
  });

  test('probability draws from the seeded generator: the same seed gives the same sequence', () => {
    const a = fires(engine({ probability: 0.3 }, { seed: 42 }), '/x', 40);
    const b = fires(engine({ probability: 0.3 }, { seed: 42 }), '/x', 40);
    const c = fires(engine({ probability: 0.3 }, { seed: 43 }), '/x', 40);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    const n = a.filter(Boolean).length;
    assert.ok(n > 3 && n < 25, `fired ${n} of 40`);
  });

  test('sorts fired actions by when they apply and names each', () => {
    const e = new FaultEngine({
      rules: [
        { action: { type: 'delay', ms: 5 } },
        { action: { type: 'delay', ms: 7 } },
        { action: { type: 'reset' } },
        { action: status503 },
        { action: { type: 'dropNext' } },
        { action: { type: 'mutate', op: 'insertPeople' } },
        { action: { type: 'deleteGroup' } },
        { action: { type: 'deleteGroup', groupId: 'g' } },
      ],
    });
    const f = e.evaluate('/groups/g/members');
    assert.equal(f.delayMs, 12);
    assert.deepEqual(f.replace, { type: 'reset' }, 'the first replacing action wins');
    assert.deepEqual(f.envelope, [{ type: 'dropNext' }]);
    assert.deepEqual(f.before, [{ type: 'deleteGroup' }]);
    assert.equal(f.after.length, 2);
    assert.deepEqual(f.names, [
      'delay',
      'delay',
      'reset',
      'status',
      'dropNext',
      'mutate',
      'deleteGroup',
      'deleteGroup',
    ]);
  });

  test('setting faults again resets the rule counters', () => {
    const e = engine({ times: 1 });
    assert.deepEqual(fires(e, '/p', 2), [true, false]);
    e.set({ rules: [{ times: 1, action: status503 }] });
    assert.deepEqual(fires(e, '/p', 2), [true, false]);
  });
});

describe('FaultEngine capacity', () => {
  test('the concurrency cap rejects requests beyond max, with Retry-After when configured', () => {
    const e = new FaultEngine({ concurrencyLimit: { max: 2, retryAfterSeconds: 3 } });
    assert.equal(e.concurrencyRejection(2), undefined);
    assert.deepEqual(e.concurrencyRejection(3), { retryAfter: 3 });
    assert.deepEqual(new FaultEngine({ concurrencyLimit: { max: 1 } }).concurrencyRejection(2), {});
  });

  test('the token bucket allows a burst, then refills at the rate', () => {
    const e = new FaultEngine({
      rateLimit: { perSecond: 2, burst: 2, retryAfter: true, rateLimitHeaders: true },
    });
    const t0 = Date.now();
    assert.equal(e.rateRejection(t0), undefined);
    assert.equal(e.rateRejection(t0), undefined);
    assert.deepEqual(e.rateRejection(t0), {
      'retry-after': '1',
      'x-ratelimit-limit': '2',
      'x-ratelimit-used': '2',
      'x-ratelimit-period_in_sec': '1',
    });
    assert.equal(e.rateRejection(t0 + 600), undefined, 'one token back after 0.5 s');
    const quiet = new FaultEngine({ rateLimit: { perSecond: 1, burst: 1 } });
    assert.equal(quiet.rateRejection(t0), undefined);
    assert.deepEqual(quiet.rateRejection(t0), {}, 'no headers unless asked for');
  });
});

describe('validateFaults', () => {
  const bad: [string, unknown, RegExp][] = [
    ['negative latency', { latencyMs: -1 }, /latencyMs/],
    ['a zero concurrency cap', { concurrencyLimit: { max: 0 } }, /concurrencyLimit/],
    ['a zero rate', { rateLimit: { perSecond: 0 } }, /rateLimit/],
    ['rules that are not a list', { rules: {} }, /rules must be an array/],
    ['a rule without action', { rules: [{}] }, /needs an action/],
    [
      'an unknown action',
      { rules: [{ name: 'x', action: { type: 'boom' } }] },
      /rules\[0\] \(x\): unknown action type "boom"/,
    ],
    ['a probability above 1', { rules: [{ probability: 2, action: status503 }] }, /probability/],
    ['every below 1', { rules: [{ every: 0, action: status503 }] }, /every/],
  ];
  for (const [what, faults, message] of bad) {
    test(`rejects ${what}`, () => {
      assert.throws(() => validateFaults(faults as SimFaults), message);
    });
  }

  test('accepts an empty object', () => {
    validateFaults({});
    assert.ok(true);
  });
});
