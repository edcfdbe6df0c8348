import type { ClientLogger } from './request-context.js';
import { XmattersError, XmattersErrorCode } from './errors.js';

export interface XmattersClientOptions {
  /** `https://<company>.xmatters.com/api/xm/1`; plain http only for loopback hosts. */
  baseUrl: string;
  /** A user name, or an API key (`x-api-key-…`), passed through unchanged. */
  username: string;
  /** The password, or the API key's secret. Never logged, never in an error. */
  password: string;
  /** Items per page; default 1000, the API's maximum. */
  pageSize?: number;
  /** Per-request timeout covering connect, headers and body; default 60 000 ms. */
  timeoutMs?: number;
  /** Attempts per request, the first included; default 6. */
  maxAttempts?: number;
  /** Bound on the total backoff wait of one request; default 120 000 ms. */
  maxTotalWaitMs?: number;
  /** Requests in flight at most, shared by all calls of this client; default 5. */
  maxInFlight?: number;
  logger?: ClientLogger;
  /** Injectable for tests: must reject with the signal's reason when it aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export const CLIENT_DEFAULTS = Object.freeze({
  pageSize: 1000,
  timeoutMs: 60_000,
  maxAttempts: 6,
  maxTotalWaitMs: 120_000,
  maxInFlight: 5,
});

/** Limits that keep a typo from turning into a denial of service on the customer's xMatters. */
const RANGES = {
  pageSize: [1, 1000],
  timeoutMs: [1, 3_600_000],
  maxAttempts: [1, 100],
  maxTotalWaitMs: [0, 86_400_000],
  maxInFlight: [1, 64],
} as const;

export type ResolvedNumbers = { -readonly [K in keyof typeof CLIENT_DEFAULTS]: number };

/** Checks credentials and numeric options; throws one XM_CONFIG error listing every problem. */
export function resolveClientOptions(opts: XmattersClientOptions): ResolvedNumbers {
  const problems: string[] = [];
  if (typeof opts.username !== 'string' || opts.username.trim() === '')
    problems.push('the user name is empty');
  else if (opts.username.includes(':')) {
    problems.push('the user name contains ":", which HTTP Basic authentication cannot carry');
  }
  if (typeof opts.password !== 'string' || opts.password === '')
    problems.push('the password (or API secret) is empty');
  const out = { ...CLIENT_DEFAULTS } as ResolvedNumbers;
  for (const key of Object.keys(RANGES) as (keyof typeof RANGES)[]) {
    const v = opts[key];
    if (v === undefined) continue;
    const [min, max] = RANGES[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      problems.push(`${key} must be an integer from ${min} to ${max} (got ${JSON.stringify(v)})`);
    } else out[key] = v;
  }
  if (problems.length > 0) {
    throw new XmattersError(
      XmattersErrorCode.CONFIG,
      `Invalid xMatters client settings: ${problems.join('; ')}.`,
    );
  }
  return out;
}
