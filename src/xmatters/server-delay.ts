/**
 * Reads how long the server asked us to wait. `Retry-After` is seconds or an HTTP date (RFC 9110 §10.2.3);
 * xMatters has been seen sending `x-ratelimit-limit`, `x-ratelimit-period_in_sec` and `x-ratelimit-used`
 * (docs/xmatters-api.md, "Rate limits, errors and retries"), and other gateways send `x-ratelimit-reset` /
 * `x-ratelimit-remaining`. None is guaranteed, so the result is a hint the caller caps.
 */
export type HeaderMap = Record<string, string | string[] | undefined>;

const header = (headers: HeaderMap, name: string): string | undefined => {
  const v = headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined ? undefined : s.trim();
};

const NUMBER = /^\d+(\.\d+)?$/;

/** Seconds-from-now, epoch seconds, epoch milliseconds or an HTTP date, as milliseconds from `nowMs`. */
function resetToDelay(value: string, nowMs: number): number | undefined {
  if (NUMBER.test(value)) {
    const n = Number(value);
    if (n > 1e12) return n - nowMs; // epoch milliseconds
    if (n > 1e9) return n * 1000 - nowMs; // epoch seconds
    return n * 1000;
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date - nowMs;
}

/** The wait in milliseconds the response headers ask for, or undefined when they ask for nothing usable. */
export function serverRequestedDelay(headers: HeaderMap, nowMs: number): number | undefined {
  const retryAfter = header(headers, 'retry-after');
  if (retryAfter !== undefined && retryAfter !== '') {
    // Retry-After seconds are always relative, however large; only its date form is absolute.
    const d = NUMBER.test(retryAfter) ? Number(retryAfter) * 1000 : resetToDelay(retryAfter, nowMs);
    if (d !== undefined) return Math.max(0, Math.ceil(d));
  }
  const reset = header(headers, 'x-ratelimit-reset') ?? header(headers, 'ratelimit-reset');
  if (reset !== undefined && reset !== '') {
    const d = resetToDelay(reset, nowMs);
    if (d !== undefined) return Math.max(0, Math.ceil(d));
  }
  const period = header(headers, 'x-ratelimit-period_in_sec');
  const limit = header(headers, 'x-ratelimit-limit');
  const used = header(headers, 'x-ratelimit-used');
  const remaining = header(headers, 'x-ratelimit-remaining');
  const exhausted =
    remaining === '0' ||
    (limit !== undefined &&
      used !== undefined &&
      NUMBER.test(limit) &&
      NUMBER.test(used) &&
      Number(used) >= Number(limit));
  if (exhausted && period !== undefined && NUMBER.test(period)) return Math.ceil(Number(period) * 1000);
  return undefined;
}
