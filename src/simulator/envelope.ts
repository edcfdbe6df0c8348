/**
 * The list envelope `{count,total,data,links{self,previous?,next?}}` (docs/xmatters-api.md, "Lists and
 * paging"). Links are root-relative, keep every other query parameter, and `self` shows the effective offset
 * and limit; `next` is omitted on the last page.
 */
export interface ListEnvelope {
  count: number;
  total: number;
  data: unknown[];
  links: { self: string; previous?: string; next?: string };
}

export interface PageRequest {
  /** Full path, e.g. /api/xm/1/people. */
  path: string;
  /** The request's query (offset and limit are replaced). */
  query: URLSearchParams;
  offset: number;
  limit: number;
}

/**
 * Builds a link to `offset`; `rawCommas` writes commas unencoded, as some servers do (docs/xmatters-api.md,
 * "Lists and paging").
 */
export function pageLink(req: PageRequest, offset: number, rawCommas = false): string {
  const q = new URLSearchParams();
  for (const [k, v] of req.query) if (k !== 'offset' && k !== 'limit') q.append(k, v);
  q.set('offset', String(offset));
  q.set('limit', String(req.limit));
  const search = rawCommas ? q.toString().replace(/%2C/gi, ',') : q.toString();
  return `${req.path}?${search}`;
}

/** `end` is the offset after the last item served (it differs from offset + data.length under faults). */
export function listEnvelope(
  req: PageRequest,
  total: number,
  data: unknown[],
  end: number,
  rawCommas = false,
): ListEnvelope {
  const links: ListEnvelope['links'] = { self: pageLink(req, req.offset, rawCommas) };
  if (req.offset > 0) links.previous = pageLink(req, Math.max(0, req.offset - req.limit), rawCommas);
  if (end < total) links.next = pageLink(req, end, rawCommas);
  return { count: data.length, total, data, links };
}
