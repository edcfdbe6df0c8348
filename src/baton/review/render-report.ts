import { barChartSvg } from './bar-chart-svg.js';
import type { Bar } from './bar-chart-svg.js';
import type { ReportData, ReportFacts } from './build-report-data.js';
import type { DiffSyncInfo, DiffTally, GrantChange, ResourceChange, SyncDiff } from './compute-diff.js';
import { escapeHtml as h, jsonForScript } from './escape-html.js';
import { summaryLine } from './render-diff.js';
import { REPORT_SCRIPT } from './report-script.js';
import { REPORT_STYLE } from './report-style.js';

/** Everything the page shows; product wording comes from the caller, never from this layer. */
export interface ReportPage {
  /** Product name for the title, e.g. "Acme"; the page is "<product> access report". */
  product: string;
  /** The program that wrote the report, e.g. "baton-acme 1.2.0", and its command name for hints. */
  generator: string;
  command: string;
  file: string;
  instance?: string | undefined;
  sync: DiffSyncInfo;
  generatedAt: Date;
  data: ReportData;
  facts: ReportFacts;
  changes?: ChangeSection | undefined;
}

export interface ChangeSection {
  diff: SyncDiff;
  tally: DiffTally;
  /** Resource kinds by resource id, for splitting changes into people and groups. */
  kindOf: (id: string) => string;
  /** For a changed resource: whether its status went from active to inactive. */
  deactivated: (change: ResourceChange) => boolean;
}

/** Rows per list in the changes section; the diff command prints all of them. */
const CHANGE_ROWS = 200;

const fmt = (n: number) => n.toLocaleString('en-US');

