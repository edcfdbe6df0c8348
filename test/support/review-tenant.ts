// Two full syncs of a small tenant with roles and group supervisors, written through the public store
// API (the connector's roles and supervisors are not needed to test the generic review commands).
import { UserTrait_Status_Status } from '../../src/baton/gen/c1/connector/v2/annotation_trait_pb.js';
import type { Resource } from '../../src/baton/gen/c1/connector/v2/resource_pb.js';
import { ResourceType_Trait } from '../../src/baton/gen/c1/connector/v2/resource_pb.js';
import { C1zStore } from '../../src/baton/c1z/store.js';
import {
  newAssignmentEntitlement,
  newGrant,
  newGroupResource,
  newPermissionEntitlement,
  newResourceType,
  newRoleResource,
  newUserResource,
} from '../../src/baton/model/index.js';

export const userType = newResourceType('User', [ResourceType_Trait.USER]);
export const groupType = newResourceType('Group', [ResourceType_Trait.GROUP]);
export const roleType = newResourceType('Role', [ResourceType_Trait.ROLE]);

export interface TenantPerson {
  id: string;
  name: string;
  login: string;
  active: boolean;
  timeZone?: string;
}

export interface TenantState {
  people: TenantPerson[];
  /** Role id → [name, holder ids]. */
  roles: Record<string, [string, string[]]>;
  /** Group id → [name, member ids, supervisor ids]. */
  groups: Record<string, [string, string[], string[]]>;
}

/** The first sync: inactive Dan still holds a role and a membership; Frank is in no group; Network Ops has no supervisor. */
export const FIRST: TenantState = {
  people: [
    { id: 'u1', name: 'Ann Admin', login: 'ann', active: true, timeZone: 'Europe/Paris' },
    { id: 'u2', name: 'Bob Baker', login: 'bob', active: true },
    { id: 'u3', name: 'Carol Chen', login: 'carol', active: true },
    { id: 'u4', name: 'Dan Dormant', login: 'dan', active: false },
    { id: 'u5', name: 'Eve Evans', login: 'eve', active: true },
    { id: 'u6', name: 'Frank Free', login: 'frank', active: true },
  ],
  roles: {
    r1: ['Company Supervisor', ['u1', 'u4']],
    r2: ['Group Supervisor', ['u2']],
    r3: ['Standard User', ['u1', 'u2', 'u3', 'u4', 'u5', 'u6']],
  },
  groups: {
    g1: ['Database Team', ['u1', 'u2', 'u3'], ['u2']],
    g2: ['Network Ops', ['u3', 'u4', 'u5'], []],
    g3: ['Empty Group', [], ['u1']],
  },
};

/**
 * The second sync: Eve removed, Gina added, Carol deactivated, Bob renamed, Ann's time zone changed;
 * Company Supervisor gains Gina and loses Dan; Network Ops gains supervisor Gina; Security added; Ann leaves
 * the Database Team.
 */
export const SECOND: TenantState = {
  people: [
    { id: 'u1', name: 'Ann Admin', login: 'ann', active: true, timeZone: 'America/New_York' },
    { id: 'u2', name: 'Robert Baker', login: 'bob', active: true },
    { id: 'u3', name: 'Carol Chen', login: 'carol', active: false },
    { id: 'u4', name: 'Dan Dormant', login: 'dan', active: false },
    { id: 'u6', name: 'Frank Free', login: 'frank', active: true },
    { id: 'u7', name: 'Gina Green', login: 'gina', active: true },
  ],
  roles: {
    r1: ['Company Supervisor', ['u1', 'u7']],
    r2: ['Group Supervisor', ['u2']],
    r3: ['Standard User', ['u1', 'u2', 'u3', 'u4', 'u6', 'u7']],
  },
  groups: {
    g1: ['Database Team', ['u2', 'u3'], ['u2']],
    g2: ['Network Ops', ['u3', 'u4'], ['u7']],
    g3: ['Empty Group', [], ['u1']],
    g4: ['Security', ['u7'], []],
  },
};

/** Writes one finished full sync of `state` into `file` (appended when it exists). Returns the sync id. */
export async function writeTenantSync(
  file: string,
  state: TenantState,
  opts: { tmpDir: string; at: Date },
): Promise<string> {
  const store = await C1zStore.open(file, { tmpDir: opts.tmpDir, now: () => opts.at });
  const syncId = store.startSync('full');
  store.putResourceTypes([userType, groupType, roleType]);
  const users = new Map<string, Resource>();
  for (const p of state.people) {
    users.set(
      p.id,
      newUserResource(p.name, userType, p.id, {
        login: p.login,
        status: p.active ? UserTrait_Status_Status.ENABLED : UserTrait_Status_Status.DISABLED,
        profile: { login: p.login, ...(p.timeZone === undefined ? {} : { time_zone: p.timeZone }) },
      }),
    );
  }
  store.putResources([...users.values()]);
  const roles = Object.entries(state.roles).map(([id, [name]]) => newRoleResource(name, roleType, id));
  const groups = Object.entries(state.groups).map(([id, [name]]) => newGroupResource(name, groupType, id));
  store.putResources([...roles, ...groups]);
  store.putEntitlements([
    ...roles.map((r) =>
      newAssignmentEntitlement(r, 'assigned', {
        displayName: `${r.displayName} Role`,
        grantableTo: [userType],
      }),
    ),
    ...groups.map((g) =>
      newAssignmentEntitlement(g, 'member', {
        displayName: `${g.displayName} Group Member`,
        grantableTo: [userType],
      }),
    ),
    ...groups.map((g) =>
      newPermissionEntitlement(g, 'supervisor', {
        displayName: `${g.displayName} Group Supervisor`,
        grantableTo: [userType],
      }),
    ),
  ]);
  const grant = (r: Resource, slug: string, ids: string[]) =>
    ids.map((id) => newGrant(r, slug, users.get(id)!.id!));
  for (const r of roles) store.putGrants(grant(r, 'assigned', state.roles[r.id!.resource]![1]));
  for (const g of groups) {
    const [, members, supervisors] = state.groups[g.id!.resource]!;
    store.putGrants([...grant(g, 'member', members), ...grant(g, 'supervisor', supervisors)]);
  }
  await store.endSync();
  await store.cleanup();
  await store.close();
  return syncId;
}
