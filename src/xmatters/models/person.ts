import {
  defined,
  isObject,
  optBoolean,
  optRefId,
  optString,
  type JsonObject,
  type Parsed,
} from './fields.js';
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
  return {
    ok: true,
    value: defined<Person>({
      id: o.id as string,
      targetName: o.targetName as string,
      recipientType: 'PERSON',
      status: optString(o, 'status'),
      firstName: optString(o, 'firstName'),
      lastName: optString(o, 'lastName'),
      webLogin: optString(o, 'webLogin'),
      language: optString(o, 'language'),
      timezone: optString(o, 'timezone'),
      licenseType: optString(o, 'licenseType'),
      siteId: optRefId(o, 'site'),
      externalKey: optString(o, 'externalKey'),
      externallyOwned: optBoolean(o, 'externallyOwned'),
      lastLogin: optString(o, 'lastLogin'),
      whenCreated: optString(o, 'whenCreated'),
      roles: embeddedRoles(o),
    }),
  };
}
