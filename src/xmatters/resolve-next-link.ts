import { API_BASE_PATH } from './base-url.js';
import { XmattersError, XmattersErrorCode } from './errors.js';
import { isDotSegment } from './path-segment.js';

/**
 * Turns a `links.next` value into a path+query on the configured origin. xMatters links are root-relative
 * (`/api/xm/1/people?offset=100&limit=100`, docs/xmatters-api.md, "Lists and paging"); resolving them against
 * the origin, never the base URL, avoids doubling `/api/xm/1`. An absolute link to any other scheme, host or
 * port is refused before any request, so credentials never leave the configured origin.
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
  let path = literalPath(next);
  // Tolerate a gateway that drops the API prefix from its links rather than requesting outside the API.
  if (path !== API_BASE_PATH && !path.startsWith(`${API_BASE_PATH}/`)) path = `${API_BASE_PATH}${path}`;
  return `${path}${url.search}`;
}

/**
 * The link's path as written, without the dot-segment resolution a URL parse applies: a group whose id is
 * `..` has its roster at `/groups/%2E%2E/members`, which `new URL` would turn into `/members`. Dot-only
 * segments are sent encoded; every other segment is escaped as a URL parser escapes it.
 */
function literalPath(link: string): string {
  let rest = link.replace(/#.*$/s, '').replace(/^(?:[a-z][a-z\d+.-]*:)?\/\/[^/?]*/i, '');
  const q = rest.indexOf('?');
  if (q >= 0) rest = rest.slice(0, q);
  if (!rest.startsWith('/')) rest = `${API_BASE_PATH}/${rest}`;
  return rest
    .split('/')
    .map((segment) =>
      isDotSegment(segment)
        ? segment.replace(/\.|%2e/gi, '%2E')
        : new URL(`http://x/${segment}`).pathname.slice(1),
    )
    .join('/');
}

/**
 * A comparison key for request paths: the same path with the same parameters in any order. The path is
 * compared as written (no dot-segment resolution, which would make `/groups/%2E%2E/members` equal `/members`).
 */
export function requestKey(pathAndQuery: string): string {
  const q = pathAndQuery.indexOf('?');
  const path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : pathAndQuery.slice(q + 1));
  params.sort();
  return `${path}?${params.toString()}`;
}
