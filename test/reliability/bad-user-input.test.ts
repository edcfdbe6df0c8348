// Scenario 6, bad input from the user: missing fields, malformed or unsafe URLs, unusable --file and
// --c1z-temp-dir locations, wrong credentials, missing permissions. Each run must exit with the code the
// README documents, say how to fix the problem, and write nothing: the output directory is unchanged
// (an existing file byte-identical) and no working directory is left in the temp dir.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { filesUnder } from '../support/reliability-secrets.js';
import { REL_NOACCESS, REL_NOROSTERS, REL_PASSWORD, REL_USER } from '../support/reliability-secrets.js';
import { namesIn, sha256 } from '../support/reliability-content.js';
import {
  assertReadOnlySync,
  fileFigures,
  note,
  relFile,
  relTenant,
  resetSim,
  runRel,
  syncSetup,
  type RelRun,
} from '../support/reliability-harness.js';

const rel = relFile('userinput', { tenant: relTenant(), previous: true });
const { scratch } = rel;

/** Names and hashes of every file below `dir`: "nothing written" means this does not change. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(filesUnder(dir).map((f) => [f.slice(dir.length), sha256(f)]));
}

/** The error text of a failed run: the JSON error line, or plain stderr for errors raised before logging. */
const errorText = (run: RelRun): string => run.error ?? run.stderr;

interface Case {
  name: string;
  /** Flags after the suite's defaults; `$FILE`, `$TMP` and `$OUT` are replaced. */
  args: string[];
  env?: Record<string, string>;
  /** Prepares the test directory (existing files, permissions); returns a cleanup. */
  prepare?: (d: { out: string; tmp: string; file: string }) => (() => void) | void;
  code: number;
  message: RegExp;
  /** Values that must not appear in the output (a password typed into the URL). */
  secrets?: string[];
}

/** The suite's credentials in the environment; the URL comes from each case. */
const creds = { BATON_USERNAME: REL_USER, BATON_PASSWORD: REL_PASSWORD };
const simUrl = (): string => rel.sim.baseUrl;

/**
 * Makes `dir` unwritable even for root: permissions first, then the immutable attribute. Proves it by
 * trying to write there, so the test never passes on a directory that is in fact writable.
 */
function makeUnwritable(dir: string): () => void {
  const writable = (): boolean => {
    try {
      writeFileSync(join(dir, '.probe'), '');
      rmSync(join(dir, '.probe'));
      return true;
    } catch {
      return false;
    }
  };
  chmodSync(dir, 0o555);
  let immutable = false;
  if (writable()) {
    immutable = spawnSync('chattr', ['+i', dir]).status === 0;
  }
  assert.ok(!writable(), `cannot make ${dir} unwritable on this machine (chmod, chattr +i)`);
  return () => {
    if (immutable) spawnSync('chattr', ['-i', dir]);
    chmodSync(dir, 0o755);
  };
}

