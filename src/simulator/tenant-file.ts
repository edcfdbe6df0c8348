import { readFile } from 'node:fs/promises';
import { XmattersError, XmattersErrorCode } from '../xmatters/errors.js';
import { encodeMemberRef, memberRefIndex, memberRefType } from './member-ref.js';
import { MEMBER_TYPES, shapeProblems } from './tenant-file-schema.js';
import type {
  SimCredential,
  SimDevice,
  SimDynamicTeam,
  SimGroup,
  SimMemberType,
  SimPerson,
  SimRole,
  Tenant,
} from './tenant.js';

/** The tenant JSON file format: the Tenant with references by id. See src/simulator/README.md. */
export interface TenantData {
  roles?: SimRole[];
  people?: (Omit<SimPerson, 'roles' | 'status' | 'supervisors'> & {
    status?: SimPerson['status'];
    roles?: string[];
    /** Person ids. */
    supervisors?: string[];
  })[];
  groups?: (Omit<SimGroup, 'members' | 'status' | 'groupType' | 'supervisors' | 'observers'> & {
    status?: SimGroup['status'];
    groupType?: SimGroup['groupType'];
    /** Person ids. */
    supervisors?: string[];
    /** Role ids. */
    observers?: string[];
  })[];
  devices?: (Omit<SimDevice, 'owner' | 'status'> & { status?: SimDevice['status']; ownerId: string })[];
  dynamicTeams?: SimDynamicTeam[];
  /** Group id → its members, in roster order. */
  memberships?: Record<string, { type: SimMemberType; id: string }[]>;
  credentials?: SimCredential[];
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

class Problems {
  readonly list: string[] = [];
  add(p: string): void {
    if (this.list.length < 50) this.list.push(p);
  }
}

/** The objects of a section; what is not an object was already reported by the shape check. */
function objectsOf(data: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const v = data[key];
  return Array.isArray(v) ? v.filter(isObj) : [];
}

/** Indexes records by id, reporting duplicate ids (missing or non-string ids are shape problems). */
function indexIds(items: Record<string, unknown>[], what: string, problems: Problems): Map<string, number> {
  const ids = new Map<string, number>();
  items.forEach((item, i) => {
    const id = item.id;
    if (typeof id !== 'string' || id === '') return;
    if (ids.has(id)) problems.add(`${what}[${i}]: duplicate id ${JSON.stringify(id)}`);
    else ids.set(id, i);
  });
  return ids;
}

const statusOf = (item: Record<string, unknown>): 'ACTIVE' | 'INACTIVE' =>
  item.status === 'INACTIVE' ? 'INACTIVE' : 'ACTIVE';

/** Resolves an optional list of ids to indices; undefined when the key is absent. */
function refList(
  item: Record<string, unknown>,
  key: string,
  ids: Map<string, number>,
  what: string,
  where: string,
  problems: Problems,
): number[] | undefined {
  const refs = item[key];
  if (refs === undefined) return undefined;
  if (!Array.isArray(refs)) return [];
  const out: number[] = [];
  for (const id of refs) {
    const idx = typeof id === 'string' ? ids.get(id) : undefined;
    if (idx === undefined) problems.add(`${where}: unknown ${what} id ${JSON.stringify(id)} in "${key}"`);
    else out.push(idx);
  }
  return out;
}

/**
 * Validates tenant JSON and builds the compact Tenant. Throws XM_CONFIG listing the problems found. The shape
 * of each record is checked by the schema in tenant-file-schema.ts; the references between records are
 * checked here, by hand, because they are lookups in the indexes this function builds anyway, and so that
 * one error lists shape and reference problems together.
 */
export function parseTenantData(json: unknown, source = 'tenant data'): Tenant {
  if (!isObj(json)) {
    throw new XmattersError(
      XmattersErrorCode.CONFIG,
      `Invalid ${source}: the top level must be a JSON object.`,
    );
  }
  const problems = new Problems();
  for (const p of shapeProblems(json)) problems.add(p);
  const roles = objectsOf(json, 'roles');
  const people = objectsOf(json, 'people');
  const groups = objectsOf(json, 'groups');
  const devices = objectsOf(json, 'devices');
  const teams = objectsOf(json, 'dynamicTeams');
  const creds = objectsOf(json, 'credentials');
  const roleIds = indexIds(roles, 'roles', problems);
  const personIds = indexIds(people, 'people', problems);
  const groupIds = indexIds(groups, 'groups', problems);
  const deviceIds = indexIds(devices, 'devices', problems);
  const teamIds = indexIds(teams, 'dynamicTeams', problems);

  const tenant: Tenant = {
    roles: roles.map((r) => ({ ...(r as unknown as SimRole) })),
    people: people.map((p, i) => {
      const roleRefs = p.roles ?? [];
      const indices: number[] = [];
      if (Array.isArray(roleRefs))
        for (const id of roleRefs) {
          const idx = typeof id === 'string' ? roleIds.get(id) : undefined;
          if (idx === undefined) problems.add(`people[${i}]: unknown role id ${JSON.stringify(id)}`);
          else indices.push(idx);
        }
      const person: SimPerson = {
        ...(p as unknown as SimPerson),
        status: statusOf(p),
        roles: indices,
      };
      const supervisors = refList(p, 'supervisors', personIds, 'person', `people[${i}]`, problems);
      if (supervisors === undefined) delete person.supervisors;
      else person.supervisors = supervisors;
      return person;
    }),
    groups: groups.map((g, i) => {
      const group: SimGroup = {
        ...(g as unknown as SimGroup),
        status: statusOf(g),
        groupType: (g.groupType ?? 'ON_CALL') as SimGroup['groupType'],
        members: [],
      };
      const supervisors = refList(g, 'supervisors', personIds, 'person', `groups[${i}]`, problems);
      if (supervisors === undefined) delete group.supervisors;
      else group.supervisors = supervisors;
      const observers = refList(g, 'observers', roleIds, 'role', `groups[${i}]`, problems);
      if (observers === undefined) delete group.observers;
      else group.observers = observers;
      return group;
    }),
    devices: devices.map((d, i) => {
      const owner = typeof d.ownerId === 'string' ? personIds.get(d.ownerId) : undefined;
      if (owner === undefined) problems.add(`devices[${i}]: "ownerId" must be the id of a person`);
      const { ownerId: _ownerId, ...rest } = d;
      return {
        ...(rest as unknown as SimDevice),
        deviceType: typeof d.deviceType === 'string' ? d.deviceType : 'EMAIL',
        status: statusOf(d),
        owner: owner ?? 0,
      };
    }),
    dynamicTeams: teams.map((t) => ({ ...(t as unknown as SimDynamicTeam) })),
    credentials: creds.map((c) => ({ ...(c as unknown as SimCredential) })),
  };

  const memberships = json.memberships ?? {};
  if (isObj(memberships)) {
    const lookups: Record<string, Map<string, number>> = {
      PERSON: personIds,
      GROUP: groupIds,
      DEVICE: deviceIds,
      DYNAMIC_TEAM: teamIds,
    };
    for (const [groupId, list] of Object.entries(memberships)) {
      const g = groupIds.get(groupId);
      const where = `memberships[${JSON.stringify(groupId)}]`;
      if (g === undefined) {
        problems.add(`${where}: unknown group id`);
        continue;
      }
      if (!Array.isArray(list)) continue;
      list.forEach((m: unknown, i) => {
        if (
          !isObj(m) ||
          typeof m.type !== 'string' ||
          !MEMBER_TYPES.includes(m.type) ||
          typeof m.id !== 'string'
        )
          return;
        const idx = lookups[m.type]?.get(m.id);
        if (idx === undefined) problems.add(`${where}[${i}]: no ${m.type} with id ${JSON.stringify(m.id)}`);
        else tenant.groups[g]?.members.push(encodeMemberRef(m.type as SimMemberType, idx));
      });
    }
  }
  if (problems.list.length > 0) {
    throw new XmattersError(
      XmattersErrorCode.CONFIG,
      `Invalid ${source}:\n  - ${problems.list.join('\n  - ')}\nSee src/simulator/README.md for the tenant file format.`,
    );
  }
  return tenant;
}

/** Reads and validates a tenant JSON file. */
export async function loadTenantFile(path: string): Promise<Tenant> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new XmattersError(
      XmattersErrorCode.CONFIG,
      `Cannot read the tenant file ${path}: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new XmattersError(
      XmattersErrorCode.CONFIG,
      `The tenant file ${path} is not valid JSON: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  return parseTenantData(json, `tenant file ${path}`);
}

/** The file form of a tenant (references by id); `parseTenantData(tenantToData(t))` rebuilds `t`. */
export function tenantToData(t: Tenant): TenantData {
  const idOf = (ref: number): { type: SimMemberType; id: string } => {
    const type = memberRefType(ref);
    const i = memberRefIndex(ref);
    const rec =
      type === 'PERSON'
        ? t.people[i]
        : type === 'GROUP'
          ? t.groups[i]
          : type === 'DEVICE'
            ? t.devices[i]
            : t.dynamicTeams[i];
    return { type, id: rec?.id ?? '' };
  };
  const personId = (i: number): string => t.people[i]?.id ?? '';
  const memberships: Record<string, { type: SimMemberType; id: string }[]> = {};
  for (const g of t.groups) if (g.members.length > 0) memberships[g.id] = g.members.map(idOf);
  return {
    roles: t.roles.map((r) => ({ ...r })),
    people: t.people.map(({ roles, supervisors, ...p }) => ({
      ...p,
      roles: roles.map((r) => t.roles[r]?.id ?? ''),
      ...(supervisors === undefined ? {} : { supervisors: supervisors.map(personId) }),
    })),
    groups: t.groups.map(({ members: _m, supervisors, observers, ...g }) => ({
      ...g,
      ...(supervisors === undefined ? {} : { supervisors: supervisors.map(personId) }),
      ...(observers === undefined ? {} : { observers: observers.map((r) => t.roles[r]?.id ?? '') }),
    })),
    devices: t.devices.map(({ owner, ...d }) => ({ ...d, ownerId: t.people[owner]?.id ?? '' })),
    dynamicTeams: t.dynamicTeams.map((d) => ({ ...d })),
    memberships,
    credentials: t.credentials.map((c) => ({ ...c })),
  };
}
