import type { Resource } from '../baton/gen/c1/connector/v2/resource_pb.js';
import { UserTrait_Status_Status } from '../baton/gen/c1/connector/v2/annotation_trait_pb.js';
import { newUserResource } from '../baton/model/index.js';
import { parseXmattersTimestamp, type EmailDevice, type Person } from '../xmatters/index.js';
import { USER_RESOURCE_TYPE } from './resource-types.js';

/** "First Last" when xMatters has a name, else the target name (the xMatters user id). */
export function personDisplayName(p: Person): string {
  const name = [p.firstName, p.lastName]
    .map((s) => s?.trim() ?? '')
    .filter((s) => s !== '')
    .join(' ');
  return name !== '' ? name : p.targetName;
}

/**
 * The user trait's emails from a person's EMAIL devices: every address once, the primary being the device
 * xMatters tries first (lowest `sequence`; the served order breaks ties and stands in when none is given).
 */
export function personEmails(devices: readonly EmailDevice[]): { address: string; primary: boolean }[] {
  const ordered = devices
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.sequence ?? Infinity) - (b.d.sequence ?? Infinity) || a.i - b.i);
  const seen = new Set<string>();
  const out: { address: string; primary: boolean }[] = [];
  for (const { d } of ordered) {
    if (seen.has(d.address)) continue;
    seen.add(d.address);
    out.push({ address: d.address, primary: out.length === 0 });
  }
  return out;
}

/**
 * A person as a Baton user. Status ACTIVE → enabled, INACTIVE → disabled, anything else → unspecified with
 * the raw value kept in `details`. Emails only when the listing read devices (`--sync-emails`); phones and
 * other devices never.
 */
export function userResource(p: Person): Resource {
  const profile: Record<string, string | boolean> = { target_name: p.targetName };
  const optional: [string, string | boolean | undefined][] = [
    ['web_login', p.webLogin],
    ['first_name', p.firstName],
    ['last_name', p.lastName],
    ['license_type', p.licenseType],
    ['language', p.language],
    ['timezone', p.timezone],
    ['site_id', p.siteId],
    ['external_key', p.externalKey],
    ['externally_owned', p.externallyOwned],
  ];
  for (const [key, value] of optional) if (value !== undefined) profile[key] = value;
  const aliases = p.webLogin && p.webLogin !== p.targetName ? [p.webLogin] : [];
  return newUserResource(personDisplayName(p), USER_RESOURCE_TYPE, p.id, {
    login: p.targetName,
    loginAliases: aliases,
    emails: p.emails === undefined ? undefined : personEmails(p.emails),
    status: userStatus(p.status),
    statusDetails: p.status ?? '',
    profile,
    lastLogin: parseXmattersTimestamp(p.lastLogin),
    createdAt: parseXmattersTimestamp(p.whenCreated),
    structuredName:
      p.firstName !== undefined || p.lastName !== undefined
        ? { givenName: p.firstName, familyName: p.lastName }
        : undefined,
  });
}

function userStatus(status: string | undefined): UserTrait_Status_Status {
  switch (status?.toUpperCase()) {
    case 'ACTIVE':
      return UserTrait_Status_Status.ENABLED;
    case 'INACTIVE':
      return UserTrait_Status_Status.DISABLED;
    default:
      return UserTrait_Status_Status.UNSPECIFIED;
  }
}
