// An expansion interrupted half way is run again by the resumed sync, and the result still describes the
// whole sync: derived grants are all the grants expansion added, in either run.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { GrantExpandableSchema } from '../../../../src/baton/gen/c1/connector/v2/annotation_grant_pb.js';
import { ConnectorMetadataSchema } from '../../../../src/baton/gen/c1/connector/v2/connector_pb.js';
import type { Grant } from '../../../../src/baton/gen/c1/connector/v2/grant_pb.js';
import type { Resource } from '../../../../src/baton/gen/c1/connector/v2/resource_pb.js';
import {
  newAssignmentEntitlement,
  newGrant,
  newGroupResource,
  newResourceId,
  newUserResource,
  packAnnotation,
} from '../../../../src/baton/model/index.js';
import type { Connector, ResourceSyncer, SyncContext } from '../../../../src/baton/sync/connector.js';
import { syncToFile } from '../../../../src/baton/sync/sync-to-file.js';
import type { SyncOptions } from '../../../../src/baton/sync/syncer.js';
import { GROUP_TYPE, USER_TYPE } from '../../../support/fake-connector.js';
import { syncPathsUnder } from '../../../support/sync-paths.js';

const fresh = syncPathsUnder('expansion-resume-test-');

const USERS = ['u1', 'u2', 'u3', 'u4', 'u5'];
/** d holds the people; c has d on its roster, b has c, a has b: 3 levels × 5 people = 15 derived grants. */
const NESTED: Record<string, string> = { c: 'd', b: 'c', a: 'b' };
const DERIVED = 15;

/** Groups whose rosters hold people (d) or one nested group, expandable to users, counted per grant. */
class NestingConnector implements Connector {
  metadata() {
    return create(ConnectorMetadataSchema, { displayName: 'Nesting' });
  }

  validate(): Promise<void> {
    return Promise.resolve();
  }

  resourceSyncers(): ResourceSyncer[] {
    const users: ResourceSyncer = {
      resourceType: USER_TYPE,
      async *list() {
        await Promise.resolve();
        yield USERS.map((u) => newUserResource(`User ${u}`, USER_TYPE, u));
      },
      async *entitlements() {},
      async *grants() {},
    };
    const groups: ResourceSyncer = {
      resourceType: GROUP_TYPE,
      async *list() {
        await Promise.resolve();
        yield ['a', 'b', 'c', 'd'].map((g) => newGroupResource(`Group ${g}`, GROUP_TYPE, g));
      },
      async *entitlements(resource: Resource) {
        await Promise.resolve();
        yield [newAssignmentEntitlement(resource, 'member', { grantableTo: [USER_TYPE, GROUP_TYPE] })];
      },
      async *grants(resource: Resource, ctx: SyncContext): AsyncIterable<Grant[]> {
        await Promise.resolve();
        const gid = resource.id!.resource;
        const inner = NESTED[gid];
        if (inner === undefined) {
          yield USERS.map((u) => newGrant(resource, 'member', newResourceId(USER_TYPE, u)));
          return;
        }
        ctx.count('nested-group-grants');
        const expandable = packAnnotation(GrantExpandableSchema, {
          entitlementIds: [`group:${inner}:member`],
          resourceTypeIds: [USER_TYPE.id],
        });
        yield [newGrant(resource, 'member', newResourceId(GROUP_TYPE, inner), { annotations: [expandable] })];
      },
    };
    return [users, groups];
  }
}

const sync = (paths: { file: string; tmpDir: string }, extra: Partial<SyncOptions> = {}) =>
  syncToFile({
    ...extra,
    connector: new NestingConnector(),
    file: paths.file,
    tmpDir: paths.tmpDir,
    checkpointIntervalMs: 0,
  });

describe('an expansion interrupted half way', () => {
  test('the resumed sync reports every derived grant and the nested-group grants of both runs', async () => {
    const baseline = await sync(fresh());
    assert.equal(baseline.expansion?.derivedGrants, DERIVED);
    assert.equal(baseline.counters['nested-group-grants'], 3);

    const paths = fresh();
    const stop = new AbortController();
    let pairsDone = 0;
    await assert.rejects(
      sync(paths, {
        signal: stop.signal,
        onProgress: (p) => {
          // After the first entitlement pair (5 derived grants committed), before the second.
          if (p.phase !== 'expanding') return;
          pairsDone = p.done;
          stop.abort(new Error('stopped during expansion'));
        },
      }),
      /stopped during expansion/,
    );
    assert.equal(pairsDone, 1, 'the run stopped with part of the expansion done');

    const resumed = await sync(paths);
    assert.equal(resumed.resumed, true);
    assert.equal(resumed.grants, baseline.grants);
    assert.equal(resumed.expansion?.derivedGrants, DERIVED);
    assert.equal(resumed.counters['nested-group-grants'], 3);
  });
});
