/**
 * The declaration of one configuration field. A single table of these drives the command-line flags, the
 * `BATON_*` environment variables, the `.baton.yaml` keys, validation and the `config` schema output, so
 * the four can never drift apart (baton-sdk does the same with `field.SchemaField`).
 */
export type FieldType = 'string' | 'bool' | 'int' | 'string-slice';

/** Where the field is published: `gui`/`ops` fields appear in the `config` schema, `cli`/`none` do not. */
export type ExportTarget = 'gui' | 'ops' | 'cli' | 'none';

export type FieldValue = string | boolean | number | string[];

export interface FieldSpec {
  /** kebab-case; also the flag name (`--base-url`) and the `.baton.yaml` key. */
  readonly name: string;
  readonly description: string;
  readonly type: FieldType;
  readonly required?: boolean;
  /** Never echoed in errors or logs; marked `isSecret` in the schema. */
  readonly secret?: boolean;
  /** Accepted but left out of `--help`. */
  readonly hidden?: boolean;
  readonly defaultValue?: FieldValue;
  /** One letter, e.g. `f` for `-f`. */
  readonly short?: string;
  readonly displayName?: string;
  readonly placeholder?: string;
  /** Defaults to `gui`, like connector fields in baton-sdk. */
  readonly exportTarget?: ExportTarget;
  /** Allowed values (for string-slice fields: allowed items). */
  readonly choices?: readonly string[];
  /** Inclusive bounds for int fields. */
  readonly min?: number;
  readonly max?: number;
  /** Returns an actionable problem text, or undefined when the value is fine. */
  readonly validate?: (value: FieldValue) => string | undefined;
}

/** `base-url` → `BATON_BASE_URL`, the rule every Go connector uses (viper prefix + `-` → `_`). */
export function envName(field: Pick<FieldSpec, 'name'> | string): string {
  const name = typeof field === 'string' ? field : field.name;
  return `BATON_${name.replace(/-/g, '_').toUpperCase()}`;
}
