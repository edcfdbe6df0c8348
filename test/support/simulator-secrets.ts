// The secrets the test tenants use, and a scanner that fails when any of them shows up in an error.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { GENERATED_CREDENTIALS, SAMPLE_CREDENTIALS } from '../../src/simulator/index.js';

const basic = (user: string, password: string): string =>
  Buffer.from(`${user}:${password}`, 'utf8').toString('base64');

const PAIRS: [string, string][] = [
  [SAMPLE_CREDENTIALS.username, SAMPLE_CREDENTIALS.password],
  [SAMPLE_CREDENTIALS.apiKey, SAMPLE_CREDENTIALS.apiSecret],
  [SAMPLE_CREDENTIALS.noAccessUsername, SAMPLE_CREDENTIALS.noAccessPassword],
  ...GENERATED_CREDENTIALS.map((c): [string, string] => [c.username, c.password]),
  ['demo', 'wrong-password-Zq8!'],
];

/** Every password, API secret and Basic header value used against the simulator in tests. */
export const TEST_SECRETS: readonly string[] = PAIRS.flatMap(([u, p]) => [p, basic(u, p)]);

/** Error messages scanned in this process, for the suite-wide check. */
export const scannedErrors: string[] = [];

/** Fails if any test secret appears in the error's message, stack, cause chain or enumerable fields. */
export function assertNoSecrets(err: unknown, secrets: readonly string[] = TEST_SECRETS): void {
  const texts: string[] = [inspect(err, { depth: 8 })];
  let cur: unknown = err;
  for (let depth = 0; depth < 8 && cur instanceof Error; depth++) {
    texts.push(cur.message, cur.stack ?? '');
    try {
      texts.push(JSON.stringify(cur));
    } catch {
      // circular causes are covered by inspect above
    }
    cur = cur.cause;
  }
  if (err instanceof Error) scannedErrors.push(err.message);
  for (const text of texts) {
    for (const secret of secrets) {
      assert.ok(
        !text.includes(secret),
        `a secret leaked into an error: ${JSON.stringify(text.slice(0, 300))}`,
      );
    }
  }
}
