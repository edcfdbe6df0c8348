import { API_BASE_PATH } from './base-url.js';
import { XmattersError, XmattersErrorCode } from './errors.js';
import { fetchPage, type Page } from './fetch-page.js';
import type { ListOptions } from './list-options.js';
import type { Parsed } from './models/fields.js';
import type { RequestContext } from './request-context.js';
import { requestKey } from './resolve-next-link.js';

/** What to list and how to read its items. */
export interface ListSpec<T> {
  /** Path under the API base, e.g. `/people`; ids in it encoded with encodePathSegment. */
  path: string;
  /** Extra query parameters (sortBy, sortOrder, embed); offset and limit are added here. */
  params: Record<string, string>;
  parse: (raw: unknown) => Parsed<T>;
  /** De-duplication key: the same key twice in one listing yields the item once. */
  key: (item: T) => string;
}

/** Extra passes made when the data changed under the first one (the total moved). */
const MAX_VERIFY_PASSES = 2;
/** Non-empty pages in a row holding only items seen before: a server cycling its links, not progress. */
const MAX_STALE_PAGES = 10;
/**
 * Empty pages in a row that still link on. A server that filters by permission after paging answers one
 * for every page of items the account may not see, so many in a row are legal; this many is a server
 * linking on forever.
 */
const MAX_EMPTY_PAGES = 1000;

const noop = (): void => undefined;

/** The `offset` parameter of a request path, when it has a usable one. */
function offsetOf(path: string): number | undefined {
  return intParam(path, 'offset');
}

