/**
 * The declaration of one configuration field. A single table of these drives the command-line flags, the
 * `BATON_*` environment variables, the `.baton.yaml` keys, validation, the `config` schema output and the
 * type of the settings object the actions receive (`Settings<typeof table>`), so none of them can drift
 * apart (baton-sdk does the same with `field.SchemaField`).
 */

/** Each field kind and the TypeScript type of its value in the settings object. */
export interface FieldKinds {
  string: string;
  bool: boolean;
  int: number;
  /** A finite decimal number; not exported to the `config` schema (the Go proto has no such field kind). */
  number: number;
  'string-slice': string[];
}

export type FieldType = keyof FieldKinds;

/** Where the field is published: `gui`/`ops` fields appear in the `config` schema, `cli`/`none` do not. */
export type ExportTarget = 'gui' | 'ops' | 'cli' | 'none';

export type FieldValue = FieldKinds[FieldType];

interface FieldSpecOf<T extends FieldType> {
  /** kebab-case; also the flag name (`--base-url`), the `.baton.yaml` key and the settings key. */
  readonly name: string;
  readonly description: string;
  readonly type: T;
  readonly required?: boolean;
  /**
   * No default and no zero value: the setting is `undefined` unless given (for options whose absence means
   * something, such as a subcommand's `--sync-id`).
   */
  readonly optional?: boolean;
  /**
   * Read from its `BATON_*` variable only: no flag and no `.baton.yaml` key, as Go reads these settings
   * (e.g. BATON_HOST_ID). Never in the `config` schema.
   */
  readonly envOnly?: boolean;
  /** Never echoed in errors or logs; marked `isSecret` in the schema. */
  readonly secret?: boolean;
  /** Accepted but left out of `--help`. */
  readonly hidden?: boolean;
  readonly defaultValue?: FieldKinds[T];
  /** One letter, e.g. `f` for `-f`. */
  readonly short?: string;
  readonly displayName?: string;
  readonly placeholder?: string;
  /** Defaults to `gui`, like connector fields in baton-sdk. */
  readonly exportTarget?: ExportTarget;
  /** Allowed values (for string-slice fields: allowed items). */
  readonly choices?: readonly string[];
  /** Inclusive bounds for int and number fields. */
  readonly min?: number;
  readonly max?: number;
  /**
   * Replaces the kind's generic problem text when a given value does not parse or is out of range; it reads
   * after the value, e.g. `is not a whole number of 1 or more (…; default 2)`. For settings whose meaning
   * the generic text would not convey.
   */
  readonly invalidText?: string;
  /** Returns an actionable problem text, or undefined when the value is fine. */
  readonly validate?: (value: FieldKinds[T]) => string | undefined;
}

/** One field; `type` picks the variant, so `defaultValue` and `validate` are typed by the field's kind. */
export type FieldSpec = { [T in FieldType]: FieldSpecOf<T> }[FieldType];

/**
 * The value type of one field: its kind's type, narrowed to the listed choices for a string field with
 * literal choices (`'console' | 'json'`), and `undefined` too when the field is optional.
 */
export type ValueOf<F extends FieldSpec> = F extends { readonly optional: true }
  ? KindValue<F> | undefined
  : KindValue<F>;

type KindValue<F extends FieldSpec> = F extends {
  readonly type: 'string';
  readonly choices: readonly (infer C extends string)[];
}
  ? C
  : FieldKinds[F['type']];

declare const TABLE_FIELDS: unique symbol;

/**
 * A table from defineFields: at run time a plain FieldSpec list, and in the type system it also carries
 * each entry's literal name and kind, which `Settings` reads.
 */
export type FieldTable<F extends readonly FieldSpec[] = readonly FieldSpec[]> = readonly FieldSpec[] & {
  readonly [TABLE_FIELDS]: F;
};

type SettingsOf<F extends readonly FieldSpec[]> = {
  readonly [S in F[number] as S['name']]: ValueOf<S>;
};

/**
 * The typed settings a field table resolves to, keyed by field name: `Settings<typeof TABLE>['page-size']`
 * is a number when TABLE was built with defineFields. (A table typed as `FieldSpec[]` gives a loose record.)
 */
export type Settings<T extends readonly FieldSpec[]> = T extends {
  readonly [TABLE_FIELDS]: infer F extends readonly FieldSpec[];
}
  ? SettingsOf<F>
  : SettingsOf<T>;

/** Declares a field table whose settings type is exact (see FieldTable). */
export function defineFields<const F extends readonly FieldSpec[]>(fields: F): FieldTable<F> {
  // Only the type changes: the brand exists for the compiler alone.
  return fields as unknown as FieldTable<F>;
}

/** `base-url` → `BATON_BASE_URL`, the rule every Go connector uses (viper prefix + `-` → `_`). */
export function envName(field: Pick<FieldSpec, 'name'> | string): string {
  const name = typeof field === 'string' ? field : field.name;
  return `BATON_${name.replace(/-/g, '_').toUpperCase()}`;
}
