// Scenario 5, bad input from the API: unusable bodies, broken items, absurd values and hostile pagination
// links. Unusable responses end the sync with a clear error (exit 13) and the previous file untouched;
// a broken item is skipped and reported; absurd values are stored safely; nothing ever hangs, and a link
// to another origin is never requested (a second loopback server records no request at all).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { RecordingServer } from '../support/simulator-recorder.js';
import { decodeSimpleResource } from '../support/decode-rows.js';
import { expectedContent } from '../support/expected-content.js';
import { openC1zDb } from '../support/open-c1z-db.js';
import { assertIncludesAll, namesIn, readSynced, sha256 } from '../support/reliability-content.js';
import {
  assertReadOnlySync,
  faultsInjected,
  fileFigures,
  note,
  relTenant,
  resetSim,
  runRel,
  Scratch,
  startRelSim,
  stopRelSims,
  syncSetup,
  type RelRun,
} from '../support/reliability-harness.js';
import type { FaultRule, XmattersSimulator } from '../../src/simulator/index.js';

const tenant = relTenant();
const expected = expectedContent(tenant);
const scratch = new Scratch('badapi');
let sim: XmattersSimulator;
let foreign: RecordingServer;
let previous: string;

before(async () => {
  sim = await startRelSim(structuredClone(tenant));
  foreign = await RecordingServer.start();
  const d = scratch.dirs('previous');
  const { args, env } = syncSetup(sim.baseUrl, d);
  const run = await runRel(args, { cwd: d.out, env, scan: [d.out, d.tmp] });
  assert.equal(run.code, 0, run.stderr);
  previous = d.file;
});

after(async () => {
  await stopRelSims();
  await foreign.close();
  scratch.remove();
});

async function syncWith(
  name: string,
  rules: FaultRule[],
): Promise<{ run: RelRun; d: { out: string; tmp: string; file: string }; hash: string; faults: number }> {
  resetSim(sim);
  sim.setFaults({ rules });
  const d = scratch.dirs(name);
  copyFileSync(previous, d.file);
  const hash = sha256(d.file);
  const { args, env } = syncSetup(sim.baseUrl, d);
  const run = await runRel(args, { cwd: d.out, env, scan: [d.out, d.tmp], timeoutMs: 30_000 });
  const faults = faultsInjected(sim);
  sim.setFaults({});
  assert.equal(run.signal, null, 'never a hang');
  // Control characters in data never break the log: every stderr line is one JSON object.
  for (const line of run.stderr.split('\n').filter((l) => l !== ''))
    assert.doesNotThrow(() => JSON.parse(line), line);
  return { run, d, hash, faults };
}

// The access check is the first /people and the first /groups request: rules aimed at a listing skip it.
const PEOPLE_PAGE_2 = { path: '/people', skip: 2, times: 1 } as const;
const A_ROSTER = { path: '/groups/*/members', skip: 3, times: 1 } as const;
/** Groups by roster size, largest first: item faults aimed at a roster need items to change. */
const BIG_GROUPS = [...tenant.groups].sort((a, b) => b.members.length - a.members.length).map((g) => g.id);
const rosterOf = (rank: number): string => `/groups/${BIG_GROUPS[rank]!}/members`;
const ERRORS: { name: string; rule: FaultRule; message: RegExp }[] = [
  {
    name: 'invalid JSON',
    rule: { ...PEOPLE_PAGE_2, action: { type: 'badBody', kind: 'invalid-json' } },
    message: /malformed or truncated JSON for GET \/api\/xm\/1\/people\?/,
  },
  {
    name: 'an HTML page with status 200',
    rule: { ...A_ROSTER, action: { type: 'badBody', kind: 'html-200' } },
    message: /an HTML page instead of JSON for GET \/api\/xm\/1\/groups\/[^/]+\/members.*base URL/,
  },
  {
    name: 'a truncated body',
    rule: { path: '/groups', skip: 1, times: 1, action: { type: 'badBody', kind: 'truncated' } },
    message: /malformed or truncated JSON for GET \/api\/xm\/1\/groups\?/,
  },
  {
    name: 'a wrong content type',
    rule: { ...PEOPLE_PAGE_2, action: { type: 'badBody', kind: 'wrong-content-type' } },
    message: /a response that is not JSON .*content-type text\/plain/,
  },
  {
    name: 'an empty body with status 200',
    rule: { ...A_ROSTER, action: { type: 'badBody', kind: 'empty' } },
    message: /malformed or truncated JSON|not JSON/,
  },
  {
    name: 'JSON without a data list',
    rule: { ...PEOPLE_PAGE_2, action: { type: 'badBody', kind: 'not-a-list' } },
    message: /JSON without a "data" list/,
  },
  {
    name: 'a next link that repeats the previous page',
    // Every listing page after the first links back: the last page's link is the one that is followed.
    rule: { path: '/people', skip: 2, action: { type: 'repeatNext' } },
    message: /"next" link .*(already requested|same page).*stopping instead of looping/,
  },
  {
    name: 'a next link that points back at the same page',
    rule: { path: '/people', skip: 1, times: 1, action: { type: 'repeatNext' } },
    message: /points back to the same page; stopping instead of looping/,
  },
];

