import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { BatonError, GrpcCode } from '../errors.js';
import { parseBool } from '../parse-bool.js';
import { envName } from './field.js';
import type { FieldSpec, FieldValue, Settings } from './field.js';
import type { FieldRelationship } from './relationship.js';

export type ConfigSource = 'flag' | 'env' | 'file' | 'default';

export interface ResolveOptions<S = Record<string, FieldValue | undefined>> {
  /** Only the values given on the command line, keyed by field name. */
  readonly flags: Readonly<Record<string, unknown>>;
  readonly env: NodeJS.ProcessEnv;
  /** Where `./.baton.yaml` and a relative `BATON_CONFIG_PATH` are looked up. */
  readonly cwd: string;
  readonly relationships?: readonly FieldRelationship[];
  /** false skips required fields and relationships, for commands that need no credentials. Default true. */
  readonly checkRequired?: boolean;
  /**
   * Sees the typed values before any problem is reported and may throw to refuse a mode the connector
   * cannot run (e.g. -p on a read-only connector): that refusal is the answer, even without credentials.
   */
  readonly refuse?: (values: S) => void;
}

export interface ResolvedConfig<S = Record<string, FieldValue | undefined>> {
  /**
   * The typed settings: every field has a value, given, defaulted, or the zero value of its type
   * ('', false, 0, []); only `optional` fields may be undefined (not given, no default).
   */
  readonly values: S;
  readonly sources: Record<string, ConfigSource>;
  /** Non-fatal findings, such as unknown keys in the config file. */
  readonly warnings: readonly string[];
  /** The config file that was read, if any. */
  readonly configFile: string | undefined;
  /** Non-empty values of secret fields, for log and error scrubbing. */
  readonly secrets: readonly string[];
}

/** Raw values before typing: the config file's scalars are kept as their source text, like env values. */
type RawValue = string | boolean | number | readonly unknown[];

interface Located {
  readonly raw: RawValue;
  readonly source: Exclude<ConfigSource, 'default'>;
}

const DEFAULT_CONFIG_FILE = '.baton.yaml';

/**
 * Resolves every field from flag > environment (`BATON_*`) > YAML file > default, the precedence of viper
 * in baton-sdk, and validates the result. All problems are collected and thrown together as one
 * INVALID_ARGUMENT error, one problem per line, each saying how to fix it; secret values are never quoted.
 */
