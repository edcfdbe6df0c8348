import { API_BASE_PATH } from './base-url.js';
import { XmattersError, XmattersErrorCode } from './errors.js';
import { fetchPage, type Page } from './fetch-page.js';
import type { ListOptions } from './list-options.js';
import type { Parsed } from './models/fields.js';
import type { RequestContext } from './request-context.js';
import { requestKey } from './resolve-next-link.js';

/** What to list and how to read its items. */
export interface ListSpec<T> {
  /** Path under the API base, e.g. `/people`. */
  path: string;
  /** Extra query parameters (sortBy, sortOrder, embed); offset and limit are added here. */
  params: Record<string, string>;
  parse: (raw: unknown) => Parsed<T>;
  /** De-duplication key: the same key twice in one listing yields the item once. */
  key: (item: T) => string;
}

/** Extra passes made when the data changed under the first one (total moved, pages came back short). */
const MAX_VERIFY_PASSES = 2;
/** Non-empty pages in a row holding only items seen before: a server cycling its links, not progress. */
const MAX_STALE_PAGES = 10;

const noop = (): void => undefined;

/**
 * Lists every item of a paged endpoint and yields them page by page.
 *
 * Pass 1 reads the first page, then fetches the remaining offsets that its `total` announces concurrently
 * (through the shared limiter, a window of `limiter.max` pages ahead, stopping at the first empty page so an
 * absurd `total` costs a few requests, not a loop), then follows `links.next` from the last page so items
 * appended meanwhile are not missed. In the normal case that is exactly one request per page.
 * If the data visibly changed while paging (different totals, short or empty pages before the end), offset
 * paging may have skipped items, so the listing is walked again sequentially by `next` links and only unseen
 * items are yielded. Duplicates are dropped by key; the listing stops when `next` is absent or a page is empty;
 * a `next` link already requested is an XM_PAGINATION error, never a loop.
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
    let changed: boolean = yield* listing.fastPass();
    for (let pass = 0; changed && pass < MAX_VERIFY_PASSES; pass++) {
      ctx.stats.verificationPasses++;
      ctx.logger?.debug(
        { path: spec.path, pass: pass + 1 },
        'xMatters data changed while paging; listing again',
      );
      changed = yield* listing.sequentialPass();
    }
    complete = true;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    // Stops prefetches still in flight when the consumer stopped early or a page failed.
    if (!complete) listing.controller.abort(new DOMException('listing stopped', 'AbortError'));
  }
}

class Listing<T> {
  readonly controller = new AbortController();
  private readonly seen = new Set<string>();

  constructor(
    private readonly ctx: RequestContext,
    private readonly spec: ListSpec<T>,
    private readonly opts: ListOptions,
  ) {}

  private pathAt(offset: number): string {
    const q = new URLSearchParams({
      offset: String(offset),
      limit: String(this.ctx.pageSize),
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

  async *fastPass(): AsyncGenerator<T[], boolean> {
    const visited = new Set<string>();
    const totals = new Set<number>();
    const firstPath = this.pathAt(0);
    visited.add(requestKey(firstPath));
    const first = await this.fetch(firstPath);
    if (first.total !== undefined) totals.add(first.total);
    const firstItems = this.emit(first).items;
    if (firstItems.length > 0) yield firstItems;
    if (first.items.length === 0) return false;
    // A first page without `next` whose `total` announces more items is a gateway or server dropping the
    // link, not the end: trusting it would silently lose everything after page one. The offsets below fetch
    // the rest (stopping at the first empty page, so an absurd total costs a few requests, not a loop).
    const moreAnnounced = first.total !== undefined && first.total > first.items.length;
    if (first.next === undefined && !moreAnnounced) return false;

    const pageLen = first.items.length;
    let last: Page | undefined = first;
    let anomaly = false;
    if (first.total !== undefined && first.total > pageLen) {
      const end = first.total;
      const window = Math.max(1, this.ctx.limiter.max);
      const pending: { offset: number; promise: Promise<Page> }[] = [];
      let nextOffset = pageLen;
      let stop = false;
      const schedule = (): void => {
        while (!stop && pending.length < window && nextOffset < end) {
          const path = this.pathAt(nextOffset);
          visited.add(requestKey(path));
          const promise = this.fetch(path);
          promise.catch(noop); // awaited in order below; this only keeps early failures from being "unhandled"
          pending.push({ offset: nextOffset, promise });
          nextOffset += pageLen;
        }
      };
      schedule();
      for (let head = pending.shift(); head !== undefined; head = pending.shift()) {
        const page = await head.promise;
        if (page.total !== undefined) totals.add(page.total);
        if (page.items.length === 0) {
          // Items vanished under us: stop scheduling, skip the `next` chain, let the sequential pass settle it.
          stop = true;
          anomaly = true;
          last = undefined;
        } else {
          if (page.items.length < pageLen && head.offset + pageLen < (page.total ?? end)) anomaly = true;
          if (!stop) last = page;
        }
        const items = this.emit(page).items;
        if (items.length > 0) yield items;
        schedule();
      }
    }
    if (last !== undefined) {
      const before = visited.size;
      yield* this.chain(last, visited, totals);
      if (visited.size > before && last !== first) anomaly = true;
    }
    return anomaly || totals.size > 1;
  }

  async *sequentialPass(): AsyncGenerator<T[], boolean> {
    const visited = new Set<string>();
    const totals = new Set<number>();
    const path = this.pathAt(0);
    visited.add(requestKey(path));
    const first = await this.fetch(path);
    if (first.total !== undefined) totals.add(first.total);
    const passKeys = new Set<string>();
    const items = this.emit(first, passKeys).items;
    if (items.length > 0) yield items;
    yield* this.chain(first, visited, totals, passKeys);
    return totals.size > 1;
  }

  /**
   * Follows `links.next` from `from` until it is absent or a page is empty. With `passKeys` (a verification
   * pass), a page counts as stale only when this pass has already read all of its items; without, when the
   * listing has.
   */
  private async *chain(
    from: Page,
    visited: Set<string>,
    totals: Set<number>,
    passKeys?: Set<string>,
  ): AsyncGenerator<T[], void> {
    let page = from;
    let stale = 0;
    while (page.next !== undefined && page.items.length > 0) {
      const key = requestKey(page.next);
      if (visited.has(key)) {
        throw new XmattersError(
          XmattersErrorCode.PAGINATION,
          `xMatters returned a "next" link from GET ${page.path} to a page already requested (${page.next}); ` +
            'stopping instead of looping. This is a server-side paging fault; retry later.',
          { method: 'GET', path: page.path },
        );
      }
      visited.add(key);
      page = await this.fetch(page.next);
      if (page.total !== undefined) totals.add(page.total);
      const { items, fresh } = this.emit(page, passKeys);
      if (page.items.length > 0 && !fresh) {
        if (++stale >= MAX_STALE_PAGES) {
          throw new XmattersError(
            XmattersErrorCode.PAGINATION,
            `xMatters kept returning pages of items already seen (${MAX_STALE_PAGES} in a row, last GET ${page.path}); ` +
              'stopping instead of looping. This is a server-side paging fault; retry later.',
            { method: 'GET', path: page.path },
          );
        }
      } else stale = 0;
      if (items.length > 0) yield items;
    }
  }
}
