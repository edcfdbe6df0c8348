import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  XmattersError,
  XmattersErrorCode,
  hasXmattersCode,
  isXmattersError,
} from '../../src/xmatters/errors.js';

describe('XmattersError', () => {
  test('carries its code, status, method, path, attempts and cause', () => {
    const cause = new Error('socket hang up');
    const e = new XmattersError(XmattersErrorCode.UNAVAILABLE, 'down', {
      status: 503,
      method: 'GET',
      path: '/api/xm/1/people',
      attempts: 6,
      cause,
    });
    assert.equal(e.name, 'XmattersError');
    assert.equal(e.code, 'XM_UNAVAILABLE');
    assert.equal(e.status, 503);
    assert.equal(e.method, 'GET');
    assert.equal(e.path, '/api/xm/1/people');
    assert.equal(e.attempts, 6);
    assert.equal(e.cause, cause);
  });

  test('leaves absent details absent', () => {
    const e = new XmattersError(XmattersErrorCode.CONFIG, 'bad');
    assert.equal('status' in e, false);
    assert.equal('cause' in e, false);
  });

  test('has one stable code per failure class', () => {
    assert.deepEqual(Object.values(XmattersErrorCode).sort(), [
      'XM_AUTH',
      'XM_BAD_RESPONSE',
      'XM_CONFIG',
      'XM_FOREIGN_ORIGIN',
      'XM_NOT_FOUND',
      'XM_PAGINATION',
      'XM_PERMISSION',
      'XM_RATE_LIMITED',
      'XM_REQUEST',
      'XM_TIMEOUT',
      'XM_UNAVAILABLE',
    ]);
  });
});

describe('isXmattersError / hasXmattersCode', () => {
  test('recognise the class by name and code', () => {
    const e = new XmattersError(XmattersErrorCode.AUTH, 'no');
    assert.ok(isXmattersError(e));
    assert.ok(hasXmattersCode(e, XmattersErrorCode.AUTH, XmattersErrorCode.PERMISSION));
    assert.ok(!hasXmattersCode(e, XmattersErrorCode.TIMEOUT));
  });

  test('reject look-alikes and other errors', () => {
    assert.ok(!isXmattersError(new Error('x')));
    assert.ok(!isXmattersError({ name: 'XmattersError', code: 'XM_AUTH' }));
    const fake = Object.assign(new Error('x'), { name: 'XmattersError', code: 'NOPE' });
    assert.ok(!isXmattersError(fake));
  });
});
