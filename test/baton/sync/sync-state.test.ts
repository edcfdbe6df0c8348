import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { initialState, parseState, pushAction, serializeState } from '../../../src/baton/sync/sync-state.js';

describe('sync state token', () => {
  test('a new full sync runs resource types first and ends with grant expansion', () => {
    const s = initialState(false);
    assert.deepEqual(s.actions.map((a) => a.operation).reverse(), [
      'list-resource-types',
      'list-resources',
      'list-entitlements',
      'list-grants',
      'grant-expansion',
    ]);
  });

  test('a resources-only sync has no entitlement, grant or expansion steps', () => {
    const s = initialState(true);
    assert.deepEqual(s.actions.map((a) => a.operation).reverse(), ['list-resource-types', 'list-resources']);
    const token = JSON.parse(serializeState(s)) as Record<string, unknown>;
    assert.equal(token.should_skip_entitlements_and_grants, true);
  });

  test('uses baton-sdk V1 token keys with 10-digit action ids', () => {
    const s = initialState(false);
    const token = JSON.parse(serializeState(s)) as Record<string, unknown>;
    assert.deepEqual(token.action_order, [
      '0000000001',
      '0000000002',
      '0000000003',
      '0000000004',
      '0000000005',
    ]);
    assert.equal(token.version, 1);
    assert.equal(token.current_action_id, 5);
    assert.deepEqual(token.ingest_quality, {});
    assert.equal(
      (token.actions_map as Record<string, { operation: string }>)['0000000005']!.operation,
      'list-resource-types',
    );
  });

  test('round-trips pending actions with their page tokens', () => {
    const s = initialState(false);
    const root = s.actions[1]!;
    root.page_token = '17';
    const child = {
      id: 99,
      operation: 'list-grants' as const,
      resource_type_id: 'group',
      resource_id: 'g:1',
    };
    const parsed = parseState(serializeState(s, [child]));
    assert.ok(parsed);
    assert.equal(parsed.actions.length, 6);
    assert.equal(parsed.actions[1]!.page_token, '17');
    assert.deepEqual(parsed.actions[5], child);
    assert.equal(parsed.currentActionId, 5);
  });

  test('a finished sync serializes to the completed shape Go leaves behind', () => {
    const s = initialState(false);
    s.actions = [];
    s.completedActionsCount = 14;
    pushAction(s, { operation: 'grant-expansion' });
    s.actions = [];
    assert.equal(
      serializeState(s),
      '{"current_action_id":6,"completed_actions_count":14,"ingest_quality":{},"version":1}',
    );
  });

  test('anything it did not write means "start over": empty, garbage, Go V0, finished', () => {
    for (const token of [
      '',
      'not json',
      '[]',
      '{"actions":[],"current_action":{}}',
      '{"version":1,"current_action_id":3}',
    ]) {
      assert.equal(parseState(token), undefined, token);
    }
    assert.equal(
      parseState('{"version":1,"current_action_id":1,"action_order":["x"],"actions_map":{}}'),
      undefined,
    );
  });
});
