// What a new user meets at the command line: help that lists every flag, a did-you-mean for a mistyped
// command, an inspect that says when a type is absent and lists the syncs, and the BATON_* variables of the
// Go SDK honoured on the sync path.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/run-cli.js';
import { finishedSyncs, openC1zDb } from '../support/open-c1z-db.js';
import { XmattersSimulator, generateTenant, SAMPLE_CREDENTIALS } from '../../src/simulator/index.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'e2e-polish-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const work = (name: string) => {
  const d = join(dir, name);
  mkdirSync(d);
  return d;
};

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

describe('help', () => {
  test('--help lists every flag the configuration accepts, and how booleans are negated', async () => {
    const schema = await runCli(['config'], { cwd: dir, env: {} });
    const names = (JSON.parse(schema.stdout) as { fields: { name: string }[] }).fields.map((f) => f.name);
    const r = await runCli(['--help'], { cwd: dir, env: {} });
    assert.equal(r.code, 0, r.stderr);
    for (const name of [...names, 'file', 'output', 'c1z-temp-dir', 'health-check-bind-address', 'page-size'])
      assert.match(r.stdout, new RegExp(`--${name}\\b`), name);
    assert.match(r.stdout, /--no-<flag>/);
  });

  test('`help` and `help <command>` print usage, exit 0', async () => {
    const r = await runCli(['help'], { cwd: dir, env: {} });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Usage: baton-xmatters/);
    const sub = await runCli(['help', 'inspect'], { cwd: dir, env: {} });
    assert.equal(sub.code, 0, sub.stderr);
    assert.match(sub.stdout, /Usage: baton-xmatters inspect/);
    assert.match(sub.stdout, /--syncs/);
  });

  test('a mistyped command suggests the right one (exit 3)', async () => {
    for (const [typo, meant] of [
      ['inspec', 'inspect'],
      ['dmeo', 'demo'],
      ['capabilites', 'capabilities'],
    ]) {
      const r = await runCli([typo!], { cwd: dir, env: {} });
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, new RegExp(`unknown command "${typo}"\\. Did you mean "${meant}"\\?`));
    }
  });
});

describe('inspect on a demo file', () => {
  let cwd: string;
  before(async () => {
    cwd = work('inspect');
    const r = await runCli(['demo', '--output', 'json'], { cwd, env: {} });
    assert.equal(r.code, 0, r.stderr);
  });

  test('--resources with a type the file does not hold: NOT_FOUND (exit 5) naming the types it has', async () => {
    const r = await runCli(['inspect', '--resources', 'site'], { cwd, env: {} });
    assert.equal(r.code, 5, r.stderr);
    assert.match(
      r.stderr,
      /resource type \\?"site\\?" is not in sync \S+ of .*sync\.c1z: it holds group, role, user/,
    );
    assert.equal(r.stdout, '');
  });

  test('JSON timestamps are ISO-8601 UTC', async () => {
    const r = await runCli(['inspect', '--output', 'json'], { cwd, env: {} });
    assert.equal(r.code, 0, r.stderr);
    const parsed = JSON.parse(r.stdout) as { started_at: string; ended_at: string };
    assert.match(parsed.started_at, ISO_UTC);
    assert.match(parsed.ended_at, ISO_UTC);
  });

  test('--syncs lists every sync with id, type, started and ended (console and JSON)', async () => {
    const again = await runCli(['demo', '--output', 'json'], { cwd, env: {} });
    assert.equal(again.code, 0, again.stderr);
    const json = await runCli(['inspect', '--syncs', '--output', 'json'], { cwd, env: {} });
    assert.equal(json.code, 0, json.stderr);
    const { syncs } = JSON.parse(json.stdout) as {
      syncs: { sync_id: string; sync_type: string; started_at: string; ended_at: string | null }[];
    };
    assert.equal(syncs.length, 2);
    for (const s of syncs) {
      assert.match(s.sync_id, /^[0-9A-Za-z]{27}$/);
      assert.equal(s.sync_type, 'full');
      assert.match(s.started_at, ISO_UTC);
      assert.match(s.ended_at ?? '', ISO_UTC);
    }
    const text = await runCli(['inspect', '--syncs'], { cwd, env: {} });
    assert.equal(text.code, 0, text.stderr);
    for (const s of syncs)
      assert.match(text.stdout, new RegExp(`${s.sync_id}\\s+full\\s+${s.started_at}\\s+${s.ended_at}`));
  });
});