export function resolveConfig<const F extends readonly FieldSpec[]>(
  fields: F,
  options: ResolveOptions<Settings<F>>,
): ResolvedConfig<Settings<F>> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const file = readConfigFile(fields, options, problems, warnings);
  const fileLabel = file.path === undefined ? DEFAULT_CONFIG_FILE : file.display;

  const values: Record<string, FieldValue | undefined> = {};
  const sources: Record<string, ConfigSource> = {};
  for (const field of fields) {
    const located = locate(field, options, file.entries);
    if (located === undefined) {
      values[field.name] = defaultOf(field);
      sources[field.name] = 'default';
      continue;
    }
    const where = describeSource(field, located.source, fileLabel);
    const typed = coerce(field, located.raw);
    if (typeof typed === 'string') {
      const text = field.invalidText === undefined ? typed : ` ${field.invalidText}`;
      problems.push(`${where}: ${showValue(field, located.raw)}${text}`);
      values[field.name] = defaultOf(field);
      sources[field.name] = 'default';
      continue;
    }
    values[field.name] = typed.value;
    sources[field.name] = located.source;
    const problem = checkValue(field, typed.value);
    if (problem !== undefined) problems.push(`${where}: ${problem}`);
  }
  // The one place the loose record becomes the typed settings: every field of F was set above, by kind.
  const settings = values as Settings<F>;
  options.refuse?.(settings);

  if (options.checkRequired ?? true) {
    for (const field of fields) {
      const value = values[field.name];
      if (field.required === true && field.type !== 'bool' && (value === undefined || isEmpty(value))) {
        problems.push(`${flag(field.name)} is required: ${howToSet(field.name, fileLabel)}`);
      }
    }
    for (const rel of options.relationships ?? []) {
      const problem = checkRelationship(rel, values, sources, fileLabel);
      if (problem !== undefined) problems.push(problem);
    }
  }

  if (problems.length > 0) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    throw new BatonError(
      GrpcCode.INVALID_ARGUMENT,
      `invalid configuration (${count}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }

  const secrets: string[] = [];
  for (const field of fields) {
    const value = values[field.name];
    if (field.secret !== true || value === undefined) continue;
    if (typeof value === 'string' && value !== '') secrets.push(value);
    if (Array.isArray(value)) secrets.push(...value.filter((v) => v !== ''));
  }
  return { values: settings, sources, warnings, configFile: file.path, secrets };
}

interface ConfigFile {
  readonly path: string | undefined;
  readonly display: string;
  readonly entries: ReadonlyMap<string, RawValue>;
}

function readConfigFile(
  fields: readonly FieldSpec[],
  options: Pick<ResolveOptions, 'env' | 'cwd'>,
  problems: string[],
  warnings: string[],
): ConfigFile {
  const explicit = options.env.BATON_CONFIG_PATH;
  const display = explicit !== undefined && explicit !== '' ? explicit : DEFAULT_CONFIG_FILE;
  const none: ConfigFile = { path: undefined, display, entries: new Map() };
  if (explicit !== undefined && explicit !== '' && !/\.ya?ml$/i.test(explicit)) {
    problems.push(`$BATON_CONFIG_PATH=${JSON.stringify(explicit)} must name a .yaml or .yml file`);
    return none;
  }
  const path = resolve(options.cwd, display);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Only the implicit ./.baton.yaml is optional; a path the user named must exist.
    if (code === 'ENOENT' && display === DEFAULT_CONFIG_FILE && explicit === undefined) return none;
    problems.push(`cannot read config file ${display} ($BATON_CONFIG_PATH): ${code ?? String(err)}`);
    return none;
  }

  const doc = parseDocument(text);
  const first = doc.errors[0];
  if (first !== undefined) {
    problems.push(`config file ${display} is not valid YAML: ${first.message.split('\n')[0] ?? ''}`);
    return { path, display, entries: new Map() };
  }
  const entries = new Map<string, RawValue>();
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return { path, display, entries };
  }
  if (!isMap(doc.contents)) {
    problems.push(
      `config file ${display} must be a mapping of flag names to values, e.g. "log-level: debug"`,
    );
    return { path, display, entries };
  }
  const known = new Map(fields.filter((f) => f.envOnly !== true).map((f) => [f.name, f]));
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const field = known.get(key);
    if (field === undefined) {
      const guess = key
        .replace(/_/g, '-')
        .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
        .toLowerCase();
      const hint = known.has(guess)
        ? `; did you mean "${guess}"?`
        : '; keys are flag names such as "log-level"';
      warnings.push(`config file ${display}: unknown key "${key}" ignored${hint}`);
      continue;
    }
    const raw = yamlValue(pair.value);
    if (raw === null) continue;
    if (raw === undefined) {
      problems.push(`${key} in ${display}: must be a single value or a list, not a mapping`);
      continue;
    }
    entries.set(key, raw);
  }
  return { path, display, entries };
}

/** Plain scalars keep their source text (`0123` stays `0123` for a password); null means unset. */
function yamlValue(node: unknown): RawValue | null | undefined {
  if (node === null || node === undefined) return null;
  if (isScalar(node)) {
    if (node.value === null) return null;
    if (typeof node.value === 'string') return node.value;
    if (node.source !== undefined) return node.source;
    const v = node.value;
    return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : undefined;
  }
  if (isSeq(node)) {
    const items: string[] = [];
    for (const item of node.items) {
      const v = yamlValue(item);
      if (typeof v === 'string') items.push(v);
      else if (v !== null) return undefined;
    }
    return items;
  }
  return undefined;
}

function locate(
  field: FieldSpec,
  options: Pick<ResolveOptions, 'flags' | 'env'>,
  fileEntries: ReadonlyMap<string, RawValue>,
): Located | undefined {
  const fromFlag = field.envOnly === true ? undefined : options.flags[field.name];
  if (fromFlag !== undefined) return { raw: fromFlag as RawValue, source: 'flag' };
  const fromEnv = options.env[envName(field)];
  // An empty variable counts as unset, as viper treats it by default.
  if (fromEnv !== undefined && fromEnv !== '') return { raw: fromEnv, source: 'env' };
  const fromFile = fileEntries.get(field.name);
  if (fromFile !== undefined) return { raw: fromFile, source: 'file' };
  return undefined;
}

/** Returns the typed value, or a problem text that reads after the quoted raw value. */
function coerce(field: FieldSpec, raw: RawValue): { value: FieldValue } | string {
  switch (field.type) {
    case 'string':
      if (typeof raw === 'string') return { value: raw };
      if (typeof raw === 'number') return { value: String(raw) };
      return ' must be a single value';
    case 'bool': {
      if (typeof raw === 'boolean') return { value: raw };
      const parsed = typeof raw === 'string' ? parseBool(raw) : undefined;
      return parsed === undefined ? ' is not a boolean; use true or false' : { value: parsed };
    }
    case 'int': {
      if (typeof raw === 'number' && Number.isSafeInteger(raw)) return { value: raw };
      const text = typeof raw === 'string' ? raw.trim() : '';
      const n = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
      if (Number.isSafeInteger(n)) return { value: n };
      return ` is not a whole number; use an integer${rangeText(field) ?? ''}`;
    }
    case 'number': {
      if (typeof raw === 'number' && Number.isFinite(raw)) return { value: raw };
      const text = typeof raw === 'string' ? raw.trim() : '';
      const n = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) ? Number(text) : NaN;
      if (Number.isFinite(n)) return { value: n };
      return ` is not a number; use a number${rangeText(field) ?? ''}`;
    }
    case 'string-slice': {
      const parts = Array.isArray(raw) ? raw : [raw];
      const items: string[] = [];
      for (const part of parts) {
        if (typeof part !== 'string') return ' must be a list of strings';
        items.push(...part.split(',').map((s) => s.trim()));
      }
      return { value: items.filter((s) => s !== '') };
    }
  }
}

/** Checks choices, bounds and the field's own validator on a given (non-default) value. */
function checkValue(field: FieldSpec, value: FieldValue): string | undefined {
  if (field.choices !== undefined) {
    const items = Array.isArray(value) ? value : typeof value === 'string' && value !== '' ? [value] : [];
    const bad = items.filter((v) => !field.choices?.includes(v));
    if (bad.length > 0) {
      const shown = field.secret === true ? 'value' : bad.map((b) => JSON.stringify(b)).join(', ');
      return `${shown} is not allowed; use one of ${field.choices.join(', ')}`;
    }
  }
  if (typeof value === 'number') {
    const tooLow = field.min !== undefined && value < field.min;
    const tooHigh = field.max !== undefined && value > field.max;
    if (tooLow || tooHigh) {
      const shown = field.secret === true ? 'value' : String(value);
      if (field.invalidText !== undefined) return `${shown} ${field.invalidText}`;
      const kind = field.type === 'number' ? 'a number' : 'an integer';
      return `${shown} is out of range; use ${kind}${rangeText(field) ?? ''}`;
    }
  }
  if (field.validate === undefined || isEmpty(value)) return undefined;
  // coerce() produced a value of the field's own kind, which is what its validator takes.
  return (field.validate as (v: FieldValue) => string | undefined)(value);
}

function checkRelationship(
  rel: FieldRelationship,
  values: Readonly<Record<string, FieldValue | undefined>>,
  sources: Record<string, ConfigSource>,
  fileLabel: string,
): string | undefined {
  const isSet = (name: string): boolean => {
    const value = values[name];
    return (
      sources[name] !== undefined && sources[name] !== 'default' && value !== undefined && !isEmpty(value)
    );
  };
  const set = rel.fields.filter(isSet);
  const unset = rel.fields.filter((n) => !isSet(n));
  const names = rel.fields.map(flag).join(', ');
  switch (rel.kind) {
    case 'required-together':
      if (set.length === 0 || unset.length === 0) return undefined;
      return (
        `${set.map(flag).join(', ')} needs ${unset.map(flag).join(', ')} as well (${names} go together): ` +
        unset.map((n) => howToSet(n, fileLabel)).join('; ')
      );
    case 'mutually-exclusive':
      if (set.length <= 1) return undefined;
      return `only one of ${names} may be set, but ${set.map(flag).join(' and ')} are; remove all but one`;
    case 'at-least-one':
      if (set.length > 0) return undefined;
      return `one of ${names} is required: ${rel.fields.map((n) => howToSet(n, fileLabel)).join('; or ')}`;
    case 'dependent-on': {
      const missing = (rel.dependsOn ?? []).filter((n) => !isSet(n));
      if (set.length === 0 || missing.length === 0) return undefined;
      return (
        `${set.map(flag).join(', ')} needs ${missing.map(flag).join(', ')} to be set: ` +
        missing.map((n) => howToSet(n, fileLabel)).join('; ')
      );
    }
  }
}

function flag(name: string): string {
  return `--${name}`;
}

function howToSet(name: string, fileLabel: string): string {
  return `pass ${flag(name)}, set $${envName(name)}, or add "${name}:" to ${fileLabel}`;
}

function describeSource(field: FieldSpec, source: Located['source'], fileLabel: string): string {
  if (source === 'flag') return flag(field.name);
  if (source === 'env') return `$${envName(field)}`;
  return `${field.name} in ${fileLabel}`;
}

function showValue(field: FieldSpec, raw: RawValue): string {
  if (field.secret === true) return 'the value';
  return JSON.stringify(raw);
}

function rangeText(field: FieldSpec): string | undefined {
  if (field.min !== undefined && field.max !== undefined) return ` from ${field.min} to ${field.max}`;
  if (field.min !== undefined) return ` of at least ${field.min}`;
  if (field.max !== undefined) return ` of at most ${field.max}`;
  return undefined;
}

/** The field's default; else undefined for an optional field, else the zero value of its kind. */
function defaultOf(field: FieldSpec): FieldValue | undefined {
  if (field.defaultValue !== undefined) return field.defaultValue;
  if (field.optional === true) return undefined;
  switch (field.type) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'int':
    case 'number':
      return 0;
    case 'string-slice':
      return [];
  }
}

function isEmpty(value: FieldValue): boolean {
  return value === '' || value === false || (Array.isArray(value) && value.length === 0);
}
