import type { JsonValue } from '@bufbuild/protobuf';
import type { DiffTally, GrantChange, ResourceChange, SyncDiff } from './compute-diff.js';
import type { ResourceKind } from './resource-facts.js';

const plural = (n: number, one: string, many: string) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

const KIND_WORDS: Record<ResourceKind, [string, string]> = {
  user: ['person', 'people'],
  group: ['group', 'groups'],
  role: ['role', 'roles'],
  other: ['other resource', 'other resources'],
};

/**
 * "3 people added, 2 removed, 1 deactivated; 6 grants added, 12 removed; privileged changes: …": the
 * kinds with changes, then grants, then privileged grants (roles and PERMISSION entitlements).
 */
export function summaryLine(t: DiffTally): string {
  const parts: string[] = [];
  for (const kind of ['user', 'group', 'role', 'other'] as const) {
    const c = t.resources[kind];
    const extra = kind === 'user' ? t.deactivated + t.reactivated : 0;
    if (c.added + c.removed + c.changed === 0 && extra === 0) continue;
    const [one, many] = KIND_WORDS[kind];
    let text = `${plural(c.added, one, many)} added, ${c.removed.toLocaleString('en-US')} removed`;
    if (kind === 'user') text += `, ${t.deactivated.toLocaleString('en-US')} deactivated`;
    if (kind === 'user' && t.reactivated > 0)
      text += `, ${t.reactivated.toLocaleString('en-US')} reactivated`;
    const otherChanges = c.changed - (kind === 'user' ? t.deactivated + t.reactivated : 0);
    if (otherChanges > 0) text += `, ${otherChanges.toLocaleString('en-US')} otherwise changed`;
    parts.push(text);
  }
  if (t.entitlements.added + t.entitlements.removed > 0) {
    parts.push(
      `${plural(t.entitlements.added, 'entitlement', 'entitlements')} added, ${t.entitlements.removed.toLocaleString('en-US')} removed`,
    );
  }
  parts.push(
    `${plural(t.grants.added, 'grant', 'grants')} added, ${t.grants.removed.toLocaleString('en-US')} removed`,
  );
  const p = t.privilegedGrants;
  parts.push(
    p.added + p.removed === 0
      ? 'privileged changes: none'
      : `privileged changes: ${plural(p.added, 'grant', 'grants')} added, ${p.removed.toLocaleString('en-US')} removed`,
  );
  return parts.join('; ');
}

/** The JSON document of `diff --output json` (grants carry `privileged` besides the documented fields). */
export function diffJson(diff: SyncDiff): string {
  return JSON.stringify(diff, null, 2);
}

const showValue = (v: JsonValue): string => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v));

function grantLine(sign: string, g: GrantChange): string {
  return `  ${sign} ${g.entitlement} → ${g.principal}  (${g.id})`;
}

function resourceLine(sign: string, r: ResourceChange): string {
  const head = `  ${sign} ${r.display_name || r.id} (${r.id})`;
  if (r.changes === undefined) return head;
  const fields = Object.entries(r.changes).map(([k, [a, b]]) => `${k} ${showValue(a)} → ${showValue(b)}`);
  return `${head}: ${fields.join(', ')}`;
}

/** Console text: the summary line, then privileged grant changes, resources, entitlements, other grants. */
export function diffConsole(diff: SyncDiff, tally: DiffTally, file: string, baseFile: string): string {
  const lines: string[] = [];
  const where = (f: string) => (f === file && f === baseFile ? '' : ` in ${f}`);
  lines.push(`From: ${diff.from.sync_id}${where(baseFile)} (ended ${diff.from.ended_at ?? 'not finished'})`);
  lines.push(`To:   ${diff.to.sync_id}${where(file)} (ended ${diff.to.ended_at ?? 'not finished'})`);
  lines.push('', summaryLine(tally));
  const section = (title: string, items: string[]) => {
    if (items.length === 0) return;
    lines.push('', `${title} (${items.length.toLocaleString('en-US')}):`, ...items);
  };
  const privAdded = diff.grants.added.filter((g) => g.privileged);
  const privRemoved = diff.grants.removed.filter((g) => g.privileged);
  section(
    'Privileged grants added',
    privAdded.map((g) => grantLine('+', g)),
  );
  section(
    'Privileged grants removed',
    privRemoved.map((g) => grantLine('-', g)),
  );
  section(
    'Resources added',
    diff.resources.added.map((r) => resourceLine('+', r)),
  );
  section(
    'Resources removed',
    diff.resources.removed.map((r) => resourceLine('-', r)),
  );
  section(
    'Resources changed',
    diff.resources.changed.map((r) => resourceLine('~', r)),
  );
  section(
    'Entitlements added',
    diff.entitlements.added.map((e) => `  + ${e.display_name} (${e.id})`),
  );
  section(
    'Entitlements removed',
    diff.entitlements.removed.map((e) => `  - ${e.display_name} (${e.id})`),
  );
  section(
    'Other grants added',
    diff.grants.added.filter((g) => !g.privileged).map((g) => grantLine('+', g)),
  );
  section(
    'Other grants removed',
    diff.grants.removed.filter((g) => !g.privileged).map((g) => grantLine('-', g)),
  );
  return `${lines.join('\n')}\n`;
}

export const CSV_HEADER = [
  'change',
  'kind',
  'id',
  'resource_type',
  'display_name',
  'field',
  'old',
  'new',
  'entitlement',
  'principal',
  'privileged',
] as const;

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

const csvValue = (v: JsonValue): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** One row per change; a changed resource has one row per changed field. Privileged grants first. */
export function diffCsvRows(diff: SyncDiff): string[][] {
  const rows: string[][] = [[...CSV_HEADER]];
  const grantRow = (change: string, g: GrantChange) => [
    change,
    'grant',
    g.id,
    '',
    '',
    '',
    '',
    '',
    g.entitlement,
    g.principal,
    String(g.privileged),
  ];
  const byPrivilege = (list: GrantChange[]) => [
    ...list.filter((g) => g.privileged),
    ...list.filter((g) => !g.privileged),
  ];
  for (const g of byPrivilege(diff.grants.added)) rows.push(grantRow('added', g));
  for (const g of byPrivilege(diff.grants.removed)) rows.push(grantRow('removed', g));
  const resourceRow = (change: string, r: ResourceChange, field = '', a = '', b = '') => [
    change,
    'resource',
    r.id,
    r.resource_type,
    r.display_name,
    field,
    a,
    b,
    '',
    '',
    '',
  ];
  for (const r of diff.resources.added) rows.push(resourceRow('added', r));
  for (const r of diff.resources.removed) rows.push(resourceRow('removed', r));
  for (const r of diff.resources.changed) {
    for (const [field, [a, b]] of Object.entries(r.changes ?? {}))
      rows.push(resourceRow('changed', r, field, csvValue(a), csvValue(b)));
  }
  for (const [change, list] of [
    ['added', diff.entitlements.added],
    ['removed', diff.entitlements.removed],
  ] as const) {
    for (const e of list)
      rows.push([change, 'entitlement', e.id, '', e.display_name, '', '', '', '', '', '']);
  }
  return rows;
}

export function diffCsv(diff: SyncDiff): string {
  return diffCsvRows(diff)
    .map((row) => row.map(csvField).join(','))
    .join('\r\n')
    .concat('\r\n');
}
