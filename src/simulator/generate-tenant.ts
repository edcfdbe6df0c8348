import { encodeMemberRef } from './member-ref.js';
import { createRng, pick, randInt, randomUuid, type Rng } from './prng.js';
import type {
  SimCredential,
  SimDevice,
  SimDynamicTeam,
  SimGroup,
  SimGroupType,
  SimPerson,
  SimRole,
  Tenant,
} from './tenant.js';

export interface GenerateTenantOptions {
  /** Same seed and sizes → the same tenant, byte for byte. Default 1. */
  seed?: number;
  /** Default 1000. */
  people?: number;
  /** Default 100. */
  groups?: number;
  /** Average members per group over all groups (empty ones included); default 75. */
  avgMembersPerGroup?: number;
  /** Groups with `largeGroupSize` members; default groups/1000 (at least 1 when there are ≥ 10 groups). */
  largeGroups?: number;
  /** Default people/10 (10 000 for 100k people), at least 50 and at most `people`. */
  largeGroupSize?: number;
  /** Default 0.2. */
  emptyGroupRatio?: number;
  /** Share of non-empty groups that also contain 1–2 other groups (always later ones: no cycles). Default 0.05. */
  nestedGroupRatio?: number;
  /** Share of non-empty groups with a device member. Default 0.05. */
  deviceMemberRatio?: number;
  /** Share of non-empty groups with a dynamic-team member. Default 0.02. */
  dynamicTeamMemberRatio?: number;
  /** Default 0.03. */
  inactivePersonRatio?: number;
  /** Default 0.05. */
  inactiveGroupRatio?: number;
  /** Share of people and groups whose id is not a UUID. Default 0.01. */
  nonUuidIdRatio?: number;
  /** Default GENERATED_CREDENTIALS. */
  credentials?: SimCredential[];
  /** Share of groups with 1–3 supervisors. Default 0.6. */
  supervisedGroupRatio?: number;
  /**
   * Supervisors of the large groups (or of one group when there is none), more than an `embed=supervisors`
   * carries so clients must read /groups/{id}/supervisors. Default 150 (at most the number of people).
   */
  manySupervisors?: number;
  /** Share of people with a Work Email device (others may have none). Default 0.9. */
  emailRatio?: number;
}

/** Credentials of every generated tenant unless others are given. A local test server: not secrets. */
export const GENERATED_CREDENTIALS: readonly SimCredential[] = Object.freeze([
  { username: 'sim-user', password: 'sim-password' },
  { username: 'x-api-key-0d6f1e8a-2b7c-4c3d-9e5f-6a7b8c9d0e1f', password: 'sim-api-secret' },
  { username: 'sim-noaccess', password: 'sim-noaccess-password', forbidden: ['**'] },
]);

const ROLE_NAMES = [
  'Standard User',
  'Person Supervisor',
  'Group Supervisor',
  'Group Monitor',
  'Developer',
  'Subscription Supervisor',
  'Support User',
  'Web Service Supervisor',
  'Company Supervisor',
  'Full Access User',
  'REST Web Service User',
];
const FIRST = [
  'Ava',
  'Zoë',
  'José',
  'Seán',
  'Chloé',
  'Mary',
  'John',
  'Øyvind',
  'Ngọc',
  '伟',
  'Aarav',
  'Fatima',
  'Kai',
  'Renée',
  'Björn',
  'Léa',
  'Omar',
  'Yuki',
  'Ana',
  'Dmitri',
];
const LAST = [
  "O'Brien",
  'Müller',
  'Nguyễn',
  'Smith',
  'García',
  'Kowalski',
  '李',
  'Yılmaz',
  'Dubois',
  'Rossi',
  'Sato',
  'Okafor',
  "D'Angelo",
  'Novák',
  'Andersson',
  'Haddad',
];
const TEAMS = [
  'Database',
  'Network',
  'Payments',
  'Café Support',
  'Ops / EMEA',
  'The "A" Team',
  "O'Hare Crew",
  'Platform',
  'Security',
  'Storage',
  'Mobile',
  'Data/ML',
];
const KINDS = ['On-Call', 'Escalation', 'Broadcast', 'Leads', 'Tier 1', 'Tier 2'];
const TIMEZONES = [
  'US/Eastern',
  'US/Pacific',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Tokyo',
  'Australia/Sydney',
  'UTC',
];
const LANGUAGES = ['en', 'en', 'en', 'fr', 'de', 'ja', 'es'];
const DEVICE_KINDS: readonly [string, string][] = [
  ['Work Email', 'EMAIL'],
  ['Work Phone', 'VOICE'],
  ['Mobile SMS', 'TEXT_PHONE'],
];
const EPOCH_2019 = Date.UTC(2019, 0, 1);
const SIX_YEARS = 6 * 365 * 86_400_000;

