import { memberRefIndex, memberRefType } from './member-ref.js';
import { randomUuid, randInt, type Rng } from './prng.js';
import type { SimGroup, SimPerson, Tenant } from './tenant.js';

export const PEOPLE_SORTS = [
  'FIRST_LAST_NAME',
  'TARGET_NAME',
  'STATUS',
  'WEB_LOGIN',
  'LAST_LOGIN',
  'SITE',
  'ROLES',
] as const;
export const GROUP_SORTS = ['NAME', 'GROUPTYPE', 'STATUS'] as const;
export type SortOrder = 'ASCENDING' | 'DESCENDING';
export type InsertPosition = 'start' | 'end' | 'random';

export interface ListQuery {
  sortBy?: string;
  sortOrder?: SortOrder;
  status?: string;
  groupType?: string;
  search?: SearchQuery;
}

/** The `search` filter (src/simulator/README.md): terms matched case-insensitively as substrings. */
export interface SearchQuery {
  /** Lower-case terms (the `search` value split on spaces). */
  terms: string[];
  /** Field names (`fields`); a record matches a term when any of them contains it. */
  fields: readonly string[];
  /** `operand=AND`: every term must match; default any term. */
  all: boolean;
}

export const PEOPLE_SEARCH_FIELDS = [
  'FIRST_NAME',
  'LAST_NAME',
  'TARGET_NAME',
  'WEB_LOGIN',
  'EMAIL_ADDRESS',
  'PHONE_NUMBER',
] as const;
export const GROUP_SEARCH_FIELDS = ['NAME', 'DESCRIPTION', 'SERVICE_NAME'] as const;

/** Searchable text by field; the simulator has no email addresses, phone numbers or services to search. */
const PERSON_TEXT: Record<string, (p: SimPerson) => string | undefined> = {
  FIRST_NAME: (p) => p.firstName,
  LAST_NAME: (p) => p.lastName,
  TARGET_NAME: (p) => p.targetName,
  WEB_LOGIN: (p) => p.webLogin,
};
const GROUP_TEXT: Record<string, (g: SimGroup) => string | undefined> = {
  NAME: (g) => g.targetName,
  DESCRIPTION: (g) => g.description,
};

function searchFilter<T>(
  indices: number[],
  items: T[],
  text: Record<string, (item: T) => string | undefined>,
  q: SearchQuery | undefined,
): number[] {
  if (q === undefined || q.terms.length === 0) return indices;
  const getters = q.fields.map((f) => text[f]).filter((g) => g !== undefined);
  const hit = (item: T, term: string): boolean =>
    getters.some((g) => g(item)?.toLowerCase().includes(term) === true);
  return indices.filter((i) => {
    const item = items[i] as T;
    return q.all ? q.terms.every((t) => hit(item, t)) : q.terms.some((t) => hit(item, t));
  });
}

type KeyFn<T> = (item: T) => string;

const PEOPLE_KEYS: Record<(typeof PEOPLE_SORTS)[number], (t: Tenant) => KeyFn<SimPerson>> = {
  FIRST_LAST_NAME: () => (p) => `${p.firstName ?? ''} ${p.lastName ?? ''}`,
  TARGET_NAME: () => (p) => p.targetName,
  STATUS: () => (p) => p.status,
  WEB_LOGIN: () => (p) => p.webLogin ?? '',
  LAST_LOGIN: () => (p) => p.lastLogin ?? '',
  SITE: () => (p) => p.siteId ?? '',
  ROLES: (t) => (p) => (p.roles[0] === undefined ? '' : (t.roles[p.roles[0]]?.name ?? '')),
};
const GROUP_KEYS: Record<(typeof GROUP_SORTS)[number], KeyFn<SimGroup>> = {
  NAME: (g) => g.targetName,
  GROUPTYPE: (g) => g.groupType,
  STATUS: (g) => g.status,
};

/** Code-unit order, ties broken by id: deterministic on every platform and locale. */
function sortedIndices<T extends { id: string }>(
  items: T[],
  live: number[],
  key: KeyFn<T> | undefined,
  desc: boolean,
): number[] {
  if (key === undefined) return live;
  const keys: string[] = new Array<string>(items.length);
  for (const i of live) keys[i] = key(items[i] as T);
  const cmp = (a: number, b: number): number => {
    const ka = keys[a] as string;
    const kb = keys[b] as string;
    if (ka !== kb) return (ka < kb ? -1 : 1) * (desc ? -1 : 1);
    const ia = (items[a] as T).id;
    const ib = (items[b] as T).id;
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  };
  return live.slice().sort(cmp);
}

/**
 * The mutable state of a running simulator: the tenant plus deletions, lookups and cached sorted views.
 * Deleted records stay in the arrays (indices are stable) and are filtered out of every answer.
 */
