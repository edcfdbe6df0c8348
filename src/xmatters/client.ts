import { Agent } from 'undici';
import { abortableSleep } from '../common/abort.js';
import { AdaptiveLimiter } from './adaptive-limiter.js';
import { API_BASE_PATH, parseBaseUrl } from './base-url.js';
import { resolveClientOptions, type XmattersClientOptions } from './client-options.js';
import { XmattersErrorCode, hasXmattersCode, isXmattersError } from './errors.js';
import { fetchPage } from './fetch-page.js';
import type { ListOptions } from './list-options.js';
import { parseGroup, type Group } from './models/group.js';
import { parseGroupMembership, type GroupMembership } from './models/group-membership.js';
import { parsePerson, type Person } from './models/person.js';
import { parsePersonReference, type PersonReference } from './models/person-reference.js';
import { parseRole, type Role } from './models/role.js';
import { paginate, type ListSpec } from './paginate.js';
import { encodePathSegment } from './path-segment.js';
import type { ClientStats, RequestContext } from './request-context.js';
import { DEFAULT_RETRY_POLICY } from './retry-policy.js';
import { scrubSecrets } from './scrub-secrets.js';

export type GroupMembersResult =
  { found: true; members: GroupMembership[] } | { found: false; reason: string };

export type GroupSupervisorsResult =
  { found: true; supervisors: PersonReference[] } | { found: false; reason: string };

export interface PeopleListOptions extends ListOptions {
  /** Also ask for `embed=devices` and read each person's EMAIL devices (opt-in: contact data). */
  devices?: boolean;
}

export interface GroupListOptions extends ListOptions {
  /** Also ask for `embed=supervisors` (no extra request: the supervisors come inside each group). */
  supervisors?: boolean;
}

/** Responses larger than this are refused: a 1000-item page is about 1–3 MB. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * Read-only xMatters REST client. Only GET exists; every request carries Basic auth and goes to the configured
 * origin only, through one shared limiter and one keep-alive undici Agent. Lists are async iterables of pages.
 */
export class XmattersClient {
  private readonly ctx: RequestContext;
  private readonly agent: Agent;
  private readonly limiter: AdaptiveLimiter;
  private readonly secrets: string[];
  private closed = false;

  constructor(opts: XmattersClientOptions) {
    const base = parseBaseUrl(opts.baseUrl);
    const n = resolveClientOptions(opts);
    const token = Buffer.from(`${opts.username}:${opts.password}`, 'utf8').toString('base64');
    this.secrets = [opts.password, token, `${opts.username}:${opts.password}`];
    this.limiter = new AdaptiveLimiter(n.maxInFlight);
    this.agent = new Agent({
      connections: n.maxInFlight,
      keepAliveTimeout: 30_000,
      connect: { timeout: Math.min(n.timeoutMs, 30_000) },
      headersTimeout: n.timeoutMs,
      bodyTimeout: n.timeoutMs,
    });
    this.ctx = {
      origin: base.origin,
      dispatcher: this.agent,
      username: opts.username,
      headers: {
        authorization: `Basic ${token}`,
        accept: 'application/json',
        'user-agent': 'baton-xmatters',
      },
      timeoutMs: n.timeoutMs,
      maxAttempts: n.maxAttempts,
      maxTotalWaitMs: n.maxTotalWaitMs,
      maxBodyBytes: MAX_BODY_BYTES,
      pageSize: n.pageSize,
      limiter: this.limiter,
      policy: DEFAULT_RETRY_POLICY,
      logger: opts.logger,
      sleep: opts.sleep ?? abortableSleep,
      random: opts.random ?? Math.random,
      now: Date.now,
      stats: {
        requests: 0,
        retries: 0,
        retriesByReason: {},
        waitedMs: 0,
        duplicatesSkipped: 0,
        verificationPasses: 0,
      },
    };
  }

  /**
   * Cheap authenticated calls that prove the URL, the credentials and read access to everything a sync reads:
   * one person, one group and (when there is a group) one roster entry, so a missing permission fails with
   * its 403 message before anything is listed, not after the people and groups are. `roster: false` leaves
   * the roster out, for a sync that reads none (resources only, or no grants).
   */
  async checkAccess(signal?: AbortSignal, opts: { roster?: boolean } = {}): Promise<void> {
    this.assertOpen();
    try {
      await fetchPage(this.ctx, `${API_BASE_PATH}/people?offset=0&limit=1`, signal);
      const groups = await fetchPage(this.ctx, `${API_BASE_PATH}/groups?offset=0&limit=1`, signal);
      const first = groups.items.length > 0 ? parseGroup(groups.items[0]) : undefined;
      if (opts.roster !== false && first?.ok === true)
        await checkRosterAccess(this.ctx, first.value.id, signal);
    } catch (e) {
      // /people and /groups exist on every instance: a 404 here means the base URL points somewhere else.
      if (hasXmattersCode(e, XmattersErrorCode.NOT_FOUND)) {
        e.message +=
          ' Check that the base URL is the xMatters REST API of your instance (https://<company>.xmatters.com/api/xm/1).';
      }
      throw this.clean(e);
    }
  }

