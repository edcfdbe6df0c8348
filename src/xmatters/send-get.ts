import type { Dispatcher } from 'undici';
import { causeChain, errnoOf } from '../common/causes.js';
import { CodedError } from '../common/coded-error.js';
import { CONNECT_CODES, DNS_CODES, RESET_CODES } from '../common/errno-codes.js';
import { GrpcCode } from '../common/grpc-code.js';
import type { HeaderMap } from './server-delay.js';

/** One completed HTTP exchange: the status, headers and the whole body as text. */
export interface RawResponse {
  status: number;
  headers: HeaderMap;
  body: string;
}

/** Why an attempt produced no response. `aborted` is the caller's own cancellation and is never retried. */
export type TransportFailureKind =
  'timeout' | 'reset' | 'connect' | 'socket' | 'dns' | 'tls' | 'too-large' | 'aborted';

/**
 * One attempt that got no usable response. The retry loop (get-json.ts) turns it into a retry or an
 * XmattersError, which keeps it as its cause; its own status matters only if it ever escaped alone.
 */
export class TransportFailure extends CodedError {
  readonly kind: TransportFailureKind;
  /** The Node or undici error code behind it (`ECONNRESET`, `UND_ERR_SOCKET`), when there was one. */
  readonly errno: string | undefined;
  /** The HTTP status when the failure came after the response headers (a body cut off mid-way). */
  readonly status: number | undefined;
  constructor(
    kind: TransportFailureKind,
    message: string,
    errno: string | undefined,
    cause: unknown,
    status?: number,
  ) {
    super(`XM_TRANSPORT_${kind.toUpperCase().replace('-', '_')}`, TRANSPORT_STATUS[kind], message, { cause });
    this.kind = kind;
    this.errno = errno;
    this.status = status;
  }
}

const TRANSPORT_STATUS: Readonly<Record<TransportFailureKind, GrpcCode>> = {
  timeout: GrpcCode.UNAVAILABLE,
  reset: GrpcCode.UNAVAILABLE,
  connect: GrpcCode.UNAVAILABLE,
  socket: GrpcCode.UNAVAILABLE,
  dns: GrpcCode.UNAVAILABLE,
  tls: GrpcCode.UNAVAILABLE,
  'too-large': GrpcCode.INTERNAL,
  aborted: GrpcCode.CANCELLED,
};

export interface SendGetOptions {
  dispatcher: Dispatcher;
  /** `http(s)://host[:port]`. */
  origin: string;
  /**
   * Path and query, sent exactly as given: a WHATWG URL parse would resolve `%2E%2E` segments (an id of
   * `..`) away, so the request goes through the dispatcher with origin and path apart, never a URL string.
   */
  path: string;
  headers: Record<string, string>;
  timeoutMs: number;
  maxBodyBytes: number;
  signal?: AbortSignal | undefined;
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/;

/** The most telling error code in the chain: the system's (ECONNRESET) before undici's wrapper (UND_ERR_SOCKET). */
function errorCodeOf(e: unknown): string | undefined {
  for (const cur of causeChain(e)) {
    const code = errnoOf(cur);
    if (code !== undefined && !code.startsWith('UND_ERR_')) return code;
  }
  const code = (e as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function classify(e: unknown, timedOut: boolean, callerAborted: boolean): TransportFailure {
  const code = errorCodeOf(e);
  const text = e instanceof Error ? e.message : String(e);
  if (callerAborted) return new TransportFailure('aborted', 'request aborted by the caller', code, e);
  if (timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new TransportFailure('timeout', 'no complete response before the timeout', code, e);
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT')
    return new TransportFailure('timeout', 'connection timed out', code, e);
  if (code !== undefined && RESET_CODES.has(code)) {
    return new TransportFailure('reset', `connection reset (${code})`, code, e);
  }
  if (code !== undefined && CONNECT_CODES.has(code)) {
    return new TransportFailure('connect', `cannot connect (${code})`, code, e);
  }
  if (code !== undefined && DNS_CODES.has(code))
    return new TransportFailure('dns', `host name not found (${code})`, code, e);
  if (code !== undefined && TLS_CODES.test(code))
    return new TransportFailure('tls', `TLS failure (${code})`, code, e);
  return new TransportFailure('socket', `network error (${code ?? text.slice(0, 80)})`, code, e);
}

/**
 * A failure while reading the body, after the status line and headers arrived: the message says so, with the
 * status and how much of the announced body came, e.g. `HTTP 200 body cut off after 246 of 492 bytes:
 * connection reset (UND_ERR_SOCKET)`. The kind (and so the retry decision) stays that of the underlying failure.
 */
function cutOff(f: TransportFailure, status: number, headers: HeaderMap, received: number): TransportFailure {
  if (f.kind === 'aborted') return f;
  const raw = headers['content-length'];
  const announced = Array.isArray(raw) ? raw[0] : raw;
  const of = announced === undefined ? '' : ` of ${announced}`;
  return new TransportFailure(
    f.kind,
    `HTTP ${status} body cut off after ${received}${of} bytes: ${f.message}`,
    f.errno,
    f.cause,
    status,
  );
}

/**
 * Sends one GET and reads the whole body. The request timeout covers connect, headers and body together;
 * undici's own phase timeouts are set to the same bound in the Agent. Only GET exists here by design.
 */
export async function sendGet(opts: SendGetOptions): Promise<RawResponse> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error('request timeout'));
  }, opts.timeoutMs);
  const onCallerAbort = (): void => controller.abort(opts.signal?.reason);
  if (opts.signal?.aborted) onCallerAbort();
  else opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    const res = await opts.dispatcher.request({
      origin: opts.origin,
      path: opts.path,
      method: 'GET',
      headers: opts.headers,
      signal: controller.signal,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > opts.maxBodyBytes) {
          res.body.destroy();
          throw new TransportFailure(
            'too-large',
            `response body larger than ${opts.maxBodyBytes} bytes`,
            undefined,
            undefined,
          );
        }
        chunks.push(chunk);
      }
    } catch (e) {
      if (e instanceof TransportFailure) throw e;
      throw cutOff(classify(e, timedOut, opts.signal?.aborted === true), res.statusCode, res.headers, size);
    }
    return {
      status: res.statusCode,
      headers: res.headers,
      body: Buffer.concat(chunks, size).toString('utf8'),
    };
  } catch (e) {
    if (e instanceof TransportFailure) throw e;
    throw classify(e, timedOut, opts.signal?.aborted === true);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onCallerAbort);
  }
}
