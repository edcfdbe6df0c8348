import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isBatonError, GrpcCode } from '../../../src/baton/errors.js';
import type { ReportData } from '../../../src/baton/review/build-report-data.js';
import { runReport } from '../../../src/baton/review/run-report.js';
import { fixturePath } from '../../support/c1z-fixtures.js';
import { scratchDir } from '../../support/c1z-sample.js';
import { FIRST, SECOND, writeTenantSync } from '../../support/review-tenant.js';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function embeddedData(html: string): ReportData {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'the page embeds its data');
  return JSON.parse(m[1]!) as ReportData;
}

/** The text of one <section id=…> of the page, tags removed. */
function sectionText(html: string, id: string): string {
  const m = new RegExp(`<section id="${id}"[\\s\\S]*?</section>`).exec(html);
  assert.ok(m, `section ${id}`);
  return m[0].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describe('report', () => {
  const { dir, cleanup } = scratchDir('baton-report-test-');
  const file = join(dir, 'sync.c1z');
  const single = join(dir, 'single.c1z');
  const base = { product: 'Acme', generator: 'baton-acme 9.9.9', command: 'baton-acme', tmpDir: dir };

  before(async () => {
    await writeTenantSync(file, FIRST, { tmpDir: dir, at: new Date('2026-01-10T10:00:00Z') });
    await writeTenantSync(file, SECOND, { tmpDir: dir, at: new Date('2026-01-11T10:00:00Z') });
    await writeTenantSync(single, FIRST, { tmpDir: dir, at: new Date('2026-01-10T10:00:00Z') });
  });
  after(cleanup);

  test('one self-contained page: the caller names the product; no external resource is referenced', async () => {
    const out = join(dir, 'report.html');
    const before = sha(file);
    const result = await runReport({ ...base, file, out, instance: 'acme.example' });
    const html = readFileSync(out, 'utf8');
    assert.equal(result.bytes, Buffer.byteLength(html));
    assert.match(html, /<title>Acme access report<\/title>/);
    assert.match(html, /Instance <strong>acme\.example<\/strong>/);
    // Nothing to fetch: no src/href to another document, and a CSP that forbids any request.
    assert.doesNotMatch(html, /\s(src|href)="(?!#)/);
    assert.match(html, /default-src 'none'/);
    assert.equal(sha(file), before, 'the c1z is never modified');
  });

  test('headline figures and privileged access: roles with holders, groups with supervisors', async () => {
    const out = join(dir, 'figures.html');
    await runReport({ ...base, file, out });
    const html = readFileSync(out, 'utf8');
    const summary = sectionText(html, 'summary');
    assert.match(summary, /People, active 4 /);
    assert.match(summary, /People, inactive 2 /);
    assert.match(summary, /Groups 4 /);
    assert.match(summary, /Roles 3 /);
    assert.match(summary, /Grants 17 12 privileged/);
    const privileged = sectionText(html, 'privileged');
    assert.match(privileged, /Company Supervisor 2 holders Ann Admin Gina Green /);
    assert.match(privileged, /Group Supervisor 1 holder Robert Baker /);
    const data = embeddedData(html);
    const name = (i: number) => data.res.n[i];
    const supervisorOf = (group: string) => {
      const e = data.ents.n.indexOf(`${group} Group Supervisor`);
      let v = 0;
      return data.g[e]!.map((d) => name((v += d)));
    };
    assert.deepEqual(supervisorOf('Network Ops'), ['Gina Green']);
    assert.deepEqual(supervisorOf('Security'), []);
  });

  test('risks: inactive people with access, groups without supervisor, one-holder roles, people in no group', async () => {
    const out = join(dir, 'risks.html');
    await runReport({ ...base, file, out });
    const html = readFileSync(out, 'utf8');
    const data = embeddedData(html);
    const names = (list: number[]) => list.map((i) => data.res.n[i]).sort();
    assert.deepEqual(names(data.risks.inactiveWithAccess), ['Carol Chen', 'Dan Dormant']);
    assert.deepEqual(names(data.risks.groupsWithoutPrivileged), ['Security']);
    assert.deepEqual(names(data.risks.rolesWithOneHolder), ['Group Supervisor']);
    assert.deepEqual(names(data.risks.peopleInNoGroup), ['Ann Admin', 'Frank Free']);
    assert.match(sectionText(html, 'risks'), /Inactive people who still hold access: 2 /);
  });

  test('changed since the previous sync: the same summary as diff, privileged grants first', async () => {
    const out = join(dir, 'changes.html');
    const result = await runReport({ ...base, file, out });
    assert.notEqual(result.previousSyncId, undefined);
    const changes = sectionText(readFileSync(out, 'utf8'), 'changes');
    assert.match(
      changes,
      /1 person added, 1 removed, 1 deactivated, 2 otherwise changed; .* privileged changes: 3 grants added, 2 removed/,
    );
    assert.ok(changes.indexOf('Privileged grants removed') < changes.indexOf('Other grants removed'));
    assert.match(changes, /removed Company Supervisor Role Dan Dormant/);
    assert.match(changes, /deactivated Carol Chen user:u3/);
  });

  test('a file with one sync says there is nothing to compare', async () => {
    const out = join(dir, 'single.html');
    const result = await runReport({ ...base, file: single, out });
    assert.equal(result.previousSyncId, undefined);
    assert.match(sectionText(readFileSync(out, 'utf8'), 'changes'), /nothing to compare/);
  });

  test('a Go-written file: its role type gives the roles; the fixture is not modified', async () => {
    const path = fixturePath('go-sdk-demo-expanded.c1z');
    const before = sha(path);
    const out = join(dir, 'go.html');
    const result = await runReport({ ...base, file: path, out });
    assert.equal(result.syncId, '36zfOAoWMxQdISbixanQCRBiX7E');
    const html = readFileSync(out, 'utf8');
    assert.match(sectionText(html, 'summary'), /Roles 100 /);
    assert.match(sectionText(html, 'summary'), /Grants 14,981 /);
    assert.equal(sha(path), before);
  });

  test('--out equal to the c1z is refused before anything is written', async () => {
    await assert.rejects(
      runReport({ ...base, file, out: file }),
      (e: unknown) => isBatonError(e) && e.code === GrpcCode.INVALID_ARGUMENT,
    );
    await assert.rejects(
      runReport({ ...base, file, out: join(dir, 'missing-dir', 'r.html') }),
      (e: unknown) =>
        isBatonError(e) && e.code === GrpcCode.INVALID_ARGUMENT && /does not exist/.test(e.message),
    );
  });
});