export class TenantStore {
  readonly tenant: Tenant;
  private readonly deletedPeople = new Set<number>();
  private readonly deletedGroups = new Set<number>();
  /** People on rosters that GET /people and /people/{id} do not show (see SimPerson.hidden). */
  private readonly hiddenPeople = new Set<number>();
  private version = 0;
  private readonly views = new Map<string, { version: number; indices: number[] }>();
  private lookup: { version: number; people: Map<string, number>; groups: Map<string, number> } | undefined;

  constructor(tenant: Tenant) {
    this.tenant = tenant;
    tenant.people.forEach((p, i) => {
      if (p.hidden === true) this.hiddenPeople.add(i);
    });
  }

  isPersonLive = (i: number): boolean => i < this.tenant.people.length && !this.deletedPeople.has(i);
  /** Live and visible to the API account: listed by GET /people and found by /people/{id}. */
  isPersonVisible = (i: number): boolean => this.isPersonLive(i) && !this.hiddenPeople.has(i);

  /**
   * Hides people (by id or target name) from GET /people and /people/{id} while they stay on group rosters.
   * Returns the names that match no live person.
   */
  hidePeople(idsOrTargetNames: readonly string[]): string[] {
    const unknown: string[] = [];
    for (const key of idsOrTargetNames) {
      const i = this.lookups().people.get(key);
      if (i === undefined) unknown.push(key);
      else this.hiddenPeople.add(i);
    }
    this.version++;
    return unknown;
  }

  /** The number of live people hidden from the API account. */
  hiddenCount(): number {
    let n = 0;
    for (const i of this.hiddenPeople) if (this.isPersonLive(i)) n++;
    return n;
  }
  private deviceIndex: { count: number; byOwner: Map<number, number[]> } | undefined;

  /** A person's devices (indices into Tenant.devices) by `sequence`, then tenant order. */
  devicesOf = (personIndex: number): readonly number[] => {
    const devices = this.tenant.devices;
    if (this.deviceIndex?.count !== devices.length) {
      const byOwner = new Map<number, number[]>();
      devices.forEach((d, i) => {
        const list = byOwner.get(d.owner);
        if (list === undefined) byOwner.set(d.owner, [i]);
        else list.push(i);
      });
      const seq = (i: number): number => devices[i]?.sequence ?? Number.MAX_SAFE_INTEGER;
      for (const list of byOwner.values()) list.sort((a, b) => seq(a) - seq(b) || a - b);
      this.deviceIndex = { count: devices.length, byOwner };
    }
    return this.deviceIndex.byOwner.get(personIndex) ?? [];
  };

  isGroupLive = (i: number): boolean => i < this.tenant.groups.length && !this.deletedGroups.has(i);

  private cached(key: string, build: () => number[]): number[] {
    const hit = this.views.get(key);
    if (hit?.version === this.version) return hit.indices;
    const indices = build();
    this.views.set(key, { version: this.version, indices });
    return indices;
  }

  /** Live, visible people matching the query, in its order (insertion order without sortBy). */
  peopleView(q: ListQuery): number[] {
    const view = this.cached(`p|${q.sortBy}|${q.sortOrder}|${q.status}`, () => {
      const live: number[] = [];
      this.tenant.people.forEach((p, i) => {
        if (this.isPersonVisible(i) && (q.status === undefined || p.status === q.status)) live.push(i);
      });
      const make = PEOPLE_KEYS[q.sortBy as keyof typeof PEOPLE_KEYS] as
        ((t: Tenant) => KeyFn<SimPerson>) | undefined;
      return sortedIndices(this.tenant.people, live, make?.(this.tenant), q.sortOrder === 'DESCENDING');
    });
    // Searches are not cached: each distinct search would otherwise keep a view alive.
    return searchFilter(view, this.tenant.people, PERSON_TEXT, q.search);
  }

  groupsView(q: ListQuery): number[] {
    return searchFilter(this.groupsBaseView(q), this.tenant.groups, GROUP_TEXT, q.search);
  }

  private groupsBaseView(q: ListQuery): number[] {
    return this.cached(`g|${q.sortBy}|${q.sortOrder}|${q.status}|${q.groupType}`, () => {
      const live: number[] = [];
      this.tenant.groups.forEach((g, i) => {
        if (this.deletedGroups.has(i)) return;
        if (q.status !== undefined && g.status !== q.status) return;
        if (q.groupType !== undefined && g.groupType !== q.groupType) return;
        live.push(i);
      });
      const key = GROUP_KEYS[q.sortBy as keyof typeof GROUP_KEYS] as KeyFn<SimGroup> | undefined;
      return sortedIndices(this.tenant.groups, live, key, q.sortOrder === 'DESCENDING');
    });
  }

  /** A group's members in roster order, without references to deleted people or groups. */
  liveMembers(groupIndex: number): number[] {
    const members = this.tenant.groups[groupIndex]?.members ?? [];
    if (this.deletedPeople.size === 0 && this.deletedGroups.size === 0) return members;
    return members.filter((ref) => {
      const type = memberRefType(ref);
      const i = memberRefIndex(ref);
      if (type === 'PERSON') return this.isPersonLive(i);
      if (type === 'GROUP') return this.isGroupLive(i);
      if (type === 'DEVICE') return this.isPersonLive(this.tenant.devices[i]?.owner ?? -1);
      return true;
    });
  }

