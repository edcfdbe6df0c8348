import type { FieldSpec } from './field.js';

/** `-o/--output`: how the end-of-sync summary and `inspect` print (the Go `baton` CLI's `-o console|json`). */
export const OUTPUT_FIELD: FieldSpec = {
  name: 'output',
  short: 'o',
  type: 'string',
  defaultValue: 'console',
  choices: ['console', 'json'],
  description: 'Output of the sync summary and of inspect: console (for people) or json (on stdout)',
  exportTarget: 'cli',
};
