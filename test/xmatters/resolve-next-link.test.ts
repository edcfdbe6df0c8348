import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { requestKey, resolveNextLink } from '../../src/xmatters/resolve-next-link.js';
import { rejectsWithCode } from '../support/simulator.js';

const ORIGIN = 'https://company.xmatters.com';
const FROM = '/api/xm/1/people?offset=0&limit=2';

describe('resolveNextLink', () => {
  const ok: [string, string, string][] = [
    [
      'a root-relative link without doubling the API path',
      '/api/xm/1/people?offset=2&limit=2',
      '/api/xm/1/people?offset=2&limit=2',
    ],
    [
      'encoded commas',
      '/api/xm/1/people?embed=roles%2Cdevices&limit=2&offset=2',
      '/api/xm/1/people?embed=roles%2Cdevices&limit=2&offset=2',
    ],
    [
      'raw commas',
      '/api/xm/1/people?embed=roles,devices&limit=2&offset=2',
      '/api/xm/1/people?embed=roles,devices&limit=2&offset=2',
    ],
    [
      'an absolute link to the same origin',
      `${ORIGIN}/api/xm/1/people?offset=2`,
      '/api/xm/1/people?offset=2',
    ],
    ['a link relative to the API base', 'people?offset=2', '/api/xm/1/people?offset=2'],
    ['a link that lost the API prefix', '/people?offset=2', '/api/xm/1/people?offset=2'],
  ];
  for (const [what, link, expected] of ok) {
    test(`resolves ${what}`, () => {
      assert.equal(resolveNextLink(link, ORIGIN, FROM), expected);
    });
  }

  const foreign: [string, string][] = [
    ['another host', 'https://evil.example.com/api/xm/1/people?offset=2'],
    ['another scheme', 'http://company.xmatters.com/api/xm/1/people?offset=2'],
    ['another port', 'https://company.xmatters.com:8443/api/xm/1/people?offset=2'],
    ['a protocol-relative link', '//evil.example.com/api/xm/1/people'],
    ['a look-alike host', 'https://company.xmatters.com.evil.example/api/xm/1/people'],
  ];
  for (const [what, link] of foreign) {
    test(`refuses ${what} with XM_FOREIGN_ORIGIN`, async () => {
      const e = await rejectsWithCode(
        Promise.resolve().then(() => resolveNextLink(link, ORIGIN, FROM)),
        'XM_FOREIGN_ORIGIN',
      );
      assert.match(e.message, /no credentials were sent/);
      assert.equal(e.path, FROM);
    });
  }
});

describe('requestKey', () => {
  test('ignores parameter order and comma encoding', () => {
    assert.equal(
      requestKey('/api/xm/1/people?limit=2&embed=roles,devices&offset=2'),
      requestKey('/api/xm/1/people?offset=2&embed=roles%2Cdevices&limit=2'),
    );
    assert.notEqual(requestKey('/api/xm/1/people?offset=2'), requestKey('/api/xm/1/people?offset=4'));
  });
});
