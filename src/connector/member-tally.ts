import type { RecipientType } from '../xmatters/index.js';

/**
 * Group members that are not people (nested groups, devices, dynamic teams) are not grants: this counts them
 * by kind for the end-of-sync summary, so an auditor can see what the file deliberately leaves out. It also
 * counts the other things the connector reads but does not write, and the supervisor fallback reads.
 */
export class MemberTally {
  readonly skipped: Record<Exclude<RecipientType, 'PERSON'>, number> = {
    GROUP: 0,
    DEVICE: 0,
    DYNAMIC_TEAM: 0,
  };
  personMembers = 0;
  groupsNotFound = 0;
  invalidItems = 0;
  /** People whose embedded roles announced more than they carried. */
  rolesTruncated = 0;
  /** Groups whose supervisors were read from /groups/{id}/supervisors (the embed was cut short). */
  supervisorFallbacks = 0;

  countSkipped(kind: Exclude<RecipientType, 'PERSON'>): void {
    this.skipped[kind] += 1;
  }
}
