import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseXmattersTimestamp } from '../../../src/xmatters/models/timestamp.js';

describe('parseXmattersTimestamp', () => {
  test('reads the Z form', () => {
    assert.equal(
      parseXmattersTimestamp('2019-06-14T22:17:31.450Z')?.toISOString(),
      '2019-06-14T22:17:31.450Z',
    );
  });

  test('reads the colon-less +0000 form xMatters also writes', () => {
    assert.equal(
      parseXmattersTimestamp('2017-03-05T12:02:11.604+0000')?.toISOString(),
      '2017-03-05T12:02:11.604Z',
    );
  });

  test('applies non-zero offsets with or without a colon', () => {
    assert.equal(
      parseXmattersTimestamp('2020-01-01T10:00:00.000+0230')?.toISOString(),
      '2020-01-01T07:30:00.000Z',
    );
    assert.equal(
      parseXmattersTimestamp('2020-01-01T10:00:00-05:00')?.toISOString(),
      '2020-01-01T15:00:00.000Z',
    );
  });

  test('accepts missing milliseconds and extra fraction digits', () => {
    assert.equal(parseXmattersTimestamp('2020-01-01T10:00:00Z')?.toISOString(), '2020-01-01T10:00:00.000Z');
    assert.equal(
      parseXmattersTimestamp('2020-01-01T10:00:00.123456Z')?.toISOString(),
      '2020-01-01T10:00:00.123Z',
    );
  });

  test('returns undefined for absent or unusable values', () => {
    for (const v of [undefined, null, 42, '', 'yesterday', '2020-13-45T99:00:00Z', '2020-01-01']) {
      assert.equal(parseXmattersTimestamp(v), undefined, String(v));
    }
  });
});
