import { SUPERVISOR_EMBED_LIMIT, type Tenant } from '../../src/simulator/index.js';

export interface TenantSize {
  people: number;
  groups: number;
  /** Roster entries of every kind (people, nested groups, devices, dynamic teams). */
  memberships: number;
  /** Groups with no roster entry at all. */
  emptyGroups: number;
  /** The biggest roster. */
  largestGroup: number;
}

const pages = (items: number, pageSize: number): number => Math.ceil(items / pageSize);

/**
 * The fewest requests any client needs to read the tenant: one per page for people (their roles come
 * embedded), groups (their supervisors come embedded) and roles, one per page of each group's roster with at
 * least one per group (an empty roster still has to be asked for), and one per page of the supervisors of
 * each group that has more than an `embed=supervisors` carries (`embedLimit`, the simulator's default).
 */
export function minimumRequests(
  tenant: Tenant,
  pageSize = 1000,
  embedLimit = SUPERVISOR_EMBED_LIMIT,
): number {
  let n =
    Math.max(1, pages(tenant.people.length, pageSize)) +
    Math.max(1, pages(tenant.groups.length, pageSize)) +
    Math.max(1, pages(tenant.roles.length, pageSize));
  for (const g of tenant.groups) {
    n += Math.max(1, pages(g.members.length, pageSize));
    const supervisors = g.supervisors?.length ?? 0;
    if (supervisors > embedLimit) n += pages(supervisors, pageSize);
  }
  return n;
}

export function tenantSize(tenant: Tenant): TenantSize {
  let memberships = 0;
  let emptyGroups = 0;
  let largestGroup = 0;
  for (const g of tenant.groups) {
    memberships += g.members.length;
    if (g.members.length === 0) emptyGroups++;
    if (g.members.length > largestGroup) largestGroup = g.members.length;
  }
  return {
    people: tenant.people.length,
    groups: tenant.groups.length,
    memberships,
    emptyGroups,
    largestGroup,
  };
}
