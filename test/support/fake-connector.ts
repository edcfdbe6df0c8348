// An in-memory connector for exercising the generic sync engine without xMatters.
import { create } from '@bufbuild/protobuf';
import { ConnectorMetadataSchema } from '../../src/baton/gen/c1/connector/v2/connector_pb.js';
import type { Entitlement } from '../../src/baton/gen/c1/connector/v2/entitlement_pb.js';
import type { Grant } from '../../src/baton/gen/c1/connector/v2/grant_pb.js';
import { ResourceType_Trait, type Resource } from '../../src/baton/gen/c1/connector/v2/resource_pb.js';
import { SkipEntitlementsAndGrantsSchema } from '../../src/baton/gen/c1/connector/v2/annotation_resource_tree_pb.js';
import { BatonError, GrpcCode } from '../../src/baton/errors.js';
import {
  newAssignmentEntitlement,
  newGrant,
  newGroupResource,
  newResourceId,
  newResource,
  newResourceType,
  newUserResource,
  packAnnotation,
} from '../../src/baton/model/index.js';
import type { Connector, ResourceSyncer, SyncContext } from '../../src/baton/sync/connector.js';

export interface FakeTenant {
  users: string[];
  /** group id → member user ids (ids not in `users` exercise the integrity filter). */
  groups: Record<string, string[]>;
}

/**
 * Five users and five groups: an empty group, a user in two groups, and g4 listing a member that is not a
 * user ('ghost'), which the sync must drop with one grant-principal-missing warning.
 */
export const FIVE_GROUPS: FakeTenant = {
  users: ['u1', 'u2', 'u3', 'u4', 'u5'],
  groups: { g1: ['u1', 'u2', 'u3'], g2: ['u4'], g3: [], g4: ['u5', 'ghost'], g5: ['u1', 'u5'] },
};

export interface FakeBehaviour {
  /** Throw this error from the grants listing of the n-th group (1-based, counting calls). */
  failGrantsOnCall?: { call: number; error: Error };
  /** Group ids whose grants listing throws NotFound. */
  notFound?: string[];
  usersPageSize?: number;
  /** Users without their UserTrait, which the engine must refuse. */
  usersWithoutTrait?: boolean;
}

export const USER_TYPE = newResourceType('User', [ResourceType_Trait.USER], {
  annotations: [packAnnotation(SkipEntitlementsAndGrantsSchema, {})],
});
export const GROUP_TYPE = newResourceType('Group', [ResourceType_Trait.GROUP]);

export class FakeConnector implements Connector {
  readonly calls = { userEntitlements: 0, userGrants: 0, groupGrants: [] as string[], validate: 0 };

  constructor(
    private readonly tenant: FakeTenant,
    private readonly behaviour: FakeBehaviour = {},
  ) {}

  metadata() {
    return create(ConnectorMetadataSchema, { displayName: 'Fake' });
  }

  validate(): Promise<void> {
    this.calls.validate += 1;
    return Promise.resolve();
  }

  resourceSyncers(): ResourceSyncer[] {
    const { tenant, behaviour, calls } = this;
    const users: ResourceSyncer = {
      resourceType: USER_TYPE,
      async *list() {
        const size = behaviour.usersPageSize ?? 2;
        for (let i = 0; i < tenant.users.length; i += size) {
          await Promise.resolve();
          yield tenant.users
            .slice(i, i + size)
            .map((u) =>
              behaviour.usersWithoutTrait
                ? newResource(`User ${u}`, USER_TYPE, u)
                : newUserResource(`User ${u}`, USER_TYPE, u),
            );
        }
      },
      async *entitlements(): AsyncIterable<Entitlement[]> {
        calls.userEntitlements += 1;
        await Promise.resolve();
        yield [];
      },
      async *grants(): AsyncIterable<Grant[]> {
        calls.userGrants += 1;
        await Promise.resolve();
        yield [];
      },
    };
    const groups: ResourceSyncer = {
      resourceType: GROUP_TYPE,
      async *list() {
        await Promise.resolve();
        yield Object.keys(tenant.groups).map((g) => newGroupResource(`Group ${g}`, GROUP_TYPE, g));
      },
      async *entitlements(resource: Resource) {
        await Promise.resolve();
        yield [newAssignmentEntitlement(resource, 'member', { grantableTo: [USER_TYPE] })];
      },
      async *grants(resource: Resource, ctx: SyncContext) {
        const gid = resource.id!.resource;
        const call = calls.groupGrants.push(gid);
        await new Promise((r) => setTimeout(r, 1));
        ctx.signal.throwIfAborted();
        const fail = behaviour.failGrantsOnCall;
        if (fail && call === fail.call) throw fail.error;
        if (behaviour.notFound?.includes(gid))
          throw new BatonError(GrpcCode.NOT_FOUND, `group ${gid} is gone`);
        const members = tenant.groups[gid] ?? [];
        // A connector-kept counter, which a resumed sync must report for the whole sync.
        ctx.count('fake.members-listed', members.length);
        // Two pages for bigger groups, to exercise multi-page listings.
        const half = Math.ceil(members.length / 2);
        for (const page of [members.slice(0, half), members.slice(half)]) {
          if (page.length > 0)
            yield page.map((u) => newGrant(resource, 'member', newResourceId(USER_TYPE, u)));
        }
      },
    };
    return [users, groups];
  }
}
