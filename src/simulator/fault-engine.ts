import { compilePathPattern, type FaultAction, type FaultRule, type SimFaults } from './faults.js';
import { createRng, type Rng } from './prng.js';

/** The actions that fired for one request, grouped by when they apply. */
export interface FiredFaults {
  /** Replaces the answer: the first status, reset or bad body that fired. */
  replace?: Extract<FaultAction, { type: 'status' | 'reset' | 'badBody' }>;
  delayMs: number;
  /** Rewrite a list envelope before sending. */
  envelope: Extract<
    FaultAction,
    {
      type:
        | 'foreignNext'
        | 'repeatNext'
        | 'dropNext'
        | 'duplicates'
        | 'shortPage'
        | 'hideItems'
        | 'invalidItem'
        | 'absurd';
    }
  >[];
  /** Change the tenant before handling. */
  before: Extract<FaultAction, { type: 'deleteGroup' }>[];
  /** Change the tenant after answering. */
  after: Extract<FaultAction, { type: 'mutate' | 'deleteGroup' }>[];
  /** Names of every action that fired, for the counters. */
  names: string[];
}

interface RuleState {
  rule: FaultRule;
  pattern: RegExp;
  matched: number;
  fired: number;
}

/** Holds the current faults and their counters; `setFaults` replaces both. */
export class FaultEngine {
  private faults: SimFaults = {};
  private rules: RuleState[] = [];
  private tokens = 0;
  private lastRefill = 0;
  rng: Rng = createRng(1);

  constructor(faults: SimFaults = {}) {
    this.set(faults);
  }

  get current(): SimFaults {
    return this.faults;
  }

  set(faults: SimFaults): void {
    validateFaults(faults);
    this.faults = structuredClone(faults);
    this.rules = (faults.rules ?? []).map((rule) => ({
      rule,
      pattern: compilePathPattern(rule.path ?? '**'),
      matched: 0,
      fired: 0,
    }));
    this.rng = createRng(faults.seed ?? 1);
    this.tokens = faults.rateLimit?.burst ?? faults.rateLimit?.perSecond ?? 0;
    this.lastRefill = Date.now();
  }

  /** A 429 answer for the concurrency cap, or undefined. `inFlight` includes this request. */
  concurrencyRejection(inFlight: number): { retryAfter?: number } | undefined {
    const cap = this.faults.concurrencyLimit;
    if (cap === undefined || inFlight <= cap.max) return undefined;
    return cap.retryAfterSeconds === undefined ? {} : { retryAfter: cap.retryAfterSeconds };
  }

  /** Takes a token from the bucket; returns the 429 headers when it is empty. */
  rateRejection(now: number): Record<string, string> | undefined {
    const rl = this.faults.rateLimit;
    if (rl === undefined) return undefined;
    const burst = rl.burst ?? rl.perSecond;
    this.tokens = Math.min(burst, this.tokens + (Math.max(0, now - this.lastRefill) / 1000) * rl.perSecond);
    this.lastRefill = Math.max(this.lastRefill, now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    const headers: Record<string, string> = {};
    if (rl.retryAfter === true)
      headers['retry-after'] = String(Math.max(1, Math.ceil((1 - this.tokens) / rl.perSecond)));
    if (rl.rateLimitHeaders === true) {
      headers['x-ratelimit-limit'] = String(burst);
      headers['x-ratelimit-used'] = String(burst);
      headers['x-ratelimit-period_in_sec'] = String(Math.max(1, Math.ceil(burst / rl.perSecond)));
    }
    return headers;
  }

  /** Evaluates every rule against an API path (below /api/xm/1). */
  evaluate(path: string): FiredFaults {
    const fired: FiredFaults = { delayMs: 0, envelope: [], before: [], after: [], names: [] };
    for (const s of this.rules) {
      if (!s.pattern.test(path)) continue;
      s.matched++;
      const { skip = 0, every = 1, probability = 1, times } = s.rule;
      if (s.matched <= skip || (s.matched - skip) % every !== 0) continue;
      if (times !== undefined && s.fired >= times) continue;
      if (probability < 1 && this.rng() >= probability) continue;
      s.fired++;
      const a = s.rule.action;
      fired.names.push(a.type);
      switch (a.type) {
        case 'status':
        case 'reset':
        case 'badBody':
          fired.replace ??= a;
          break;
        case 'delay':
          fired.delayMs += a.ms;
          break;
        case 'mutate':
          fired.after.push(a);
          break;
        case 'deleteGroup':
          (a.groupId === undefined ? fired.before : fired.after).push(a);
          break;
        default:
          fired.envelope.push(a);
      }
    }
    return fired;
  }
}

const ACTIONS = new Set([
  'status',
  'delay',
  'reset',
  'badBody',
  'foreignNext',
  'repeatNext',
  'dropNext',
  'duplicates',
  'shortPage',
  'hideItems',
  'invalidItem',
  'absurd',
  'mutate',
  'deleteGroup',
]);

/** Rejects malformed fault options early, with the offending rule named (they may come over HTTP). */
export function validateFaults(f: SimFaults): void {
  const bad = (msg: string): never => {
    throw new TypeError(`Invalid simulator faults: ${msg}`);
  };
  const nonNeg = (v: unknown, name: string): void => {
    if (v !== undefined && (typeof v !== 'number' || !(v >= 0))) bad(`${name} must be a number ≥ 0`);
  };
  if (typeof f !== 'object' || f === null) bad('expected an object');
  nonNeg(f.latencyMs, 'latencyMs');
  nonNeg(f.perItemLatencyMs, 'perItemLatencyMs');
  if (f.concurrencyLimit !== undefined && !(f.concurrencyLimit.max >= 1))
    bad('concurrencyLimit.max must be ≥ 1');
  if (f.rateLimit !== undefined && !(f.rateLimit.perSecond > 0)) bad('rateLimit.perSecond must be > 0');
  if (f.rules !== undefined && !Array.isArray(f.rules)) bad('rules must be an array');
  (f.rules ?? []).forEach((r, i) => {
    const where = `rules[${i}]${r.name === undefined ? '' : ` (${r.name})`}`;
    if (typeof r !== 'object' || r === null || typeof r.action !== 'object' || r.action === null)
      bad(`${where} needs an action`);
    if (!ACTIONS.has(r.action.type)) bad(`${where}: unknown action type ${JSON.stringify(r.action.type)}`);
    if (r.path !== undefined && typeof r.path !== 'string') bad(`${where}: path must be a string pattern`);
    nonNeg(r.skip, `${where}.skip`);
    nonNeg(r.times, `${where}.times`);
    if (r.every !== undefined && !(typeof r.every === 'number' && r.every >= 1))
      bad(`${where}.every must be ≥ 1`);
    if (r.probability !== undefined && !(r.probability >= 0 && r.probability <= 1))
      bad(`${where}.probability must be in [0, 1]`);
    if (r.action.type === 'hideItems') {
      const { from, count, total } = r.action;
      if (!Number.isSafeInteger(from) || from < 0) bad(`${where}.action.from must be an integer ≥ 0`);
      if (!Number.isSafeInteger(count) || count < 1) bad(`${where}.action.count must be an integer ≥ 1`);
      if (total !== undefined && total !== 'visible' && total !== 'all')
        bad(`${where}.action.total must be "visible" or "all"`);
    }
  });
}
