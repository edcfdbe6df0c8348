import { emailDevices, type EmailDevice } from './device.js';
import { embeddedCollection } from './embedded.js';
import { put, optBoolean, optRefId, optString, type JsonObject, type Parsed } from './fields.js';
import { checkRecipient } from './recipient.js';
import { parseRole, type Role } from './role.js';

/**
 * The Person fields the connector uses (docs/xmatters-api.md, "Endpoints used"); every optional field may be
 * absent.
 */
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
  /** Set when the embedded roles announce more than they carry (`count < total`): xMatters' total. */
  rolesTotal?: number;
  /** Why each unusable embedded role item was left out (missing id or name). */
  invalidRoles?: string[];
  /** From `embed=devices`, only when asked for (parsePerson's `devices` option): the EMAIL devices. */
  emails?: EmailDevice[];
}

export interface ParsePersonOptions {
  /** Read the EMAIL devices of `embed=devices`. Off: device data is ignored even when present. */
  devices?: boolean;
}

function readRoles(o: JsonObject, p: Person): void {
  const c = embeddedCollection(o, 'roles');
  if (c === undefined) return;
  const invalid: string[] = c.malformed ? [`roles is ${typeof o.roles}, expected a pagination object`] : [];
  for (const item of c.items) {
    const r = parseRole(item);
    if (r.ok) p.roles.push(r.value);
    else invalid.push(r.id === undefined ? r.reason : `${r.reason} (id ${r.id})`);
  }
  if (invalid.length > 0) p.invalidRoles = invalid;
  if (c.total > c.items.length) p.rolesTotal = c.total;
}

export function parsePerson(raw: unknown, opts: ParsePersonOptions = {}): Parsed<Person> {
  const check = checkRecipient(raw, ['PERSON']);
  if (!check.ok) return check;
  const o = check.obj;
  const p: Person = {
    id: o.id as string,
    targetName: o.targetName as string,
    recipientType: 'PERSON',
    roles: [],
  };
  readRoles(o, p);
  if (opts.devices === true) p.emails = emailDevices(embeddedCollection(o, 'devices')?.items ?? []);
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