/**
 * A timestamp in 2019–2024, half in the `…Z` form and half in the `…+0000` form (docs/xmatters-api.md,
 * "Endpoints used").
 */
function timestamp(rng: Rng): string {
  const iso = new Date(EPOCH_2019 + Math.floor(rng() * SIX_YEARS)).toISOString();
  return rng() < 0.5 ? iso : iso.replace('Z', '+0000');
}

const ratio = (v: number | undefined, fallback: number): number => Math.min(1, Math.max(0, v ?? fallback));

function ident(rng: Rng, prefix: string, i: number, nonUuid: number): string {
  if (rng() >= nonUuid) return randomUuid(rng);
  // Real ids are not always well-formed UUIDs (docs/xmatters-api.md, "Endpoints used"): a legacy id or a UUID
  // missing a dash.
  return rng() < 0.5 ? `${prefix}-${i}` : randomUuid(rng).replace(/-(?=[^-]*$)/, '');
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** `size` distinct person indices: a random start and a random stride coprime with n (cheap, no sets). */
function distinctPeople(rng: Rng, n: number, size: number, out: number[]): void {
  let stride = 1 + randInt(rng, Math.max(1, n - 1));
  while (n > 1 && gcd(stride, n) !== 1) stride = 1 + randInt(rng, n - 1);
  const start = randInt(rng, n);
  for (let k = 0; k < size; k++) out.push(encodeMemberRef('PERSON', (start + k * stride) % n));
}

/**
 * A deterministic tenant of any size: a few very large groups, many empty ones, the rest sized from an
 * exponential distribution; nested groups, device and dynamic-team members; inactive records; names with
 * Unicode, quotes and slashes; both timestamp forms; absent optional fields; some non-UUID ids.
 * 100k people / 10k groups / ~750k memberships takes a few seconds and well under 200 MB.
 */
export function generateTenant(opts: GenerateTenantOptions = {}): Tenant {
  const rng = createRng(opts.seed ?? 1);
  const nPeople = Math.max(0, Math.floor(opts.people ?? 1000));
  const nGroups = Math.max(0, Math.floor(opts.groups ?? 100));
  const nonUuid = ratio(opts.nonUuidIdRatio, 0.01);

  const roles: SimRole[] = ROLE_NAMES.map((name) => ({ id: randomUuid(rng), name }));
  const sites = Array.from({ length: 5 }, () => randomUuid(rng));
  const people: SimPerson[] = new Array<SimPerson>(nPeople);
  const inactivePeople = ratio(opts.inactivePersonRatio, 0.03);
  for (let i = 0; i < nPeople; i++) {
    const first = pick(rng, FIRST);
    const last = pick(rng, LAST);
    let targetName = `${first}.${last}.${i}`.toLowerCase().replace(/\s+/g, '');
    if (i % 97 === 5) targetName = `contractors/${targetName}`;
    const p: SimPerson = {
      id: ident(rng, 'person', i, nonUuid),
      targetName,
      status: rng() < inactivePeople ? 'INACTIVE' : 'ACTIVE',
      firstName: first,
      lastName: last,
      roles: rng() < 0.2 ? [0, 1 + randInt(rng, roles.length - 1)] : [0],
    };
    // Mostly the target name; every tenth person signs in with another login (an e-mail-like SSO name),
    // which the connector must report as a login alias. No extra draw: the rest of the tenant is unchanged.
    if (rng() < 0.95)
      p.webLogin = i % 10 === 3 ? `${first}.${last}.${i}@example.com`.toLowerCase() : targetName;
    p.language = pick(rng, LANGUAGES);
    p.timezone = pick(rng, TIMEZONES);
    p.licenseType = rng() < 0.8 ? 'FULL_USER' : 'STAKEHOLDER_USER';
    if (rng() < 0.9) p.siteId = pick(rng, sites);
    if (rng() < 0.5) {
      p.externalKey = `HR-${100000 + i}`;
      p.externallyOwned = rng() < 0.8;
    }
    if (rng() < 0.7) p.lastLogin = timestamp(rng);
    if (rng() < 0.9) p.whenCreated = timestamp(rng);
    people[i] = p;
  }

  const groups: SimGroup[] = new Array<SimGroup>(nGroups);
  const inactiveGroups = ratio(opts.inactiveGroupRatio, 0.05);
  for (let i = 0; i < nGroups; i++) {
    const r = rng();
    const groupType: SimGroupType = r < 0.6 ? 'ON_CALL' : r < 0.95 ? 'BROADCAST' : 'DYNAMIC';
    const g: SimGroup = {
      id: ident(rng, 'group', i, nonUuid),
      targetName: `${pick(rng, TEAMS)} ${pick(rng, KINDS)} ${i}`,
      status: rng() < inactiveGroups ? 'INACTIVE' : 'ACTIVE',
      groupType,
      members: [],
    };
    if (rng() < 0.7) g.description = rng() < 0.1 ? '' : `Team ${i} – ${g.targetName}`;
    g.observedByAll = rng() < 0.8;
    g.externallyOwned = rng() < 0.3;
    if (g.externallyOwned) g.externalKey = `AD-CN=Group${i}`;
    if (rng() < 0.9) g.created = timestamp(rng);
    if (rng() < 0.3) g.siteId = pick(rng, sites);
    groups[i] = g;
  }

  // Sizes: shuffle the groups, the first few are large, the next share is empty, the rest split the budget.
  const order = Array.from({ length: nGroups }, (_, i) => i);
  for (let i = nGroups - 1; i > 0; i--) {
    const j = randInt(rng, i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const nLarge = Math.min(
    nGroups,
    opts.largeGroups ?? (nGroups >= 10 ? Math.max(1, Math.round(nGroups / 1000)) : 0),
  );
  const largeSize = Math.min(nPeople, opts.largeGroupSize ?? Math.max(50, Math.round(nPeople / 10)));
  const nEmpty = Math.min(nGroups - nLarge, Math.round(nGroups * ratio(opts.emptyGroupRatio, 0.2)));
  const nNormal = nGroups - nLarge - nEmpty;
  const budget = Math.max(0, nGroups * (opts.avgMembersPerGroup ?? 75) - nLarge * largeSize);
  const mean = nNormal > 0 ? budget / nNormal : 0;

  const devices: SimDevice[] = [];
  const dynamicTeams: SimDynamicTeam[] = Array.from(
    { length: Math.max(1, Math.round(nGroups / 100)) },
    (_, i) => ({
      id: randomUuid(rng),
      targetName: `Dynamic Team ${i}`,
    }),
  );
  const nested = ratio(opts.nestedGroupRatio, 0.05);
  const withDevice = ratio(opts.deviceMemberRatio, 0.05);
  const withTeam = ratio(opts.dynamicTeamMemberRatio, 0.02);
  const addNested = (gi: number, g: SimGroup): void => {
    const count = 1 + randInt(rng, 2);
    for (let c = 0; c < count; c++)
      g.members.push(encodeMemberRef('GROUP', gi + 1 + randInt(rng, nGroups - gi - 1)));
  };
  const addDevice = (g: SimGroup): void => {
    const [name, deviceType] = pick(rng, DEVICE_KINDS);
    devices.push({ id: randomUuid(rng), name, deviceType, status: 'ACTIVE', owner: randInt(rng, nPeople) });
    g.members.push(encodeMemberRef('DEVICE', devices.length - 1));
  };
  const addTeam = (g: SimGroup): void => {
    g.members.push(encodeMemberRef('DYNAMIC_TEAM', randInt(rng, dynamicTeams.length)));
  };
  let nestedCount = 0;
  let teamCount = 0;
  for (let k = 0; k < nGroups; k++) {
    const gi = order[k] as number;
    const g = groups[gi] as SimGroup;
    if (k >= nLarge && k < nLarge + nEmpty) continue;
    if (nPeople === 0) continue;
    const size =
      k < nLarge ? largeSize : Math.min(nPeople, Math.max(1, Math.round(-mean * Math.log(1 - rng()))));
    distinctPeople(rng, nPeople, size, g.members);
    if (k >= nLarge && rng() < nested && gi < nGroups - 1) {
      addNested(gi, g);
      nestedCount += 1;
    }
    if (rng() < withDevice) addDevice(g);
    if (rng() < withTeam) {
      addTeam(g);
      teamCount += 1;
    }
  }
  // A small tenant may draw no member of some kind; every kind a non-zero ratio asks for gets at least one
  // holder among the non-empty, non-large groups. Drawn after everything else, so a tenant that already has
  // every kind is unchanged.
  if (nPeople > 0) {
    const holders = order.slice(nLarge + nEmpty);
    const nestHolders = holders.filter((gi) => gi < nGroups - 1);
    const holder = (from: number[]): SimGroup => groups[pick(rng, from)] as SimGroup;
    if (nestedCount === 0 && nested > 0 && nestHolders.length > 0) {
      const gi = pick(rng, nestHolders);
      addNested(gi, groups[gi] as SimGroup);
    }
    if (devices.length === 0 && withDevice > 0 && holders.length > 0) addDevice(holder(holders));
    if (teamCount === 0 && withTeam > 0 && holders.length > 0) addTeam(holder(holders));
  }
  // Nested picks may repeat a group; a roster lists each member once.
  for (const g of groups) if (g.members.length > 1) g.members = dedupe(g.members);
  addSupervisorsAndDevices(opts, people, groups, order.slice(0, nLarge), devices);
  // A role of /roles that nobody holds (listed, never granted), added without a draw.
  roles.push({
    id: `role-unassigned-${opts.seed ?? 1}`,
    name: 'Conference Bridge Supervisor',
    description: 'Held by nobody',
  });

  return {
    roles,
    people,
    groups,
    devices,
    dynamicTeams,
    credentials: (opts.credentials ?? GENERATED_CREDENTIALS).map((c) => ({ ...c })),
  };
}

/**
 * Group supervisors and people's devices, drawn from their own PRNG after everything else so the people,
 * groups and rosters of a seed are the same as without them.
 */
function addSupervisorsAndDevices(
  opts: GenerateTenantOptions,
  people: SimPerson[],
  groups: SimGroup[],
  largeGroups: number[],
  devices: SimDevice[],
): void {
  const rng = createRng(((opts.seed ?? 1) ^ 0x5eed5eed) >>> 0);
  const n = people.length;
  if (n > 0) {
    const supervised = ratio(opts.supervisedGroupRatio, 0.6);
    for (const g of groups) {
      if (rng() >= supervised) continue;
      const count = Math.min(n, 1 + randInt(rng, 3));
      const start = randInt(rng, n);
      g.supervisors = Array.from({ length: count }, (_, k) => (start + k * 7919) % n);
      g.supervisors = [...new Set(g.supervisors)];
    }
    const many = Math.min(n, Math.max(0, Math.floor(opts.manySupervisors ?? 150)));
    const crowded = largeGroups.length > 0 ? largeGroups : groups.length > 0 ? [0] : [];
    for (const gi of crowded) {
      if (many === 0) break;
      const start = randInt(rng, n);
      (groups[gi] as SimGroup).supervisors = Array.from({ length: many }, (_, k) => (start + k) % n);
    }
  }
  // Roster devices get the contact data their kind carries.
  for (const d of devices) {
    const owner = people[d.owner];
    if (owner === undefined) continue;
    if (d.deviceType === 'EMAIL') d.emailAddress = emailOf(owner, 'work');
    else d.phoneNumber = phoneOf(d.owner);
  }
  const withEmail = ratio(opts.emailRatio, 0.9);
  for (let i = 0; i < n; i++) {
    const p = people[i] as SimPerson;
    if (rng() < withEmail) {
      devices.push({
        id: randomUuid(rng),
        name: 'Work Email',
        deviceType: 'EMAIL',
        status: 'ACTIVE',
        owner: i,
        emailAddress: emailOf(p, 'work'),
        sequence: 2,
      });
    }
    if (rng() < 0.4) {
      devices.push({
        id: randomUuid(rng),
        name: 'Work Phone',
        deviceType: 'VOICE',
        status: 'ACTIVE',
        owner: i,
        phoneNumber: phoneOf(i),
        sequence: 1,
      });
    }
    if (rng() < 0.1) {
      devices.push({
        id: randomUuid(rng),
        name: 'Home Email',
        deviceType: 'EMAIL',
        status: 'ACTIVE',
        owner: i,
        emailAddress: emailOf(p, 'home'),
        sequence: 3,
      });
    }
  }
}

const emailOf = (p: SimPerson, kind: 'work' | 'home'): string =>
  `${p.targetName.replace(/[^a-z0-9.]/gi, '')}@${kind === 'work' ? 'example.com' : 'home.example.net'}`;

const phoneOf = (i: number): string => `+1555${String(i % 10_000_000).padStart(7, '0')}`;

function dedupe(refs: number[]): number[] {
  const tail = refs.slice(-4);
  if (new Set(tail).size === tail.length) return refs;
  return [...new Set(refs)];
}
