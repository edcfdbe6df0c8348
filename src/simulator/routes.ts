import { encodePathSegment } from '../xmatters/path-segment.js';
import type { PageRequest } from './envelope.js';
import {
  groupJson,
  groupRefJson,
  groupSupervisorIndices,
  memberJson,
  personJson,
  personRefJson,
  roleJson,
  type EmbedContext,
} from './serialize.js';
import {
  GROUP_SEARCH_FIELDS,
  GROUP_SORTS,
  PEOPLE_SEARCH_FIELDS,
  PEOPLE_SORTS,
  type ListQuery,
  type SearchQuery,
  type TenantStore,
} from './tenant-store.js';

export const API_PREFIX = '/api/xm/1';

/** A list answer, items produced lazily so faults can reshape the page before it is serialised. */
export interface ListResult {
  kind: 'list';
  route: string;
  page: PageRequest;
  total: number;
  itemAt: (index: number) => Record<string, unknown>;
}

export interface ObjectResult {
  kind: 'object';
  route: string;
  status: number;
  body: unknown;
}

export type RouteResult = ListResult | ObjectResult;

export interface RouteOptions {
  defaultLimit: number;
  maxLimit: number;
  /** What a limit above maxLimit gets: clamped (default) or a 400. */
  overLimit: 'clamp' | 'reject';
  /** Most supervisors one group's `embed=supervisors` carries. */
  supervisorEmbedLimit: number;
  /** Answer GET /roles with 403, as for an account without permission to read roles. */
  rolesForbidden: boolean;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export const reasonPhrase = (status: number): string => REASONS[status] ?? 'Error';

/** The xMatters error object (docs/xmatters-api.md, "Endpoints used"). */
export const errorBody = (
  status: number,
  message: string,
): { code: number; reason: string; message: string } => ({
  code: status,
  reason: reasonPhrase(status),
  message,
});

const error = (route: string, status: number, message: string): ObjectResult => ({
  kind: 'object',
  route,
  status,
  body: errorBody(status, message),
});

class BadQuery extends Error {}

function intParam(q: URLSearchParams, name: string, fallback: number, min: number): number {
  const raw = q.get(name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || !Number.isSafeInteger(Number(raw))) {
    throw new BadQuery(`Invalid value for parameter ${name}: ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

function pageRequest(path: string, q: URLSearchParams, opts: RouteOptions): PageRequest {
  const offset = intParam(q, 'offset', 0, 0);
  let limit = intParam(q, 'limit', opts.defaultLimit, 1);
  if (limit > opts.maxLimit) {
    if (opts.overLimit === 'reject')
      throw new BadQuery(`The limit parameter must not exceed ${opts.maxLimit}`);
    limit = opts.maxLimit;
  }
  return { path, query: q, offset, limit };
}

/** `search` (space-separated terms), `fields` (comma-separated, default all) and `operand` (OR or AND). */
function searchQuery(q: URLSearchParams, allFields: readonly string[]): SearchQuery | undefined {
  const search = q.get('search');
  const fieldsParam = q.get('fields');
  const operand = q.get('operand');
  if (operand !== null && operand !== 'OR' && operand !== 'AND')
    throw new BadQuery(`Invalid operand value ${JSON.stringify(operand)}`);
  const fields = fieldsParam === null ? allFields : fieldsParam.split(',').map((f) => f.trim());
  for (const f of fields) {
    if (!allFields.includes(f)) throw new BadQuery(`Invalid fields value ${JSON.stringify(f)}`);
  }
  if (search === null) return undefined;
  const terms = search
    .split(/\s+/)
    .map((term) => term.toLowerCase())
    .filter((term) => term !== '');
  return { terms, fields, all: operand === 'AND' };
}

function listQuery(q: URLSearchParams, sorts: readonly string[], searchFields: readonly string[]): ListQuery {
  const sortBy = q.get('sortBy');
  const sortOrder = q.get('sortOrder');
  // sortBy only counts together with sortOrder (docs/xmatters-api.md, "Lists and paging").
  if ((sortBy === null) !== (sortOrder === null))
    throw new BadQuery('sortBy and sortOrder must be used together');
  if (sortBy !== null && !sorts.includes(sortBy))
    throw new BadQuery(`Invalid sortBy value ${JSON.stringify(sortBy)}`);
  if (sortOrder !== null && sortOrder !== 'ASCENDING' && sortOrder !== 'DESCENDING') {
    throw new BadQuery(`Invalid sortOrder value ${JSON.stringify(sortOrder)}`);
  }
  const status = q.get('status');
  if (status !== null && status !== 'ACTIVE' && status !== 'INACTIVE')
    throw new BadQuery(`Invalid status ${JSON.stringify(status)}`);
  const out: ListQuery = {};
  if (sortBy !== null) out.sortBy = sortBy;
  if (sortOrder !== null) out.sortOrder = sortOrder;
  if (status !== null) out.status = status;
  const groupType = q.get('groupType');
  if (groupType !== null) out.groupType = groupType;
  const search = searchQuery(q, searchFields);
  if (search !== undefined) out.search = search;
  return out;
}

const embeds = (q: URLSearchParams): Set<string> =>
  new Set((q.get('embed') ?? '').split(',').map((s) => s.trim()));

/** The route template of an API path, for the counters. */
export function routeTemplate(segments: string[]): string {
  const [a, , c] = segments;
  if (a === 'people' || a === 'groups' || a === 'roles') {
    if (segments.length === 1) return `/${a}`;
    if (segments.length === 2 && a !== 'roles') return `/${a}/{id}`;
    if (segments.length === 3 && a === 'groups' && c === 'members') return '/groups/{id}/members';
    if (segments.length === 3 && a !== 'roles' && c === 'supervisors') return `/${a}/{id}/supervisors`;
  }
  return '(unknown)';
}

/** Serves one GET below /api/xm/1. `segments` are the decoded path segments after the prefix. */
export function route(
  store: TenantStore,
  segments: string[],
  q: URLSearchParams,
  opts: RouteOptions,
): RouteResult {
  const t = store.tenant;
  const route = routeTemplate(segments);
  const path = `${API_PREFIX}/${segments.map(encodePathSegment).join('/')}`;
  const ctx: EmbedContext = {
    embed: embeds(q),
    isPersonVisible: store.isPersonVisible,
    isPersonLive: store.isPersonLive,
    devicesOf: store.devicesOf,
    supervisorEmbedLimit: opts.supervisorEmbedLimit,
  };
  /** A page of the people at these tenant indices. */
  const peoplePage = (view: readonly number[]): ListResult => ({
    kind: 'list',
    route,
    page: pageRequest(path, q, opts),
    total: view.length,
    itemAt: (i) => personJson(t, t.people[view[i] as number]!, ctx, view[i]),
  });
  /** A list of people (supervisors), visible ones only. */
  const peopleList = (indices: number[] | undefined): ListResult =>
    peoplePage((indices ?? []).filter((i) => store.isPersonVisible(i)));
  try {
    switch (route) {
      case '/people': {
        return peoplePage(store.peopleView(listQuery(q, PEOPLE_SORTS, PEOPLE_SEARCH_FIELDS)));
      }
      case '/people/{id}': {
        const i = store.findPerson(segments[1] as string);
        if (i === undefined) return error(route, 404, `Could not find a person with id ${segments[1]}`);
        return { kind: 'object', route, status: 200, body: personJson(t, t.people[i]!, ctx, i) };
      }
      case '/people/{id}/supervisors': {
        const i = store.findPerson(segments[1] as string);
        if (i === undefined) return error(route, 404, `Could not find a person with id ${segments[1]}`);
        return peopleList(t.people[i]!.supervisors);
      }
      case '/groups': {
        const view = store.groupsView(listQuery(q, GROUP_SORTS, GROUP_SEARCH_FIELDS));
        return {
          kind: 'list',
          route,
          page: pageRequest(path, q, opts),
          total: view.length,
          itemAt: (i) => groupJson(t, t.groups[view[i] as number]!, ctx),
        };
      }
      case '/groups/{id}': {
        const i = store.findGroup(segments[1] as string);
        if (i === undefined) return error(route, 404, `Could not find a group with id ${segments[1]}`);
        return { kind: 'object', route, status: 200, body: groupJson(t, t.groups[i]!, ctx) };
      }
      case '/groups/{id}/supervisors': {
        const i = store.findGroup(segments[1] as string);
        if (i === undefined) return error(route, 404, `Could not find a group with id ${segments[1]}`);
        // Like the embed: hidden supervisors are named, as references.
        const supervisors = groupSupervisorIndices(t.groups[i]!, ctx);
        return {
          kind: 'list',
          route,
          page: pageRequest(path, q, opts),
          total: supervisors.length,
          itemAt: (k) => personRefJson(t.people[supervisors[k] as number]!),
        };
      }
      case '/groups/{id}/members': {
        const g = store.findGroup(segments[1] as string);
        if (g === undefined) return error(route, 404, `Could not find a group with id ${segments[1]}`);
        const members = store.liveMembers(g);
        const ref = groupRefJson(t.groups[g]!);
        return {
          kind: 'list',
          route,
          page: pageRequest(path, q, opts),
          total: members.length,
          itemAt: (i) => ({ group: ref, member: memberJson(t, members[i] as number) }),
        };
      }
      case '/roles':
        if (opts.rolesForbidden)
          return error(route, 403, 'The authenticated user does not have permission to view roles');
        return {
          kind: 'list',
          route,
          page: pageRequest(path, q, opts),
          total: t.roles.length,
          itemAt: (i) => roleJson(t, i),
        };
      default:
        return error(route, 404, `No such resource: ${path}`);
    }
  } catch (e) {
    if (e instanceof BadQuery) return error(route, 400, e.message);
    throw e;
  }
}
