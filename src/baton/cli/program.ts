import { Command, CommanderError, Option } from 'commander';
import type { Logger } from 'pino';
import { BatonError, GrpcCode } from '../errors.js';
import { parseBool } from '../parse-bool.js';
import { resolveConfig } from './config-sources.js';
import type { ResolvedConfig } from './config-sources.js';
import { DEFAULT_RELATIONSHIPS, defaultFields, type BatonSettings } from './default-fields.js';
import { closestName } from './did-you-mean.js';
import { exitCodeFor, formatError } from './exit-code.js';
import { envName } from './field.js';
import type { FieldSpec, FieldValue, Settings } from './field.js';
import { createLogger } from './logger.js';
import type { LogFormat } from './logger.js';
import { createProgress } from './progress.js';
import type { Progress } from './progress.js';
import type { FieldRelationship } from './relationship.js';

export interface CliIo {
  readonly stdout: { write(chunk: string): unknown; readonly columns?: number };
  readonly stderr: { write(chunk: string): unknown; readonly isTTY?: boolean; readonly columns?: number };
}

/** The settings of a program whose connector declared the field table C: the Baton defaults plus C's. */
export type ProgramSettings<C extends readonly FieldSpec[]> = BatonSettings & Settings<C>;

export interface ProgramOptions<C extends readonly FieldSpec[] = readonly FieldSpec[]> {
  /** The binary name (the caller's product, e.g. `baton-<vendor>`). */
  readonly name: string;
  readonly version: string;
  readonly description: string;
  /** The connector's own fields (a defineFields table); the Baton default fields are added in front of them. */
  readonly fields: C;
  /** The connector's own relationships; the default ones (client-id with client-secret…) are added. */
  readonly relationships?: readonly FieldRelationship[];
  /** The connector's resource type ids; --sync-resource-types is checked against them with the other fields. */
  readonly resourceTypeIds?: readonly string[];
  /**
   * Throws (a BatonError) to refuse a mode the connector cannot run, e.g. -p/--provisioning on a read-only
   * connector. Runs for the default action (sync and service mode) and subcommands that require config,
   * before the required-field check, so the refusal shows even when credentials are missing.
   */
  readonly refuseModes?: (values: ProgramSettings<C>) => void;
  /** Where `BATON_*` settings are read (the fields' variables, envOnly ones included, and BATON_CONFIG_PATH). */
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly io: CliIo;
  /** Aborted on SIGINT/SIGTERM by the caller; handed to every action. */
  readonly signal?: AbortSignal;
  /** Extra values to scrub that derive from the config, e.g. base64(`user:password`) for Basic auth. */
  readonly deriveSecrets?: (values: ProgramSettings<C>) => readonly string[];
  /** Shown when an internal error asks to be reported. */
  readonly reportUrl?: string;
}

/**
 * Everything an action needs; it writes command output to io.stdout and throws typed errors. `config.values`
 * are the typed settings S: the program's fields and the subcommand's own, parsed and checked once.
 */
export interface CommandContext<S = Readonly<Record<string, FieldValue | undefined>>> {
  readonly config: ResolvedConfig<S>;
  readonly logger: Logger;
  /** The status line; a no-op unless stderr is a TTY with console logs. */
  readonly progress: Progress;
  readonly io: CliIo;
  readonly signal: AbortSignal;
  /** The running command: its operands are `command.args`; its options are fields in `config.values`. */
  readonly command: Command;
  /** Every value scrubbed from logs and error output. */
  readonly secrets: readonly string[];
}

export type CommandAction<S = Readonly<Record<string, FieldValue | undefined>>> = (
  context: CommandContext<S>,
) => Promise<void>;

export interface SubcommandSpec<F extends readonly FieldSpec[] = readonly FieldSpec[]> {
  /** Commander syntax, operands included: `inspect [file]`. */
  readonly name: string;
  readonly description: string;
  /** Check required fields and relationships before running; false (the default) needs no credentials. */
  readonly requiresConfig?: boolean;
  readonly hidden?: boolean;
  /**
   * The subcommand's own options, as fields (a defineFields table): flags of this subcommand only, also read
   * from `BATON_*` and `.baton.yaml` like every setting, and typed in the action's `config.values`.
   */
  readonly fields?: F;
}

