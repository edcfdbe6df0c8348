import { put, isObject, optBoolean, optRefId, optString, type JsonObject, type Parsed } from './fields.js';
import { checkRecipient } from './recipient.js';
import { parseRole, type Role } from './role.js';

/** The Person fields the connector uses (xmatters-api.md §4.2); every optional field may be absent. */
export interface Person {
  id: string;
  targetName: string;
  recipientType: 'PERSON';
  status?: string;
  firstName?: string;
  lastName?: string;
  webLogin?: string;
  language?: string;
  timezone?: string;
  licenseType?: string;
  siteId?: string;
  externalKey?: string;
  externallyOwned?: boolean;
  /** Raw timestamp (`…Z` or `…+0000`); see parseXmattersTimestamp. */
  lastLogin?: string;
  whenCreated?: string;
  /** From `embed=roles`; empty when the embed is absent. */
  roles: Role[];
}

/** Embedded collections come as pagination objects `{count,total,data}` (§3.3); tolerate a bare array. */
function embeddedRoles(o: JsonObject): Role[] {
  const v = o.roles;
  const items = Array.isArray(v) ? v : isObject(v) && Array.isArray(v.data) ? v.data : [];
  const roles: Role[] = [];
  for (const item of items as unknown[]) {
    const r = parseRole(item);
    if (r.ok) roles.push(r.value);
  }
  return roles;
}

export function parsePerson(raw: unknown): Parsed<Person> {
  const check = checkRecipient(raw, ['PERSON']);
  if (!check.ok) return check;
  const o = check.obj;
  const p: Person = {
    id: o.id as string,
    targetName: o.targetName as string,
    recipientType: 'PERSON',
    roles: embeddedRoles(o),
  };
  put(p, 'status', optString(o, 'status'));
  put(p, 'firstName', optString(o, 'firstName'));
  put(p, 'lastName', optString(o, 'lastName'));
  put(p, 'webLogin', optString(o, 'webLogin'));
  put(p, 'language', optString(o, 'language'));
  put(p, 'timezone', optString(o, 'timezone'));
  put(p, 'licenseType', optString(o, 'licenseType'));
  put(p, 'siteId', optRefId(o, 'site'));
  put(p, 'externalKey', optString(o, 'externalKey'));
  put(p, 'externallyOwned', optBoolean(o, 'externallyOwned'));
  put(p, 'lastLogin', optString(o, 'lastLogin'));
  put(p, 'whenCreated', optString(o, 'whenCreated'));
  return { ok: true, value: p };
}
