import { readFile } from 'node:fs/promises';
import { XmattersError, XmattersErrorCode } from '../xmatters/errors.js';
import { encodeMemberRef, memberRefIndex, memberRefType } from './member-ref.js';
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

const MEMBER_TYPES: readonly string[] = ['PERSON', 'GROUP', 'DEVICE', 'DYNAMIC_TEAM'];
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

class Problems {
  readonly list: string[] = [];
  add(p: string): void {
    if (this.list.length < 50) this.list.push(p);
  }
}

function readArray(
  data: Record<string, unknown>,
  key: string,
  problems: Problems,
): Record<string, unknown>[] {
  const v = data[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    problems.add(`"${key}" must be an array`);
    return [];
  }
  const out: Record<string, unknown>[] = [];
  v.forEach((item, i) => {
    if (isObj(item)) out.push(item);
    else problems.add(`${key}[${i}] must be an object`);
  });
  return out;
}

/** Indexes records by id, reporting missing, non-string and duplicate ids. */
function indexIds(
  items: Record<string, unknown>[],
  what: string,
  problems: Problems,
  nameKey: string,
): Map<string, number> {
  const ids = new Map<string, number>();
  items.forEach((item, i) => {
    const id = item.id;
    if (typeof id !== 'string' || id === '') problems.add(`${what}[${i}]: "id" must be a non-empty string`);
    else if (ids.has(id)) problems.add(`${what}[${i}]: duplicate id ${JSON.stringify(id)}`);
    else ids.set(id, i);
    if (typeof item[nameKey] !== 'string' || item[nameKey] === '') {
      problems.add(`${what}[${i}]: "${nameKey}" must be a non-empty string`);
    }
  });
  return ids;
}

const PERSON_STRINGS = [
  'firstName',
  'lastName',
  'webLogin',
  'language',
  'timezone',
  'licenseType',
  'phoneLogin',
  'siteId',
  'externalKey',
  'lastLogin',
  'whenCreated',
];
const GROUP_STRINGS = ['description', 'externalKey', 'created', 'siteId'];
const BOOLEANS = ['externallyOwned', 'observedByAll', 'allowDuplicates', 'useDefaultDevices'];

/** Optional fields, when present, must have the type the API serves. */
function checkOptionalTypes(
  item: Record<string, unknown>,
  strings: string[],
  where: string,
  problems: Problems,
): void {
  for (const key of strings) {
    if (item[key] !== undefined && typeof item[key] !== 'string')
      problems.add(`${where}: "${key}" must be a string`);
  }
  for (const key of BOOLEANS) {
    if (item[key] !== undefined && typeof item[key] !== 'boolean')
      problems.add(`${where}: "${key}" must be a boolean`);
  }
}

function checkStatus(
  item: Record<string, unknown>,
  where: string,
  problems: Problems,
): 'ACTIVE' | 'INACTIVE' {
  const s = item.status ?? 'ACTIVE';
  if (s !== 'ACTIVE' && s !== 'INACTIVE') problems.add(`${where}: "status" must be ACTIVE or INACTIVE`);
  return s === 'INACTIVE' ? 'INACTIVE' : 'ACTIVE';
}

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
  if (!Array.isArray(refs)) {
    problems.add(`${where}: "${key}" must be an array of ${what} ids`);
    return [];
  }
  const out: number[] = [];
  for (const id of refs) {
    const idx = typeof id === 'string' ? ids.get(id) : undefined;
    if (idx === undefined) problems.add(`${where}: unknown ${what} id ${JSON.stringify(id)} in "${key}"`);
    else out.push(idx);
  }
  return out;
}

