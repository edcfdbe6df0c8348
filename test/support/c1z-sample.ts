// A small users/groups sync written through the public store API, shared by c1z tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SkipEntitlementsAndGrantsSchema } from '../../src/baton/gen/c1/connector/v2/annotation_resource_tree_pb.js';
import type { Resource } from '../../src/baton/gen/c1/connector/v2/resource_pb.js';
import { ResourceType_Trait } from '../../src/baton/gen/c1/connector/v2/resource_pb.js';
import type { C1zStore } from '../../src/baton/c1z/store.js';
import {
  newAssignmentEntitlement,
  newGrant,
  newGroupResource,
  newResourceType,
  newUserResource,
  packAnnotation,
} from '../../src/baton/model/index.js';

export const userType = newResourceType('User', [ResourceType_Trait.USER], {
  annotations: [packAnnotation(SkipEntitlementsAndGrantsSchema, {})],
});
export const groupType = newResourceType('Group', [ResourceType_Trait.GROUP]);

export interface SampleCounts {
  users: number;
  groups: number;
  /** Members per group: user i is in group g when (i + g) % 2 === 0 (limited to `users`). */
  grants: number;
}

/** Write one sync: users, groups, a `member` entitlement per group, memberships. Does not end it. */
export function writeSample(store: C1zStore, users = 5, groups = 3): SampleCounts {
  store.putResourceTypes([userType, groupType]);
  const us: Resource[] = [];
  for (let i = 0; i < users; i++) {
    us.push(
      newUserResource(`User ${i}`, userType, `u${i}`, {
        emails: [{ address: `u${i}@example.com`, primary: true }],
        login: `user${i}`,
        profile: { index: i, name: `User ${i}` },
      }),
    );
  }
  store.putResources(us);
  const gs = Array.from({ length: groups }, (_, g) =>
    newGroupResource(`Group ${g}`, groupType, `g${g}`, { profile: { index: g } }),
  );
  store.putResources(gs);
  store.putEntitlements(
    gs.map((g) =>
      newAssignmentEntitlement(g, 'member', {
        grantableTo: [userType],
        description: `Is a member of the ${g.displayName} group`,
      }),
    ),
  );
  let grants = 0;
  for (let g = 0; g < groups; g++) {
    const batch = us.filter((_, i) => (i + g) % 2 === 0).map((u) => newGrant(gs[g]!, 'member', u.id!));
    store.putGrants(batch);
    grants += batch.length;
  }
  return { users, groups, grants };
}

/** A scratch directory removed by the returned cleanup function. */
export function scratchDir(prefix = 'baton-c1z-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
