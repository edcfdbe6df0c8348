// The engine's overlapped listing stage on the in-memory SyncStore: what starts when, what the sync token
// says while listings, entitlements and grants run together, and resuming after a crash at any checkpoint.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { ConnectorMetadataSchema } from '../../../src/baton/gen/c1/connector/v2/connector_pb.js';
import type { Resource } from '../../../src/baton/gen/c1/connector/v2/resource_pb.js';
import { ResourceType_Trait } from '../../../src/baton/gen/c1/connector/v2/resource_pb.js';
import { SkipEntitlementsAndGrantsSchema } from '../../../src/baton/gen/c1/connector/v2/annotation_resource_tree_pb.js';
import {
  newAssignmentEntitlement,
  newGrant,
  newGroupResource,
  newResourceId,
  newResourceType,
  newRoleResource,
  newUserResource,
  packAnnotation,
} from '../../../src/baton/model/index.js';
import type { Connector, ResourceSyncer } from '../../../src/baton/sync/connector.js';
import { runSync, type SyncOptions, type SyncResult } from '../../../src/baton/sync/syncer.js';
import { MemorySyncStore } from '../../support/memory-sync-store.js';

const USER = newResourceType('User', [ResourceType_Trait.USER], {
  annotations: [packAnnotation(SkipEntitlementsAndGrantsSchema, {})],
});
const GROUP = newResourceType('Group', [ResourceType_Trait.GROUP]);
const ROLE = newResourceType('Role', [ResourceType_Trait.ROLE]);

interface Tenant {
  users: string[];
  groups: Record<string, string[]>;
  /** role → holders; like xMatters roles, read from the users listing (grantsNeedListed: user). */
  roles: Record<string, string[]>;
}

const tenant: Tenant = {
  users: ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8'],
  groups: {
    g1: ['u1', 'u8', 'ghost1'],
    g2: ['u2', 'u3'],
    g3: [],
    g4: ['u7', 'ghost2'],
    g5: ['u5', 'u6', 'u8'],
    g6: ['u4'],
  },
  roles: { r1: ['u1', 'u6'], r2: ['u8', 'ghost3'] },
};

