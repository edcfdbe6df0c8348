import { compareUtf8 } from '../model/utf8-compare.js';
import { isInactive } from './resource-facts.js';
import type { ResourceKind } from './resource-facts.js';
import { principalKey } from './sync-view.js';
import type { SyncView } from './sync-view.js';

/**
 * The data a report page works on, in columns of numbers and strings so that a 100k-people tenant stays a
 * few megabytes of JSON. Resources and entitlements are referred to by their index in these columns.
 * The page script (report-script.ts) reads exactly this shape: change both together.
 */
export interface ReportData {
  /** Resource types: id, display name, kind. */
  types: { id: string; name: string; kind: ResourceKind }[];
  /** Resources sorted by kind then display name: type index, display name, login, 1 when inactive. */
  res: { t: number[]; n: string[]; l: string[]; x: number[] };
  /** Entitlements: owning resource index (-1: not in the file), slug, display name, 1 when privileged. */
  ents: { r: number[]; s: string[]; n: string[]; p: number[] };
  /** Per entitlement, its principals' resource indices, ascending and delta-encoded. */
  g: number[][];
  /** Resource indices found by the risk checks (see ReportFacts.risks). */
  risks: {
    inactiveWithAccess: number[];
    groupsWithoutPrivileged: number[];
    rolesWithOneHolder: number[];
    peopleInNoGroup: number[];
  };
  /** Product wording from the caller: entitlement slug → column label (e.g. "member" → "Members"). */
  labels: Record<string, string>;
}

/** Figures the static part of the page shows (headline, privileged roles, risks, charts). */
export interface ReportFacts {
  people: { active: number; inactive: number };
  groups: { total: number; inactive: number };
  roles: number;
  otherResources: number;
  entitlements: number;
  grants: number;
  privilegedGrants: number;
  /** Grants whose principal is not a resource of the file (shown by id). */
  unknownPrincipals: number;
  /** Each role (sorted by name) with its holders (sorted by name). */
  roleHolders: { role: string; holders: { name: string; inactive: boolean }[] }[];
  /** Slugs of privileged entitlements on groups (e.g. a supervisor permission); empty when none. */
  groupPrivilegedSlugs: string[];
  /** Groups by member count, descending (the first ones feed the "largest groups" chart). */
  groupSizes: { name: string; members: number }[];
}