export interface BatonProgram<S = Readonly<Record<string, FieldValue | undefined>>> {
  /** The root commander command, for anything this wrapper does not cover. */
  readonly command: Command;
  /** Default fields followed by the connector's fields. */
  readonly fields: readonly FieldSpec[];
  readonly relationships: readonly FieldRelationship[];
  /**
   * The action with no subcommand (the one-shot sync). Every field is validated first. `fields` are its own
   * settings beyond the program's (e.g. the store's envOnly variables), typed in the action's `config.values`.
   */
  setDefaultAction<const F extends readonly FieldSpec[] = []>(
    action: CommandAction<S & Settings<F>>,
    fields?: F,
  ): void;
  /** A subcommand that shares the global flags; its own options are `spec.fields`. */
  addSubcommand<const F extends readonly FieldSpec[] = []>(
    spec: SubcommandSpec<F>,
    action: CommandAction<S & Settings<F>>,
  ): Command;
  /** Parses argv (user arguments only), runs the action, prints any failure; resolves to the exit code. */
  run(argv: readonly string[]): Promise<number>;
}

/**
 * The `baton-*` command line: one commander program whose flags come from the field table, with help text
 * `<description> ($BATON_NAME)` and a `required: ` prefix as in Go. Commander parses flags only; values
 * are then resolved flag > env > YAML > default by resolveConfig, which commander's own env and default
 * handling could not do (the file sits in between). Nothing here calls process.exit. Use once per process.
 */
