import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REDACTED, createScrubber } from '../../../src/baton/cli/scrub.js';

test('createScrubber replaces raw, JSON-escaped and URL-encoded secrets', () => {
  const secret = 'a"b\\c/d e';
  const scrub = createScrubber([secret]);
  const json = JSON.stringify({ msg: `x ${secret} y` });
  const nested = JSON.stringify({ body: json });
  for (const text of [`x ${secret} y`, json, nested, `?q=${encodeURIComponent(secret)}`]) {
    const out = scrub(text);
    assert.ok(out.includes(REDACTED), out);
    assert.ok(!out.includes(secret) && !out.includes(encodeURIComponent(secret)), out);
    assert.ok(!out.includes(JSON.stringify(secret).slice(1, -1)), out);
  }
});

test('createScrubber replaces the longer of two overlapping secrets whole', () => {
  const scrub = createScrubber(['abc', 'abcdef']);
  assert.equal(scrub('1abcdef2abc3'), `1${REDACTED}2${REDACTED}3`);
});

test('createScrubber treats regex characters literally and ignores empty secrets', () => {
  assert.equal(createScrubber(['.*'])('a.*b'), `a${REDACTED}b`);
  assert.equal(createScrubber(['', ''])('unchanged'), 'unchanged');
});