/** Hooks a test awaits in the listings; events records what the engine asked for, in order. */
interface Script {
  /** Awaited before each users page (index from 0). */
  beforeUsersPage?: (page: number) => Promise<void>;
  /** Called when a group roster is asked for. */
  onRoster?: () => void;
  events: string[];
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

function connector(script: Script): Connector {
  const { events } = script;
  const users: ResourceSyncer = {
    resourceType: USER,
    async *list() {
      events.push('users:start');
      for (let i = 0; i < tenant.users.length; i += 2) {
        await (script.beforeUsersPage?.(i / 2) ?? tick());
        yield tenant.users.slice(i, i + 2).map((u) => newUserResource(`User ${u}`, USER, u));
      }
      events.push('users:end');
    },
    async *entitlements() {},
    async *grants() {},
  };
  const groups: ResourceSyncer = {
    resourceType: GROUP,
    async *list() {
      events.push('groups:start');
      const ids = Object.keys(tenant.groups);
      for (let i = 0; i < ids.length; i += 2) {
        await tick();
        yield ids.slice(i, i + 2).map((g) => newGroupResource(`Group ${g}`, GROUP, g));
      }
      events.push('groups:end');
    },
    async *entitlements(resource: Resource) {
      await tick();
      yield [newAssignmentEntitlement(resource, 'member', { grantableTo: [USER] })];
    },
    async *grants(resource: Resource, ctx) {
      const gid = resource.id!.resource;
      events.push(`grants:${gid}`);
      script.onRoster?.();
      await tick();
      const members = tenant.groups[gid] ?? [];
      ctx.count('test.members', members.length);
      if (members.length > 0) yield members.map((u) => newGrant(resource, 'member', newResourceId(USER, u)));
    },
  };
  const roles: ResourceSyncer = {
    resourceType: ROLE,
    grantsNeedListed: [USER.id],
    async *list() {
      events.push('roles:start');
      await tick();
      yield Object.keys(tenant.roles).map((r) => newRoleResource(`Role ${r}`, ROLE, r));
      events.push('roles:end');
    },
    async *entitlements(resource: Resource) {
      await tick();
      yield [newAssignmentEntitlement(resource, 'assigned', { grantableTo: [USER] })];
    },
    async *grants(resource: Resource) {
      const rid = resource.id!.resource;
      events.push(`grants:${rid}`);
      await tick();
      yield (tenant.roles[rid] ?? []).map((u) => newGrant(resource, 'assigned', newResourceId(USER, u)));
    },
  };
  return {
    metadata: () => create(ConnectorMetadataSchema, { displayName: 'Overlap' }),
    validate: () => Promise.resolve(),
    resourceSyncers: () => [users, groups, roles],
  };
}

function sync(store: MemorySyncStore, script: Script, extra: Partial<SyncOptions> = {}): Promise<SyncResult> {
  return runSync({
    store,
    connector: connector(script),
    skipExpandGrants: true,
    checkpointIntervalMs: 0,
    concurrency: 3,
    ...extra,
  });
}

/** Everything a sync must reproduce whatever happened to it: rows (sorted) and the whole sync's tally. */
function outcome(store: MemorySyncStore, result: SyncResult) {
  return {
    resources: store.ids('resources').sort(),
    entitlements: store.ids('entitlements').sort(),
    grants: store.ids('grants').sort(),
    warningsByKind: result.warningsByKind,
    counters: result.counters,
    grantsBySlug: result.grantsBySlug,
  };
}

interface TokenAction {
  operation: string;
  resource_type_id?: string;
  resource_id?: string;
  page_token?: string;
}
const actionsOf = (token: string): TokenAction[] =>
  Object.values((JSON.parse(token) as { actions_map?: Record<string, TokenAction> }).actions_map ?? {});

describe('listing stage (in-memory store)', () => {
  test('lists every type at once and reads a group roster before the users listing has ended', async () => {
    let rosterAsked!: () => void;
    const asked = new Promise<void>((r) => (rosterAsked = r));
    const events: string[] = [];
    const script: Script = {
      events,
      onRoster: () => rosterAsked(),
      // The second users page waits for a roster request: a phase-by-phase engine would never send one,
      // so the page is released after 2 s anyway and the order assertion below fails.
      beforeUsersPage: (page) =>
        page === 1 ? Promise.race([asked, new Promise<void>((r) => setTimeout(r, 2000))]) : tick(),
    };
    const store = new MemorySyncStore();
    const result = await sync(store, script);
    assert.ok(events.indexOf('groups:start') < events.indexOf('users:end'), events.join(' '));
    assert.ok(events.indexOf('roles:start') < events.indexOf('users:end'), events.join(' '));
    assert.ok(
      events.findIndex((e) => e.startsWith('grants:g')) < events.indexOf('users:end'),
      `a roster was read before the users listing ended: ${events.join(' ')}`,
    );
    // u8 is listed last: its grants, read before it was listed, were held and written.
    assert.ok(store.ids('grants').includes('group:g1:member:user:u8'));
    assert.ok(store.ids('grants').includes('role:r2:assigned:user:u8'));
    assert.deepEqual(result.warningsByKind, { 'grant-principal-missing': 3 });
  });

  test('grantsNeedListed holds a type’s grants until the named listing has ended', async () => {
    const events: string[] = [];
    await sync(new MemorySyncStore(), { events });
    const usersEnd = events.indexOf('users:end');
    for (const role of Object.keys(tenant.roles)) {
      assert.ok(events.indexOf(`grants:${role}`) > usersEnd, `${role} after users:end: ${events.join(' ')}`);
    }
  });

  test('writes the rows of every listing and drops only grants to principals never listed', async () => {
    const store = new MemorySyncStore();
    const result = await sync(store, { events: [] });
    assert.equal(store.ids('resources').length, 8 + 6 + 2);
    assert.equal(store.ids('entitlements').length, 6 + 2);
    assert.equal(result.grants, 12);
    assert.deepEqual(result.grantsBySlug, { assigned: 3, member: 9 });
    assert.deepEqual(result.warningsByKind, { 'grant-principal-missing': 3 });
    assert.equal(result.counters['test.members'], 11);
    assert.equal(store.runInfo(result.syncId).ended, true);
  });

  test('a checkpoint taken while listings and rosters overlap names both', async () => {
    const store = new MemorySyncStore();
    await sync(store, { events: [], beforeUsersPage: () => new Promise((r) => setTimeout(r, 5)) });
    const overlapping = store.tokens.find((t) => {
      const actions = actionsOf(t);
      return (
        actions.some((a) => a.operation === 'list-resources' && a.resource_type_id === 'user') &&
        actions.some(
          (a) =>
            a.operation === 'list-grants' &&
            a.resource_type_id === 'group' &&
            a.resource_id === undefined &&
            Number(a.page_token) > 0,
        )
      );
    });
    assert.ok(overlapping, 'some checkpoint has the users listing unfinished and group grants handed out');
  });

  test('a crash right after any checkpoint resumes to the same rows, warnings and counters', async () => {
    const reference = new MemorySyncStore();
    const whole = outcome(reference, await sync(reference, { events: [] }));
    const checkpoints = reference.tokens.length;
    assert.ok(checkpoints > 10, `checkpoints: ${checkpoints}`);
    for (let k = 0; k < checkpoints - 1; k++) {
      const crashed = reference.crashCopy(k);
      const result = await sync(crashed, { events: [] });
      assert.equal(result.resumed, true, `checkpoint ${k}`);
      assert.deepEqual(
        outcome(crashed, result),
        whole,
        `resumed after checkpoint ${k}: ${reference.tokens[k]}`,
      );
    }
  });
});
