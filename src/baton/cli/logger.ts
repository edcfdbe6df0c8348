import { pino } from 'pino';
import type { Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { REDACTED, createScrubber } from './scrub.js';

export type LogFormat = 'console' | 'json';

/** Anything with a synchronous `write`; the logger never waits, so lines are not lost on exit. */
export interface LogStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

export interface LoggerOptions {
  /** debug, info, warn or error. */
  readonly level: string;
  readonly format: LogFormat;
  /**
   * Values replaced by [REDACTED] anywhere in a line: secret config values, plus any derived form the
   * caller knows about (for HTTP Basic auth, `base64(user:password)`).
   */
  readonly secrets: readonly string[];
  /** Defaults to process.stderr; stdout stays free for command output. */
  readonly stream?: LogStream;
  /** Colours in console format; defaults to whether the stream is a TTY. */
  readonly colorize?: boolean;
  /** Extra key paths to redact, in pino's syntax (`a.b`, `*.c`, `d["e-f"]`). */
  readonly redactPaths?: readonly string[];
}

/** Keys whose values are credentials wherever they appear (top level or one object down). */
export const REDACT_PATHS: readonly string[] = [
  'password',
  'authorization',
  'Authorization',
  'apiKey',
  'api_key',
  'accessToken',
  'access_token',
  'clientSecret',
  'client_secret',
  '["client-secret"]',
  '["x-api-key"]',
  'headers.authorization',
  'headers.Authorization',
  'headers.cookie',
  'headers["x-api-key"]',
  '*.password',
  '*.authorization',
  '*.Authorization',
  '*.apiKey',
  '*.api_key',
  '*.accessToken',
  '*.access_token',
  '*.clientSecret',
  '*.client_secret',
  '*["client-secret"]',
  '*["x-api-key"]',
  '*.headers.authorization',
  '*.headers.Authorization',
  '*.headers.cookie',
  '*.headers["x-api-key"]',
];

/** Keys whose values are credentials at any depth, whatever their length (compared in lower case). */
const SECRET_KEYS = new Set([
  'password',
  'authorization',
  'apikey',
  'api_key',
  'x-api-key',
  'accesstoken',
  'access_token',
  'clientsecret',
  'client_secret',
  'client-secret',
  'cookie',
]);

/**
 * The run's one pino logger. Secrets are removed structurally, so a line stays valid JSON whatever the
 * secret is: pino redacts known key paths, then each serialized line is parsed and every key and string in
 * it is scrubbed (createScrubber: URL user info, Authorization values, secrets of 6+ characters anywhere;
 * messages, error messages, causes and stack traces included) and keys that hold credentials are redacted
 * at any depth, before the line is written again as JSON or prettified for the console in-process.
 */
export function createLogger(options: LoggerOptions): Logger {
  const stream: LogStream = options.stream ?? process.stderr;
  const scrub = createScrubber(options.secrets);
  const json = options.format === 'json';
  const prettify = json
    ? undefined
    : prettyFactory({
        colorize: options.colorize ?? stream.isTTY === true,
        ignore: 'pid,hostname',
        translateTime: 'SYS:HH:MM:ss.l',
      });
  const sink = {
    write(line: string): void {
      const clean = `${JSON.stringify(scrubValue(JSON.parse(line), scrub))}\n`;
      stream.write(prettify === undefined ? clean : prettify(clean));
    },
  };
  return pino(
    {
      level: options.level,
      base: null,
      redact: { paths: [...REDACT_PATHS, ...(options.redactPaths ?? [])], censor: REDACTED },
      // `err` is pino's default error key; `error` is common enough to serialize the same way.
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
      ...(json
        ? {
            timestamp: pino.stdTimeFunctions.isoTime,
            formatters: { level: (label: string) => ({ level: label }) },
          }
        : {}),
    },
    sink,
  );
}

/** A parsed log line with every string and key scrubbed and credential-holding keys redacted. */
function scrubValue(value: unknown, scrub: (text: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, scrub));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[scrub(key)] = SECRET_KEYS.has(key.toLowerCase()) && v !== null ? REDACTED : scrubValue(v, scrub);
  }
  return out;
}
