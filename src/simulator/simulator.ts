import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { XmattersError, XmattersErrorCode } from '../xmatters/errors.js';
import { handleAdmin } from './admin.js';
import { authenticate, isForbidden } from './auth.js';
import { INVALID_UTF8_BYTES, INVALID_UTF8_MARKER_BYTES, buildPage } from './build-page.js';
import { FaultEngine, type FiredFaults } from './fault-engine.js';
import type { SimFaults } from './faults.js';
import { API_PREFIX, errorBody, reasonPhrase, route, routeTemplate, type RouteOptions } from './routes.js';
import { sampleTenant } from './sample-tenant.js';
import { bump, emptyStats, InFlightClock, type SimStats } from './sim-stats.js';
import type { Tenant } from './tenant.js';
import { TenantStore } from './tenant-store.js';

export interface SimulatorOptions {
  /** The data to serve; the simulator takes ownership (faults may mutate it). Default: sampleTenant(). */
  tenant?: Tenant;
  /** Only 127.0.0.1 is accepted: the simulator never listens beyond loopback. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Page size when the request has no limit; default 100 (docs/xmatters-api.md, "Lists and paging"). */
  defaultLimit?: number;
  /** Largest page; default 1000. */
  maxLimit?: number;
  /** A limit above maxLimit is clamped (default) or answered 400. */
  overLimit?: 'clamp' | 'reject';
  /** Write commas in links unencoded (`embed=roles,devices`) instead of `%2C`. */
  rawCommasInLinks?: boolean;
  faults?: SimFaults;
  /**
   * People (ids or target names) the API account cannot see: they stay on group rosters but GET /people
   * omits them and /people/{id} answers 404. Adds to people marked `hidden` in the tenant.
   */
  hiddenPeople?: string[];
  /** Record each request's arrival time (`at`) in the request log, for tests of retry waits. */
  logTimes?: boolean;
  /**
   * Most supervisors one group carries under `embed=supervisors` (default SUPERVISOR_EMBED_LIMIT); the
   * embed's `total` still counts all of them, so clients must read /groups/{id}/supervisors for the rest.
   */
  supervisorEmbedLimit?: number;
  /** Answer GET /roles with 403 for every account. */
  rolesForbidden?: boolean;
}

/** The default of SimulatorOptions.supervisorEmbedLimit. */
export const SUPERVISOR_EMBED_LIMIT = 100;

/** One API request as received, for tests that assert exactly what a client sent. */
export interface LoggedRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  /** Whether an Authorization header was present (its value is never kept). */
  authorization: boolean;
  /** Arrival time (Date.now()), only with the `logTimes` option. */
  at?: number;
}

/** The request log keeps the most recent entries only, so a benchmark run cannot grow it without bound. */
const LOG_LIMIT = 10_000;

const HTML_PAGE =
  '<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body><h1>Something went wrong</h1></body></html>';

/**
 * A local xMatters REST API (`/api/xm/1`) on a real node:http server bound to 127.0.0.1, with Basic auth,
 * the list envelope and links of the real API, fault injection and counters. Admin routes live under /_sim/.
 */
export class XmattersSimulator {
  readonly store: TenantStore;
  readonly origin: string;
  readonly baseUrl: string;
  readonly port: number;
  private readonly server: Server;
  private readonly engine: FaultEngine;
  private readonly routeOpts: RouteOptions;
  private readonly rawCommas: boolean;
  private readonly logTimes: boolean;
  private counters: SimStats = emptyStats();
  private inFlightClock = new InFlightClock();
  private readonly timers = new Set<NodeJS.Timeout>();
  private log: LoggedRequest[] = [];

  private constructor(server: Server, store: TenantStore, engine: FaultEngine, opts: SimulatorOptions) {
    this.server = server;
    this.store = store;
    this.engine = engine;
    this.port = (server.address() as AddressInfo).port;
    this.origin = `http://127.0.0.1:${this.port}`;
    this.baseUrl = `${this.origin}${API_PREFIX}`;
    this.routeOpts = {
      defaultLimit: opts.defaultLimit ?? 100,
      maxLimit: opts.maxLimit ?? 1000,
      overLimit: opts.overLimit ?? 'clamp',
      supervisorEmbedLimit: opts.supervisorEmbedLimit ?? SUPERVISOR_EMBED_LIMIT,
      rolesForbidden: opts.rolesForbidden ?? false,
    };
    this.rawCommas = opts.rawCommasInLinks ?? false;
    this.logTimes = opts.logTimes ?? false;
  }

