// The baseline of the sync benchmark: a client that only downloads and JSON-parses the pages a sync reads
// (people, groups, every roster), with the same requests in flight, and keeps nothing. What our connector
// costs beyond that is decoding, mapping, protobuf, SQLite and zstd.
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import type { Tenant } from '../../src/simulator/index.js';

export interface PlainRunResult {
  wallMs: number;
  requests: number;
}

const PAGE = 1000;

/** The paths of every page of the tenant's listings, in the order the connector asks for them. */
export function pagePaths(tenant: Tenant, pageSize = PAGE): string[] {
  const paths: string[] = [];
  const pages = (n: number): number => Math.max(1, Math.ceil(n / pageSize));
  const list = (path: string, items: number, extra: string): void => {
    for (let p = 0; p < pages(items); p++)
      paths.push(`/api/xm/1${path}?offset=${p * pageSize}&limit=${pageSize}${extra}`);
  };
  list('/people', tenant.people.length, '&sortBy=TARGET_NAME&sortOrder=ASCENDING&embed=roles');
  list('/groups', tenant.groups.length, '&sortBy=NAME&sortOrder=ASCENDING');
  for (const g of tenant.groups) list(`/groups/${encodeURIComponent(g.id)}/members`, g.members.length, '');
  return paths;
}

export async function runPlainClient(opts: {
  origin: string;
  username: string;
  password: string;
  paths: readonly string[];
  maxInFlight: number;
}): Promise<PlainRunResult> {
  const agent = new Agent({ connections: opts.maxInFlight, keepAliveTimeout: 30_000 });
  const authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString('base64')}`;
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    for (let i = next++; i < opts.paths.length; i = next++) {
      const res = await request(`${opts.origin}${opts.paths[i]}`, {
        dispatcher: agent,
        headers: { authorization, accept: 'application/json' },
      });
      const body = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`${opts.paths[i]} answered ${res.statusCode}`);
      JSON.parse(body);
    }
  };
  try {
    await Promise.all(Array.from({ length: opts.maxInFlight }, worker));
  } finally {
    await agent.close();
  }
  return { wallMs: performance.now() - started, requests: opts.paths.length };
}
