/**
 * Fault injection options, all JSON-serialisable so they can also be set over the admin endpoint.
 * Global knobs model the server's capacity (latency, a concurrency cap and a token-bucket rate limit, both
 * answered with 429); rules inject one kind of failure each on the requests they select.
 * See src/simulator/README.md for examples.
 */
export interface SimFaults {
  /** Added to every API response. */
  latencyMs?: number;
  /** Added per item in a list response (`data.length × perItemLatencyMs`). */
  perItemLatencyMs?: number;
  /** More than `max` requests in flight → 429 (with `Retry-After: retryAfterSeconds` when set). */
  concurrencyLimit?: { max: number; retryAfterSeconds?: number };
  /** Token bucket: `perSecond` refill, `burst` capacity (default perSecond). Empty → 429. */
  rateLimit?: { perSecond: number; burst?: number; retryAfter?: boolean; rateLimitHeaders?: boolean };
  /** Evaluated in order for every API request. */
  rules?: FaultRule[];
  /** Seeds the probability draws and random statuses. */
  seed?: number;
}

/**
 * Selects requests and injects one action into them. Selection: the path (under /api/xm/1) must match
 * `path` (`*` = one segment, `**` = anything; default all); the first `skip` matches pass untouched; then
 * only every `every`-th match is eligible; each eligible one fires with `probability`; at most `times` fire.
 */
export interface FaultRule {
  name?: string;
  path?: string;
  skip?: number;
  every?: number;
  probability?: number;
  times?: number;
  action: FaultAction;
}

export type BadBodyKind =
  | 'invalid-json'
  | 'html-200'
  | 'truncated'
  | 'closed-mid-body'
  | 'wrong-content-type'
  | 'empty'
  | 'not-a-list';
export type AbsurdKind =
  | 'long-name'
  | 'control-chars'
  | 'lone-surrogate'
  | 'invalid-utf8'
  | 'huge-total'
  | 'negative-total'
  | 'wrong-types';
export type MutationOp = 'insertPeople' | 'removePeople' | 'insertGroups' | 'removeGroups';

export type FaultAction =
  /** Answer with this status (one drawn at random from a list); a JSON error body, an HTML page or nothing. */
  | {
      type: 'status';
      status: number | number[];
      retryAfter?: string | number;
      body?: 'json' | 'html' | 'empty';
      /** The `message` of the JSON error object (default `Injected <status> <reason>`). */
      message?: string;
    }
  /** Hold the response this long (a slow response; beyond the client's timeout to force one). */
  | { type: 'delay'; ms: number }
  /** Destroy the connection without answering. */
  | { type: 'reset' }
  /**
   * A 200 whose body is not usable: `truncated` is cut JSON with a matching Content-Length; `closed-mid-body`
   * promises the whole body in Content-Length, sends half and destroys the connection.
   */
  | { type: 'badBody'; kind: BadBodyKind }
  /** List responses: `links.next` pointing at another origin. */
  | { type: 'foreignNext'; origin: string }
  /** List responses: `links.next` pointing at the previous page (the same page at offset 0). */
  | { type: 'repeatNext' }
  /** List responses: no `links.next` although more items exist. */
  | { type: 'dropNext' }
  /** List responses: the previous page's last `count` items (default 1) repeated at the start. */
  | { type: 'duplicates'; count?: number }
  /** List responses: only `count` items (default half the page), `next` continuing right after them. */
  | { type: 'shortPage'; count?: number }
  /**
   * List responses: a server that filters by permission after paging. The items at listing positions
   * `from`..`from + count - 1` are removed from the pages that hold them, so those pages come back short or
   * empty while `links.next` still continues as if they were there. `total` counts only the visible items
   * (`'visible'`, the default) or all of them (`'all'`). Positions, not request order, pick the items, so the
   * answer is the same whatever order or concurrency the pages are requested in.
   */
  | { type: 'hideItems'; from: number; count: number; total?: 'visible' | 'all' }
  /** List responses: one item (index, default 0) with a required field missing, empty or of the wrong type. */
  | {
      type: 'invalidItem';
      field: 'id' | 'targetName' | 'recipientType';
      mode?: 'missing' | 'empty' | 'wrongType';
      index?: number;
    }
  /** List responses: absurd but well-formed values. */
  | { type: 'absurd'; kind: AbsurdKind }
  /** After answering: insert or delete records (positions in ascending target-name order). */
  | { type: 'mutate'; op: MutationOp; count?: number; position?: 'start' | 'end' | 'random' }
  /** Delete a group: `groupId` after answering, or else the group this request addresses, before answering. */
  | { type: 'deleteGroup'; groupId?: string };

/** Compiles a path pattern: `*` matches one segment, `**` any run of characters. */
export function compilePathPattern(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (ch === '*') re += '[^/]+';
    else re += ch.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
