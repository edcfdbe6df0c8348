import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { interpretResponse } from '../../src/xmatters/interpret-response.js';
import { DEFAULT_RETRY_POLICY } from '../../src/xmatters/retry-policy.js';
import type { RawResponse } from '../../src/xmatters/send-get.js';
import { rejectsWithCode } from '../support/simulator.js';

const PATH = '/api/xm/1/groups?offset=0&limit=1000&sortBy=NAME&sortOrder=ASCENDING';
const JSON_CT = { 'content-type': 'application/json;charset=UTF-8' };
const res = (status: number, body: string, headers: Record<string, string> = JSON_CT): RawResponse => ({
  status,
  headers,
  body,
});
const apiError = (status: number, reason: string, message: string): string =>
  JSON.stringify({ code: status, reason, message });
const run = (r: RawResponse) =>
  Promise.resolve().then(() => interpretResponse(r, PATH, 'bob', DEFAULT_RETRY_POLICY, Date.now()));

describe('interpretResponse', () => {
  test('returns the parsed JSON of a 200', async () => {
    assert.deepEqual(await run(res(200, '{"count":0,"total":0,"data":[]}')), {
      kind: 'ok',
      json: { count: 0, total: 0, data: [] },
    });
  });

  test('accepts JSON content types with parameters and +json suffixes', async () => {
    assert.equal((await run(res(200, '{}', { 'content-type': 'application/vnd.xm+json' }))).kind, 'ok');
  });

  for (const status of [429, 500, 502, 503, 504]) {
    test(`marks ${status} retryable with the server's wait`, async () => {
      const r = await run(res(status, apiError(status, 'x', 'busy'), { ...JSON_CT, 'retry-after': '4' }));
      assert.equal(r.kind, 'retry');
      if (r.kind === 'retry') {
        assert.equal(r.reason, `http-${status}`);
        assert.equal(r.serverDelayMs, 4000);
        assert.match(r.detail, /busy/);
      }
    });
  }

  const errors: [string, RawResponse, string, RegExp[]][] = [
    [
      '401',
      res(401, apiError(401, 'Unauthorized', 'Invalid credentials')),
      'XM_AUTH',
      [/user "bob"/, /x-api-key-/, /base URL/],
    ],
    ['401 with an empty body', res(401, '', {}), 'XM_AUTH', [/HTTP 401/]],
    [
      '403',
      res(403, apiError(403, 'Forbidden', 'nope')),
      'XM_PERMISSION',
      [/GET \/api\/xm\/1\/groups/, /REST Web Service User/],
    ],
    [
      '404',
      res(404, apiError(404, 'Not Found', 'Could not find a group with id g1')),
      'XM_NOT_FOUND',
      [/Could not find a group with id g1/],
    ],
    [
      '400',
      res(400, apiError(400, 'Bad Request', 'Invalid sortBy value')),
      'XM_REQUEST',
      [/HTTP 400/, /400 Bad Request: Invalid sortBy value/],
    ],
    [
      '409 without an error object',
      res(409, 'conflict!', { 'content-type': 'text/plain' }),
      'XM_REQUEST',
      [/"conflict!"/],
    ],
    [
      'a redirect',
      res(302, '', { location: 'https://sso.example.com/login' }),
      'XM_BAD_RESPONSE',
      [/redirect/, /not followed/],
    ],
    ['501', res(501, apiError(501, 'Not Implemented', 'no')), 'XM_UNAVAILABLE', [/not retried/]],
    [
      'HTML with 200',
      res(200, '<html><body>Sign in</body></html>', { 'content-type': 'text/html' }),
      'XM_BAD_RESPONSE',
      [/HTML page/, /Sign in/],
    ],
    ['HTML labelled as JSON', res(200, '<!DOCTYPE html><p>proxy</p>'), 'XM_BAD_RESPONSE', [/HTML page/]],
    [
      'malformed JSON',
      res(200, '{"data": [1, 2'),
      'XM_BAD_RESPONSE',
      [/malformed or truncated JSON/, /\{"data": \[1, 2/],
    ],
    ['an empty 200', res(200, ''), 'XM_BAD_RESPONSE', [/malformed/]],
    [
      'a wrong content type',
      res(200, '{"data":[]}', { 'content-type': 'text/plain' }),
      'XM_BAD_RESPONSE',
      [/not JSON/, /text\/plain/],
    ],
    ['a missing content type', res(200, '{"data":[]}', {}), 'XM_BAD_RESPONSE', [/content-type none/]],
  ];
  for (const [what, r, code, patterns] of errors) {
    test(`maps ${what} to ${code}`, async () => {
      const e = await rejectsWithCode(run(r), code);
      assert.equal(e.status, r.status);
      assert.equal(e.path, PATH);
      assert.equal(e.method, 'GET');
      for (const p of patterns) assert.match(e.message, p);
    });
  }

  test('keeps the xMatters error object on the error', async () => {
    const e = await rejectsWithCode(
      run(res(400, JSON.stringify({ code: 400, reason: 'Bad Request', message: 'm', subcode: 's' }))),
      'XM_REQUEST',
    );
    assert.deepEqual(e.apiError, { code: 400, reason: 'Bad Request', message: 'm', subcode: 's' });
  });

  test('quotes at most 200 characters of a body, control characters escaped', async () => {
    const e = await rejectsWithCode(
      run(res(200, `<html>${'\u0007'.repeat(10)}${'z'.repeat(5000)}`, { 'content-type': 'text/html' })),
      'XM_BAD_RESPONSE',
    );
    const quoted = /: "(.*)"\. /.exec(e.message)?.[1] ?? '';
    assert.ok(quoted.length <= 200, `excerpt of ${quoted.length}`);
    assert.ok(quoted.startsWith('<html>\\u0007'));
    assert.ok(!e.message.includes('\u0007'));
  });
});
