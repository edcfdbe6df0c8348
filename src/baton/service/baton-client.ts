import type { MessageInitShape } from '@bufbuild/protobuf';
import { Code, ConnectError, createClient, type Client, type Interceptor } from '@connectrpc/connect';
import { createGrpcTransport, Http2SessionManager } from '@connectrpc/connect-node';
import {
  BatonService,
  type BatonServiceFinishTaskRequestSchema,
  type BatonServiceFinishTaskResponse,
  type BatonServiceGetTaskResponse,
  type BatonServiceHeartbeatResponse,
  type BatonServiceHelloRequestSchema,
  type BatonServiceHelloResponse,
  type BatonServiceUploadAssetRequestSchema,
  type BatonServiceUploadAssetResponse,
} from '../gen/c1/connectorapi/baton/v1/baton_pb.js';
import type { RpcName } from './rpc-retry.js';
import type { TokenSource } from './token-source.js';

export interface BatonClientOptions {
  /** `https://host[:port]`. */
  baseUrl: string;
  tokens: TokenSource;
  /** `<clientName> baton-sdk/<sdk version>` (docs/service-mode.md, "The conversation"). */
  userAgent: string;
  /** Sent in every request (BATON_HOST_ID, else the host name). */
  hostId: string;
  /** CA certificates (PEM) trusted instead of Node's bundled roots: tests use a throwaway CA. */
  ca?: string | Buffer | undefined;
  /** Deadline of Hello, GetTask and Heartbeat; 0 for none. FinishTask has its own, the upload none. */
  rpcTimeoutMs: number;
}

/** host_id is overwritten with the client's. */
type HelloInit = MessageInitShape<typeof BatonServiceHelloRequestSchema>;
type FinishInit = MessageInitShape<typeof BatonServiceFinishTaskRequestSchema>;
type UploadInit = MessageInitShape<typeof BatonServiceUploadAssetRequestSchema>;

/**
 * ConductorOne's BatonService over gRPC on HTTP/2 with TLS 1.2+ (docs/service-mode.md, "The conversation").
 * Every call carries `authorization: <type> <token>` and the SDK-style user agent; an UNAUTHENTICATED answer
 * drops the token it was sent with, so the retry (see rpc-retry.ts) fetches a fresh one. Calls are single
 * attempts: callers choose the retry policy, which differs per call.
 */
export class BatonClient {
  readonly hostId: string;
  /** Retries made so far, per RPC (for logs and the soak benchmark). */
  readonly retries: Record<RpcName, number> = {
    hello: 0,
    getTask: 0,
    heartbeat: 0,
    finishTask: 0,
    uploadAsset: 0,
  };
  private readonly rpc: Client<typeof BatonService>;
  private readonly session: Http2SessionManager;
  private readonly timeoutMs: number;

  constructor(opts: BatonClientOptions) {
    this.hostId = opts.hostId;
    this.timeoutMs = opts.rpcTimeoutMs;
    this.session = new Http2SessionManager(
      opts.baseUrl,
      { pingIntervalMs: 30_000, idleConnectionTimeoutMs: 5 * 60_000 },
      { minVersion: 'TLSv1.2', ...(opts.ca === undefined ? {} : { ca: opts.ca }) },
    );
    const auth: Interceptor = (next) => async (req) => {
      const token = await opts.tokens.token(req.signal);
      req.header.set('authorization', `${token.type} ${token.value}`);
      req.header.set('user-agent', opts.userAgent);
      try {
        return await next(req);
      } catch (err) {
        if (ConnectError.from(err).code === Code.Unauthenticated) opts.tokens.invalidate(token.value);
        throw err;
      }
    };
    const transport = createGrpcTransport({
      baseUrl: opts.baseUrl,
      sessionManager: this.session,
      interceptors: [auth],
    });
    this.rpc = createClient(BatonService, transport);
  }

  hello(req: HelloInit, signal: AbortSignal): Promise<BatonServiceHelloResponse> {
    return this.rpc.hello({ ...req, hostId: this.hostId }, this.call(signal));
  }

  getTask(signal: AbortSignal): Promise<BatonServiceGetTaskResponse> {
    return this.rpc.getTask({ hostId: this.hostId }, this.call(signal));
  }

  /** `timeoutMs`, when given, bounds this attempt more tightly than the client's RPC deadline. */
  heartbeat(taskId: string, signal: AbortSignal, timeoutMs?: number): Promise<BatonServiceHeartbeatResponse> {
    const opts = this.call(signal);
    if (timeoutMs !== undefined) opts.timeoutMs = Math.min(timeoutMs, opts.timeoutMs ?? timeoutMs);
    return this.rpc.heartbeat({ hostId: this.hostId, taskId }, opts);
  }

  /** `timeoutMs` bounds this attempt (FinishTask has its own deadline, not the task's). */
  finishTask(
    req: FinishInit,
    signal: AbortSignal,
    timeoutMs: number,
  ): Promise<BatonServiceFinishTaskResponse> {
    return this.rpc.finishTask({ ...req, hostId: this.hostId }, { signal, timeoutMs });
  }

  uploadAsset(
    messages: AsyncIterable<UploadInit>,
    signal: AbortSignal,
  ): Promise<BatonServiceUploadAssetResponse> {
    return this.rpc.uploadAsset(messages, { signal });
  }

  countRetry(rpc: RpcName): void {
    this.retries[rpc] += 1;
  }

  /** Closes the HTTP/2 connection; calls still in flight fail. */
  close(): void {
    this.session.abort();
  }

  private call(signal: AbortSignal): { signal: AbortSignal; timeoutMs?: number } {
    return this.timeoutMs > 0 ? { signal, timeoutMs: this.timeoutMs } : { signal };
  }
}