  private lookups(): { people: Map<string, number>; groups: Map<string, number> } {
    if (this.lookup?.version !== this.version) {
      const people = new Map<string, number>();
      const groups = new Map<string, number>();
      // Target names first, ids last: an id wins when a target name happens to equal another record's id.
      this.tenant.people.forEach((p, i) => {
        if (this.isPersonLive(i)) people.set(p.targetName, i);
      });
      this.tenant.people.forEach((p, i) => {
        if (this.isPersonLive(i)) people.set(p.id, i);
      });
      this.tenant.groups.forEach((g, i) => {
        if (this.isGroupLive(i)) groups.set(g.targetName, i);
      });
      this.tenant.groups.forEach((g, i) => {
        if (this.isGroupLive(i)) groups.set(g.id, i);
      });
      this.lookup = { version: this.version, people, groups };
    }
    return this.lookup;
  }

  /**
   * A live, visible person by id or target name (the API accepts either: docs/xmatters-api.md, "Endpoints
   * used").
   */
  findPerson(idOrTargetName: string): number | undefined {
    const i = this.lookups().people.get(idOrTargetName);
    return i !== undefined && this.isPersonVisible(i) ? i : undefined;
  }

  findGroup(idOrTargetName: string): number | undefined {
    return this.lookups().groups.get(idOrTargetName);
  }

  counts(): { people: number; groups: number; memberships: number } {
    let memberships = 0;
    this.tenant.groups.forEach((_, i) => {
      if (this.isGroupLive(i)) memberships += this.liveMembers(i).length;
    });
    return {
      people: this.tenant.people.length - this.deletedPeople.size - this.hiddenCount(),
      groups: this.tenant.groups.length - this.deletedGroups.size,
      memberships,
    };
  }

  addPerson(person: SimPerson): number {
    this.version++;
    return this.tenant.people.push(person) - 1;
  }

  addGroup(group: SimGroup): number {
    this.version++;
    return this.tenant.groups.push(group) - 1;
  }

  removePerson(index: number): void {
    this.version++;
    this.deletedPeople.add(index);
  }

  removeGroup(index: number): void {
    this.version++;
    this.deletedGroups.add(index);
  }

  /** Adds `count` people whose target names sort at the start, the end, or anywhere (ascending TARGET_NAME). */
  insertPeople(count: number, position: InsertPosition, rng: Rng): string[] {
    const ids: string[] = [];
    for (let k = 0; k < count; k++) {
      const n = this.tenant.people.length;
      const id = randomUuid(rng);
      this.addPerson({
        id,
        targetName: `${positionPrefix(position, rng)}inserted.${n}`,
        status: 'ACTIVE',
        firstName: 'Inserted',
        lastName: `Person ${n}`,
        roles: this.tenant.roles.length > 0 ? [0] : [],
      });
      ids.push(id);
    }
    return ids;
  }

  insertGroups(count: number, position: InsertPosition, rng: Rng): string[] {
    const ids: string[] = [];
    for (let k = 0; k < count; k++) {
      const n = this.tenant.groups.length;
      const id = randomUuid(rng);
      this.addGroup({
        id,
        targetName: `${positionPrefix(position, rng)}Inserted group ${n}`,
        status: 'ACTIVE',
        groupType: 'BROADCAST',
        members: [],
      });
      ids.push(id);
    }
    return ids;
  }

  /** Deletes `count` live people from the start, the end or anywhere of the ascending TARGET_NAME order. */
  removePeople(count: number, position: InsertPosition, rng: Rng): string[] {
    const view = this.peopleView({ sortBy: 'TARGET_NAME', sortOrder: 'ASCENDING' });
    const chosen = choose(view, count, position, rng);
    chosen.forEach((i) => this.removePerson(i));
    return chosen.map((i) => this.tenant.people[i]?.id ?? '');
  }

  removeGroups(count: number, position: InsertPosition, rng: Rng): string[] {
    const view = this.groupsView({ sortBy: 'NAME', sortOrder: 'ASCENDING' });
    const chosen = choose(view, count, position, rng);
    chosen.forEach((i) => this.removeGroup(i));
    return chosen.map((i) => this.tenant.groups[i]?.id ?? '');
  }
}

/** '!' sorts before letters and digits; U+FFEE after everything a generated name holds. */
function positionPrefix(position: InsertPosition, rng: Rng): string {
  if (position === 'start') return '!';
  if (position === 'end') return '\uffee';
  return String.fromCharCode(97 + randInt(rng, 26));
}

function choose(view: number[], count: number, position: InsertPosition, rng: Rng): number[] {
  const n = Math.min(count, view.length);
  if (position === 'start') return view.slice(0, n);
  if (position === 'end') return view.slice(view.length - n);
  const pool = view.slice();
  const out: number[] = [];
  for (let k = 0; k < n; k++) out.push(pool.splice(randInt(rng, pool.length), 1)[0] as number);
  return out;
}
