/**
 * When and how long to wait before retrying a GET. Data plus pure functions, so tests can pin each rule.
 * xMatters publishes no limits and rarely sends Retry-After (docs/xmatters-api.md, "Rate limits, errors and
 * retries"): exponential backoff with full jitter spreads retries from concurrent requests, and server hints
 * win when present.
 */
export interface RetryPolicy {
  /** First backoff ceiling; doubles per attempt. */
  readonly baseDelayMs: number;
  /** Ceiling of the exponential backoff. */
  readonly maxDelayMs: number;
  /** Ceiling of any wait the server asks for (Retry-After, x-ratelimit-*). */
  readonly maxServerDelayMs: number;
  /** Statuses worth retrying: throttling and transient gateway/server failures. */
  readonly retryStatuses: readonly number[];
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxServerDelayMs: 60_000,
  retryStatuses: Object.freeze([429, 500, 502, 503, 504]),
});

/** Full-jitter backoff for the given 1-based attempt that just failed: uniform in [0, min(cap, base·2^(n-1))). */
export function backoffDelay(
  attempt: number,
  random: () => number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * ceiling);
}
