import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XmattersError, XmattersErrorCode } from '../../src/xmatters/errors.js';
import { scrubSecrets } from '../../src/xmatters/scrub-secrets.js';

const error = (message: string) => new XmattersError(XmattersErrorCode.REQUEST, message);

test('secrets of 6 or more characters are scrubbed from error messages', () => {
  assert.equal(scrubSecrets(error('server said hunter2!'), ['hunter2!']).message, 'server said [REDACTED]');
});

test('a short secret is left in the text: replacing it would garble the message and hide nothing', () => {
  const message = 'GET /api/xm/1/groups/abc/members answered HTTP 500';
  for (const secret of ['1', 'e', 'abc', 'GET /'])
    assert.equal(scrubSecrets(error(message), [secret]).message, message);
});
