import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { anyUnpack } from '@bufbuild/protobuf/wkt';
import { GrantExpandableSchema } from '../../src/baton/gen/c1/connector/v2/annotation_grant_pb.js';
import type { SyncContext, SyncWarning } from '../../src/baton/sync/connector.js';
import { SyncTally } from '../../src/baton/sync/sync-tally.js';
import { groupResource } from '../../src/connector/group-resource.js';
import { nestedGroupGrants, skippedMembers } from '../../src/connector/member-tally.js';
import { nestedGroupGrant } from '../../src/connector/nested-group-grant.js';

const outer = groupResource({ id: 'g-outer', targetName: 'Incident Commanders', recipientType: 'GROUP' });

function context(synced: string[]): { ctx: SyncContext; warnings: SyncWarning[]; tally: SyncTally } {
  const warnings: SyncWarning[] = [];
  const tally = new SyncTally();
  return {
    warnings,
    tally,
    ctx: {
      signal: new AbortController().signal,
      warn: (w) => warnings.push(w),
      count: (counter, n) => tally.count(counter, n),
      hasResource: (type, id) => type === 'group' && synced.includes(id),
    },
  };
}

describe('a group on a roster, with --expand-nested-groups', () => {
  test('a synced group becomes group:<outer>:member:group:<inner>, expandable to people only', () => {
    const { ctx, warnings, tally } = context(['g-dba']);
    const grant = nestedGroupGrant(outer, 'g-dba', ctx);
    assert.equal(grant?.id, 'group:g-outer:member:group:g-dba');
    assert.equal(grant.entitlement?.id, 'group:g-outer:member');
    assert.equal(grant.principal?.id?.resourceType, 'group');
    assert.equal(grant.principal?.id?.resource, 'g-dba');
    const expandable = anyUnpack(grant.annotations[0]!, GrantExpandableSchema);
    assert.deepEqual(expandable?.entitlementIds, ['group:g-dba:member']);
    assert.deepEqual(expandable?.resourceTypeIds, ['user']);
    assert.equal(expandable?.shallow, false);
    assert.equal(nestedGroupGrants(tally.counters()), 1);
    assert.equal(skippedMembers(tally.counters()).GROUP, 0);
    assert.deepEqual(warnings, []);
  });

  test('a group the sync did not list is skipped with a warning and counted as a skipped nested group', () => {
    const { ctx, warnings, tally } = context([]);
    assert.equal(nestedGroupGrant(outer, 'g-hidden', ctx), undefined);
    assert.deepEqual(
      warnings.map((w) => w.kind),
      ['nested-group-not-synced'],
    );
    assert.match(warnings[0]!.message, /Incident Commanders.*g-hidden/);
    assert.equal(skippedMembers(tally.counters()).GROUP, 1);
    assert.equal(nestedGroupGrants(tally.counters()), 0);
  });
});