/** Validates tenant JSON and builds the compact Tenant. Throws XM_CONFIG listing the problems found. */
export function parseTenantData(json: unknown, source = 'tenant data'): Tenant {
  const problems = new Problems();
  if (!isObj(json)) {
    throw new XmattersError(
      XmattersErrorCode.CONFIG,
      `Invalid ${source}: the top level must be a JSON object.`,
    );
  }
  const roles = readArray(json, 'roles', problems);
  const people = readArray(json, 'people', problems);
  const groups = readArray(json, 'groups', problems);
  const devices = readArray(json, 'devices', problems);
  const teams = readArray(json, 'dynamicTeams', problems);
  const creds = readArray(json, 'credentials', problems);
  const roleIds = indexIds(roles, 'roles', problems, 'name');
  const personIds = indexIds(people, 'people', problems, 'targetName');
  const groupIds = indexIds(groups, 'groups', problems, 'targetName');
  const deviceIds = indexIds(devices, 'devices', problems, 'name');
  const teamIds = indexIds(teams, 'dynamicTeams', problems, 'targetName');

  const tenant: Tenant = {
    roles: roles.map((r) => ({ ...(r as unknown as SimRole) })),
    people: people.map((p, i) => {
      checkOptionalTypes(p, PERSON_STRINGS, `people[${i}]`, problems);
      const roleRefs = p.roles ?? [];
      const indices: number[] = [];
      if (!Array.isArray(roleRefs)) problems.add(`people[${i}]: "roles" must be an array of role ids`);
      else
        for (const id of roleRefs) {
          const idx = typeof id === 'string' ? roleIds.get(id) : undefined;
          if (idx === undefined) problems.add(`people[${i}]: unknown role id ${JSON.stringify(id)}`);
          else indices.push(idx);
        }
      if (p.hidden !== undefined && typeof p.hidden !== 'boolean')
        problems.add(`people[${i}]: "hidden" must be a boolean`);
      const person: SimPerson = {
        ...(p as unknown as SimPerson),
        status: checkStatus(p, `people[${i}]`, problems),
        roles: indices,
      };
      const supervisors = refList(p, 'supervisors', personIds, 'person', `people[${i}]`, problems);
      if (supervisors === undefined) delete person.supervisors;
      else person.supervisors = supervisors;
      return person;
    }),
    groups: groups.map((g, i) => {
      checkOptionalTypes(g, GROUP_STRINGS, `groups[${i}]`, problems);
      const type = g.groupType ?? 'ON_CALL';
      if (type !== 'ON_CALL' && type !== 'BROADCAST' && type !== 'DYNAMIC') {
        problems.add(`groups[${i}]: "groupType" must be ON_CALL, BROADCAST or DYNAMIC`);
      }
      const group: SimGroup = {
        ...(g as unknown as SimGroup),
        status: checkStatus(g, `groups[${i}]`, problems),
        groupType: type as SimGroup['groupType'],
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
      for (const key of ['emailAddress', 'phoneNumber']) {
        if (d[key] !== undefined && typeof d[key] !== 'string')
          problems.add(`devices[${i}]: "${key}" must be a string`);
      }
      if (d.sequence !== undefined && !(Number.isSafeInteger(d.sequence) && (d.sequence as number) >= 1))
        problems.add(`devices[${i}]: "sequence" must be an integer ≥ 1`);
      const { ownerId: _ownerId, ...rest } = d;
      return {
        ...(rest as unknown as SimDevice),
        deviceType: typeof d.deviceType === 'string' ? d.deviceType : 'EMAIL',
        status: checkStatus(d, `devices[${i}]`, problems),
        owner: owner ?? 0,
      };
    }),
    dynamicTeams: teams.map((t) => ({ ...(t as unknown as SimDynamicTeam) })),
    credentials: creds.map((c, i) => {
      if (
        typeof c.username !== 'string' ||
        c.username === '' ||
        typeof c.password !== 'string' ||
        c.password === ''
      ) {
        problems.add(`credentials[${i}]: "username" and "password" must be non-empty strings`);
      }
      if (
        c.forbidden !== undefined &&
        !(Array.isArray(c.forbidden) && c.forbidden.every((x) => typeof x === 'string'))
      ) {
        problems.add(`credentials[${i}]: "forbidden" must be an array of path patterns`);
      }
      return { ...(c as unknown as SimCredential) };
    }),
  };

  const memberships = json.memberships ?? {};
  if (!isObj(memberships)) problems.add('"memberships" must be an object mapping group ids to member lists');
  else {
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
      if (!Array.isArray(list)) {
        problems.add(`${where}: must be an array of {type, id}`);
        continue;
      }
      list.forEach((m: unknown, i) => {
        if (
          !isObj(m) ||
          typeof m.type !== 'string' ||
          !MEMBER_TYPES.includes(m.type) ||
          typeof m.id !== 'string'
        ) {
          problems.add(`${where}[${i}]: must be {"type": PERSON|GROUP|DEVICE|DYNAMIC_TEAM, "id": "..."}`);
          return;
        }
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
