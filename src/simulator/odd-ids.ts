import { encodeMemberRef } from './member-ref.js';
import type { SimGroup, SimPerson, Tenant } from './tenant.js';

/**
 * Ids that are legal in xMatters but awkward for a client: longer than a Baton id may be (1024 bytes), two
 * such ids equal in their first 1024 bytes (cutting them would merge two people), an id that fits as a
 * resource but not inside the ids derived from it, and group ids that are URL dot segments.
 */
export interface OddIds {
  /** Two people with 1100-byte ids sharing their first 1024 bytes. */
  longPeople: [string, string];
  /** A person whose id (1000 bytes) fits a user id, but not a grant id that embeds it. */
  nearLimitPerson: string;
  /** A group with an 1100-byte id. */
  longGroup: string;
  /** A group whose id (1015 bytes) fits a resource id, but not its `group:<id>:member` entitlement id. */
  nearLimitGroup: string;
  /** Groups with the ids `.` and `..`. */
  dotGroups: [string, string];
}

const LONG_PREFIX = 'p'.repeat(1024);

/**
 * Appends people and groups with odd ids to `tenant` (their rosters hold them and up to three ordinary
 * people; the odd people also join the tenant's first group), so a sync shows what happens to each.
 * Deterministic; the tenant's other records are unchanged.
 */
export function addOddIds(tenant: Tenant): OddIds {
  const odd: OddIds = {
    longPeople: [`${LONG_PREFIX}${'a'.repeat(76)}`, `${LONG_PREFIX}${'b'.repeat(76)}`],
    nearLimitPerson: `near-limit-${'n'.repeat(989)}`,
    longGroup: `long-group-${'g'.repeat(1089)}`,
    nearLimitGroup: `near-limit-group-${'g'.repeat(998)}`,
    dotGroups: ['.', '..'],
  };
  const person = (id: string, n: number): number => {
    const p: SimPerson = { id, targetName: `odd-id-person-${n}`, status: 'ACTIVE', roles: [] };
    tenant.people.push(p);
    return tenant.people.length - 1;
  };
  const oddPeople = [
    person(odd.longPeople[0], 1),
    person(odd.longPeople[1], 2),
    person(odd.nearLimitPerson, 3),
  ];
  const ordinary = tenant.people.slice(0, Math.max(0, tenant.people.length - 3)).slice(0, 3);
  const ordinaryRefs = ordinary.map((_, i) => encodeMemberRef('PERSON', i));
  const oddRefs = oddPeople.map((i) => encodeMemberRef('PERSON', i));
  tenant.groups[0]?.members.push(...oddRefs);
  const group = (id: string, name: string): void => {
    const g: SimGroup = {
      id,
      targetName: name,
      status: 'ACTIVE',
      groupType: 'ON_CALL',
      members: [...ordinaryRefs, ...oddRefs],
    };
    tenant.groups.push(g);
  };
  group(odd.longGroup, 'Odd id: too long');
  group(odd.nearLimitGroup, 'Odd id: near the limit');
  group(odd.dotGroups[0], 'Odd id: dot');
  group(odd.dotGroups[1], 'Odd id: dot dot');
  return odd;
}