export function createProgram<const C extends readonly FieldSpec[]>(
  options: ProgramOptions<C>,
): BatonProgram<ProgramSettings<C>> {
  type S = ProgramSettings<C>;
  const { io } = options;
  const fields: readonly FieldSpec[] = [
    ...defaultFields({
      stderrIsTTY: io.stderr.isTTY === true,
      ...(options.resourceTypeIds === undefined ? {} : { resourceTypeIds: options.resourceTypeIds }),
    }),
    ...options.fields,
  ];
  const relationships = [...DEFAULT_RELATIONSHIPS, ...(options.relationships ?? [])];
  const signal = options.signal ?? new AbortController().signal;
  let secrets: readonly string[] = [];
  let logger: Logger | undefined;
  let logFormat: LogFormat | undefined;
  /** Subcommands left out of help, and so out of did-you-mean suggestions. */
  const hiddenCommands = new Set<string>();
  /** Every field a command line may carry (the program's and all subcommands'), for the argv pre-passes. */
  const allFields: FieldSpec[] = [...fields];

  const root = new Command(options.name)
    .description(options.description)
    .version(
      `${options.name} version ${options.version}`,
      '-v, --version',
      `print the version of ${options.name}`,
    )
    .helpOption('-h, --help', `show help for ${options.name}`)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      // run() prints errors itself, with the exit code and hint.
      outputError: () => undefined,
      getOutHelpWidth: () => io.stdout.columns ?? 100,
      getErrHelpWidth: () => io.stderr.columns ?? 100,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .configureHelp({ showGlobalOptions: true, sortOptions: true })
    .helpCommand('help [command]', 'show help for a command')
    .addHelpText(
      'after',
      '\nEvery option can also be set in the environment ($BATON_…) or in .baton.yaml. Boolean options\n' +
        'also accept --no-<flag> and --<flag>=true|false.',
    );
  const rootOptions = addFieldOptions(root, fields);

  const wrap =
    <A extends S>(
      action: CommandAction<A>,
      checkRequired: boolean,
      own: { readonly fields: readonly FieldSpec[]; readonly options: ReadonlyMap<string, Option> },
    ) =>
    async (...args: unknown[]): Promise<void> => {
      const command = args.at(-1) as Command;
      const flags: Record<string, unknown> = {};
      for (const [cmd, optionOf] of [
        [root, rootOptions],
        [command, own.options],
      ] as const) {
        for (const [name, option] of optionOf) {
          const key = option.attributeName();
          if (cmd.getOptionValueSource(key) === 'cli') flags[name] = cmd.getOptionValue(key) as unknown;
        }
      }
      // The program's fields and this command's own resolve together: A is their settings type.
      const config = resolveConfig<readonly FieldSpec[]>([...fields, ...own.fields], {
        flags,
        env: options.env,
        cwd: options.cwd,
        relationships,
        checkRequired,
        ...(checkRequired && options.refuseModes !== undefined
          ? { refuse: (v) => options.refuseModes?.(v as S) }
          : {}),
      }) as ResolvedConfig<A>;
      const values: S = config.values;
      secrets = [...config.secrets, ...(options.deriveSecrets?.(values) ?? [])];
      logFormat = values['log-format'] === 'json' ? 'json' : 'console';
      const progress = createProgress({ stream: io.stderr, logFormat });
      logger = createLogger({
        level: values['log-level'],
        format: logFormat,
        secrets,
        stream: progress,
        colorize: io.stderr.isTTY === true,
      });
      for (const warning of config.warnings) logger.warn(warning);
      if (values['otel-collector-endpoint'] !== '') {
        logger.warn('--otel-collector-endpoint is ignored: this connector does not export telemetry');
      }
      try {
        await action({ config, logger, progress, io, signal, command, secrets });
      } finally {
        progress.stop();
      }
    };

  return {
    command: root,
    fields,
    relationships,
    setDefaultAction(action, fields?: readonly FieldSpec[]) {
      const ownFields = fields ?? [];
      allFields.push(...ownFields);
      root.action(wrap(action, true, { fields: ownFields, options: addFieldOptions(root, ownFields) }));
    },
    addSubcommand(spec, action) {
      const sub = root
        .command(spec.name, spec.hidden === true ? { hidden: true } : {})
        .description(spec.description);
      const ownFields = spec.fields ?? [];
      allFields.push(...ownFields);
      const own = { fields: ownFields, options: addFieldOptions(sub, ownFields) };
      sub.action(wrap(action, spec.requiresConfig === true, own));
      if (spec.hidden === true) hiddenCommands.add(sub.name());
      return sub;
    },
    async run(argv) {
      // Until the config is resolved, scrub whatever the secret flags and variables hold.
      secrets = rawSecrets(argv, options.env, allFields);
      try {
        await root.parseAsync(boolAssignments(argv, allFields), { from: 'user' });
        return 0;
      } catch (caught) {
        if (caught instanceof CommanderError && caught.exitCode === 0) return 0;
        const err = caught instanceof CommanderError ? usageError(caught, root, hiddenCommands) : caught;
        const text = formatError(
          err,
          secrets,
          options.reportUrl === undefined ? {} : { reportUrl: options.reportUrl },
        );
        const code = exitCodeFor(err);
        if (logger !== undefined && logFormat === 'json') {
          logger.error({ exitCode: code }, text);
        } else {
          io.stderr.write(`${text}\n`);
        }
        if (code === GrpcCode.UNKNOWN) logger?.debug({ err }, 'internal error details');
        return code;
      }
    },
  };
}

/** Adds the flags of `fields` to `command`; returns the (non-negated) option of each field by name. */
function addFieldOptions(command: Command, fields: readonly FieldSpec[]): Map<string, Option> {
  const optionOf = new Map<string, Option>();
  for (const field of fields) {
    if (field.envOnly === true) continue;
    for (const option of optionsFor(field)) {
      command.addOption(option);
      if (!option.negate) optionOf.set(field.name, option);
    }
  }
  return optionOf;
}

const PLACEHOLDER: Record<FieldSpec['type'], string> = {
  string: '<string>',
  int: '<int>',
  number: '<number>',
  'string-slice': '<strings>',
  bool: '',
};

