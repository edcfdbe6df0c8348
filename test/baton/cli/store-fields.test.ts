import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../../src/baton/cli/config-sources.js';
import {
  DECODER_FIELDS,
  SYNC_STORE_FIELDS,
  decodeLimitsOf,
  syncStoreOptionsOf,
} from '../../../src/baton/cli/store-fields.js';
import { isBatonError } from '../../../src/baton/errors.js';

// No .baton.yaml here: the values come from the environment alone.
const cwd = mkdtempSync(join(tmpdir(), 'baton-store-fields-'));
after(() => rmSync(cwd, { recursive: true, force: true }));

const syncSettings = (env: NodeJS.ProcessEnv) =>
  resolveConfig(SYNC_STORE_FIELDS, { flags: {}, env, cwd }).values;

describe('the store, decoder and expansion variables', () => {
  test('reads the decoder caps from BATON_DECODER_MAX_DECODED_SIZE_MB and BATON_DECODER_MAX_MEMORY_MB', () => {
    const limits = (env: NodeJS.ProcessEnv) =>
      decodeLimitsOf(resolveConfig(DECODER_FIELDS, { flags: {}, env, cwd }).values);
    assert.deepEqual(limits({}), {});
    assert.deepEqual(limits({ BATON_DECODER_MAX_DECODED_SIZE_MB: '2', BATON_DECODER_MAX_MEMORY_MB: '64' }), {
      maxDecodedBytes: 2 * 1024 * 1024,
      maxWindowLog: 26,
    });
  });

  test('unset variables give the Go defaults: keep 2 full syncs, clean up, nest at most 20 deep', () => {
    assert.deepEqual(syncStoreOptionsOf(syncSettings({})), {
      keepFullSyncs: 2,
      skipCleanup: false,
      decodeLimits: {},
      expansionMaxDepth: 20,
    });
  });

  test('set variables become the sync options', () => {
    const v = syncSettings({
      BATON_KEEP_SYNC_COUNT: '5',
      BATON_SKIP_CLEANUP: '1',
      BATON_GRAPH_EXPAND_MAX_DEPTH: '3',
      BATON_DECODER_MAX_DECODED_SIZE_MB: '0.5',
    });
    assert.deepEqual(syncStoreOptionsOf(v), {
      keepFullSyncs: 5,
      skipCleanup: true,
      decodeLimits: { maxDecodedBytes: 0.5 * 1024 * 1024 },
      expansionMaxDepth: 3,
    });
  });

  test('an unusable value is INVALID_ARGUMENT naming the variable and what it accepts', () => {
    const cases: [string, string, RegExp][] = [
      ['BATON_KEEP_SYNC_COUNT', '0', /\$BATON_KEEP_SYNC_COUNT: 0 is not a whole number of 1 or more/],
      ['BATON_KEEP_SYNC_COUNT', 'two', /\$BATON_KEEP_SYNC_COUNT: "two" is not a whole number of 1 or more/],
      [
        'BATON_SKIP_CLEANUP',
        'maybe',
        /\$BATON_SKIP_CLEANUP: "maybe" is not a boolean; use 1 \(keep every sync\) or 0/,
      ],
      [
        'BATON_GRAPH_EXPAND_MAX_DEPTH',
        '0',
        /\$BATON_GRAPH_EXPAND_MAX_DEPTH: 0 is not a whole number of 1 or more/,
      ],
      ['BATON_GRAPH_EXPAND_MAX_DEPTH', '2.5', /\$BATON_GRAPH_EXPAND_MAX_DEPTH: "2.5" is not a whole number/],
      [
        'BATON_DECODER_MAX_DECODED_SIZE_MB',
        'lots',
        /\$BATON_DECODER_MAX_DECODED_SIZE_MB: "lots" is not a number of MiB/,
      ],
      [
        'BATON_DECODER_MAX_DECODED_SIZE_MB',
        '-1',
        /\$BATON_DECODER_MAX_DECODED_SIZE_MB: -1 is not a number of MiB/,
      ],
      ['BATON_DECODER_MAX_MEMORY_MB', '0', /\$BATON_DECODER_MAX_MEMORY_MB: 0 is not a number of MiB/],
      ['BATON_DECODER_MAX_MEMORY_MB', '64MB', /\$BATON_DECODER_MAX_MEMORY_MB: "64MB" is not a number of MiB/],
    ];
    for (const [variable, value, message] of cases) {
      assert.throws(
        () => syncSettings({ [variable]: value }),
        (e: unknown) => isBatonError(e) && e.code === 3 && message.test(e.message),
        `${variable}=${value}`,
      );
    }
  });
});
