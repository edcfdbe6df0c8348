import { memberRefIndex, memberRefType } from './member-ref.js';
import type { SimGroup, SimPerson, Tenant } from './tenant.js';

/**
 * Records → the JSON objects the real API serves (xmatters-api.md §4.2, §5.2, §6.2). Optional fields absent
 * from a record are absent from the output; embedded collections are pagination objects without links.
 */
const BASE = '/api/xm/1';
const self = (kind: string, id: string): { self: string } => ({
  self: `${BASE}/${kind}/${encodeURIComponent(id)}`,
});

type Json = Record<string, unknown>;

function put(o: Json, key: string, v: unknown): void {
  if (v !== undefined) o[key] = v;
}

const siteRef = (id: string | undefined): Json | undefined =>
  id === undefined ? undefined : { id, links: self('sites', id) };

export function personJson(t: Tenant, p: SimPerson, embedRoles: boolean): Json {
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
  if (embedRoles) {
    const data = p.roles
      .map((r) => t.roles[r])
      .filter((r) => r !== undefined)
      .map((r) => ({ id: r.id, name: r.name }));
    o.roles = { count: data.length, total: data.length, data };
  }
  o.links = self('people', p.id);
  return o;
}

export function groupJson(g: SimGroup): Json {
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
      // Legacy dynamic teams carry no status and no links (xmatters-api.md §9.11).
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
