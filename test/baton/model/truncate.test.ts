import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Limits, truncateUtf8 } from '../../../src/baton/model/truncate.js';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('truncateUtf8', () => {
  test('returns strings within the limit unchanged', () => {
    assert.equal(truncateUtf8('hello', 5), 'hello');
    assert.equal(truncateUtf8('', 0), '');
  });

  test('cuts ASCII to exactly the byte limit', () => {
    assert.equal(truncateUtf8('a'.repeat(2000), Limits.displayName), 'a'.repeat(1024));
  });

  test('never splits a multi-byte code point', () => {
    // "é" is 2 bytes, "€" 3 bytes, "😀" 4 bytes (a surrogate pair in UTF-16).
    for (const ch of ['é', '€', '😀']) {
      for (let limit = 0; limit <= 12; limit++) {
        const out = truncateUtf8(ch.repeat(10), limit);
        assert.ok(bytes(out) <= limit, `${ch} @${limit}`);
        assert.ok(bytes(out) > limit - bytes(ch), `${ch} @${limit} cut too much`);
        assert.equal(out, ch.repeat(out.length / ch.length));
      }
    }
  });

  test('keeps the longest valid prefix of mixed text', () => {
    assert.equal(truncateUtf8('ab😀cd', 5), 'ab');
    assert.equal(truncateUtf8('ab😀cd', 6), 'ab😀');
  });
});
