import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimFaults } from './faults.js';
import type { SimStats } from './sim-stats.js';
import type { TenantStore } from './tenant-store.js';

/** What the admin routes need from the simulator. */
export interface AdminTarget {
  readonly store: TenantStore;
  stats(): SimStats;
  resetStats(): void;
  setFaults(faults: SimFaults): void;
  readonly faults: SimFaults;
}

const MAX_BODY = 1024 * 1024;

function reply(res: ServerResponse, status: number, body?: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Test and benchmark control, outside /api/xm/1 and not counted as API traffic:
 * GET /_sim/stats, POST /_sim/reset, GET|POST /_sim/faults.
 */
export async function handleAdmin(
  sim: AdminTarget,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const method = req.method ?? 'GET';
  const key = `${method} ${path.replace(/\/$/, '')}`;
  switch (key) {
    case 'GET /_sim/stats':
      reply(res, 200, { ...sim.stats(), tenant: sim.store.counts() });
      return;
    case 'POST /_sim/reset':
      sim.resetStats();
      reply(res, 204);
      return;
    case 'GET /_sim/faults':
      reply(res, 200, sim.faults);
      return;
    case 'POST /_sim/faults':
    case 'PUT /_sim/faults': {
      try {
        sim.setFaults((await readJson(req)) as SimFaults);
      } catch (e) {
        reply(res, 400, { code: 400, reason: 'Bad Request', message: (e as Error).message });
        return;
      }
      reply(res, 204);
      return;
    }
    default:
      reply(res, 404, { code: 404, reason: 'Not Found', message: `No admin route ${key}` });
  }
}