const CASES: Case[] = [
  {
    name: 'every required field missing',
    args: [],
    env: {},
    code: 3,
    message: /--base-url.*\n?.*--username.*\n?.*--password|base-url[\s\S]*username[\s\S]*password/,
  },
  {
    name: 'a base URL that is not a URL',
    args: ['--base-url', 'company.xmatters.com/api/xm/1'],
    code: 3,
    message:
      /not an absolute URL\. Use the full API URL, e\.g\. https:\/\/company\.xmatters\.com\/api\/xm\/1/,
  },
  {
    name: 'a base URL with another scheme',
    args: ['--base-url', 'ftp://company.xmatters.com/api/xm/1'],
    code: 3,
    message: /must use https:/,
  },
  {
    name: 'a base URL with a password in it',
    args: ['--base-url', 'https://admin:Url-Secret-4471@company.xmatters.com/api/xm/1'],
    code: 3,
    message: /contains credentials\. Remove them from the URL/,
    secrets: ['Url-Secret-4471'],
  },
  {
    name: 'a base URL with a password holding "@" and "/"',
    args: ['--base-url', 'https://admin:Url/Sec@ret-4471@company.xmatters.com/api/xm/1'],
    code: 3,
    message: /base URL "https:\/\/\*\*\*@company\.xmatters\.com\/api\/xm\/1" is not a valid URL/,
    secrets: ['Sec@ret', 'ret-4471', 'Url/Sec'],
  },
  {
    name: 'a base URL with a query',
    args: ['--base-url', 'https://company.xmatters.com/api/xm/1?tenant=x'],
    code: 3,
    message: /must not have a query or fragment\. Use https:\/\/company\.xmatters\.com\/api\/xm\/1/,
  },
  {
    name: 'a base URL with a port out of range',
    args: ['--base-url', 'https://company.xmatters.com:99999/api/xm/1'],
    code: 3,
    message: /is not a valid URL; check its host name and port/,
  },
  {
    name: 'http:// to a non-loopback host',
    args: ['--base-url', 'http://company.xmatters.com/api/xm/1'],
    code: 3,
    message: /plain http: to a non-loopback host.*Use https:\/\/company\.xmatters\.com\/api\/xm\/1/s,
  },
  {
    name: 'a base URL without /api/xm/1',
    args: ['--base-url', 'https://company.xmatters.com/xmatters'],
    code: 3,
    message: /must end in \/api\/xm\/1.*Did you mean https:\/\/company\.xmatters\.com\/api\/xm\/1\?/s,
  },
  {
    name: 'a numeric setting out of range',
    args: ['--base-url', '$SIM', '--request-concurrency', '0'],
    code: 3,
    message: /request-concurrency/,
  },
  {
    name: 'an unknown resource type',
    args: ['--base-url', '$SIM', '--sync-resource-types', 'widget'],
    code: 3,
    message: /--sync-resource-types: "widget" is not allowed; use one of user, group/,
  },
  {
    name: 'a --file in a directory that does not exist',
    args: ['--base-url', '$SIM', '--file', '$OUT/missing/sync.c1z'],
    code: 3,
    message: /directory of .*missing\/sync\.c1z does not exist: create it or choose another --file/,
  },
  {
    name: 'a --file in a directory that cannot be written',
    args: ['--base-url', '$SIM', '--file', '$OUT/locked/sync.c1z'],
    prepare: (d) => {
      mkdirSync(join(d.out, 'locked'));
      return makeUnwritable(join(d.out, 'locked'));
    },
    code: 9,
    message:
      /cannot write in the directory of .*locked\/sync\.c1z \(E\w+\): choose a --file in a writable directory/,
  },
  {
    name: 'a --file that is a directory',
    args: ['--base-url', '$SIM', '--file', '$OUT/adir'],
    prepare: (d) => void mkdirSync(join(d.out, 'adir')),
    code: 3,
    message: /adir is a directory, not a c1z file: choose another --file/,
  },
  {
    name: 'a --file that exists and is not a c1z',
    args: ['--base-url', '$SIM', '--file', '$OUT/notes.txt'],
    prepare: (d) => writeFileSync(join(d.out, 'notes.txt'), 'important notes, not a c1z\n'),
    code: 3,
    message: /notes\.txt is not a c1z file .*choose another --file or delete it/,
  },
  {
    name: 'an existing --file that is a truncated c1z',
    args: ['--base-url', '$SIM', '--file', '$OUT/truncated.c1z'],
    prepare: (d) => writeFileSync(join(d.out, 'truncated.c1z'), readFileSync(rel.previous).subarray(0, 2000)),
    code: 15,
    message: /truncated c1z .*restore it from a backup, or move it away \(or choose another --file\)/,
  },
  {
    name: 'an existing --file that is a corrupt c1z',
    args: ['--base-url', '$SIM', '--file', '$OUT/corrupt.c1z'],
    prepare: (d) => writeFileSync(join(d.out, 'corrupt.c1z'), Buffer.from('C1ZF\0not zstd at all', 'latin1')),
    code: 15,
    message: /not a zstd stream; a new sync cannot be appended to it/,
  },
  {
    name: 'a --c1z-temp-dir that does not exist',
    args: ['--base-url', '$SIM', '--c1z-temp-dir', '$OUT/no-such-dir'],
    code: 3,
    message: /temp directory .*no-such-dir does not exist: create it or choose another --c1z-temp-dir/,
  },
  {
    name: 'a --c1z-temp-dir that cannot be written',
    args: ['--base-url', '$SIM', '--c1z-temp-dir', '$TMP'],
    prepare: (d) => makeUnwritable(d.tmp),
    code: 9,
    message: /cannot create the working directory in .* \(E\w+\): choose a writable --c1z-temp-dir/,
  },
  // The store's, decoder's and expansion's variables (no flags): an unusable value is refused before any request.
  ...(
    [
      [
        'BATON_KEEP_SYNC_COUNT',
        '0',
        /0 is not a whole number of 1 or more \(the finished full syncs a file keeps; default 2\)/,
      ],
      ['BATON_SKIP_CLEANUP', 'maybe', /"maybe" is not a boolean; use 1 \(keep every sync\) or 0/],
      ['BATON_GRAPH_EXPAND_MAX_DEPTH', 'deep', /"deep" is not a whole number of 1 or more .*default 20\)/],
      ['BATON_DECODER_MAX_DECODED_SIZE_MB', 'lots', /"lots" is not a number of MiB of at least 0\.001/],
      ['BATON_DECODER_MAX_MEMORY_MB', '0', /0 is not a number of MiB of at least 0\.001/],
    ] as const
  ).map(([variable, value, text]): Case => ({
    name: `${variable}=${value}`,
    args: ['--base-url', '$SIM'],
    env: { ...creds, [variable]: value },
    code: 3,
    message: new RegExp(`\\$${variable}: ${text.source}`),
  })),
  {
    name: 'a wrong password',
    args: ['--base-url', '$SIM'],
    env: { BATON_USERNAME: REL_USER, BATON_PASSWORD: 'Wrong-Password-5150!' },
    code: 16,
    message: /rejected the credentials of user "rel-user" \(HTTP 401 .*\)\. Check the password/,
    secrets: ['Wrong-Password-5150!', Buffer.from(`${REL_USER}:Wrong-Password-5150!`).toString('base64')],
  },
  {
    name: 'a user without any permission',
    args: ['--base-url', '$SIM'],
    env: { BATON_USERNAME: REL_NOACCESS.username, BATON_PASSWORD: REL_NOACCESS.password },
    code: 7,
    message:
      /User "rel-noaccess" is not allowed to call GET .*\(HTTP 403\)\. Give the user the "REST Web Service User" role/,
  },
];

