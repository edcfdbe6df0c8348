import { bodyExcerpt } from './body-excerpt.js';
import { XmattersError, XmattersErrorCode, type XmattersApiError } from './errors.js';
import { isObject } from './models/fields.js';
import type { RetryPolicy } from './retry-policy.js';
import type { RawResponse } from './send-get.js';
import { serverRequestedDelay } from './server-delay.js';

/** A failure worth another attempt, described for the log and for the final error. */
export interface RetryableFailure {
  kind: 'retry';
  /** Stable reason key: `http-429`, `timeout`, `reset`, … */
  reason: string;
  status?: number;
  /** What happened, in words, for the final error message. */
  detail: string;
  /** The wait the server asked for, uncapped. */
  serverDelayMs?: number;
}

export type AttemptResult = { kind: 'ok'; json: unknown } | RetryableFailure;

const contentTypeOf = (res: RawResponse): string => {
  const v = res.headers['content-type'];
  return (Array.isArray(v) ? v[0] : v) ?? '';
};

const isJsonType = (ct: string): boolean => /^application\/(?:[\w.+-]+\+)?json\b/i.test(ct.trim());

const looksLikeHtml = (body: string): boolean => /^\s*<(?:!doctype|html|head|body|\?xml|[a-z])/i.test(body);

/** The xMatters error object `{code, reason, message}` of a failed response, when the body is one. */
export function parseApiError(res: RawResponse): XmattersApiError | undefined {
  if (!isJsonType(contentTypeOf(res))) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    return undefined;
  }
  if (!isObject(parsed)) return undefined;
  const e: XmattersApiError = {};
  if (typeof parsed.code === 'number') e.code = parsed.code;
  if (typeof parsed.reason === 'string') e.reason = bodyExcerpt(parsed.reason, 100);
  if (typeof parsed.message === 'string') e.message = bodyExcerpt(parsed.message, 300);
  if (typeof parsed.subcode === 'string') e.subcode = bodyExcerpt(parsed.subcode, 100);
  return e.reason === undefined && e.message === undefined ? undefined : e;
}

/** `xMatters said: 404 Not Found: Could not find …`, or a body excerpt when there is no error object. */
export function describeBody(res: RawResponse, apiError: XmattersApiError | undefined): string {
  if (apiError !== undefined) {
    const head = [apiError.code, apiError.reason].filter((x) => x !== undefined).join(' ');
    return `xMatters said: ${[head, apiError.message].filter((x) => x !== undefined && x !== '').join(': ')}`;
  }
  const ct = contentTypeOf(res);
  if (res.body.trim() === '') return `empty body${ct === '' ? '' : `, content-type ${ct}`}`;
  return `body${ct === '' ? '' : ` (${bodyExcerpt(ct, 60)})`}: "${bodyExcerpt(res.body)}"`;
}

function badResponse(
  path: string,
  res: RawResponse,
  what: string,
  hint: string,
  cause?: unknown,
): XmattersError {
  const ct = contentTypeOf(res);
  return new XmattersError(
    XmattersErrorCode.BAD_RESPONSE,
    `xMatters returned ${what} for GET ${path} (HTTP ${res.status}, content-type ${ct === '' ? 'none' : bodyExcerpt(ct, 60)}): ` +
      `"${bodyExcerpt(res.body)}". ${hint}`,
    { status: res.status, method: 'GET', path, cause },
  );
}

const CHECK_URL =
  'Check that the base URL is the xMatters REST API of your instance (https://<company>.xmatters.com/api/xm/1) and not a login page or proxy.';

/**
 * Maps one HTTP response to parsed JSON, a retryable failure, or a typed error.
 * 401/403 messages carry the fix; the password never appears (only the user name, which is not secret).
 */
export function interpretResponse(
  res: RawResponse,
  path: string,
  username: string,
  policy: RetryPolicy,
  nowMs: number,
): AttemptResult {
  const { status } = res;
  if (status >= 200 && status < 300) {
    const ct = contentTypeOf(res);
    if (looksLikeHtml(res.body)) throw badResponse(path, res, 'an HTML page instead of JSON', CHECK_URL);
    if (!isJsonType(ct)) throw badResponse(path, res, 'a response that is not JSON', CHECK_URL);
    try {
      return { kind: 'ok', json: JSON.parse(res.body) as unknown };
    } catch (cause) {
      throw badResponse(
        path,
        res,
        'malformed or truncated JSON',
        'The response was cut off or corrupted on the way; retry, and if it persists check proxies between here and xMatters.',
        cause,
      );
    }
  }
  const apiError = parseApiError(res);
  const details = { status, method: 'GET', path, ...(apiError === undefined ? {} : { apiError }) };
  if (policy.retryStatuses.includes(status)) {
    const delay = serverRequestedDelay(res.headers, nowMs);
    return {
      kind: 'retry',
      reason: `http-${status}`,
      status,
      detail: `HTTP ${status} (${describeBody(res, apiError)})`,
      ...(delay === undefined ? {} : { serverDelayMs: delay }),
    };
  }
  if (status === 401) {
    throw new XmattersError(
      XmattersErrorCode.AUTH,
      `xMatters rejected the credentials of user "${bodyExcerpt(username, 120)}" (HTTP 401 on GET ${path}). ` +
        'Check the password; to use an API key, give the key (it starts with "x-api-key-") as the user name and its ' +
        'secret as the password. Also check that the base URL is your own xMatters instance.',
      details,
    );
  }
  if (status === 403) {
    throw new XmattersError(
      XmattersErrorCode.PERMISSION,
      `User "${bodyExcerpt(username, 120)}" is not allowed to call GET ${path} (HTTP 403). Give the user the ` +
        '"REST Web Service User" role (or another role that can read people, groups and group members) in xMatters.',
      details,
    );
  }
  if (status === 404) {
    throw new XmattersError(
      XmattersErrorCode.NOT_FOUND,
      `xMatters found nothing at GET ${path} (HTTP 404; ${describeBody(res, apiError)}).`,
      details,
    );
  }
  if (status >= 300 && status < 400) {
    throw badResponse(
      path,
      res,
      `a redirect (not followed, so credentials stay on the configured origin)`,
      CHECK_URL,
    );
  }
  if (status >= 400 && status < 500) {
    throw new XmattersError(
      XmattersErrorCode.REQUEST,
      `xMatters refused GET ${path} (HTTP ${status}; ${describeBody(res, apiError)}).`,
      details,
    );
  }
  throw new XmattersError(
    XmattersErrorCode.UNAVAILABLE,
    `xMatters failed GET ${path} with HTTP ${status} (${describeBody(res, apiError)}); this status is not retried. Try again later.`,
    details,
  );
}
