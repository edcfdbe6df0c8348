import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bodyExcerpt } from '../../src/xmatters/body-excerpt.js';

describe('bodyExcerpt', () => {
  test('keeps short printable text as it is', () => {
    assert.equal(bodyExcerpt('<html>Sign in</html>'), '<html>Sign in</html>');
  });

  test('cuts at 200 characters with an ellipsis', () => {
    const out = bodyExcerpt('x'.repeat(5000));
    assert.equal(out.length, 200);
    assert.ok(out.endsWith('…'));
  });

  test('escapes control characters, line separators and lone surrogates', () => {
    assert.equal(
      bodyExcerpt('a\nb\r\tc\u0000\u001b[31m\u007f\u2028\ud800'),
      'a\\nb\\r\\tc\\u0000\\u001b[31m\\u007f\\u2028\\ufffd',
    );
  });

  test('never splits an escape when cutting', () => {
    const out = bodyExcerpt(`${'y'.repeat(197)}\u0000`);
    assert.ok(!out.includes('\\u00') || out.includes('\\u0000'));
    assert.ok(out.length <= 200);
  });
});
