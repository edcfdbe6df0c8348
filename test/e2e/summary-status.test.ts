// People whose status is neither ACTIVE nor INACTIVE are synced with an unspecified status; the summary
// shows how many there are instead of hiding them (issue 10, defect 7). Built CLI against the simulator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from '../support/run-cli.js';
import { generateTenant, GENERATED_CREDENTIALS } from '../../src/simulator/index.js';
import { e2eFile } from '../support/e2e-file.js';

const cred = GENERATED_CREDENTIALS[0]!;
const tenant = generateTenant({ seed: 3, people: 9, groups: 3, avgMembersPerGroup: 3 });
// 2 active, 1 inactive and 6 with statuses the connector does not know (xMatters may add some).
const statuses = ['ACTIVE', 'ACTIVE', 'INACTIVE', 'LOCKED', 'PENDING', 'LOCKED', 'SUSPENDED', '', 'UNKNOWN'];
tenant.people.forEach((p, i) => Object.assign(p, { status: statuses[i] }));

const e2e = e2eFile('e2e-status-', { tenant });

const env = () => ({
  BATON_BASE_URL: e2e.sim.baseUrl,
  BATON_USERNAME: cred.username,
  BATON_PASSWORD: cred.password,
});

test('the console summary counts people of other statuses: "9 (2 active, 1 inactive, 6 other)"', async () => {
  const r = await runCli(['--file', join(e2e.dir, 'console.c1z'), '--log-format', 'json'], {
    cwd: e2e.dir,
    env: env(),
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /\n {2}users +9 \(2 active, 1 inactive, 6 other\)\n/);
});

test('the JSON summary has an `other` count that adds up to the total', async () => {
  const r = await runCli(['--file', join(e2e.dir, 'json.c1z'), '--output', 'json', '--log-format', 'json'], {
    cwd: e2e.dir,
    env: env(),
  });
  assert.equal(r.code, 0, r.stderr);
  const details = JSON.parse(r.stdout) as {
    users: { total: number; active: number; inactive: number; other: number };
    groups: { total: number; active: number; inactive: number; other: number };
  };
  assert.deepEqual(details.users, { total: 9, active: 2, inactive: 1, other: 6 });
  const g = details.groups;
  assert.equal(g.other, 0);
  assert.equal(g.active + g.inactive + g.other, g.total);
});
