import { API_BASE_PATH } from './base-url.js';
import { XmattersError, XmattersErrorCode } from './errors.js';

/**
 * Turns a `links.next` value into a path+query on the configured origin. xMatters links are root-relative
 * (`/api/xm/1/people?offset=100&limit=100`, xmatters-api.md §3.1); resolving them against the origin, never
 * the base URL, avoids doubling `/api/xm/1`. An absolute link to any other scheme, host or port is refused
 * before any request, so credentials never leave the configured origin.
 */
export function resolveNextLink(next: string, origin: string, fromPath: string): string {
  let url: URL;
  try {
    // A link without a leading slash is relative to the API base, as a browser would resolve it there.
    url = new URL(next, `${origin}${API_BASE_PATH}/`);
  } catch (cause) {
    throw new XmattersError(
      XmattersErrorCode.BAD_RESPONSE,
      `xMatters returned an unusable pagination link from GET ${fromPath}; the listing cannot continue.`,
      { method: 'GET', path: fromPath, cause },
    );
  }
  if (url.origin !== origin) {
    throw new XmattersError(
      XmattersErrorCode.FOREIGN_ORIGIN,
      `xMatters returned a pagination link from GET ${fromPath} that points to another origin ` +
        `(${url.protocol}//${url.host}, configured ${origin}); it was not followed and no credentials were sent. ` +
        'Check that the base URL is the xMatters instance itself and not a proxy that rewrites links.',
      { method: 'GET', path: fromPath },
    );
  }
  let path = url.pathname;
  // Tolerate a gateway that drops the API prefix from its links rather than requesting outside the API.
  if (path !== API_BASE_PATH && !path.startsWith(`${API_BASE_PATH}/`)) path = `${API_BASE_PATH}${path}`;
  return `${path}${url.search}`;
}

/** A comparison key for request paths: the same path with the same parameters in any order. */
export function requestKey(pathAndQuery: string): string {
  const url = new URL(pathAndQuery, 'http://x');
  url.searchParams.sort();
  return `${url.pathname}?${url.searchParams.toString()}`;
}