describe('the Go SDK environment variables on the sync path', () => {
  const fullSyncs = (file: string): number => {
    const { db, close } = openC1zDb(file);
    try {
      return finishedSyncs(db).length;
    } finally {
      close();
    }
  };

  test('BATON_KEEP_SYNC_COUNT=1 keeps one full sync; BATON_SKIP_CLEANUP=1 keeps them all; default 2', async () => {
    for (const [env, kept] of [
      [{}, 2],
      [{ BATON_KEEP_SYNC_COUNT: '1' }, 1],
      [{ BATON_SKIP_CLEANUP: '1' }, 3],
    ] as const) {
      const cwd = work(`keep-${Object.keys(env).join('') || 'default'}`);
      for (let i = 0; i < 3; i++) {
        const r = await runCli(['demo', '--output', 'json'], { cwd, env });
        assert.equal(r.code, 0, r.stderr);
      }
      assert.equal(fullSyncs(join(cwd, 'sync.c1z')), kept, JSON.stringify(env));
    }
  });

  test('BATON_DECODER_MAX_DECODED_SIZE_MB caps the existing file a sync appends to (exit 8, file unchanged)', async () => {
    const cwd = work('decoder-cap');
    assert.equal((await runCli(['demo'], { cwd, env: {} })).code, 0);
    const r = await runCli(['demo'], { cwd, env: { BATON_DECODER_MAX_DECODED_SIZE_MB: '0.01' } });
    assert.equal(r.code, 8, r.stderr);
    assert.match(r.stderr, /BATON_DECODER_MAX_DECODED_SIZE_MB/);
    assert.equal(fullSyncs(join(cwd, 'sync.c1z')), 1);
  });
});

describe('the decoder variables on the commands that read a c1z', () => {
  for (const command of ['inspect', 'diff', 'report']) {
    test(`${command}: an unusable BATON_DECODER_MAX_MEMORY_MB is refused (exit 3) naming the variable`, async () => {
      const cwd = work(`decoder-${command}`);
      const r = await runCli([command], { cwd, env: { BATON_DECODER_MAX_MEMORY_MB: 'lots' } });
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /\$BATON_DECODER_MAX_MEMORY_MB: "lots" is not a number of MiB/);
    });
  }
});

describe('the demo summary', () => {
  test('uses singular forms for one item ("1 dynamic team")', async () => {
    const r = await runCli(['demo'], { cwd: work('plural'), env: {} });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /skipped members\s+3 nested groups, 2 devices, 1 dynamic team\n/);
  });
});

describe('Ctrl-C', () => {
  test('says the previous file is unchanged and that running the same command again resumes; it does', async (t) => {
    const sim = await XmattersSimulator.start({
      tenant: generateTenant({ seed: 5, people: 40, groups: 30, credentials: [{ ...SAMPLE_CREDENTIALS }] }),
      faults: { latencyMs: 40 },
    });
    t.after(() => sim.close());
    const cwd = work('ctrl-c');
    const args = [
      '--log-format',
      'json',
      '--output',
      'json',
      '--page-size',
      '5',
      '--request-concurrency',
      '1',
    ];
    const env = {
      BATON_BASE_URL: sim.baseUrl,
      BATON_USERNAME: SAMPLE_CREDENTIALS.username,
      BATON_PASSWORD: SAMPLE_CREDENTIALS.password,
    };
    const stopped = await runCli(args, {
      cwd,
      env,
      onSpawn: (child) => {
        let seen = '';
        let sent = false;
        child.stderr?.on('data', (d: string) => {
          seen += d;
          if (!sent && seen.includes('syncing grants')) sent = child.kill('SIGINT');
        });
      },
    });
    assert.equal(stopped.code, 1, stopped.stderr.slice(-2000));
    assert.match(
      stopped.stderr,
      /interrupted by SIGINT; the previous file is unchanged\. Run the same command again to resume/,
    );
    const again = await runCli(args, { cwd, env });
    assert.equal(again.code, 0, again.stderr.slice(-2000));
    assert.equal((JSON.parse(again.stdout) as { resumed: boolean }).resumed, true);
  });
});
