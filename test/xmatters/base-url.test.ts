import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isLoopbackHost, parseBaseUrl } from '../../src/xmatters/base-url.js';
import { rejectsWithCode } from '../support/simulator.js';

describe('parseBaseUrl', () => {
  const accepted: [string, string][] = [
    ['https://company.xmatters.com/api/xm/1', 'https://company.xmatters.com/api/xm/1'],
    ['https://company.xmatters.com/api/xm/1/', 'https://company.xmatters.com/api/xm/1'],
    ['https://company.cs1.xmatters.com/api/xm/1', 'https://company.cs1.xmatters.com/api/xm/1'],
    ['https://company.hosted.xmatters.com/api/xm/1', 'https://company.hosted.xmatters.com/api/xm/1'],
    ['  https://Company.XMatters.com:8443/api/xm/1  ', 'https://company.xmatters.com:8443/api/xm/1'],
    ['http://127.0.0.1:8080/api/xm/1', 'http://127.0.0.1:8080/api/xm/1'],
    ['http://127.5.6.7/api/xm/1', 'http://127.5.6.7/api/xm/1'],
    ['http://localhost:3000/api/xm/1/', 'http://localhost:3000/api/xm/1'],
    ['http://[::1]:3000/api/xm/1', 'http://[::1]:3000/api/xm/1'],
  ];
  for (const [raw, expected] of accepted) {
    test(`accepts ${raw.trim()}`, () => {
      assert.equal(parseBaseUrl(raw).href, expected);
    });
  }

  const rejected: [string, string, RegExp][] = [
    ['an empty value', '', /empty/],
    ['a bare host name', 'company.xmatters.com', /not an absolute URL/],
    [
      'a URL without the API path',
      'https://company.xmatters.com',
      /Did you mean https:\/\/company\.xmatters\.com\/api\/xm\/1\?/,
    ],
    ['a URL with another path', 'https://company.xmatters.com/reapi/2015-04-01', /must end in \/api\/xm\/1/],
    [
      'a doubled API path',
      'https://company.xmatters.com/api/xm/1/api/xm/1',
      /path prefix "\/api\/xm\/1".* Use https:\/\/company\.xmatters\.com\/api\/xm\/1\./,
    ],
    ['an endpoint instead of the base', 'https://company.xmatters.com/api/xm/1/people', /Did you mean/],
    [
      'plain http to a remote host',
      'http://company.xmatters.com/api/xm/1',
      /https:\/\/company\.xmatters\.com\/api\/xm\/1/,
    ],
    ['plain http to a look-alike loopback name', 'http://127.0.0.1.evil.com/api/xm/1', /plain http/],
    ['another scheme', 'ftp://company.xmatters.com/api/xm/1', /must use https/],
    ['a query string', 'https://company.xmatters.com/api/xm/1?x=1', /query or fragment/],
    ['credentials in the URL', 'https://bob:hunter2@company.xmatters.com/api/xm/1', /contains credentials/],
  ];
  for (const [what, raw, message] of rejected) {
    test(`rejects ${what} with XM_CONFIG`, async () => {
      const e = await rejectsWithCode(
        Promise.resolve().then(() => parseBaseUrl(raw)),
        'XM_CONFIG',
      );
      assert.match(e.message, message);
    });
  }

  // The path is right at its end but has something in front: say that, not "must end in /api/xm/1".
  const prefixed: [string, RegExp[]][] = [
    [
      'https://host.example/foo/api/xm/1',
      [/path prefix "\/foo" before \/api\/xm\/1/, /Use https:\/\/host\.example\/api\/xm\/1/],
    ],
    [
      'http://host.example/foo/api/xm/1',
      [
        /plain http: to a non-loopback host/,
        /path prefix "\/foo"/,
        /Use https:\/\/host\.example\/api\/xm\/1/,
      ],
    ],
    [
      'http://127.0.0.1:8080/a/b/api/xm/1/',
      [/path prefix "\/a\/b"/, /Use http:\/\/127\.0\.0\.1:8080\/api\/xm\/1/],
    ],
  ];
  for (const [raw, messages] of prefixed) {
    test(`names what is wrong with ${raw}`, async () => {
      const e = await rejectsWithCode(
        Promise.resolve().then(() => parseBaseUrl(raw)),
        'XM_CONFIG',
      );
      for (const m of messages) assert.match(e.message, m);
      assert.doesNotMatch(e.message, /must end in/);
    });
  }

  test('never echoes a password typed into the URL', async () => {
    const e = await rejectsWithCode(
      Promise.resolve().then(() => parseBaseUrl('https://bob:s3cr3t-pw@company.xmatters.com/api/xm/1')),
      'XM_CONFIG',
    );
    assert.ok(!e.message.includes('s3cr3t-pw'));
    assert.ok(!e.message.includes('bob:'));
  });
});

describe('isLoopbackHost', () => {
  test('knows 127.0.0.0/8, ::1 and localhost', () => {
    for (const h of ['127.0.0.1', '127.255.255.254', 'localhost', '[::1]', '::1'])
      assert.ok(isLoopbackHost(h), h);
    for (const h of ['128.0.0.1', '127.0.0.256', '10.0.0.1', 'localhost.example.com', '0.0.0.0']) {
      assert.ok(!isLoopbackHost(h), h);
    }
  });
});
