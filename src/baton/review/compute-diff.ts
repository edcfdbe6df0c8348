import type { JsonValue } from '@bufbuild/protobuf';
import type { GrantRef } from '../c1z/reader.js';
import { parseGoTime } from '../c1z/go-time.js';
import type { SyncRunRow } from '../c1z/store.js';
import { compareUtf8 } from '../model/utf8-compare.js';
import { isInactive } from './resource-facts.js';
import type { ResourceFacts, ResourceKind } from './resource-facts.js';
import { principalKey } from './sync-view.js';
import type { SyncView } from './sync-view.js';

/** A sync as diff output names it; times are ISO-8601 UTC (null: not finished). */
export interface DiffSyncInfo {
  sync_id: string;
  started_at: string | null;
  ended_at: string | null;
}

export interface ResourceChange {
  id: string;
  resource_type: string;
  display_name: string;
  /** Changed resources only: field → [old, new]; fields are display_name, status, login, profile.<key>. */
  changes?: Record<string, [JsonValue, JsonValue]>;
}

export interface EntitlementChange {
  id: string;
  display_name: string;
}

export interface GrantChange {
  id: string;
  /** The entitlement's display name. */
  entitlement: string;
  /** The principal's display name. */
  principal: string;
  /** A role's or PERMISSION entitlement (see SyncView): reviewers read these first. */
  privileged: boolean;
}

export interface SyncDiff {
  from: DiffSyncInfo;
  to: DiffSyncInfo;
  resources: { added: ResourceChange[]; removed: ResourceChange[]; changed: ResourceChange[] };
  entitlements: { added: EntitlementChange[]; removed: EntitlementChange[] };
  grants: { added: GrantChange[]; removed: GrantChange[] };
}

/** Counts a reader wants first; `people` are resources whose type has the user trait. */
export interface DiffTally {
  /** Per kind: added, removed, changed. */
  resources: Record<ResourceKind, { added: number; removed: number; changed: number }>;
  /** People whose status went from active to disabled/deleted, and back. */
  deactivated: number;
  reactivated: number;
  entitlements: { added: number; removed: number };
  grants: { added: number; removed: number };
  privilegedGrants: { added: number; removed: number };
}

/** Compares two syncs by id: resources, entitlements and grants (see README "diff"). */
export function computeDiff(from: SyncView, to: SyncView): SyncDiff {
  const resources = diffResources(from, to);
  const entitlements = {
    added: [...to.entitlements.values()]
      .filter((e) => !from.entitlements.has(e.id))
      .map((e) => ({ id: e.id, display_name: e.displayName })),
    removed: [...from.entitlements.values()]
      .filter((e) => !to.entitlements.has(e.id))
      .map((e) => ({ id: e.id, display_name: e.displayName })),
  };
  const grants = diffGrants(from, to);
  return { from: syncInfo(from.run), to: syncInfo(to.run), resources, entitlements, grants };
}

export function syncInfo(run: SyncRunRow): DiffSyncInfo {
  const iso = (t: string | null) => (t === null ? null : (parseGoTime(t)?.toISOString() ?? t));
  return { sync_id: run.syncId, started_at: iso(run.startedAt), ended_at: iso(run.endedAt) };
}

/** The kind of a changed resource, looked up in whichever sync holds it. */
export function kindOf(change: ResourceChange, from: SyncView, to: SyncView): ResourceKind {
  return (to.resources.get(change.id) ?? from.resources.get(change.id))?.kind ?? 'other';
}

export function tallyDiff(diff: SyncDiff, from: SyncView, to: SyncView): DiffTally {
  const zero = () => ({ added: 0, removed: 0, changed: 0 });
  const resources: DiffTally['resources'] = { user: zero(), group: zero(), role: zero(), other: zero() };
  for (const [list, key] of [
    [diff.resources.added, 'added'],
    [diff.resources.removed, 'removed'],
    [diff.resources.changed, 'changed'],
  ] as const) {
    for (const r of list) resources[kindOf(r, from, to)][key]++;
  }
  let deactivated = 0;
  let reactivated = 0;
  for (const r of diff.resources.changed) {
    const before = from.resources.get(r.id);
    const after = to.resources.get(r.id);
    if (before?.kind !== 'user' || after === undefined || r.changes?.status === undefined) continue;
    if (!isInactive(before) && isInactive(after)) deactivated++;
    if (isInactive(before) && !isInactive(after)) reactivated++;
  }
  const privileged = (list: GrantChange[]) => list.filter((g) => g.privileged).length;
  return {
    resources,
    deactivated,
    reactivated,
    entitlements: { added: diff.entitlements.added.length, removed: diff.entitlements.removed.length },
    grants: { added: diff.grants.added.length, removed: diff.grants.removed.length },
    privilegedGrants: { added: privileged(diff.grants.added), removed: privileged(diff.grants.removed) },
  };
}

function diffResources(from: SyncView, to: SyncView): SyncDiff['resources'] {
  const brief = (r: ResourceFacts): ResourceChange => ({
    id: r.key,
    resource_type: r.resourceType,
    display_name: r.displayName,
  });
  const added: ResourceChange[] = [];
  const changed: ResourceChange[] = [];
  for (const after of to.resources.values()) {
    const before = from.resources.get(after.key);
    if (before === undefined) {
      added.push(brief(after));
      continue;
    }
    const changes = fieldChanges(before, after);
    if (changes !== undefined) changed.push({ ...brief(after), changes });
  }
  const removed = [...from.resources.values()].filter((r) => !to.resources.has(r.key)).map(brief);
  return { added, removed, changed };
}

function fieldChanges(
  before: ResourceFacts,
  after: ResourceFacts,
): Record<string, [JsonValue, JsonValue]> | undefined {
  const changes: Record<string, [JsonValue, JsonValue]> = {};
  if (before.displayName !== after.displayName)
    changes.display_name = [before.displayName, after.displayName];
  if (before.status !== after.status) changes.status = [before.status, after.status];
  if (before.login !== after.login) changes.login = [before.login, after.login];
  const keys = new Set([...Object.keys(before.profile), ...Object.keys(after.profile)]);
  for (const key of [...keys].sort(compareUtf8)) {
    const a = before.profile[key] ?? null;
    const b = after.profile[key] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) changes[`profile.${key}`] = [a, b];
  }
  return Object.keys(changes).length === 0 ? undefined : changes;
}

/** One pass over both syncs' grants in id order (a merge join): nothing is held but the differences. */
function diffGrants(from: SyncView, to: SyncView): SyncDiff['grants'] {
  const change = (view: SyncView, g: GrantRef): GrantChange => ({
    id: g.id,
    entitlement: view.entitlementName(g.entitlementId),
    principal: view.nameOf(principalKey(g)),
    privileged: view.isPrivileged(g.entitlementId),
  });
  const added: GrantChange[] = [];
  const removed: GrantChange[] = [];
  const a = from.grants()[Symbol.iterator]();
  const b = to.grants()[Symbol.iterator]();
  let x = a.next();
  let y = b.next();
  while (!x.done || !y.done) {
    const order = x.done ? 1 : y.done ? -1 : compareUtf8(x.value.id, y.value.id);
    if (order < 0) {
      removed.push(change(from, x.value as GrantRef));
      x = a.next();
    } else if (order > 0) {
      added.push(change(to, y.value as GrantRef));
      y = b.next();
    } else {
      x = a.next();
      y = b.next();
    }
  }
  return { added, removed };
}