describe('5. bad input from the API', () => {
  for (const c of ERRORS) {
    test(`${c.name}: exit 13 with a clear error, previous file byte-identical`, async (t) => {
      const { run, d, hash, faults } = await syncWith(c.name, [c.rule]);
      assert.equal(run.code, 13, run.stderr.slice(-2000));
      assert.match(run.error ?? '', c.message);
      assert.equal(sha256(d.file), hash);
      assert.deepEqual(namesIn(d.out), ['sync.c1z']);
      note(t, { faults, badInputs: 1, runs: 1 });
    });
  }

  for (const where of ['first', 'last'] as const) {
    test(`a next link to another origin on the ${where} page is never requested, credentials never sent`, async (t) => {
      const rule: FaultRule =
        where === 'first'
          ? { path: '/people', skip: 1, times: 1, action: { type: 'foreignNext', origin: foreign.origin } }
          : { path: '/groups', skip: 2, times: 1, action: { type: 'foreignNext', origin: foreign.origin } };
      const { run, d, hash, faults } = await syncWith(`foreign-${where}`, [rule]);
      assert.equal(run.code, 13, run.stderr.slice(-2000));
      assert.match(
        run.error ?? '',
        /points to another origin .*it was not followed and no credentials were sent/,
      );
      assert.equal(foreign.requests.length, 0, 'the other origin received no request');
      assert.equal(foreign.authorizationHeadersSeen, 0);
      assert.equal(sha256(d.file), hash);
      note(t, { faults, badInputs: 1, runs: 1 });
    });
  }

  test('items missing required fields are skipped and reported; everything else is synced', async (t) => {
    const rules: FaultRule[] = [
      { ...PEOPLE_PAGE_2, action: { type: 'invalidItem', field: 'id', mode: 'missing', index: 1 } },
      {
        path: '/people',
        skip: 4,
        times: 1,
        action: { type: 'invalidItem', field: 'targetName', mode: 'wrongType' },
      },
      {
        path: '/groups',
        skip: 1,
        times: 1,
        action: { type: 'invalidItem', field: 'id', mode: 'empty', index: 0 },
      },
      {
        path: rosterOf(0),
        times: 1,
        action: { type: 'invalidItem', field: 'recipientType', mode: 'missing' },
      },
      { path: rosterOf(1), times: 1, action: { type: 'invalidItem', field: 'id', mode: 'empty' } },
    ];
    const { run, d, faults } = await syncWith('invalid-items', rules);
    assert.equal(faults, rules.length, 'every fault fired');
    assert.equal(run.code, 0, run.stderr.slice(-2000));
    const byKind = run.details?.warnings_by_kind as Record<string, number>;
    assert.equal(byKind['invalid-item'], rules.length, JSON.stringify(byKind));
    const skipped = run.logs.filter((l) => l.kind === 'invalid-item');
    assert.equal(skipped.length, rules.length);
    for (const w of skipped) assert.match(w.msg, /^skipped item \d+ .*of \/api\/xm\/1\/\S+: /);
    // Two people and one group are missing; everything else is there, and nothing dangles.
    const content = readSynced(d.file);
    assert.equal(content.resources.length, expected.resources.length - 3);
    assertIncludesAll(expected.resources, content.resources, 'unexpected resources');
    const resources = new Set(content.resources);
    for (const g of content.grants) {
      const [type, id, , , uid] = g.split(':');
      assert.ok(resources.has(`${type}:${id}`) && resources.has(`user:${uid}`), g);
    }
    note(t, { faults, badInputs: rules.length, runs: 1, warnings: run.details?.warnings });
  });

  test('absurd values (10 KB names, control characters, lone surrogates, invalid UTF-8, absurd totals, wrong types) are stored safely', async (t) => {
    const kinds = [
      'long-name',
      'control-chars',
      'lone-surrogate',
      'invalid-utf8',
      'huge-total',
      'negative-total',
      'wrong-types',
    ] as const;
    const rules: FaultRule[] = kinds.map((kind, i) => ({
      ...(i % 2 === 0 ? { path: '/people', skip: 1 + i } : { path: rosterOf(i) }),
      times: 1,
      action: { type: 'absurd', kind },
    }));
    rules.push({ path: '/groups', skip: 1, times: 1, action: { type: 'absurd', kind: 'control-chars' } });
    const { run, d, faults } = await syncWith('absurd', rules);
    assert.equal(faults, rules.length, 'every fault fired');
    assert.equal(run.code, 0, run.stderr.slice(-2000));
    const content = readSynced(d.file);
    assert.deepEqual(content.resources, expected.resources, 'ids are untouched by absurd names');
    // `wrong-types` makes one person's embedded roles a string: its role grants cannot be read, and that is
    // an invalid-item warning; every other grant is there.
    const missing = expected.grants.filter((g) => !content.grants.includes(g));
    const owners = new Set(missing.map((g) => g.split(':').pop()));
    assert.ok(
      missing.length > 0 && missing.every((g) => g.startsWith('role:')) && owners.size === 1,
      missing.join(),
    );
    assertIncludesAll(expected.grants, content.grants, 'unexpected grants');
    const warned = run.logs.filter((l) => l.kind === 'invalid-item' && /embedded role/.test(l.msg));
    assert.equal(warned.length, 1, JSON.stringify(run.details?.warnings_by_kind));
    assert.ok(warned[0]!.msg.includes([...owners][0]!), warned[0]!.msg);
    // Every display name is valid UTF-8 (lone surrogates and bad bytes replaced) and within the Go limit.
    const { db, close } = openC1zDb(d.file);
    try {
      for (const id of content.resources) {
        const name = decodeSimpleResource(db, id).displayName;
        assert.ok(Buffer.byteLength(name, 'utf8') <= 1024, `${id}: ${name.length} characters`);
        assert.ok(!/[\ud800-\udfff]/.test(name.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')), id);
      }
    } finally {
      close();
    }
    note(t, { faults, badInputs: rules.length, runs: 1 });
  });

  test('8. read-only: a sync sends only GET requests (checked on its own simulator)', async (t) => {
    const { requests } = await assertReadOnlySync(tenant, scratch);
    note(t, { runs: 1, requests });
    t.diagnostic(fileFigures());
  });
});
