// diff and report through the built CLI (dist/main.js), as a user runs them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/run-cli.js';
import { scratchDir } from '../support/c1z-sample.js';
import { FIRST, SECOND, writeTenantSync } from '../support/review-tenant.js';

describe('diff and report commands', () => {
  const { dir, cleanup } = scratchDir('baton-review-cli-');
  const file = join(dir, 'sync.c1z');
  const single = join(dir, 'single.c1z');
  const env = { BATON_C1Z_TEMP_DIR: dir, BATON_LOG_FORMAT: 'console' };

  before(async () => {
    await writeTenantSync(file, FIRST, { tmpDir: dir, at: new Date('2026-01-10T10:00:00Z') });
    await writeTenantSync(file, SECOND, { tmpDir: dir, at: new Date('2026-01-11T10:00:00Z') });
    await writeTenantSync(single, FIRST, { tmpDir: dir, at: new Date('2026-01-10T10:00:00Z') });
  });
  after(cleanup);

  test('diff exits 0 with changes and prints one JSON object with -o json', async () => {
    const r = await runCli(['diff', '--file', file, '-o', 'json'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    const diff = JSON.parse(r.stdout) as { grants: { added: unknown[]; removed: unknown[] } };
    assert.deepEqual([diff.grants.added.length, diff.grants.removed.length], [4, 4]);
  });

  test('diff exits 0 without changes, and -o csv prints only the header', async () => {
    const r = await runCli(['diff', '--file', single, '--base-file', single, '-o', 'csv'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      'change,kind,id,resource_type,display_name,field,old,new,entitlement,principal,privileged\r\n',
    );
  });

  test('diff exits 9 when the file holds one full sync and no --base-file, naming the fix', async () => {
    const r = await runCli(['diff', '--file', single], { cwd: dir, env });
    assert.equal(r.code, 9);
    assert.match(r.stderr, /nothing to compare it with.*--base-file OLD\.c1z/s);
    assert.equal(r.stdout, '');
  });

  test('diff --help documents its flags and exit codes', async () => {
    const r = await runCli(['diff', '--help'], { cwd: dir, env });
    assert.equal(r.code, 0);
    for (const flag of ['--base-file', '--from', '--to', 'Exit codes: 0 with or without changes; 9'])
      assert.ok(r.stdout.includes(flag), flag);
  });

  test('report writes one HTML file and says where', async () => {
    const out = join(dir, 'access-report.html');
    const r = await runCli(['report', '--file', file, '--out', out, '--instance', 'acme'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^report written: ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(`));
    assert.ok(statSync(out).size > 10_000);
    assert.match(readFileSync(out, 'utf8'), /<title>xMatters access report<\/title>/);
  });

  test('report defaults to ./access-report.html; a file that is not a c1z exits 3', async () => {
    const ok = await runCli(['report', '--file', file], { cwd: dir, env });
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok(statSync(join(dir, 'access-report.html')).isFile());
    const bad = await runCli(['report', '--file', join(dir, 'access-report.html')], { cwd: dir, env });
    assert.equal(bad.code, 3, bad.stderr);
  });
});
