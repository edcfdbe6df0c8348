import { encodePathSegment } from '../xmatters/path-segment.js';
import { memberRefIndex, memberRefType } from './member-ref.js';
import type { SimDevice, SimGroup, SimPerson, Tenant } from './tenant.js';

/**
 * Records → the JSON objects the real API serves (docs/xmatters-api.md, "Endpoints used"). Optional fields
 * absent from a record are absent from the output; embedded collections are pagination objects without links.
 */
const BASE = '/api/xm/1';
const self = (kind: string, id: string): { self: string } => ({
  self: `${BASE}/${kind}/${encodePathSegment(id)}`,
});

type Json = Record<string, unknown>;

function put(o: Json, key: string, v: unknown): void {
  if (v !== undefined) o[key] = v;
}

const siteRef = (id: string | undefined): Json | undefined =>
  id === undefined ? undefined : { id, links: self('sites', id) };

/** What a serialiser may embed, and which people the API account can see (hidden or deleted ones are not). */
export interface EmbedContext {
  embed: ReadonlySet<string>;
  isPersonVisible: (index: number) => boolean;
  /** Not deleted; hidden people are live (they stay on rosters and among group supervisors). */
  isPersonLive: (index: number) => boolean;
  /** Indices into Tenant.devices of a person's devices, in their delivery order. */
  devicesOf: (personIndex: number) => readonly number[];
  /** Most supervisors a group's `embed=supervisors` carries; `total` still counts them all. */
  supervisorEmbedLimit: number;
}

const collection = (data: Json[], total = data.length): Json => ({ count: data.length, total, data });

/** PersonReference (docs/xmatters-api.md, "Endpoints used"), the form of embedded supervisors. */
export function personRefJson(p: SimPerson): Json {
  const o: Json = { id: p.id, targetName: p.targetName };
  put(o, 'firstName', p.firstName);
  put(o, 'lastName', p.lastName);
  o.recipientType = 'PERSON';
  o.links = self('people', p.id);
  return o;
}

/** Embedded supervisors: a pagination object without links, of the visible people only. */
function supervisorsJson(t: Tenant, indices: number[] | undefined, ctx: EmbedContext): Json {
  const data = (indices ?? [])
    .filter((i) => ctx.isPersonVisible(i))
    .map((i) => personRefJson(t.people[i] as SimPerson));
  return collection(data);
}

/**
 * A group's supervisors as a person sees them: live people, hidden ones included (like rosters, the group
 * names them; xMatters serves a PersonReference for people the caller cannot read).
 */
export function groupSupervisorIndices(g: SimGroup, ctx: EmbedContext): number[] {
  return (g.supervisors ?? []).filter((i) => ctx.isPersonLive(i));
}

/** A group's embedded supervisors: at most `supervisorEmbedLimit` of them, `total` counting all. */
function groupSupervisorsJson(t: Tenant, g: SimGroup, ctx: EmbedContext): Json {
  const all = groupSupervisorIndices(g, ctx);
  const data = all.slice(0, ctx.supervisorEmbedLimit).map((i) => personRefJson(t.people[i] as SimPerson));
  return collection(data, all.length);
}

/** A device as `embed=devices` and `/devices` serve it (docs/xmatters-api.md, "Endpoints used"). */
export function deviceJson(t: Tenant, d: SimDevice): Json {
  const owner = t.people[d.owner];
  const o: Json = {
    id: d.id,
    name: d.name,
    targetName: `${owner?.targetName ?? ''}|${d.name}`,
    recipientType: 'DEVICE',
    deviceType: d.deviceType,
  };
  put(o, 'emailAddress', d.emailAddress);
  put(o, 'phoneNumber', d.phoneNumber);
  o.status = d.status;
  put(o, 'sequence', d.sequence);
  o.externallyOwned = false;
  if (owner !== undefined)
    o.owner = { id: owner.id, targetName: owner.targetName, links: self('people', owner.id) };
  o.links = self('devices', d.id);
  return o;
}

