import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MIN_SCRUBBED_SECRET_LENGTH, REDACTED, createScrubber } from '../../../src/baton/cli/scrub.js';

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
  const scrub = createScrubber(['abcdef', 'abcdefgh']);
  assert.equal(scrub('1abcdefgh2abcdef3'), `1${REDACTED}2${REDACTED}3`);
});

test('createScrubber treats regex characters literally and ignores empty secrets', () => {
  assert.equal(createScrubber(['.*+?()'])('a.*+?()b'), `a${REDACTED}b`);
  assert.equal(createScrubber(['', ''])('unchanged'), 'unchanged');
});

test(`createScrubber leaves secrets shorter than ${MIN_SCRUBBED_SECRET_LENGTH} characters in free text`, () => {
  // A password "1" or "e" is in every timestamp and word: removing it would corrupt the text, hide nothing.
  const text = '2026-12-07T04:10:01.123Z wrote /tmp/e1/sync.c1z "quoted" back\\slash ü';
  for (const secret of ['1', 'e', '"', '\\', 'ü', '12345'])
    assert.equal(createScrubber([secret])(text), text);
  assert.equal(createScrubber(['123456'])('a123456b'), `a${REDACTED}b`);
  // Characters, not UTF-16 units: five emoji are a short secret.
  assert.equal(createScrubber(['🔑🔑🔑🔑🔑'])('x🔑🔑🔑🔑🔑'), 'x🔑🔑🔑🔑🔑');
});

test('createScrubber redacts URL user info and Authorization values by their place, whatever their length', () => {
  const scrub = createScrubber([]);
  assert.equal(scrub('GET https://ann:1@h.example/x'), `GET https://${REDACTED}@h.example/x`);
  assert.equal(scrub('http://u:p@ss@127.0.0.1:80/a?b=c@d'), `http://${REDACTED}@127.0.0.1:80/a?b=c@d`);
  assert.equal(
    scrub('you sent Basic YW5uOjE= and Bearer abc.def'),
    `you sent Basic ${REDACTED} and Bearer ${REDACTED}`,
  );
  assert.equal(
    scrub('mail ann@example.com at https://h.example/p'),
    'mail ann@example.com at https://h.example/p',
  );
});
