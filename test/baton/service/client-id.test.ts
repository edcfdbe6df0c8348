import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GrpcCode, isBatonError } from '../../../src/baton/errors.js';
import { parseClientId } from '../../../src/baton/service/client-id.js';

describe('parseClientId', () => {
  const good: [string, string, { clientName: string; tokenHost: string }][] = [
    [
      'a tenant host',
      'baton-xmatters@acme.conductor.one/2cM3RSyqp',
      { clientName: 'baton-xmatters', tokenHost: 'acme.conductor.one' },
    ],
    ['a host with a port', 'c@localhost:8443/x', { clientName: 'c', tokenHost: 'localhost:8443' }],
    ['an IPv6 host with a port', 'c@[::1]:8443/x', { clientName: 'c', tokenHost: '[::1]:8443' }],
    // Splits on the first '@' and the first '/' after it, as baton-sdk does.
    ['more slashes in the suffix', 'c@h.example/a/b', { clientName: 'c', tokenHost: 'h.example' }],
    ['surrounding whitespace', '  c@h.example/x\n', { clientName: 'c', tokenHost: 'h.example' }],
  ];
  for (const [name, input, want] of good) {
    test(`accepts ${name}`, () => {
      const id = parseClientId(input);
      assert.equal(id.clientName, want.clientName);
      assert.equal(id.tokenHost, want.tokenHost);
      assert.equal(id.value, input.trim());
    });
  }

  const bad: [string, string, RegExp][] = [
    ['an empty value', '', /it is empty/],
    ['no @', 'acme.conductor.one/x', /no '@'/],
    ['an empty name', '@acme.conductor.one/x', /name before '@' is empty/],
    ['no slash', 'c@acme.conductor.one', /no '\/' after the host/],
    ['an empty host', 'c@/x', /host between '@' and '\/' is empty/],
    ['an empty suffix', 'c@acme.conductor.one/', /part after '\/' is empty/],
    ['inner whitespace', 'c@acme conductor.one/x', /whitespace/],
    ['a bad port', 'c@acme.conductor.one:99999/x', /not a valid host name/],
  ];
  for (const [name, input, message] of bad) {
    test(`refuses ${name} with INVALID_ARGUMENT, without echoing the value`, () => {
      assert.throws(
        () => parseClientId(input),
        (err: unknown) => {
          assert.ok(isBatonError(err));
          assert.equal(err.code, GrpcCode.INVALID_ARGUMENT);
          assert.match(err.message, /^invalid client ID: /);
          assert.match(err.message, message);
          assert.match(err.message, /BATON_CLIENT_ID/);
          if (input.length > 3) assert.ok(!err.message.includes(input));
          return true;
        },
      );
    });
  }
});
