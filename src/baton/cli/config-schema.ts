import type { FieldSpec, FieldValue } from './field.js';
import type { FieldRelationship, RelationshipKind } from './relationship.js';

export interface ConfigurationOptions {
  readonly displayName: string;
  readonly helpUrl?: string;
  readonly iconUrl?: string;
  /** The connector's own relationships; a constraint naming a field that is not exported is dropped. */
  readonly relationships?: readonly FieldRelationship[];
}

const CONSTRAINT_KIND: Record<RelationshipKind, string> = {
  'required-together': 'CONSTRAINT_KIND_REQUIRED_TOGETHER',
  'at-least-one': 'CONSTRAINT_KIND_AT_LEAST_ONE',
  'mutually-exclusive': 'CONSTRAINT_KIND_MUTUALLY_EXCLUSIVE',
  'dependent-on': 'CONSTRAINT_KIND_DEPENDENT_ON',
};

/**
 * The `config` subcommand's output: a `c1.config.v1.Configuration` in protojson form, as baton-sdk prints it
 * (`pkg/field/marshal.go`, docs/architecture.md, "What the CLI shares with Go connectors"). Only `gui` and
 * `ops` fields are exported (never environment-only or decimal ones), `ops` first; keys follow field-number
 * order; proto3 defaults (empty strings, false, empty lists) are omitted; int64 values are JSON strings, as
 * protojson writes them.
 */
export function configurationJson(fields: readonly FieldSpec[], options: ConfigurationOptions): string {
  const exported = fields.filter(
    (f) => (target(f) === 'gui' || target(f) === 'ops') && f.envOnly !== true && f.type !== 'number',
  );
  const ordered = [
    ...exported.filter((f) => target(f) === 'ops'),
    ...exported.filter((f) => target(f) !== 'ops'),
  ];
  const names = new Set(ordered.map((f) => f.name));

  const constraints = (options.relationships ?? [])
    .filter((rel) => [...rel.fields, ...(rel.dependsOn ?? [])].every((n) => names.has(n)))
    .map((rel) =>
      omitEmpty({
        kind: CONSTRAINT_KIND[rel.kind],
        fieldNames: [...rel.fields],
        secondaryFieldNames: [...(rel.dependsOn ?? [])],
      }),
    );

  const configuration = omitEmpty({
    fields: ordered.map(fieldJson),
    constraints,
    displayName: options.displayName,
    helpUrl: options.helpUrl ?? '',
    iconUrl: options.iconUrl ?? '',
  });
  return goJsonEscape(JSON.stringify(configuration, null, 2));
}

function target(field: FieldSpec): string {
  return field.exportTarget ?? 'gui';
}

function fieldJson(field: FieldSpec): Record<string, unknown> {
  const scalars = {
    name: field.name,
    displayName: field.displayName ?? '',
    description: field.description,
    placeholder: field.placeholder ?? '',
    isRequired: field.required === true,
    isOps: target(field) === 'ops',
    isSecret: field.secret === true,
  };
  return omitEmpty({ ...scalars, ...variantJson(field) });
}

function variantJson(field: FieldSpec): Record<string, unknown> {
  const d: FieldValue | undefined = field.defaultValue;
  switch (field.type) {
    case 'string':
      return {
        stringField: omitEmpty({
          defaultValue: typeof d === 'string' ? d : '',
          rules: field.choices === undefined ? undefined : { in: [...field.choices] },
        }),
      };
    case 'int': {
      const rules = omitEmpty({
        lte: field.max === undefined ? undefined : String(field.max),
        gte: field.min === undefined ? undefined : String(field.min),
      });
      return {
        intField: omitEmpty({
          defaultValue: typeof d === 'number' && d !== 0 ? String(d) : undefined,
          rules: Object.keys(rules).length === 0 ? undefined : rules,
        }),
      };
    }
    case 'bool':
      return { boolField: omitEmpty({ defaultValue: d === true }) };
    case 'number':
      // Not exported (filtered out above): c1.config.v1 has no decimal field kind.
      return {};
    case 'string-slice':
      return {
        stringSliceField: omitEmpty({
          defaultValue: Array.isArray(d) ? [...d] : [],
          rules: field.choices === undefined ? undefined : { itemRules: { in: [...field.choices] } },
        }),
      };
  }
}

/** Drops what proto3 JSON leaves out: undefined, '', false, and empty lists. Empty messages stay `{}`. */
function omitEmpty(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (value === undefined || value === '' || value === false) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out;
}

/** Go's encoding/json escapes these even inside MarshalIndent; matching it keeps the bytes identical. */
function goJsonEscape(text: string): string {
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
