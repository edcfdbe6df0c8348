// A fake ConductorOne for service-mode tests: the HTTPS token endpoint (verifying the Ed25519 client
// assertion against the public key) and the gRPC BatonService, on one TLS port of 127.0.0.1, as in C1.
import { createHash, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { Code, ConnectError, type ConnectRouter, type HandlerContext } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import {
  BatonService,
  TaskSchema,
  type BatonServiceFinishTaskRequest,
  type BatonServiceHelloRequest,
  type Task,
} from '../../src/baton/gen/c1/connectorapi/baton/v1/baton_pb.js';
import { createRng } from '../../src/simulator/prng.js';
import { testTls } from './fake-c1-tls.js';

export type TaskInit = MessageInitShape<typeof TaskSchema>;

export interface FakeC1Options {
  clientId?: string;
  /** Tasks handed out by GetTask, in order; then none. */
  tasks?: TaskInit[];
  /** next_poll of every GetTask answer (default 20 ms), or of the n-th answer (0-based). */
  nextPollMs?: number | ((n: number) => number);
  /** next_heartbeat of GetTask and Heartbeat answers (default 0: the client's default). */
  nextHeartbeatMs?: number;
  /** Lifetime of issued tokens in seconds (default 3600; 0 omits expires_in). */
  tokenExpiresIn?: number;
  /** Answer every token request with this HTTP status and an OAuth2 error body. */
  tokenStatus?: number;
  /** Fail this many Hello calls with UNAVAILABLE first. */
  failHellos?: number;
  /** Fail this many upload attempts with UNAVAILABLE, after the first data chunk. */
  failUploads?: number;
  /** The clock assertions are checked against (default Date.now). */
  now?: () => number;
  /** Answer every heartbeat but the first this many of each task with UNAVAILABLE. */
  heartbeatsBeforeFailing?: number;
  /**
   * Share (0–1) of the calls of each RPC answered UNAVAILABLE, drawn from a generator seeded with `seed`
   * so a run can be repeated. An upload fails after its first data chunk, so the client must start over.
   */
  failureRates?: Partial<Record<RpcName, number>>;
  /** Seed of the failure draws (default 1). */
  seed?: number;
  /**
   * How long an issued token is really accepted, in seconds, whatever `expires_in` said (default: the
   * advertised lifetime; forever when that is 0). A call with an expired token answers UNAUTHENTICATED.
   */
  tokenLifetimeS?: number;
  /** Wait this long (ms) before answering each call of an RPC, so calls stay in flight. */
  delayMs?: Partial<Record<RpcName, number>>;
}

export type RpcName = 'hello' | 'getTask' | 'heartbeat' | 'finishTask' | 'uploadAsset';

/** A failure asked for with failNext(). */
interface PlannedFailure {
  rpc: RpcName;
  taskId: string | undefined;
  left: number;
  code: Code;
}

export interface RecordedCall {
  method: RpcName;
  hostId: string;
  taskId: string;
  authorization: string;
  userAgent: string;
  /** When the call arrived, `performance.now()` of this process. */
  at: number;
  hello?: BatonServiceHelloRequest;
  finish?: BatonServiceFinishTaskRequest;
  /** For heartbeats: whether the answer said cancelled. */
  cancelled?: boolean;
  /** The call was answered with this error code on purpose (failNext, failureRates) or for its token. */
  failedWith?: Code;
  /** The call carried a token that had expired. */
  expiredToken?: boolean;
}

export interface TokenRequest {
  ok: boolean;
  /** Why it was refused. */
  reason?: string;
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
}

export interface Upload {
  taskId: string;
  hostId: string;
  bytes: Buffer;
  chunkSizes: number[];
  checksumOk: boolean;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export class FakeC1 {
  readonly calls: RecordedCall[] = [];
  readonly tokenRequests: TokenRequest[] = [];
  readonly uploads: Upload[] = [];
  /** Upload attempts refused on purpose or for a bad checksum. */
  failedUploads = 0;
  /** Failures injected so far (failNext, failureRates, heartbeatsBeforeFailing, failHellos, failUploads). */
  readonly injected: Record<RpcName, number> = {
    hello: 0,
    getTask: 0,
    heartbeat: 0,
    finishTask: 0,
    uploadAsset: 0,
  };
  readonly clientId: string;
  readonly clientSecret: string;
  readonly ca: string;
  /** `127.0.0.1:<port>`: BATON_C1_API_HOST for the client under test. */
  host = '';
  private readonly queue: Task[];
  /** Task id → heartbeats still answered normally before the task reads as cancelled. */
  private readonly cancelled = new Map<string, number>();
  /** Token → when it stops being accepted (epoch ms; Infinity for never). */
  private readonly issued = new Map<string, number>();
  private readonly planned: PlannedFailure[] = [];
  private readonly arrived: { rpc: RpcName; taskId: string }[] = [];
  private rates: Partial<Record<RpcName, number>>;
  private readonly delays: Partial<Record<RpcName, number>>;
  /** Set by setNextPoll(): replaces `nextPollMs` of the options. */
  private nextPollOverride: number | undefined;
  private random: () => number;
  private readonly nonces = new Set<string>();
  private readonly events = new EventEmitter();
  private readonly publicKey: KeyObject;
  private server: Http2SecureServer | undefined;
  private readonly sockets = new Set<TLSSocket>();
  private failHellos: number;
  private failUploads: number;

  private constructor(private readonly opts: FakeC1Options) {
    this.clientId = opts.clientId ?? 'xmatters-test@acme.conductor.one/cc7d1a0b2e';
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    this.publicKey = publicKey;
    this.clientSecret = clientSecretFor(privateKey);
    this.ca = testTls().ca;
    this.queue = (opts.tasks ?? []).map((t) => create(TaskSchema, t));
    this.failHellos = opts.failHellos ?? 0;
    this.failUploads = opts.failUploads ?? 0;
    this.rates = opts.failureRates ?? {};
    this.delays = { ...opts.delayMs };
    // Seeded, so injected failures repeat from run to run.
    this.random = createRng(opts.seed ?? 1);
  }

  static async start(opts: FakeC1Options = {}): Promise<FakeC1> {
    const c1 = new FakeC1(opts);
    const { key, cert } = testTls();
    const handler = connectNodeAdapter({
      routes: (router: ConnectRouter) => c1.routes(router),
      fallback: (req, res) => c1.tokenEndpoint(req as IncomingMessage, res as ServerResponse),
    });
    const server = createSecureServer({ key, cert, allowHTTP1: true }, handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    server.on('secureConnection', (socket: TLSSocket) => {
      c1.sockets.add(socket);
      socket.once('close', () => c1.sockets.delete(socket));
    });
    c1.server = server;
    c1.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    return c1;
  }

  /** The audience the assertion must carry: the client ID's host without port. */
  get audience(): string {
    return this.clientId.split('@')[1]!.split('/')[0]!.replace(/:\d+$/, '');
  }

  enqueue(task: TaskInit): void {
    this.queue.push(create(TaskSchema, task));
    this.events.emit('change');
  }

  /** The task's heartbeats answer `cancelled`, from the next one or after `afterHeartbeats` more. */
  cancel(taskId: string, afterHeartbeats = 0): void {
    this.cancelled.set(taskId, afterHeartbeats);
  }

  /** The next `count` calls of `rpc` (of that task, when given) answer `code` (default UNAVAILABLE). */
  failNext(rpc: RpcName, count: number, opts: { taskId?: string; code?: Code } = {}): void {
    this.planned.push({ rpc, taskId: opts.taskId, left: count, code: opts.code ?? Code.Unavailable });
  }

  /** Replaces the answer delay of one RPC (ms). */
  setDelay(rpc: RpcName, ms: number): void {
    this.delays[rpc] = ms;
  }

  /** Replaces `next_poll` of later GetTask answers (ms); undefined goes back to the option given at start. */
  setNextPoll(ms: number | undefined): void {
    this.nextPollOverride = ms;
  }

  /** Drops the tasks not handed out yet. */
  clearQueue(): void {
    this.queue.length = 0;
  }

  /** Replaces the failure rates given at start. */
  setFailureRates(rates: Partial<Record<RpcName, number>>): void {
    this.rates = rates;
  }

  /** The FinishTask requests received for a task, in order (exactly one is expected). */
  finishes(taskId: string): BatonServiceFinishTaskRequest[] {
    return this.callsOf('finishTask', taskId)
      .filter((c) => c.failedWith === undefined)
      .map((c) => c.finish!);
  }

  /** Calls of `rpc` that have arrived, answered or not (an upload counts once its metadata arrived). */
  arrivals(rpc: RpcName, taskId?: string): number {
    return this.arrived.filter((a) => a.rpc === rpc && (taskId === undefined || a.taskId === taskId)).length;
  }

  /** Calls that carried an expired token. */
  get expiredTokenCalls(): number {
    return this.calls.filter((c) => c.expiredToken === true).length;
  }

  callsOf(method: RecordedCall['method'], taskId?: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && (taskId === undefined || c.taskId === taskId));
  }

  /** Resolves once `ready()` holds (checked after every recorded event); rejects after `timeoutMs`. */
  waitFor(ready: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!ready()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake C1: timed out waiting for ${what}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.events.off('change', check);
      };
      this.events.on('change', check);
    });
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Ends connections of clients that did not close theirs, so close() never hangs.
      for (const socket of this.sockets) socket.destroy();
    });
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    this.events.emit('change');
  }

  private authorize(ctx: HandlerContext, method: RecordedCall['method'], hostId: string, taskId: string) {
    const authorization = ctx.requestHeader.get('authorization') ?? '';
    const call: RecordedCall = {
      method,
      hostId,
      taskId,
      authorization,
      userAgent: ctx.requestHeader.get('user-agent') ?? '',
      at: performance.now(),
    };
    const token = /^Bearer (.+)$/.exec(authorization)?.[1];
    const expiresAt = token === undefined ? undefined : this.issued.get(token);
    if (expiresAt === undefined) {
      this.record({ ...call, failedWith: Code.Unauthenticated });
      throw new ConnectError('missing or unknown access token', Code.Unauthenticated);
    }
    if (Date.now() >= expiresAt) {
      this.record({ ...call, failedWith: Code.Unauthenticated, expiredToken: true });
      throw new ConnectError('access token expired', Code.Unauthenticated);
    }
    if (method !== 'uploadAsset') this.arrive(method, taskId);
    return call;
  }

  private arrive(rpc: RpcName, taskId: string): void {
    this.arrived.push({ rpc, taskId });
    this.events.emit('change');
  }

  /** The code this call must fail with, if a planned failure or the failure rate says so. */
  private injectedFailure(rpc: RpcName, taskId: string): Code | undefined {
    const plan = this.planned.find((p) => p.rpc === rpc && (p.taskId === undefined || p.taskId === taskId));
    if (plan !== undefined) {
      plan.left -= 1;
      if (plan.left <= 0) this.planned.splice(this.planned.indexOf(plan), 1);
      this.injected[rpc] += 1;
      return plan.code;
    }
    const rate = this.rates[rpc] ?? 0;
    if (rate > 0 && this.random() < rate) {
      this.injected[rpc] += 1;
      return Code.Unavailable;
    }
    return undefined;
  }

  /** Records the call, failed with `code` when one is injected, and throws that failure. */
  private fail(call: RecordedCall, code: Code, message: string, extra: Partial<RecordedCall> = {}): never {
    this.record({ ...call, ...extra, failedWith: code });
    throw new ConnectError(message, code);
  }

  /** Holds the answer for the configured delay; ends early when the client gives up on the call. */
  private async delay(rpc: RpcName, ctx: HandlerContext): Promise<void> {
    const ms = this.delays[rpc] ?? 0;
    if (ms <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        ctx.signal.removeEventListener('abort', done);
        resolve();
      }
      ctx.signal.addEventListener('abort', done, { once: true });
    });
  }

  private routes(router: ConnectRouter): void {
    const heartbeatMs = this.opts.nextHeartbeatMs ?? 0;
    const duration = (ms: number) => ({
      seconds: BigInt(Math.floor(ms / 1000)),
      nanos: (ms % 1000) * 1_000_000,
    });
    router.service(BatonService, {
      hello: async (req, ctx) => {
        const call = this.authorize(ctx, 'hello', req.hostId, req.taskId);
        await this.delay('hello', ctx);
        if (this.failHellos > 0) {
          this.failHellos -= 1;
          this.injected.hello += 1;
          this.fail(call, Code.Unavailable, 'try again later', { hello: req });
        }
        const code = this.injectedFailure('hello', req.taskId);
        if (code !== undefined) this.fail(call, code, 'hello failed on purpose', { hello: req });
        this.record({ ...call, hello: req });
        return {};
      },
      getTask: async (req, ctx) => {
        const call = this.authorize(ctx, 'getTask', req.hostId, '');
        await this.delay('getTask', ctx);
        // A caller that went away (a stopped runner) gets no task: handing it one would lose that task to
        // the next runner started against this fake.
        if (ctx.signal.aborted) throw new ConnectError('the client cancelled the call', Code.Canceled);
        const code = this.injectedFailure('getTask', '');
        if (code !== undefined) this.fail(call, code, 'GetTask failed on purpose');
        this.record(call);
        const task = this.queue.shift();
        const poll = this.nextPollOverride ?? this.opts.nextPollMs ?? 20;
        const n = this.callsOf('getTask').filter((c) => c.failedWith === undefined).length - 1;
        return {
          ...(task === undefined ? {} : { task }),
          nextPoll: duration(typeof poll === 'function' ? poll(n) : poll),
          nextHeartbeat: duration(heartbeatMs),
        };
      },
      heartbeat: async (req, ctx) => {
        const call = this.authorize(ctx, 'heartbeat', req.hostId, req.taskId);
        await this.delay('heartbeat', ctx);
        const limit = this.opts.heartbeatsBeforeFailing;
        if (limit !== undefined && this.callsOf('heartbeat', req.taskId).length >= limit) {
          this.injected.heartbeat += 1;
          this.fail(call, Code.Unavailable, 'heartbeat store unavailable');
        }
        const code = this.injectedFailure('heartbeat', req.taskId);
        if (code !== undefined) this.fail(call, code, 'heartbeat failed on purpose');
        const before = this.cancelled.get(req.taskId);
        const cancelled = before !== undefined && before <= 0;
        if (before !== undefined && before > 0) this.cancelled.set(req.taskId, before - 1);
        this.record({ ...call, cancelled });
        return { cancelled, nextHeartbeat: duration(heartbeatMs) };
      },
      finishTask: async (req, ctx) => {
        const call = this.authorize(ctx, 'finishTask', req.hostId, req.taskId);
        await this.delay('finishTask', ctx);
        const code = this.injectedFailure('finishTask', req.taskId);
        if (code !== undefined) this.fail(call, code, 'FinishTask failed on purpose', { finish: req });
        this.record({ ...call, finish: req });
        return {};
      },
      uploadAsset: async (requests, ctx) => {
        const call = this.authorize(ctx, 'uploadAsset', '', '');
        const chunks: Buffer[] = [];
        let meta: { hostId: string; taskId: string } | undefined;
        let checksum: Uint8Array | undefined;
        for await (const req of requests) {
          const m = req.msg;
          if (m.case === 'metadata') {
            if (meta !== undefined || chunks.length > 0) throw invalid('metadata must come first, once');
            meta = { hostId: m.value.hostId, taskId: m.value.taskId };
            this.arrive('uploadAsset', meta.taskId);
            await this.delay('uploadAsset', ctx);
          } else if (m.case === 'data') {
            if (meta === undefined || checksum !== undefined) throw invalid('data outside metadata..eof');
            if (m.value.data.length < 1 || m.value.data.length > 1024 * 1024) throw invalid('chunk size');
            chunks.push(Buffer.from(m.value.data));
            if (chunks.length > 1) continue;
            let code: Code | undefined;
            if (this.failUploads > 0) {
              this.failUploads -= 1;
              this.injected.uploadAsset += 1;
              code = Code.Unavailable;
            } else {
              code = this.injectedFailure('uploadAsset', meta.taskId);
            }
            if (code !== undefined) {
              this.failedUploads += 1;
              this.fail({ ...call, ...meta }, code, 'upload interrupted');
            }
          } else if (m.case === 'eof') {
            checksum = m.value.sha256Checksum;
          }
        }
        if (meta === undefined || checksum === undefined) throw invalid('upload without metadata or eof');
        const bytes = Buffer.concat(chunks);
        const checksumOk = createHash('sha256').update(bytes).digest().equals(Buffer.from(checksum));
        if (!checksumOk) {
          this.failedUploads += 1;
          this.fail({ ...call, ...meta }, Code.DataLoss, 'checksum mismatch');
        }
        this.record({ ...call, ...meta });
        this.uploads.push({ ...meta, bytes, chunkSizes: chunks.map((c) => c.length), checksumOk });
        this.events.emit('change');
        return {};
      },
    });
  }

  private tokenEndpoint(req: IncomingMessage, res: ServerResponse): void {
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== '/auth/v1/token') {
      reply(404, { error: 'not_found' });
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const result = this.checkTokenRequest(req, Buffer.concat(chunks).toString('utf8'));
      this.tokenRequests.push(result);
      this.events.emit('change');
      if (this.opts.tokenStatus !== undefined) {
        reply(this.opts.tokenStatus, { error: 'invalid_client', error_description: 'rejected by test' });
      } else if (!result.ok) {
        reply(401, { error: 'invalid_client', error_description: result.reason });
      } else {
        const token = randomBytes(24).toString('hex');
        const expiresIn = this.opts.tokenExpiresIn ?? 3600;
        const lifetimeS = this.opts.tokenLifetimeS ?? (expiresIn > 0 ? expiresIn : Infinity);
        this.issued.set(token, Date.now() + lifetimeS * 1000);
        reply(200, {
          access_token: token,
          token_type: 'bearer',
          ...(expiresIn > 0 ? { expires_in: expiresIn } : {}),
        });
      }
    });
  }

  private checkTokenRequest(req: IncomingMessage, body: string): TokenRequest {
    const fail = (reason: string, extra: Partial<TokenRequest> = {}): TokenRequest => ({
      ok: false,
      reason,
      ...extra,
    });
    if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') return fail('content type');
    const form = new URLSearchParams(body);
    if (form.get('client_id') !== this.clientId) return fail('client_id');
    if (form.get('grant_type') !== 'client_credentials') return fail('grant_type');
    if (form.get('client_assertion_type') !== ASSERTION_TYPE) return fail('client_assertion_type');
    const parts = (form.get('client_assertion') ?? '').split('.');
    if (parts.length !== 3) return fail('assertion is not a compact JWS');
    const [h, c, s] = parts as [string, string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
    const claims = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as Record<string, unknown>;
    const extra = { header, claims };
    if (!verify(null, Buffer.from(`${h}.${c}`), this.publicKey, Buffer.from(s, 'base64url'))) {
      return fail('signature', extra);
    }
    if (header.alg !== 'EdDSA') return fail('alg', extra);
    if (typeof header.nonce !== 'string' || !/^[0-9a-f]{32}$/.test(header.nonce)) return fail('nonce', extra);
    if (this.nonces.has(header.nonce)) return fail('nonce replayed', extra);
    this.nonces.add(header.nonce);
    if (claims.iss !== this.clientId || claims.sub !== this.clientId) return fail('iss/sub', extra);
    if (claims.aud !== this.audience) return fail('aud', extra);
    const now = (this.opts.now ?? Date.now)() / 1000;
    const num = (k: string): number => (typeof claims[k] === 'number' ? claims[k] : NaN);
    if (!(num('exp') > now && num('nbf') <= now && Math.abs(num('iat') - now) < 60))
      return fail('times', extra);
    return { ok: true, ...extra };
  }
}

function invalid(message: string): ConnectError {
  return new ConnectError(message, Code.InvalidArgument);
}

/** A client secret in ConductorOne's format for an Ed25519 private key. */
export function clientSecretFor(privateKey: KeyObject): string {
  const jwk = privateKey.export({ format: 'jwk' });
  return `secret-token:conductorone.com:v1:${Buffer.from(JSON.stringify(jwk)).toString('base64url')}`;
}