/** Builds the page data and facts in one pass over the grants. */
export function buildReportData(
  view: SyncView,
  labels: Record<string, string> = {},
): { data: ReportData; facts: ReportFacts } {
  const kindRank: Record<ResourceKind, number> = { user: 0, group: 1, role: 2, other: 3 };
  const typeIndex = new Map<string, number>();
  const types: ReportData['types'] = [];
  const addType = (id: string, name: string, kind: ResourceKind) => {
    typeIndex.set(id, types.length);
    types.push({ id, name, kind });
  };
  const facts = [...view.resources.values()];
  for (const r of facts) {
    if (!typeIndex.has(r.resourceType)) {
      addType(r.resourceType, view.resourceTypes.get(r.resourceType)?.displayName || r.resourceType, r.kind);
    }
  }
  facts.sort(
    (a, b) =>
      kindRank[a.kind] - kindRank[b.kind] ||
      compareUtf8(a.displayName, b.displayName) ||
      compareUtf8(a.key, b.key),
  );
  const res: ReportData['res'] = { t: [], n: [], l: [], x: [] };
  const resIndex = new Map<string, number>();
  const kinds: ResourceKind[] = [];
  const addResource = (
    key: string,
    type: string,
    name: string,
    login: string,
    inactive: boolean,
    kind: ResourceKind,
  ) => {
    if (!typeIndex.has(type)) addType(type, type, 'other');
    resIndex.set(key, res.n.length);
    res.t.push(typeIndex.get(type)!);
    res.n.push(name);
    res.l.push(login);
    res.x.push(inactive ? 1 : 0);
    kinds.push(kind);
  };
  for (const r of facts)
    addResource(r.key, r.resourceType, r.displayName || r.key, r.login, isInactive(r), r.kind);

  const ents: ReportData['ents'] = { r: [], s: [], n: [], p: [] };
  const entIndex = new Map<string, number>();
  for (const e of view.entitlements.values()) {
    entIndex.set(e.id, ents.r.length);
    ents.r.push(resIndex.get(e.resourceKey) ?? -1);
    ents.s.push(e.slug);
    ents.n.push(e.displayName);
    ents.p.push(e.privileged ? 1 : 0);
  }
  const members: number[][] = ents.r.map(() => []);
  let grants = 0;
  let unknownPrincipals = 0;
  for (const g of view.grants()) {
    grants++;
    let e = entIndex.get(g.entitlementId);
    if (e === undefined) {
      e = ents.r.length;
      entIndex.set(g.entitlementId, e);
      ents.r.push(-1);
      ents.s.push(g.entitlementId);
      ents.n.push(g.entitlementId);
      ents.p.push(0);
      members.push([]);
    }
    const key = principalKey(g);
    let p = resIndex.get(key);
    if (p === undefined) {
      unknownPrincipals++;
      addResource(key, g.principalResourceType, key, '', false, 'other');
      p = resIndex.get(key)!;
    }
    members[e]!.push(p);
  }

  const kindOfRes = (i: number) => kinds[i] ?? 'other';
  const inGroup = new Uint8Array(res.n.length);
  const hasAccess = new Uint8Array(res.n.length);
  const groupHasPrivilegedHolder = new Uint8Array(res.n.length);
  const groupMembers = new Map<number, Set<number>>();
  const holdersOfRole = new Map<number, Set<number>>();
  const slugs = new Set<string>();
  let privilegedGrants = 0;
  members.forEach((list, e) => {
    const owner = ents.r[e]!;
    const ownerKind = owner < 0 ? 'other' : kindOfRes(owner);
    const privileged = ents.p[e] === 1;
    if (privileged) privilegedGrants += list.length;
    for (const p of list) hasAccess[p] = 1;
    if (ownerKind === 'group') {
      if (privileged) {
        slugs.add(ents.s[e]!);
        if (list.length > 0) groupHasPrivilegedHolder[owner] = 1;
      } else {
        let set = groupMembers.get(owner);
        if (set === undefined) groupMembers.set(owner, (set = new Set()));
        for (const p of list) {
          set.add(p);
          inGroup[p] = 1;
        }
      }
    }
    if (ownerKind === 'role') {
      let set = holdersOfRole.get(owner);
      if (set === undefined) holdersOfRole.set(owner, (set = new Set()));
      for (const p of list) set.add(p);
    }
  });

  const all = res.n.map((_, i) => i);
  const people = all.filter((i) => kindOfRes(i) === 'user');
  const groups = all.filter((i) => kindOfRes(i) === 'group');
  const roles = all.filter((i) => kindOfRes(i) === 'role');
  const byName = (a: number, b: number) => compareUtf8(res.n[a]!, res.n[b]!);
  const risks: ReportData['risks'] = {
    inactiveWithAccess: people.filter((i) => res.x[i] === 1 && hasAccess[i] === 1),
    // Only meaningful when the file records privileged group entitlements at all.
    groupsWithoutPrivileged: slugs.size === 0 ? [] : groups.filter((i) => groupHasPrivilegedHolder[i] === 0),
    rolesWithOneHolder: roles.filter((i) => holdersOfRole.get(i)?.size === 1),
    peopleInNoGroup: groups.length === 0 ? [] : people.filter((i) => inGroup[i] === 0),
  };
  const g = members.map((list) => {
    const sorted = [...new Set(list)].sort((a, b) => a - b);
    return sorted.map((v, i) => (i === 0 ? v : v - sorted[i - 1]!));
  });
  const data: ReportData = { types, res, ents, g, risks, labels };
  const reportFacts: ReportFacts = {
    people: {
      active: people.filter((i) => res.x[i] === 0).length,
      inactive: people.filter((i) => res.x[i] === 1).length,
    },
    groups: { total: groups.length, inactive: groups.filter((i) => res.x[i] === 1).length },
    roles: roles.length,
    otherResources: res.n.length - people.length - groups.length - roles.length - unknownPrincipals,
    entitlements: view.entitlements.size,
    grants,
    privilegedGrants,
    unknownPrincipals,
    roleHolders: roles.map((i) => ({
      role: res.n[i]!,
      holders: [...(holdersOfRole.get(i) ?? [])]
        .sort(byName)
        .map((p) => ({ name: res.n[p]!, inactive: res.x[p] === 1 })),
    })),
    groupPrivilegedSlugs: [...slugs].sort(compareUtf8),
    groupSizes: groups
      .map((i) => ({ name: res.n[i]!, members: groupMembers.get(i)?.size ?? 0 }))
      .sort((a, b) => b.members - a.members || compareUtf8(a.name, b.name)),
  };
  return { data, facts: reportFacts };
}