function intParam(path: string, name: string): number | undefined {
  const q = path.indexOf('?');
  const raw = q < 0 ? null : new URLSearchParams(path.slice(q + 1)).get(name);
  if (raw === null || !/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : undefined;
}

function withParam(path: string, name: string, value: number): string {
  const q = path.indexOf('?');
  const params = new URLSearchParams(q < 0 ? '' : path.slice(q + 1));
  params.set(name, String(value));
  return `${q < 0 ? path : path.slice(0, q)}?${params.toString()}`;
}

/**
 * Lists every item of a paged endpoint and yields them page by page.
 *
 * `links.next` is the authority: every page's `next` is followed when present and not yet requested,
 * whatever the page holds (a server that filters by permission after paging answers short and empty pages
 * that still link on). To be fast in the normal case, the first pass also requests ahead the offsets that
 * the first page's `total` announces, on the stride its `next` shows, a window of `limiter.max` pages at a
 * time; a `next` pointing at a page already requested ahead joins it (a short page's `next` is asked with
 * the limit that closes the gap). That is exactly one request per page when nothing is odd. Requests ahead
 * stop at an empty page without `next` (the end), so an absurd `total` costs a few requests, not a loop.
 *
 * Loops are caught by what was requested, never by page fullness: a `next` to an offset at or before the
 * page's own, or to an opaque link already requested, is an XM_PAGINATION error; so are many pages in a
 * row of items already seen, or endless empty pages. When the `total` moved while paging (data changed),
 * the listing is walked again by `next` links and only unseen items are yielded. At the end, a listing
 * with fewer distinct items than its first `total`, or whose `total` moved, is reported to
 * `onListingShort` with both numbers.
 */
export async function* paginate<T>(
  ctx: RequestContext,
  spec: ListSpec<T>,
  opts: ListOptions = {},
): AsyncGenerator<T[]> {
  const listing = new Listing(ctx, spec, opts);
  const onAbort = (): void => listing.controller.abort(opts.signal?.reason);
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let complete = false;
  try {
    let changed: boolean = yield* listing.walk(true);
    for (let pass = 0; changed && pass < MAX_VERIFY_PASSES; pass++) {
      ctx.stats.verificationPasses++;
      ctx.logger?.debug(
        { path: spec.path, pass: pass + 1 },
        'xMatters data changed while paging; listing again',
      );
      changed = yield* listing.walk(false);
    }
    listing.reportShort();
    complete = true;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    // Stops requests still in flight when the consumer stopped early or a page failed.
    if (!complete) listing.controller.abort(new DOMException('listing stopped', 'AbortError'));
  }
}

interface Pending {
  path: string;
  promise: Promise<Page>;
}

class Listing<T> {
  readonly controller = new AbortController();
  private readonly seen = new Set<string>();
  /** Invalid items of the first pass (reported one by one; counted as listed, so not reported short too). */
  private invalid = 0;
  private passes = 0;
  private firstTotal: number | undefined;
  private lastTotal: number | undefined;
  private totalMoved = false;

  constructor(
    private readonly ctx: RequestContext,
    private readonly spec: ListSpec<T>,
    private readonly opts: ListOptions,
  ) {}

  private pathAt(offset: number, limit = this.ctx.pageSize): string {
    const q = new URLSearchParams({
      offset: String(offset),
      limit: String(limit),
      ...this.spec.params,
    });
    return `${API_BASE_PATH}${this.spec.path}?${q.toString()}`;
  }

  private fetch(path: string): Promise<Page> {
    return fetchPage(this.ctx, path, this.controller.signal);
  }

  /**
   * Validates and de-duplicates a page's items, reporting the invalid ones. `passKeys` collects the keys this
   * pass has read; `fresh` says whether the page held any it had not (a verification pass re-reads items the
   * listing already yielded, which is progress, not a cycle).
   */
  private emit(page: Page, passKeys?: Set<string>): { items: T[]; fresh: boolean } {
    const out: T[] = [];
    let fresh = false;
    page.items.forEach((raw, index) => {
      const r = this.spec.parse(raw);
      if (!r.ok) {
        if (this.passes === 1) this.invalid++;
        this.opts.onInvalidItem?.({
          path: page.path,
          index,
          reason: r.reason,
          ...(r.id === undefined ? {} : { id: r.id }),
        });
        return;
      }
      const key = this.spec.key(r.value);
      if (passKeys !== undefined && !passKeys.has(key)) {
        passKeys.add(key);
        fresh = true;
      }
      if (this.seen.has(key)) {
        this.ctx.stats.duplicatesSkipped++;
        return;
      }
      this.seen.add(key);
      fresh = true;
      out.push(r.value);
    });
    return { items: out, fresh };
  }

  private noteTotal(total: number | undefined, firstPage: boolean): void {
    if (total === undefined) return;
    if (firstPage && this.passes === 1) this.firstTotal = total;
    else if (this.firstTotal !== undefined && total !== this.firstTotal) this.totalMoved = true;
    this.lastTotal = total;
  }

  /** Tells `onListingShort` when the listing holds fewer distinct items than promised, or the total moved. */
  reportShort(): void {
    if (this.firstTotal === undefined || this.lastTotal === undefined) return;
    const listed = this.seen.size + this.invalid;
    if (listed >= this.firstTotal && !this.totalMoved) return;
    this.opts.onListingShort?.({
      path: this.pathAt(0),
      promised: this.firstTotal,
      lastTotal: this.lastTotal,
      listed,
    });
  }

  /**
   * One walk over the listing. With `ahead` (the first pass) pages are requested ahead by offset; without
   * (a verification pass) only `next` links are followed, one page at a time, and a page counts as stale
   * only when this pass has already read all of its items. Returns whether the total moved during the walk.
   */
  async *walk(ahead: boolean): AsyncGenerator<T[], boolean> {
    this.passes++;
    const passKeys = ahead ? undefined : new Set<string>();
    const requested = new Set<string>();
    /** Offsets a page was requested at, whatever its limit: a chain reaching one joins that page. */
    const offsets = new Set<number>();
    const totals = new Set<number>();
    const queue: Pending[] = [];
    const request = (path: string): void => {
      requested.add(requestKey(path));
      const offset = offsetOf(path);
      if (offset !== undefined) offsets.add(offset);
      const promise = this.fetch(path);
      promise.catch(noop); // awaited in order below; this only keeps early failures from being "unhandled"
      queue.push({ path, promise });
    };

    // Requests ahead: offsets `stride` apart below `end`, with the limit the server's own links use.
    let stride = 0;
    let limit = this.ctx.pageSize;
    let end = 0;
    let nextOffset = 0;
    let requestingAhead = false;
    const window = Math.max(1, this.ctx.limiter.max);
    const scheduleAhead = (): void => {
      while (requestingAhead && queue.length < window && nextOffset < end) {
        const path = this.pathAt(nextOffset, limit);
        nextOffset += stride;
        if (!requested.has(requestKey(path))) request(path);
      }
    };

    request(this.pathAt(0));
    let firstPage = true;
    let stale = 0;
    let empty = 0;
    for (let head = queue.shift(); head !== undefined; head = queue.shift()) {
      const page = await head.promise;
      if (page.total !== undefined) totals.add(page.total);
      this.noteTotal(page.total, firstPage);
      const { items, fresh } = this.emit(page, passKeys);
      this.guardProgress(page, fresh, (stale = page.items.length > 0 && !fresh ? stale + 1 : 0));
      empty = page.items.length === 0 ? empty + 1 : 0;
      if (empty > MAX_EMPTY_PAGES) {
        throw new XmattersError(
          XmattersErrorCode.PAGINATION,
          `xMatters answered ${MAX_EMPTY_PAGES} empty pages in a row that still link on (last GET ${page.path}); ` +
            'stopping instead of looping. This is a server-side paging fault; retry later.',
          { method: 'GET', path: page.path },
        );
      }
      if (items.length > 0) yield items;

      if (firstPage) {
        firstPage = false;
        const nextAt = page.next === undefined ? undefined : offsetOf(page.next);
        stride = nextAt !== undefined && nextAt > 0 ? nextAt : page.items.length || this.ctx.pageSize;
        limit = (page.next === undefined ? undefined : intParam(page.next, 'limit')) ?? this.ctx.pageSize;
        end = page.total ?? 0;
        nextOffset = stride;
        // A first page without `next` whose `total` announces more is a dropped link, not the end.
        requestingAhead = ahead && end > stride && (page.next !== undefined || end > page.items.length);
      }
      if (page.next === undefined && page.items.length === 0) requestingAhead = false; // past the end
      // Ahead first, so a `next` that matches a page requested ahead joins it instead of asking twice.
      scheduleAhead();
      if (page.next !== undefined)
        this.follow(page, page.next, { requested, offsets }, request, ahead ? stride : 0);
    }
    return totals.size > 1;
  }

  /** Requests the page `next` points at, unless it was requested already; refuses links that go back. */
  private follow(
    page: Page,
    next: string,
    seen: { requested: Set<string>; offsets: Set<number> },
    request: (path: string) => void,
    stride: number,
  ): void {
    const from = offsetOf(page.path);
    const to = offsetOf(next);
    const known = seen.requested.has(requestKey(next)) || (to !== undefined && seen.offsets.has(to));
    if ((from !== undefined && to !== undefined && to <= from) || (known && to === undefined)) {
      throw new XmattersError(
        XmattersErrorCode.PAGINATION,
        `xMatters returned a "next" link from GET ${page.path} to a page already requested (${next}); ` +
          'stopping instead of looping. This is a server-side paging fault; retry later.',
        { method: 'GET', path: page.path },
      );
    }
    if (known) return; // requested ahead: the chain goes on from there
    if (to !== undefined && stride > 0 && to % stride !== 0) {
      // A short page: ask only for the gap up to the next page requested ahead, so the chain joins it
      // instead of re-reading the rest of the listing on a shifted grid.
      const joinAt = Math.ceil(to / stride) * stride;
      const limit = intParam(next, 'limit');
      if (limit !== undefined && limit > joinAt - to && seen.offsets.has(joinAt)) {
        request(withParam(next, 'limit', Math.min(limit, joinAt - to)));
        return;
      }
    }
    request(next);
  }

  private guardProgress(page: Page, fresh: boolean, stale: number): void {
    if (page.items.length === 0 || fresh || stale < MAX_STALE_PAGES) return;
    throw new XmattersError(
      XmattersErrorCode.PAGINATION,
      `xMatters kept returning pages of items already seen (${MAX_STALE_PAGES} in a row, last GET ${page.path}); ` +
        'stopping instead of looping. This is a server-side paging fault; retry later.',
      { method: 'GET', path: page.path },
    );
  }
}