  /** People sorted by target name, with their roles embedded (`embed=roles`, plus `devices` when asked). */
  listPeople(opts: PeopleListOptions = {}): AsyncIterable<Person[]> {
    const devices = opts.devices === true;
    return this.list(
      {
        path: '/people',
        params: { sortBy: 'TARGET_NAME', sortOrder: 'ASCENDING', embed: devices ? 'roles,devices' : 'roles' },
        parse: (raw) => parsePerson(raw, { devices }),
        key: (p) => p.id,
      },
      opts,
    );
  }

  /** Groups sorted by name, with their supervisors embedded when asked. */
  listGroups(opts: GroupListOptions = {}): AsyncIterable<Group[]> {
    return this.list(
      {
        path: '/groups',
        params: {
          sortBy: 'NAME',
          sortOrder: 'ASCENDING',
          ...(opts.supervisors === true ? { embed: 'supervisors' } : {}),
        },
        parse: parseGroup,
        key: (g) => g.id,
      },
      opts,
    );
  }

  /** Roles (`/roles` has no documented sort parameters). */
  listRoles(opts: ListOptions = {}): AsyncIterable<Role[]> {
    return this.list({ path: '/roles', params: {}, parse: parseRole, key: (r) => r.id }, opts);
  }

  /**
   * The whole roster of one group. A 404 (the group was deleted after it was listed) is a typed result the
   * connector reports as a warning, not an error.
   */
  async listGroupMembers(groupId: string, opts: ListOptions = {}): Promise<GroupMembersResult> {
    const result = await this.#listOfGroup(
      groupId,
      'members',
      (raw) => parseGroupMembership(raw, groupId),
      (m) => `${m.member.recipientType}:${m.member.id}`,
      opts,
    );
    return result.found ? { found: true, members: result.items } : result;
  }

  /**
   * Every supervisor of one group, for groups whose embedded supervisors were cut short. A 404 (the group
   * was deleted after it was listed) is a typed result, as for the roster.
   */
  async listGroupSupervisors(groupId: string, opts: ListOptions = {}): Promise<GroupSupervisorsResult> {
    const result = await this.#listOfGroup(groupId, 'supervisors', parsePersonReference, (p) => p.id, opts);
    return result.found ? { found: true, supervisors: result.items } : result;
  }

  /** A whole sub-listing of one group (`/groups/{id}/<sub>`, the id encoded as a path segment); 404 is a result. */
  async #listOfGroup<T>(
    groupId: string,
    sub: string,
    parse: ListSpec<T>['parse'],
    key: (item: T) => string,
    opts: ListOptions,
  ): Promise<{ found: true; items: T[] } | { found: false; reason: string }> {
    this.assertOpen();
    const items: T[] = [];
    try {
      const path = `/groups/${encodePathSegment(groupId)}/${sub}`;
      for await (const page of paginate(this.ctx, { path, params: {}, parse, key }, opts))
        items.push(...page);
    } catch (e) {
      if (hasXmattersCode(e, XmattersErrorCode.NOT_FOUND)) {
        return {
          found: false,
          reason: `group ${groupId} was not found (it may have been deleted): ${e.message}`,
        };
      }
      throw this.clean(e);
    }
    return { found: true, items };
  }

  stats(): ClientStats {
    const s = this.ctx.stats;
    return {
      ...s,
      retriesByReason: { ...s.retriesByReason },
      maxInFlightSeen: this.limiter.maxInFlightSeen,
      concurrencyLimit: this.limiter.limit,
      lowestConcurrencyLimit: this.limiter.lowestLimit,
    };
  }

  /** Closes the connection pool. Logs the request summary once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const s = this.stats();
    if (s.requests > 0) this.ctx.logger?.debug({ ...s }, 'xMatters client summary');
    await this.agent.close();
  }

  /** What logging or printing the client shows: never the credentials it holds. */
  toJSON(): { origin: string; username: string } {
    return { origin: this.ctx.origin, username: this.ctx.username };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `XmattersClient { origin: ${this.ctx.origin}, username: ${JSON.stringify(this.ctx.username)} }`;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('XmattersClient is closed');
  }

  private list<T>(spec: Parameters<typeof paginate<T>>[1], opts: ListOptions): AsyncIterable<T[]> {
    this.assertOpen();
    const ctx = this.ctx;
    const clean = (e: unknown): unknown => this.clean(e);
    return {
      async *[Symbol.asyncIterator]() {
        try {
          yield* paginate(ctx, spec, opts);
        } catch (e) {
          throw clean(e);
        }
      },
    };
  }

  /** Defence in depth: our messages never hold secrets, but server text quoted in them might echo one. */
  private clean(e: unknown): unknown {
    return isXmattersError(e) ? scrubSecrets(e, this.secrets) : e;
  }
}

/** Reads one entry of a group's roster; a 403 says which permission is missing. */
async function checkRosterAccess(
  ctx: RequestContext,
  groupId: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  const path = `${API_BASE_PATH}/groups/${encodePathSegment(groupId)}/members?offset=0&limit=1`;
  try {
    await fetchPage(ctx, path, signal);
  } catch (e) {
    // The group went away since it was listed: nothing is proven, nothing is wrong.
    if (hasXmattersCode(e, XmattersErrorCode.NOT_FOUND)) return;
    if (hasXmattersCode(e, XmattersErrorCode.PERMISSION)) {
      e.message +=
        ' The account can read people and groups but not group members (rosters), which the sync reads for ' +
        'every group.';
    }
    throw e;
  }
}
