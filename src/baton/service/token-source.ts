import type { Dispatcher } from 'undici';
import { abortReason } from '../../common/abort.js';
import { BatonError, GrpcCode } from '../errors.js';
import type { C1Endpoint } from './c1-endpoint.js';
import { createClientAssertion } from './client-assertion.js';
import type { ClientId } from './client-id.js';
import type { ClientKey } from './client-secret.js';

export interface AccessToken {
  /** `Bearer` unless the server says otherwise; the first word of the `authorization` metadata. */
  readonly type: string;
  readonly value: string;
}

export interface TokenSourceOptions {
  clientId: ClientId;
  key: ClientKey;
  endpoint: C1Endpoint;
  /** The HTTPS dispatcher (TLS settings, timeouts); owned and closed by the caller. */
  dispatcher: Dispatcher;
  now?: () => number;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/**
 * Refresh this long before expiry, or halfway through a shorter-lived token, so no RPC leaves with a stale
 * token even when the process is descheduled for a while between taking the token and sending the call.
 */
const REFRESH_MARGIN_MS = 60_000;

interface Cached {
  token: AccessToken;
  /** Undefined: the server gave no lifetime, so the token is kept until the server rejects it. */
  refreshAt: number | undefined;
}

/** A token request that gets no answer in this time fails (UNAVAILABLE) and is retried by its callers. */
const TOKEN_REQUEST_TIMEOUT_MS = 30_000;

/**
 * OAuth2 client credentials with a `private_key_jwt` assertion against ConductorOne's token endpoint
 * (docs/service-mode.md, "Credentials"). The token is cached until shortly before it expires, concurrent
 * callers share one request (which no single caller's abort cancels), and invalidate() drops a token the
 * server answered UNAUTHENTICATED to.
 */
export class TokenSource {
  private cached: Cached | undefined;
  private pending: Promise<Cached> | undefined;
  private readonly now: () => number;

  constructor(private readonly opts: TokenSourceOptions) {
    this.now = opts.now ?? Date.now;
  }

  async token(signal?: AbortSignal): Promise<AccessToken> {
    signal?.throwIfAborted();
    const cached = this.cached;
    if (cached !== undefined && (cached.refreshAt === undefined || this.now() < cached.refreshAt)) {
      return cached.token;
    }
    this.pending ??= this.fetch()
      .then((fresh) => {
        this.cached = fresh;
        return fresh;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return (await untilAborted(this.pending, signal)).token;
  }

  /** Drops the cached token if it is `value` (or whatever it is, without one), so the next call gets a new one. */
  invalidate(value?: string): void {
    if (value === undefined || this.cached?.token.value === value) this.cached = undefined;
  }

  private async fetch(): Promise<Cached> {
    const signal = AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS);
    const { clientId, key, endpoint, dispatcher } = this.opts;
    const started = this.now();
    const body = new URLSearchParams({
      client_id: clientId.value,
      grant_type: 'client_credentials',
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await createClientAssertion({
        clientId: clientId.value,
        audience: endpoint.audience,
        key,
        now: started,
      }),
    }).toString();
    const url = new URL(endpoint.tokenUrl);
    let statusCode: number;
    let text: string;
    try {
      const res = await dispatcher.request({
        origin: url.origin,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal,
      });
      statusCode = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      throw new BatonError(
        GrpcCode.UNAVAILABLE,
        `could not reach the ConductorOne token endpoint ${endpoint.tokenUrl}`,
        { cause: err },
      );
    }
    if (statusCode !== 200) throw tokenError(statusCode, text, endpoint.tokenUrl);
    const parsed = parseTokenResponse(text);
    if (parsed === undefined) {
      throw new BatonError(
        GrpcCode.UNAVAILABLE,
        `the ConductorOne token endpoint ${endpoint.tokenUrl} answered without an access token`,
      );
    }
    const lifetimeMs = parsed.expiresIn > 0 ? parsed.expiresIn * 1000 : undefined;
    if (lifetimeMs !== undefined && this.now() >= started + lifetimeMs) {
      // Slower than the token's whole lifetime: sending it would only earn an UNAUTHENTICATED.
      throw new BatonError(
        GrpcCode.UNAVAILABLE,
        `the ConductorOne token endpoint ${endpoint.tokenUrl} answered with a token that had already expired`,
      );
    }
    return {
      token: parsed.token,
      refreshAt:
        lifetimeMs === undefined
          ? undefined
          : started + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2),
    };
  }
}

/** `promise`, or the abort reason as soon as `signal` aborts (the promise itself goes on). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

function parseTokenResponse(text: string): { token: AccessToken; expiresIn: number } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const o = json as Record<string, unknown>;
  if (typeof o.access_token !== 'string' || o.access_token === '') return undefined;
  const type = typeof o.token_type === 'string' ? o.token_type : '';
  return {
    token: { type: tokenType(type), value: o.access_token },
    expiresIn: typeof o.expires_in === 'number' && Number.isFinite(o.expires_in) ? o.expires_in : 0,
  };
}

/** Go's oauth2 Token.Type(): canonical capitalisation of the common types, Bearer when absent. */
function tokenType(type: string): string {
  const canonical: Record<string, string> = { '': 'Bearer', bearer: 'Bearer', mac: 'MAC', basic: 'Basic' };
  return canonical[type.toLowerCase()] ?? type;
}

/** 400/401/403 mean the credentials are wrong, which no retry fixes; anything else may pass. */
function tokenError(status: number, text: string, tokenUrl: string): BatonError {
  const oauthError = oauthErrorCode(text);
  const detail = `HTTP ${status}${oauthError === undefined ? '' : `, ${oauthError}`}`;
  if (status === 400 || status === 401 || status === 403) {
    return new BatonError(
      GrpcCode.UNAUTHENTICATED,
      `ConductorOne rejected the client credentials (${detail}): check BATON_CLIENT_ID and ` +
        'BATON_CLIENT_SECRET, and that the credential was not deleted or rotated in ConductorOne',
    );
  }
  return new BatonError(
    GrpcCode.UNAVAILABLE,
    `the ConductorOne token endpoint ${tokenUrl} answered ${detail}`,
  );
}

/** The OAuth2 `error` code (`invalid_client`...), only when it is a plain identifier: bodies are not echoed. */
function oauthErrorCode(text: string): string | undefined {
  try {
    const json = JSON.parse(text) as { error?: unknown };
    return typeof json.error === 'string' && /^[a-z_]{1,64}$/.test(json.error) ? json.error : undefined;
  } catch {
    return undefined;
  }
}