function optionsFor(field: FieldSpec): Option[] {
  const flags = `${field.short === undefined ? '' : `-${field.short}, `}--${field.name}`;
  const placeholder = PLACEHOLDER[field.type];
  const option = new Option(placeholder === '' ? flags : `${flags} ${placeholder}`, helpText(field));
  if (field.hidden === true) option.hideHelp();
  if (field.type === 'string-slice') {
    // Repeatable and comma separated, like pflag's StringSlice; resolveConfig splits the commas.
    option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
  }
  if (field.type !== 'bool') return [option];
  // `--no-x` makes an explicit false possible (and `--x=false`, rewritten to it), to override env or file.
  return [option, new Option(`--no-${field.name}`, `set --${field.name} to false`).hideHelp()];
}

/** `<description> ($BATON_NAME)`, `required: ` first when required, pflag's `(default …)` last. */
function helpText(field: FieldSpec): string {
  const text = `${field.required === true ? 'required: ' : ''}${field.description} ($${envName(field)})`;
  const d = field.defaultValue;
  if (d === undefined || d === '' || d === false || d === 0 || (Array.isArray(d) && d.length === 0))
    return text;
  const shown = typeof d === 'string' ? JSON.stringify(d) : Array.isArray(d) ? `[${d.join(',')}]` : String(d);
  return `${text} (default ${shown})`;
}

/** Rewrites `--flag=true|false` for bool fields, which Go accepts and commander does not. */
function boolAssignments(argv: readonly string[], fields: readonly FieldSpec[]): string[] {
  const bools = new Set(fields.filter((f) => f.type === 'bool').map((f) => f.name));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const match = /^--([a-z0-9-]+)=(.*)$/.exec(arg);
    const name = match?.[1];
    if (match === null || name === undefined || !bools.has(name)) {
      out.push(arg);
      continue;
    }
    const value = parseBool(match[2] ?? '');
    if (value === true) out.push(`--${name}`);
    else if (value === false) out.push(`--no-${name}`);
    else
      throw new BatonError(
        GrpcCode.INVALID_ARGUMENT,
        `${arg}: not a boolean; use --${name}=true or --${name}=false`,
      );
  }
  return out;
}

/** Values given to secret fields on the command line or in the environment, before any parsing. */
function rawSecrets(argv: readonly string[], env: NodeJS.ProcessEnv, fields: readonly FieldSpec[]): string[] {
  const out: string[] = [];
  for (const field of fields.filter((f) => f.secret === true)) {
    const fromEnv = env[envName(field)];
    if (fromEnv !== undefined && fromEnv !== '') out.push(fromEnv);
    const names = [`--${field.name}`, ...(field.short === undefined ? [] : [`-${field.short}`])];
    argv.forEach((arg, i) => {
      const next = argv[i + 1];
      if (names.includes(arg) && next !== undefined && next !== '') out.push(next);
      const eq = names.find((n) => arg.startsWith(`${n}=`));
      if (eq !== undefined && arg.length > eq.length + 1) out.push(arg.slice(eq.length + 1));
    });
  }
  return out;
}

/** Commander's parse errors become INVALID_ARGUMENT with a pointer to --help. */
function usageError(err: CommanderError, root: Command, hiddenCommands: ReadonlySet<string>): BatonError {
  let message = err.message.replace(/^error: /, '');
  const first = root.args[0];
  const known = (name: string) => root.commands.some((c) => c.name() === name || c.aliases().includes(name));
  if (err.code === 'commander.excessArguments' && first !== undefined && !known(first)) {
    const names = root.commands.filter((c) => !hiddenCommands.has(c.name())).map((c) => c.name());
    const meant = closestName(first, names);
    message = `unknown command ${JSON.stringify(first)}${meant === undefined ? '' : `. Did you mean ${JSON.stringify(meant)}?`}`;
  }
  return new BatonError(GrpcCode.INVALID_ARGUMENT, `${message}\nRun \`${root.name()} --help\` for usage.`);
}
