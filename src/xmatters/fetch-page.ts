import { bodyExcerpt } from './body-excerpt.js';
import { XmattersError, XmattersErrorCode } from './errors.js';
import { getJson } from './get-json.js';
import { isObject } from './models/fields.js';
import type { RequestContext } from './request-context.js';
import { requestKey, resolveNextLink } from './resolve-next-link.js';

/**
 * One page of a list response, its envelope checked: `{count,total,data,links{self,next?}}`
 * (docs/xmatters-api.md, "Lists and paging").
 */
export interface Page {
  /** The path+query this page was requested with. */
  path: string;
  items: unknown[];
  /** The server's `total`, when it is a plausible number. Never used to decide when to stop. */
  total: number | undefined;
  /** `links.next` resolved to a path on the configured origin. */
  next: string | undefined;
}

export async function fetchPage(
  ctx: RequestContext,
  path: string,
  signal: AbortSignal | undefined,
): Promise<Page> {
  const json = await getJson(ctx, path, signal);
  if (!isObject(json) || !Array.isArray(json.data)) {
    throw new XmattersError(
      XmattersErrorCode.BAD_RESPONSE,
      `xMatters returned JSON without a "data" list for GET ${path} (HTTP 200): "${bodyExcerpt(JSON.stringify(json) ?? '')}". ` +
        'Check that the base URL is the xMatters REST API (…/api/xm/1).',
      { status: 200, method: 'GET', path },
    );
  }
  const total =
    typeof json.total === 'number' && Number.isSafeInteger(json.total) && json.total >= 0
      ? json.total
      : undefined;
  const links = isObject(json.links) ? json.links : {};
  const raw = links.next;
  let next: string | undefined;
  if (typeof raw === 'string' && raw.trim() !== '') {
    next = resolveNextLink(raw.trim(), ctx.origin, path);
    if (requestKey(next) === requestKey(path)) {
      throw new XmattersError(
        XmattersErrorCode.PAGINATION,
        `xMatters returned a "next" link from GET ${path} that points back to the same page; stopping instead of ` +
          'looping. This is a server-side paging fault; retry later.',
        { method: 'GET', path },
      );
    }
  } else if (raw !== undefined && raw !== null && raw !== '') {
    throw new XmattersError(
      XmattersErrorCode.BAD_RESPONSE,
      `xMatters returned a "next" link that is not a string for GET ${path}.`,
      { status: 200, method: 'GET', path },
    );
  }
  return { path, items: json.data as unknown[], total, next };
}
