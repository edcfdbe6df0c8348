import type { SyncContext } from '../baton/sync/connector.js';
import type { RecipientType } from '../xmatters/index.js';

type SkippedKind = Exclude<RecipientType, 'PERSON'>;

/** The sync counter of each kind of roster member that is not a grant. */
const SKIPPED_MEMBER_COUNTER: Readonly<Record<SkippedKind, string>> = {
  GROUP: 'skipped-members.group',
  DEVICE: 'skipped-members.device',
  DYNAMIC_TEAM: 'skipped-members.dynamic_team',
};

/**
 * Group members that are not people (nested groups, devices, dynamic teams) are not grants: each is counted
 * by kind for the end-of-sync summary, so an auditor can see what the file deliberately leaves out. The
 * counts live in the sync engine's counters, which are saved with each checkpoint: a resumed sync reports
 * the members skipped by all its runs, each once.
 */
export function countSkippedMember(ctx: SyncContext, kind: SkippedKind): void {
  ctx.count(SKIPPED_MEMBER_COUNTER[kind]);
}

/** The skipped members of a finished sync, from its counters. */
export function skippedMembers(counters: Readonly<Record<string, number>>): Record<SkippedKind, number> {
  return {
    GROUP: counters[SKIPPED_MEMBER_COUNTER.GROUP] ?? 0,
    DEVICE: counters[SKIPPED_MEMBER_COUNTER.DEVICE] ?? 0,
    DYNAMIC_TEAM: counters[SKIPPED_MEMBER_COUNTER.DYNAMIC_TEAM] ?? 0,
  };
}

/** The sync counter of groups on rosters written as group-in-group grants (--expand-nested-groups). */
const NESTED_GROUP_GRANTS_COUNTER = 'nested-group-grants';

/** Counted in the engine's counters like skipped members, so a resumed sync reports all its runs' grants. */
export function countNestedGroupGrant(ctx: SyncContext): void {
  ctx.count(NESTED_GROUP_GRANTS_COUNTER);
}

/** The nested-group grants of a finished sync, from its counters. */
export function nestedGroupGrants(counters: Readonly<Record<string, number>>): number {
  return counters[NESTED_GROUP_GRANTS_COUNTER] ?? 0;
}
