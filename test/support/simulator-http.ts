// Raw HTTP helpers for simulator tests: the simulator is checked with plain requests, not with our client.
import { request } from 'undici';
import type { XmattersSimulator } from '../../src/simulator/index.js';
import { SAMPLE_CREDENTIALS } from '../../src/simulator/index.js';

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

export const basicAuth = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

export const DEMO_AUTH = basicAuth(SAMPLE_CREDENTIALS.username, SAMPLE_CREDENTIALS.password);

/** Sends one request to the simulator's origin; `auth: null` sends no Authorization header. */
export async function call(
  sim: XmattersSimulator,
  path: string,
  opts: { method?: string; auth?: string | null; body?: string } = {},
): Promise<RawReply> {
  const headers: Record<string, string> = {};
  const auth = opts.auth === undefined ? DEMO_AUTH : opts.auth;
  if (auth !== null) headers.authorization = auth;
  const res = await request(`${sim.origin}${path}`, {
    method: (opts.method ?? 'GET') as 'GET',
    headers,
    ...(opts.body === undefined ? {} : { body: opts.body }),
  });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

/** The list envelope of a reply, typed loosely for assertions. */
export interface Envelope {
  count: number;
  total: number;
  data: Record<string, unknown>[];
  links: { self: string; previous?: string; next?: string };
}

export const envelope = (r: RawReply): Envelope => r.json as Envelope;
