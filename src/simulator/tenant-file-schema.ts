import * as v from 'valibot';

/**
 * The shape of a tenant JSON file (src/simulator/README.md): which sections exist, which fields each record
 * may carry and their types. References between records (role, person and group ids) are checked in
 * tenant-file.ts, because they need the whole file; everything checkable one record at a time lives here.
 * Every message reads after a field name ("people[0]: "status" must be …"), see `describeIssue`; a message
 * may change freely, a test names the ones users see most.
 */

const NON_EMPTY = 'must be a non-empty string';

/**
 * A required non-empty string. A missing key reads as '' so that it fails with this field's message; valibot
 * reports a missing key with the enclosing object's message otherwise.
 */
const requiredName = v.optional(v.pipe(v.string(NON_EMPTY), v.nonEmpty(NON_EMPTY)), '');
const optionalString = v.optional(v.string('must be a string'));
const optionalBoolean = v.optional(v.boolean('must be a boolean'));
/** `null` reads as absent for the fields that have a default (status, groupType, a person's roles). */
const status = v.nullish(v.picklist(['ACTIVE', 'INACTIVE'], 'must be ACTIVE or INACTIVE'));
const idList = (what: string) => v.array(v.unknown(), `must be an array of ${what} ids`);

/** Booleans checked on people and groups alike (a record may carry any of them). */
const flags = {
  externallyOwned: optionalBoolean,
  observedByAll: optionalBoolean,
  allowDuplicates: optionalBoolean,
  useDefaultDevices: optionalBoolean,
};

const record = <T extends v.ObjectEntries>(entries: T) => v.looseObject(entries, 'must be an object');
const section = <T extends v.GenericSchema>(item: T) => v.optional(v.array(item, 'must be an array'));

const role = record({ id: requiredName, name: requiredName });

const person = record({
  id: requiredName,
  targetName: requiredName,
  status,
  firstName: optionalString,
  lastName: optionalString,
  webLogin: optionalString,
  language: optionalString,
  timezone: optionalString,
  licenseType: optionalString,
  phoneLogin: optionalString,
  siteId: optionalString,
  externalKey: optionalString,
  lastLogin: optionalString,
  whenCreated: optionalString,
  hidden: optionalBoolean,
  roles: v.nullish(idList('role')),
  supervisors: v.optional(idList('person')),
  ...flags,
});

const group = record({
  id: requiredName,
  targetName: requiredName,
  status,
  groupType: v.nullish(
    v.picklist(['ON_CALL', 'BROADCAST', 'DYNAMIC'], 'must be ON_CALL, BROADCAST or DYNAMIC'),
  ),
  description: optionalString,
  externalKey: optionalString,
  created: optionalString,
  siteId: optionalString,
  supervisors: v.optional(idList('person')),
  observers: v.optional(idList('role')),
  ...flags,
});

const device = record({
  id: requiredName,
  name: requiredName,
  status,
  emailAddress: optionalString,
  phoneNumber: optionalString,
  sequence: v.optional(
    v.pipe(
      v.number('must be an integer ≥ 1'),
      v.safeInteger('must be an integer ≥ 1'),
      v.minValue(1, 'must be an integer ≥ 1'),
    ),
  ),
});

const dynamicTeam = record({ id: requiredName, targetName: requiredName });

const credential = v.pipe(
  record({ forbidden: v.optional(v.array(v.string(), 'must be an array of path patterns')) }),
  v.check(
    (c) =>
      typeof c.username === 'string' &&
      c.username !== '' &&
      typeof c.password === 'string' &&
      c.password !== '',
    '"username" and "password" must be non-empty strings',
  ),
);

export const MEMBER_TYPES: readonly string[] = ['PERSON', 'GROUP', 'DEVICE', 'DYNAMIC_TEAM'];

/** One roster entry; one message for any fault, since the two fields only make sense together. */
const member = v.custom<{ type: string; id: string }>((m) => {
  if (typeof m !== 'object' || m === null) return false;
  const { type, id } = m as Record<string, unknown>;
  return typeof type === 'string' && MEMBER_TYPES.includes(type) && typeof id === 'string';
}, 'must be {"type": PERSON|GROUP|DEVICE|DYNAMIC_TEAM, "id": "..."}');

export const tenantFileSchema = v.looseObject(
  {
    roles: section(role),
    people: section(person),
    groups: section(group),
    devices: section(device),
    dynamicTeams: section(dynamicTeam),
    credentials: section(credential),
    memberships: v.nullish(
      v.record(
        v.string(),
        v.array(member, 'must be an array of {type, id}'),
        'must be an object mapping group ids to member lists',
      ),
    ),
  },
  'the top level must be a JSON object',
);

/**
 * One issue as a line of the error: `"people" must be an array` for a section, `people[0]: "firstName" must
 * be a string` for a field, `memberships["g1"][1]: must be {…}` for an item.
 */
export function describeIssue(issue: v.BaseIssue<unknown>): string {
  const path = issue.path ?? [];
  if (path.length === 0) return issue.message;
  if (path.length === 1) return `"${String(path[0].key)}" ${issue.message}`;
  const last = path[path.length - 1]!;
  // Record fields sit at depth 3 (section, index, field); a record key elsewhere is a group id of `memberships`.
  const field = path.length === 3 && last.type === 'object' ? String(last.key) : undefined;
  const where = (field === undefined ? path : path.slice(0, -1))
    .map((item, i) =>
      i === 0
        ? String(item.key)
        : item.type === 'array'
          ? `[${String(item.key)}]`
          : `[${JSON.stringify(item.key)}]`,
    )
    .join('');
  return field === undefined ? `${where}: ${issue.message}` : `${where}: "${field}" ${issue.message}`;
}

/** Every shape problem in `json`, in document order. */
export function shapeProblems(json: unknown): string[] {
  const result = v.safeParse(tenantFileSchema, json, { abortEarly: false, abortPipeEarly: false });
  return result.success ? [] : result.issues.map(describeIssue);
}