  static async start(opts: SimulatorOptions = {}): Promise<XmattersSimulator> {
    const host = opts.host ?? '127.0.0.1';
    if (host !== '127.0.0.1') {
      throw new XmattersError(
        XmattersErrorCode.CONFIG,
        `The xMatters simulator only binds to 127.0.0.1 (asked for ${JSON.stringify(host)}); it serves test data ` +
          'with known credentials and must not be reachable from other machines.',
      );
    }
    const engine = new FaultEngine(opts.faults ?? {});
    const store = new TenantStore(opts.tenant ?? sampleTenant());
    const unknown = store.hidePeople(opts.hiddenPeople ?? []);
    if (unknown.length > 0) {
      throw new XmattersError(
        XmattersErrorCode.CONFIG,
        `hiddenPeople names no person of the tenant: ${unknown.map((u) => JSON.stringify(u)).join(', ')}`,
      );
    }
    const server = createServer({ keepAliveTimeout: 30_000 });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const sim = new XmattersSimulator(server, store, engine, opts);
    server.on('connection', () => {
      sim.counters.connections++;
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      sim.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) sim.send(res, 500, errorBody(500, `simulator bug: ${(e as Error).message}`));
        else res.destroy();
      });
    });
    return sim;
  }

  /** A snapshot of the counters. */
  stats(): SimStats {
    const snapshot = structuredClone(this.counters);
    snapshot.meanInFlight = this.inFlightClock.mean;
    snapshot.activeSpanMs = this.inFlightClock.spanMs;
    return snapshot;
  }

  /** Resets the counters and the request log; `inFlight` and `lifetimeNonGetRequests` are kept. */
  resetStats(): void {
    const { inFlight, lifetimeNonGetRequests } = this.counters;
    this.counters = emptyStats();
    this.counters.inFlight = inFlight;
    this.counters.lifetimeNonGetRequests = lifetimeNonGetRequests;
    this.inFlightClock = new InFlightClock();
    this.log = [];
  }

  /** The most recent API requests (admin routes excluded), oldest first. */
  requests(): LoggedRequest[] {
    return this.log.map((r) => ({ ...r }));
  }

  /** Replaces the fault options (and their rule counters). */
  setFaults(faults: SimFaults): void {
    this.engine.set(faults);
  }

  get faults(): SimFaults {
    return structuredClone(this.engine.current);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private wait(ms: number, res: ServerResponse): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
      res.once('close', () => {
        clearTimeout(timer);
        this.timers.delete(timer);
        resolve();
      });
    });
  }

  private send(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    const text = body === undefined ? '' : JSON.stringify(body);
    this.sendRaw(res, status, text, { 'content-type': 'application/json;charset=UTF-8', ...headers });
  }

  private sendRaw(
    res: ServerResponse,
    status: number,
    text: string | Buffer,
    headers: Record<string, string>,
  ): void {
    if (res.destroyed || res.writableEnded) return;
    bump(this.counters.byStatus, String(status));
    res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
    res.end(text);
  }

  private fault(name: string): void {
    bump(this.counters.faults, name);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const qIndex = rawUrl.indexOf('?');
    const rawPath = qIndex < 0 ? rawUrl : rawUrl.slice(0, qIndex);
    const query = new URLSearchParams(qIndex < 0 ? '' : rawUrl.slice(qIndex + 1));
    if (rawPath.startsWith('/_sim/')) {
      await handleAdmin(this, req, res, rawPath);
      return;
    }
    const method = req.method ?? 'GET';
    const started = performance.now();
    const c = this.counters;
    c.requests++;
    if (this.log.length >= LOG_LIMIT) this.log.splice(0, LOG_LIMIT / 2);
    const entry: LoggedRequest = {
      method,
      url: rawUrl,
      authorization: req.headers.authorization !== undefined,
    };
    if (this.logTimes) entry.at = Date.now();
    this.log.push(entry);
    bump(c.byMethod, method);
    this.inFlightClock.change(c.inFlight, +1, started);
    c.inFlight++;
    if (c.inFlight > c.maxConcurrency) c.maxConcurrency = c.inFlight;
    res.once('close', () => {
      const ended = performance.now();
      this.inFlightClock.change(this.counters.inFlight, -1, ended);
      this.counters.inFlight--;
      this.counters.serviceTimeMs += ended - started;
    });

    const isApi = rawPath === API_PREFIX || rawPath.startsWith(`${API_PREFIX}/`);
    let segments: string[] = [];
    if (isApi) {
      segments = rawPath.slice(API_PREFIX.length + 1).split('/');
      if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
      try {
        segments = segments.map((s) => decodeURIComponent(s));
      } catch {
        bump(c.byRoute, `${method} (unknown)`);
        this.send(res, 400, errorBody(400, 'Malformed percent-encoding in the path'));
        return;
      }
    }
    bump(c.byRoute, `${method} ${isApi ? routeTemplate(segments) : '(unknown)'}`);
    if (method !== 'GET') {
      // The connector is read-only: anything else is recorded so tests can assert it never happens.
      c.nonGetRequests++;
      c.lifetimeNonGetRequests++;
      this.send(res, 405, errorBody(405, `Method ${method} is not allowed by the simulator`), {
        allow: 'GET',
      });
      return;
    }
    if (!isApi) {
      this.send(res, 404, errorBody(404, `No such resource: ${rawPath}`));
      return;
    }
    const apiPath = rawPath.slice(API_PREFIX.length);
    const auth = authenticate(req.headers.authorization, this.store.tenant.credentials);
    if (!auth.ok) {
      c.authFailures++;
      this.send(res, 401, errorBody(401, 'Invalid credentials'));
      return;
    }
    if (isForbidden(auth.credential, apiPath)) {
      c.permissionDenied++;
      this.send(
        res,
        403,
        errorBody(403, `The user does not have permission to access ${API_PREFIX}${routeTemplate(segments)}`),
      );
      return;
    }
    const busy = this.engine.concurrencyRejection(c.inFlight);
    if (busy !== undefined) {
      this.fault('concurrency-429');
      const headers: Record<string, string> =
        busy.retryAfter === undefined ? {} : { 'retry-after': String(busy.retryAfter) };
      this.send(res, 429, errorBody(429, 'Too many concurrent requests'), headers);
      return;
    }
    const limited = this.engine.rateRejection(Date.now());
    if (limited !== undefined) {
      this.fault('rate-429');
      this.send(res, 429, errorBody(429, 'Rate limit exceeded'), limited);
      return;
    }
    const fired = this.engine.evaluate(apiPath);
    fired.names.forEach((n) => this.fault(n));
    for (const _ of fired.before) {
      const g =
        segments[0] === 'groups' && segments[1] !== undefined ? this.store.findGroup(segments[1]) : undefined;
      if (g !== undefined) this.store.removeGroup(g);
    }
    await this.answer(req, res, segments, query, fired);
    // The answer is written: changes now land between this page and the next, as a concurrent edit would.
    if (fired.after.length > 0) this.applyAfter(fired);
  }

  private async answer(
    req: IncomingMessage,
    res: ServerResponse,
    segments: string[],
    query: URLSearchParams,
    fired: FiredFaults,
  ): Promise<void> {
    const faults = this.engine.current;
    let latency = (faults.latencyMs ?? 0) + fired.delayMs;
    const replace = fired.replace;
    if (replace?.type === 'reset') {
      await this.wait(latency, res);
      bump(this.counters.byStatus, 'reset');
      req.socket.destroy();
      return;
    }
    if (replace?.type === 'status') {
      const list = Array.isArray(replace.status) ? replace.status : [replace.status];
      const status = list[Math.floor(this.engine.rng() * list.length)] ?? 500;
      const headers: Record<string, string> =
        replace.retryAfter === undefined ? {} : { 'retry-after': String(replace.retryAfter) };
      await this.wait(latency, res);
      if (replace.body === 'html')
        this.sendRaw(res, status, HTML_PAGE, { ...headers, 'content-type': 'text/html' });
      else if (replace.body === 'empty') this.sendRaw(res, status, '', headers);
      else {
        const message = replace.message ?? `Injected ${status} ${reasonPhrase(status)}`;
        this.send(res, status, errorBody(status, message), headers);
      }
      return;
    }
    const result = route(this.store, segments, query, this.routeOpts);
    let status = 200;
    let body: unknown;
    if (result.kind === 'list') {
      const env = buildPage(result, fired.envelope, this.rawCommas);
      this.counters.itemsServed += env.data.length;
      latency += env.data.length * (faults.perItemLatencyMs ?? 0);
      body = env;
    } else {
      status = result.status;
      body = result.body;
    }
    await this.wait(latency, res);
    if (replace?.type === 'badBody' && status === 200) {
      this.sendBadBody(res, replace.kind, JSON.stringify(body));
      return;
    }
    if (fired.envelope.some((f) => f.type === 'absurd' && f.kind === 'invalid-utf8')) {
      this.sendRaw(res, status, withInvalidUtf8(JSON.stringify(body)), {
        'content-type': 'application/json;charset=UTF-8',
      });
      return;
    }
    this.send(res, status, body);
  }

  private sendBadBody(res: ServerResponse, kind: string, good: string): void {
    const json = { 'content-type': 'application/json;charset=UTF-8' };
    switch (kind) {
      case 'invalid-json':
        this.sendRaw(res, 200, '{"count": 1, "total": 1, "data": [{"id": oops}]', json);
        break;
      case 'html-200':
        this.sendRaw(
          res,
          200,
          '<!DOCTYPE html><html><head><title>Sign in</title></head><body>Please sign in</body></html>',
          {
            'content-type': 'text/html;charset=UTF-8',
          },
        );
        break;
      case 'truncated':
        this.sendRaw(res, 200, good.slice(0, Math.max(1, Math.floor(good.length / 2))), json);
        break;
      case 'closed-mid-body': {
        // Content-Length promises the whole body; half of it is sent, then the connection is destroyed.
        if (res.destroyed || res.writableEnded) break;
        const bytes = Buffer.from(good, 'utf8');
        bump(this.counters.byStatus, '200');
        res.writeHead(200, { ...json, 'content-length': String(bytes.length) });
        res.write(bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2))), () => res.socket?.destroy());
        break;
      }
      case 'not-a-list':
        this.sendRaw(res, 200, '{"status":"ok","items":[]}', json);
        break;
      case 'wrong-content-type':
        this.sendRaw(res, 200, good, { 'content-type': 'text/plain;charset=UTF-8' });
        break;
      default:
        this.sendRaw(res, 200, '', json);
    }
  }

  private applyAfter(fired: FiredFaults): void {
    const rng = this.engine.rng;
    for (const a of fired.after) {
      if (a.type === 'deleteGroup') {
        const g = a.groupId === undefined ? undefined : this.store.findGroup(a.groupId);
        if (g !== undefined) this.store.removeGroup(g);
        continue;
      }
      const count = a.count ?? 1;
      const position = a.position ?? 'start';
      if (a.op === 'insertPeople') this.store.insertPeople(count, position, rng);
      else if (a.op === 'removePeople') this.store.removePeople(count, position, rng);
      else if (a.op === 'insertGroups') this.store.insertGroups(count, position, rng);
      else this.store.removeGroups(count, position, rng);
    }
  }
}

/** Encodes a body and swaps each marker for bytes that are not valid UTF-8. */
function withInvalidUtf8(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let from = 0;
  for (
    let at = bytes.indexOf(INVALID_UTF8_MARKER_BYTES);
    at >= 0;
    at = bytes.indexOf(INVALID_UTF8_MARKER_BYTES, from)
  ) {
    parts.push(bytes.subarray(from, at), INVALID_UTF8_BYTES);
    from = at + INVALID_UTF8_MARKER_BYTES.length;
  }
  parts.push(bytes.subarray(from));
  return Buffer.concat(parts);
}
