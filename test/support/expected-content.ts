// What a correct sync of a simulator tenant must contain, computed from the tenant data itself.
import { memberRefIndex, memberRefType } from '../../src/simulator/member-ref.js';
import type { Tenant } from '../../src/simulator/index.js';

export function expectedContent(tenant: Tenant) {
  const grants: string[] = [];
  const skippedMembers = { group: 0, device: 0, dynamic_team: 0 };
  for (const g of tenant.groups) {
    const seen = new Set<string>();
    for (const ref of g.members) {
      const type = memberRefType(ref);
      const index = memberRefIndex(ref);
      if (type === 'PERSON') {
        const id = `group:${g.id}:member:user:${tenant.people[index]!.id}`;
        if (!seen.has(id)) grants.push(id);
        seen.add(id);
      } else if (type === 'GROUP') skippedMembers.group += 1;
      else if (type === 'DEVICE') skippedMembers.device += 1;
      else skippedMembers.dynamic_team += 1;
    }
  }
  // Supervisors: every live supervisor the group names; one the account cannot list among people (hidden)
  // gets no grant. Roles: each listed person's roles, every role of /roles a resource.
  const supervisorGrants = new Set<string>();
  for (const g of tenant.groups) {
    for (const i of g.supervisors ?? []) {
      const p = tenant.people[i]!;
      if (p.hidden !== true) supervisorGrants.add(`group:${g.id}:supervisor:user:${p.id}`);
    }
  }
  const roleGrants = new Set<string>();
  for (const p of tenant.people) {
    if (p.hidden === true) continue;
    for (const r of p.roles) roleGrants.add(`role:${tenant.roles[r]!.id}:assigned:user:${p.id}`);
  }
  const inactive = tenant.people.filter((p) => p.status === 'INACTIVE');
  const inactiveGroups = tenant.groups.filter((g) => g.status === 'INACTIVE');
  // People who sign in with a web login other than their target name: the login alias of their user.
  const aliased = tenant.people.filter((p) => p.webLogin !== undefined && p.webLogin !== p.targetName);
  const unicodeGroup = tenant.groups.find((g) => /[^\x00-\x7f]/.test(g.targetName));
  if (inactive.length === 0 || unicodeGroup === undefined) {
    throw new Error('the test tenant needs an inactive person and a group with a non-ASCII name');
  }
  return {
    resources: [
      ...tenant.people.map((p) => `user:${p.id}`),
      ...tenant.groups.map((g) => `group:${g.id}`),
      ...tenant.roles.map((r) => `role:${r.id}`),
    ].sort(),
    entitlements: [
      ...tenant.groups.flatMap((g) => [`group:${g.id}:member`, `group:${g.id}:supervisor`]),
      ...tenant.roles.map((r) => `role:${r.id}:assigned`),
    ].sort(),
    grants: [...grants, ...supervisorGrants, ...roleGrants].sort(),
    memberGrants: grants.sort(),
    supervisorGrants: [...supervisorGrants].sort(),
    roleGrants: [...roleGrants].sort(),
    skippedMembers,
    users: {
      total: tenant.people.length,
      active: tenant.people.length - inactive.length,
      inactive: inactive.length,
      // Generated tenants only have ACTIVE and INACTIVE people and groups.
      other: 0,
    },
    groups: {
      total: tenant.groups.length,
      active: tenant.groups.length - inactiveGroups.length,
      inactive: inactiveGroups.length,
      other: 0,
    },
    groupCount: tenant.groups.length,
    inactiveGroupIds: inactiveGroups.map((g) => g.id),
    /** Person id → the web login its user must list as its only login alias. */
    loginAliases: new Map(aliased.map((p) => [p.id, p.webLogin!])),
    inactivePersonId: inactive[0]!.id,
    unicodeGroupId: unicodeGroup.id,
    unicodeGroupName: unicodeGroup.targetName,
  };
}