describe('6. bad input from the user: documented exit code, how to fix it, nothing written', () => {
  for (const c of CASES) {
    test(c.name, async (t) => {
      resetSim(rel.sim);
      const d = scratch.dirs(c.name);
      // An existing good sync.c1z sits in the output directory: it must come out untouched.
      copyFileSync(rel.previous, d.file);
      const cleanup = c.prepare?.(d);
      try {
        const before = snapshot(d.out);
        const sub = (a: string): string =>
          a.replace('$SIM', simUrl()).replace('$OUT', d.out).replace('$TMP', d.tmp).replace('$FILE', d.file);
        const args = ['--file', d.file, '--c1z-temp-dir', d.tmp, ...c.args.map(sub)];
        const run = await runRel(args, { cwd: d.out, env: c.env ?? creds, scan: [d.out, d.tmp] });
        assert.equal(run.code, c.code, run.stderr.slice(-2000));
        assert.match(errorText(run), c.message);
        for (const s of c.secrets ?? []) assert.ok(!run.stderr.includes(s) && !run.stdout.includes(s), s);
        assert.deepEqual(snapshot(d.out), before, 'nothing written next to the output');
        assert.deepEqual(namesIn(d.tmp), [], 'no working directory left behind');
      } finally {
        cleanup?.();
      }
      note(t, { badInputs: 1, runs: 1 });
    });
  }

  test('a user who cannot read rosters fails at the first roster (exit 7), previous file byte-identical', async (t) => {
    resetSim(rel.sim);
    const d = scratch.dirs('norosters');
    copyFileSync(rel.previous, d.file);
    const hash = sha256(d.file);
    const { args } = syncSetup(rel.sim.baseUrl, d);
    const env = {
      BATON_BASE_URL: rel.sim.baseUrl,
      BATON_USERNAME: REL_NOROSTERS.username,
      BATON_PASSWORD: REL_NOROSTERS.password,
    };
    const run = await runRel(args, { cwd: d.out, env, scan: [d.out, d.tmp] });
    assert.equal(run.code, 7, run.stderr.slice(-2000));
    assert.match(
      run.error ?? '',
      /not allowed to call GET \/api\/xm\/1\/groups\/[^/]+\/members.*REST Web Service User/,
    );
    assert.equal(sha256(d.file), hash);
    assert.deepEqual(namesIn(d.out), ['sync.c1z']);
    note(t, { badInputs: 1, runs: 1 });
  });

  test('a second run on a file another run is writing is refused (exit 9) and disturbs nothing', async (t) => {
    resetSim(rel.sim);
    // Slow rosters keep the first run busy (a few seconds) while the second one starts.
    rel.sim.setFaults({ rules: [{ path: '/groups/*/members', action: { type: 'delay', ms: 800 } }] });
    const d = scratch.dirs('locked-by-another');
    copyFileSync(rel.previous, d.file);
    const { args, env } = syncSetup(rel.sim.baseUrl, d);
    let second: Promise<RelRun> | undefined;
    const first = await runRel(args, {
      cwd: d.out,
      env,
      scan: [d.out, d.tmp],
      onLog: (line) => {
        if (line.msg === 'credentials accepted, starting sync' && second === undefined) {
          second = runRel(args, { cwd: d.out, env, scan: [] });
        }
      },
    });
    rel.sim.setFaults({});
    assert.ok(second, 'the second run was started while the first was syncing');
    const refused = await second;
    assert.equal(refused.code, 9, refused.stderr.slice(-2000));
    assert.match(refused.error ?? '', /another process \(pid \d+\) is writing .*sync\.c1z/);
    assert.equal(first.code, 0, first.stderr.slice(-2000));
    assert.deepEqual(namesIn(d.out), ['sync.c1z']);
    assert.deepEqual(namesIn(d.tmp), []);
    note(t, { badInputs: 1, runs: 2 });
  });

  test('8. read-only: a sync sends only GET requests (checked on its own simulator)', async (t) => {
    const { requests } = await assertReadOnlySync(relTenant(), scratch);
    note(t, { runs: 1, requests });
    t.diagnostic(fileFigures());
  });
});