/** The self-contained page: inline style and script, data as JSON, no request to anything. */
export function renderReport(page: ReportPage): string {
  const { facts } = page;
  const title = `${page.product} access report`;
  const meta = [
    page.instance === undefined ? '' : `Instance <strong>${h(page.instance)}</strong>`,
    `Sync ${h(page.sync.sync_id)}`,
    `ended ${h(page.sync.ended_at ?? 'not finished')}`,
    `file ${h(page.file)}`,
  ].filter((s) => s !== '');
  const sections = [
    summarySection(facts),
    privilegedSection(facts),
    risksSection(page.data, facts),
    changesSection(page),
    groupsSection(facts),
    peopleSection(facts),
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="${h(page.generator)}">
<title>${h(title)}</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<header>
<h1>${h(title)}</h1>
<p class="meta">${meta.map((m) => `<span>${m}</span>`).join('')}</p>
<nav aria-label="Sections"><ul>
<li><a href="#summary">Summary</a></li><li><a href="#privileged">Privileged access</a></li>
<li><a href="#risks">Risks</a></li><li><a href="#changes">Changes</a></li>
<li><a href="#groups">Groups</a></li><li><a href="#people">People</a></li>
</ul></nav>
</header>
<main>
${sections.join('\n')}
</main>
<footer>Generated ${h(page.generatedAt.toISOString())} by ${h(page.generator)} from ${h(page.file)}. Times are UTC.
This page makes no network request; everything it shows is in this file.</footer>
<noscript><p>The long tables need JavaScript; the summary, privileged roles, risks and changes above do not.</p></noscript>
<script type="application/json" id="report-data">${jsonForScript(page.data)}</script>
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`;
}

function figure(label: string, value: number, note = ''): string {
  return `<div><dt>${h(label)}</dt><dd>${fmt(value)}${note === '' ? '' : `<small>${h(note)}</small>`}</dd></div>`;
}

function summarySection(f: ReportFacts): string {
  const unknown =
    f.unknownPrincipals === 0 ? '' : `, ${fmt(f.unknownPrincipals)} to principals not in the file`;
  return `<section id="summary" aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>
<dl class="figures">
${figure('People, active', f.people.active)}
${figure('People, inactive', f.people.inactive)}
${figure('Groups', f.groups.total, f.groups.inactive === 0 ? '' : `${fmt(f.groups.inactive)} inactive`)}
${figure('Roles', f.roles)}
${figure('Grants', f.grants, `${fmt(f.privilegedGrants)} privileged${unknown}`)}
${figure('Entitlements', f.entitlements)}
${f.otherResources === 0 ? '' : figure('Other resources', f.otherResources)}
</dl></section>`;
}

function privilegedSection(f: ReportFacts): string {
  const roles =
    f.roleHolders.length === 0
      ? '<p class="note">This file holds no roles.</p>'
      : `<div class="roles">${f.roleHolders
          .map((r) => {
            const shown = r.holders.slice(0, 500);
            const more = r.holders.length - shown.length;
            const list = shown
              .map(
                (p) =>
                  `<li>${h(p.name)}${p.inactive ? ' <span class="tag tag-inactive">inactive</span>' : ''}</li>`,
              )
              .join('');
            return `<details${r.holders.length <= 25 ? ' open' : ''}><summary>${h(r.role)} <span class="count">${fmt(r.holders.length)} holder${r.holders.length === 1 ? '' : 's'}</span></summary>
${r.holders.length === 0 ? '<p class="note">Nobody holds this role.</p>' : `<ul class="holders">${list}</ul>`}${more > 0 ? `<p class="note">and ${fmt(more)} more: see the People table, filtered by role.</p>` : ''}</details>`;
          })
          .join('\n')}</div>`;
  const groups =
    f.groupPrivilegedSlugs.length === 0
      ? '<p class="note">This file records no privileged (PERMISSION) entitlements on groups.</p>'
      : '<div id="group-privileged-table"></div>';
  return `<section id="privileged" aria-labelledby="privileged-h"><h2 id="privileged-h">Privileged access</h2>
<p class="note">Privileged: every role, and every entitlement whose purpose is PERMISSION.</p>
<h3>Roles and their holders</h3>
${roles}
<h3>Groups and their privileged holders</h3>
${groups}
</section>`;
}

function risksSection(d: ReportData, f: ReportFacts): string {
  const count = (n: number) => `<span class="risk-count${n === 0 ? ' zero' : ''}">${fmt(n)}</span>`;
  const item = (id: string, title: string, n: number, note: string) =>
    `<h3 id="${id}-h">${h(title)}: ${count(n)}</h3>${note === '' ? '' : `<p class="note">${h(note)}</p>`}${n === 0 ? '' : `<div id="${id}"></div>`}`;
  const noSlugs = f.groupPrivilegedSlugs.length === 0;
  return `<section id="risks" aria-labelledby="risks-h"><h2 id="risks-h">Risks</h2>
${item('risk-inactive', 'Inactive people who still hold access', d.risks.inactiveWithAccess.length, 'Group memberships, roles or privileged entitlements held by disabled or deleted people.')}
${item('risk-unprivileged-groups', 'Groups where nobody holds a privileged entitlement', d.risks.groupsWithoutPrivileged.length, noSlugs ? 'Not checked: the file records no privileged entitlements on groups.' : `Nobody holds ${f.groupPrivilegedSlugs.join(' or ')} on these groups.`)}
${item('risk-single-holder', 'Roles held by one person only', d.risks.rolesWithOneHolder.length, '')}
${item('risk-no-group', 'People in no group', d.risks.peopleInNoGroup.length, '')}
</section>`;
}

function changesSection(page: ReportPage): string {
  const c = page.changes;
  const head =
    '<section id="changes" aria-labelledby="changes-h"><h2 id="changes-h">Changed since the previous sync</h2>';
  if (c === undefined) {
    return `${head}<p class="note">The file holds one full sync only: there is nothing to compare. Sync again into the same file, then make the report again.</p></section>`;
  }
  const { diff, tally } = c;
  const people = (list: ResourceChange[]) => list.filter((r) => c.kindOf(r.id) === 'user');
  const groups = (list: ResourceChange[]) => list.filter((r) => c.kindOf(r.id) === 'group');
  const deactivated = diff.resources.changed.filter(c.deactivated);
  const bars: Bar[] = [
    { label: 'People added', value: people(diff.resources.added).length, tone: 'added' },
    { label: 'People removed', value: people(diff.resources.removed).length, tone: 'removed' },
    { label: 'People deactivated', value: deactivated.length, tone: 'removed' },
    { label: 'Groups added', value: groups(diff.resources.added).length, tone: 'added' },
    { label: 'Groups removed', value: groups(diff.resources.removed).length, tone: 'removed' },
    { label: 'Grants added', value: tally.grants.added, tone: 'added' },
    { label: 'Grants removed', value: tally.grants.removed, tone: 'removed' },
    { label: 'Privileged grants added', value: tally.privilegedGrants.added, tone: 'privileged' },
    { label: 'Privileged grants removed', value: tally.privilegedGrants.removed, tone: 'privileged' },
  ];
  const grantTable = (caption: string, list: GrantChange[], sign: 'added' | 'removed') =>
    list.length === 0
      ? ''
      : `<table><caption>${h(caption)} (${fmt(list.length)})</caption><thead><tr><th scope="col">Change</th><th scope="col">Entitlement</th><th scope="col">Principal</th></tr></thead><tbody>${list
          .slice(0, CHANGE_ROWS)
          .map(
            (g) =>
              `<tr><td class="change-${sign}">${sign}</td><th scope="row">${h(g.entitlement)}</th><td>${h(g.principal)}</td></tr>`,
          )
          .join('')}</tbody></table>${more(list.length)}`;
  const resourceTable = (caption: string, rows: [string, ResourceChange][]) =>
    rows.length === 0
      ? ''
      : `<table><caption>${h(caption)} (${fmt(rows.length)})</caption><thead><tr><th scope="col">Change</th><th scope="col">Name</th><th scope="col">Id</th><th scope="col">Details</th></tr></thead><tbody>${rows
          .slice(0, CHANGE_ROWS)
          .map(
            ([sign, r]) =>
              `<tr><td class="change-${sign === 'added' ? 'added' : 'removed'}">${h(sign)}</td><th scope="row">${h(r.display_name)}</th><td>${h(r.id)}</td><td>${h(
                Object.entries(r.changes ?? {})
                  .map(([k, [a, b]]) => `${k}: ${JSON.stringify(a)} → ${JSON.stringify(b)}`)
                  .join('; '),
              )}</td></tr>`,
          )
          .join('')}</tbody></table>${more(rows.length)}`;
  const more = (n: number) =>
    n > CHANGE_ROWS
      ? `<p class="note">The first ${fmt(CHANGE_ROWS)} of ${fmt(n)}; <code>${h(page.command)} diff --file ${h(page.file)}</code> lists all.</p>`
      : '';
  const priv = (list: GrantChange[]) => list.filter((g) => g.privileged);
  const plain = (list: GrantChange[]) => list.filter((g) => !g.privileged);
  return `${head}
<p>From sync ${h(diff.from.sync_id)} (ended ${h(diff.from.ended_at ?? 'not finished')}) to ${h(diff.to.sync_id)} (ended ${h(diff.to.ended_at ?? 'not finished')}).</p>
<p><strong>${h(summaryLine(tally))}</strong></p>
<div class="charts">${barChartSvg('Changes since the previous sync', bars)}</div>
${grantTable('Privileged grants added', priv(diff.grants.added), 'added')}
${grantTable('Privileged grants removed', priv(diff.grants.removed), 'removed')}
${resourceTable('People', [
  ...people(diff.resources.added).map((r): [string, ResourceChange] => ['added', r]),
  ...people(diff.resources.removed).map((r): [string, ResourceChange] => ['removed', r]),
  ...people(diff.resources.changed).map((r): [string, ResourceChange] => [
    c.deactivated(r) ? 'deactivated' : 'changed',
    r,
  ]),
])}
${resourceTable('Groups', [
  ...groups(diff.resources.added).map((r): [string, ResourceChange] => ['added', r]),
  ...groups(diff.resources.removed).map((r): [string, ResourceChange] => ['removed', r]),
  ...groups(diff.resources.changed).map((r): [string, ResourceChange] => ['changed', r]),
])}
${grantTable('Other grants added', plain(diff.grants.added), 'added')}
${grantTable('Other grants removed', plain(diff.grants.removed), 'removed')}
</section>`;
}

/** Group sizes in buckets, for the histogram. */
function sizeBuckets(sizes: readonly number[]): Bar[] {
  const edges: [string, number, number][] = [
    ['', 0, 0],
    ['1', 1, 1],
    ['2–5', 2, 5],
    ['6–10', 6, 10],
    ['11–25', 11, 25],
    ['26–50', 26, 50],
    ['51–100', 51, 100],
    ['101–500', 101, 500],
    ['over 500', 501, Infinity],
  ];
  return edges.map(([label, lo, hi]) => ({
    label: hi === 0 ? 'no members' : `${label} member${hi === 1 ? '' : 's'}`,
    value: sizes.filter((s) => s >= lo && s <= hi).length,
  }));
}

function groupsSection(f: ReportFacts): string {
  const charts =
    f.groupSizes.length === 0
      ? ''
      : `<div class="charts">${barChartSvg('Groups by number of members', sizeBuckets(f.groupSizes.map((g) => g.members)))}${barChartSvg(
          'Largest groups (members)',
          f.groupSizes.slice(0, 10).map((g) => ({
            label: g.name.length > 32 ? `${g.name.slice(0, 31)}…` : g.name,
            value: g.members,
          })),
        )}</div>`;
  return `<section id="groups" aria-labelledby="groups-h"><h2 id="groups-h">Groups</h2>
${charts}
<div id="groups-table"></div>
</section>`;
}

function peopleSection(f: ReportFacts): string {
  return `<section id="people" aria-labelledby="people-h"><h2 id="people-h">People</h2>
<p class="note">${fmt(f.people.active + f.people.inactive)} people; filter by name, login or role. In the Groups table, open a member count to list the members.</p>
<div id="people-table"></div>
</section>`;
}
