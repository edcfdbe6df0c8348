import type { FieldSpec, Settings } from './field.js';

/** `-o/--output`: how the end-of-sync summary, `inspect` and `diff` print (the Go `baton` CLI's `-o console|json`; csv for diff). */
export const OUTPUT_FIELD = {
  name: 'output',
  short: 'o',
  type: 'string',
  defaultValue: 'console',
  choices: ['console', 'json', 'csv'],
  description:
    'Output of the sync summary, inspect and diff: console (for people) or json (on stdout); csv: diff only (elsewhere it prints as console)',
  exportTarget: 'cli',
} as const satisfies FieldSpec;

/** The typed `output` setting, for commands that print through it. */
export type OutputSettings = Settings<readonly [typeof OUTPUT_FIELD]>;
