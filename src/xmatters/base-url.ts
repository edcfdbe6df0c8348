import { XmattersError, XmattersErrorCode } from './errors.js';

/**
 * The only API version xMatters serves; every client hard-codes it (docs/xmatters-api.md, "Base URL and
 * transport").
 */
export const API_BASE_PATH = '/api/xm/1';

const EXAMPLE = 'https://company.xmatters.com/api/xm/1';

/** True for hosts that never leave the machine: 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return m !== null && m.slice(1).every((part) => Number(part) <= 255);
}

function fail(message: string): never {
  throw new XmattersError(XmattersErrorCode.CONFIG, message);
}

/** The URL as it may be shown: user info removed so a password typed into the URL is never echoed. */
function describe(raw: string): string {
  // Up to the last "@": a password may itself hold "@" or "/", and a base URL has no other use for "@".
  const shown = raw.replace(/\/\/.*@/, '//***@');
  return JSON.stringify(shown.length > 200 ? `${shown.slice(0, 200)}…` : shown);
}

/**
 * Validates the configured base URL and returns it normalised to `<origin>/api/xm/1`.
 * Rules: absolute; `https:`, or `http:` only for loopback hosts; no credentials, query or fragment; the
 * path must be exactly `/api/xm/1` (one trailing slash tolerated; a prefix before it is named as such). Throws XM_CONFIG otherwise,
 * suggesting the corrected URL where one can be derived.
 */
export function parseBaseUrl(raw: string): URL {
  const trimmed = raw.trim();
  if (trimmed === '')
    fail(`The xMatters base URL is empty. Set it to your instance's API URL, e.g. ${EXAMPLE}.`);
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    // With a scheme it was meant as an absolute URL: the host or port is what is wrong (e.g. port 99999).
    fail(
      /^[a-z][a-z\d+.-]*:\/\//i.test(trimmed)
        ? `The xMatters base URL ${describe(trimmed)} is not a valid URL; check its host name and port. Use the full API URL, e.g. ${EXAMPLE}.`
        : `The xMatters base URL ${describe(trimmed)} is not an absolute URL. Use the full API URL, e.g. ${EXAMPLE}.`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    fail(
      `The xMatters base URL ${describe(trimmed)} contains credentials. Remove them from the URL and pass the ` +
        'user name and password (or API key and secret) as their own settings.',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    fail(`The xMatters base URL ${describe(trimmed)} must use https:, e.g. ${EXAMPLE}.`);
  }
  const path = url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
  // xMatters serves the API at the root of the instance: anything before /api/xm/1 is a path prefix.
  const prefix = path.endsWith(API_BASE_PATH) ? path.slice(0, -API_BASE_PATH.length) : undefined;
  const insecure = url.protocol === 'http:' && !isLoopbackHost(url.hostname);
  const scheme = insecure ? 'https:' : url.protocol;
  const suggestion = `${scheme}//${url.host}${API_BASE_PATH}`;
  const problems: string[] = [];
  if (insecure) {
    problems.push('uses plain http: to a non-loopback host, so the credentials would be sent unencrypted');
  }
  if (prefix !== undefined && prefix !== '') {
    problems.push(
      `has the path prefix ${JSON.stringify(prefix)} before ${API_BASE_PATH}; xMatters serves its REST API ` +
        'at the root of the instance address',
    );
  }
  if (problems.length > 0) {
    fail(`The xMatters base URL ${describe(trimmed)} ${problems.join(', and ')}. Use ${suggestion}.`);
  }
  if (url.search !== '' || url.hash !== '') {
    fail(`The xMatters base URL ${describe(trimmed)} must not have a query or fragment. Use ${suggestion}.`);
  }
  if (path !== API_BASE_PATH) {
    fail(
      `The xMatters base URL ${describe(trimmed)} must end in ${API_BASE_PATH} (the REST API path). ` +
        `Did you mean ${suggestion}?`,
    );
  }
  return new URL(suggestion);
}
