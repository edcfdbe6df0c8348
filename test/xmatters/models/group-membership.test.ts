import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseGroupMembership } from '../../../src/xmatters/models/group-membership.js';

const group = {
  id: 'g1',
  targetName: 'Oracle Administrators',
  recipientType: 'GROUP',
  links: { self: '/api/xm/1/groups/g1' },
};

describe('parseGroupMembership', () => {
  test('reads a PERSON member', () => {
    const r = parseGroupMembership(
      {
        group,
        member: {
          id: 'p1',
          targetName: 'mmcbride',
          recipientType: 'PERSON',
          status: 'ACTIVE',
          firstName: 'Mary',
        },
      },
      'g1',
    );
    assert.deepEqual(r, {
      ok: true,
      value: {
        group: { id: 'g1', targetName: 'Oracle Administrators' },
        member: { id: 'p1', targetName: 'mmcbride', recipientType: 'PERSON', status: 'ACTIVE' },
      },
    });
  });

  test('reads a nested GROUP member', () => {
    const r = parseGroupMembership(
      { group, member: { id: 'g2', targetName: 'West', recipientType: 'GROUP' } },
      'g1',
    );
    assert.ok(r.ok);
    assert.equal(r.value.member.recipientType, 'GROUP');
  });

  test('reads a DEVICE member with its owner id', () => {
    const r = parseGroupMembership(
      {
        group,
        member: {
          id: 'd1',
          targetName: 'jdoe|Work Phone',
          recipientType: 'DEVICE',
          deviceType: 'VOICE',
          owner: { id: 'p2', targetName: 'jdoe', links: { self: '/api/xm/1/people/p2' } },
        },
      },
      'g1',
    );
    assert.ok(r.ok);
    assert.deepEqual(r.value.member, {
      id: 'd1',
      targetName: 'jdoe|Work Phone',
      recipientType: 'DEVICE',
      ownerId: 'p2',
    });
  });

  test('reads a legacy DYNAMIC_TEAM member without status or links', () => {
    const r = parseGroupMembership(
      { group, member: { id: 't1', targetName: 'Team', recipientType: 'DYNAMIC_TEAM' } },
      'g1',
    );
    assert.ok(r.ok);
    assert.deepEqual(r.value.member, { id: 't1', targetName: 'Team', recipientType: 'DYNAMIC_TEAM' });
  });

  test('falls back to the requested group when the item has no group reference', () => {
    const r = parseGroupMembership(
      { member: { id: 'p1', targetName: 'x', recipientType: 'PERSON' } },
      'requested',
    );
    assert.ok(r.ok);
    assert.deepEqual(r.value.group, { id: 'requested' });
  });

  test('rejects members with missing fields or unknown types', () => {
    const bad = parseGroupMembership({ group, member: { id: 'p1', recipientType: 'PERSON' } }, 'g1');
    assert.deepEqual(bad, { ok: false, reason: 'member: missing targetName', id: 'p1' });
    const unknown = parseGroupMembership(
      { group, member: { id: 'x', targetName: 'x', recipientType: 'ROBOT' } },
      'g1',
    );
    assert.equal(unknown.ok, false);
    assert.equal(parseGroupMembership({ group }, 'g1').ok, false);
    assert.equal(parseGroupMembership('x', 'g1').ok, false);
  });
});