export function personJson(t: Tenant, p: SimPerson, ctx: EmbedContext, index?: number): Json {
  const o: Json = { id: p.id, targetName: p.targetName, recipientType: 'PERSON' };
  put(o, 'externallyOwned', p.externallyOwned ?? false);
  put(o, 'externalKey', p.externalKey);
  o.status = p.status;
  put(o, 'firstName', p.firstName);
  put(o, 'lastName', p.lastName);
  put(o, 'language', p.language);
  put(o, 'timezone', p.timezone);
  put(o, 'webLogin', p.webLogin);
  put(o, 'phoneLogin', p.phoneLogin);
  put(o, 'licenseType', p.licenseType);
  put(o, 'site', siteRef(p.siteId));
  put(o, 'lastLogin', p.lastLogin);
  put(o, 'whenCreated', p.whenCreated);
  if (ctx.embed.has('roles')) o.roles = rolesJson(t, p.roles);
  if (ctx.embed.has('supervisors')) o.supervisors = supervisorsJson(t, p.supervisors, ctx);
  if (ctx.embed.has('devices')) {
    const devices = index === undefined ? [] : ctx.devicesOf(index);
    o.devices = collection(devices.map((d) => deviceJson(t, t.devices[d] as SimDevice)));
  }
  o.links = self('people', p.id);
  return o;
}

function rolesJson(t: Tenant, indices: number[] | undefined): Json {
  const data = (indices ?? [])
    .map((r) => t.roles[r])
    .filter((r) => r !== undefined)
    .map((r) => ({ id: r.id, name: r.name }));
  return collection(data);
}

export function groupJson(t: Tenant, g: SimGroup, ctx: EmbedContext): Json {
  const o: Json = {
    id: g.id,
    targetName: g.targetName,
    recipientType: 'GROUP',
    status: g.status,
    groupType: g.groupType,
  };
  put(o, 'description', g.description);
  put(o, 'externallyOwned', g.externallyOwned ?? false);
  put(o, 'externalKey', g.externalKey);
  put(o, 'allowDuplicates', g.allowDuplicates);
  put(o, 'useDefaultDevices', g.useDefaultDevices);
  put(o, 'observedByAll', g.observedByAll);
  put(o, 'created', g.created);
  put(o, 'site', siteRef(g.siteId));
  if (ctx.embed.has('supervisors')) o.supervisors = groupSupervisorsJson(t, g, ctx);
  if (ctx.embed.has('observers')) o.observers = rolesJson(t, g.observers);
  o.links = self('groups', g.id);
  return o;
}

/** The group reference every roster item starts with. */
export function groupRefJson(g: SimGroup): Json {
  return {
    id: g.id,
    targetName: g.targetName,
    recipientType: 'GROUP',
    groupType: g.groupType,
    links: self('groups', g.id),
  };
}

/** The member side of a roster item: the recipient with a few of its own fields, by kind. */
export function memberJson(t: Tenant, ref: number): Json {
  const i = memberRefIndex(ref);
  switch (memberRefType(ref)) {
    case 'PERSON': {
      const p = t.people[i] as SimPerson;
      const o: Json = { id: p.id, targetName: p.targetName, recipientType: 'PERSON' };
      put(o, 'firstName', p.firstName);
      put(o, 'lastName', p.lastName);
      o.status = p.status;
      o.links = self('people', p.id);
      return o;
    }
    case 'GROUP': {
      const g = t.groups[i] as SimGroup;
      return {
        id: g.id,
        targetName: g.targetName,
        recipientType: 'GROUP',
        status: g.status,
        links: self('groups', g.id),
      };
    }
    case 'DEVICE': {
      const d = t.devices[i];
      const owner = d === undefined ? undefined : t.people[d.owner];
      if (d === undefined || owner === undefined) return { id: '', targetName: '', recipientType: 'DEVICE' };
      return {
        id: d.id,
        targetName: `${owner.targetName}|${d.name}`,
        recipientType: 'DEVICE',
        deviceType: d.deviceType,
        name: d.name,
        status: d.status,
        owner: { id: owner.id, targetName: owner.targetName, links: self('people', owner.id) },
        links: self('devices', d.id),
      };
    }
    case 'DYNAMIC_TEAM': {
      // Legacy dynamic teams carry no status and no links (docs/xmatters-api.md, "Endpoints used").
      const team = t.dynamicTeams[i];
      return { id: team?.id ?? '', targetName: team?.targetName ?? '', recipientType: 'DYNAMIC_TEAM' };
    }
  }
}

export function roleJson(t: Tenant, index: number): Json {
  const r = t.roles[index];
  const o: Json = { id: r?.id ?? '', name: r?.name ?? '' };
  put(o, 'description', r?.description);
  return o;
}
