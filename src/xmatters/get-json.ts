import { abortReason } from '../common/abort.js';
import { XmattersError, XmattersErrorCode } from './errors.js';
import { interpretResponse, type AttemptResult, type RetryableFailure } from './interpret-response.js';
import type { RequestContext } from './request-context.js';
import { backoffDelay } from './retry-policy.js';
import { sendGet, TransportFailure } from './send-get.js';

async function attempt(
  ctx: RequestContext,
  path: string,
  signal: AbortSignal | undefined,
): Promise<AttemptResult> {
  const permit = await ctx.limiter.acquire(signal);
  ctx.stats.requests++;
  let res;
  try {
    res = await sendGet({
      dispatcher: ctx.dispatcher,
      origin: ctx.origin,
      path,
      headers: ctx.headers,
      timeoutMs: ctx.timeoutMs,
      maxBodyBytes: ctx.maxBodyBytes,
      signal,
    });
  } catch (e) {
    permit.release('error');
    if (!(e instanceof TransportFailure)) throw e;
    switch (e.kind) {
      case 'aborted':
        throw abortReason(signal);
      case 'timeout':
      case 'reset':
      case 'connect':
      case 'socket':
        return {
          kind: 'retry',
          reason: e.kind,
          detail: e.message,
          ...(e.status === undefined ? {} : { status: e.status }),
        };
      case 'too-large':
        throw new XmattersError(
          XmattersErrorCode.BAD_RESPONSE,
          `xMatters sent a response for GET ${path} that is too large (${e.message}); lower the page size.`,
          { method: 'GET', path, cause: e },
        );
      case 'dns':
      case 'tls':
        throw new XmattersError(
          XmattersErrorCode.UNAVAILABLE,
          `Cannot reach ${ctx.origin} for GET ${path}: ${e.message}. Check the host name in the base URL` +
            (e.kind === 'tls'
              ? ' and the TLS certificate chain (NODE_EXTRA_CA_CERTS for a private CA).'
              : '.'),
          { method: 'GET', path, attempts: 1, cause: e },
        );
    }
  }
  permit.release(res.status === 429 ? 'throttled' : res.status < 500 ? 'ok' : 'error');
  return interpretResponse(res, path, ctx.username, ctx.policy, ctx.now());
}

function exhausted(
  ctx: RequestContext,
  path: string,
  last: RetryableFailure,
  attempts: number,
  waitedMs: number,
  why: string,
): XmattersError {
  const seconds = (waitedMs / 1000).toFixed(1);
  const summary = `GET ${path} failed after ${attempts} attempt${attempts === 1 ? '' : 's'} (${seconds} s of waiting; ${why}); last: ${last.detail}.`;
  const details = {
    method: 'GET',
    path,
    attempts,
    ...(last.status === undefined ? {} : { status: last.status }),
  };
  if (last.reason === 'http-429') {
    return new XmattersError(
      XmattersErrorCode.RATE_LIMITED,
      `${summary} xMatters is throttling this client; its API bandwidth is shared with alerting, so lower the ` +
        'number of requests in flight or run the sync at a quieter time.',
      details,
    );
  }
  if (last.reason === 'timeout') {
    return new XmattersError(
      XmattersErrorCode.TIMEOUT,
      `${summary} No complete response arrived within ${ctx.timeoutMs} ms; raise the request timeout, lower the ` +
        `page size, or check connectivity to ${ctx.origin}.`,
      details,
    );
  }
  return new XmattersError(
    XmattersErrorCode.UNAVAILABLE,
    `${summary} xMatters at ${ctx.origin} is unreachable or failing; check the base URL and network, or try again later.`,
    details,
  );
}

/**
 * GETs a path on the configured origin and returns its parsed JSON, retrying 429/5xx, resets and timeouts
 * with backoff through the shared limiter. Throws XmattersError for everything else, or the caller's
 * abort reason when `signal` fires.
 */
export async function getJson(ctx: RequestContext, path: string, signal?: AbortSignal): Promise<unknown> {
  let waitedMs = 0;
  for (let n = 1; ; n++) {
    const result = await attempt(ctx, path, signal);
    if (result.kind === 'ok') return result.json;
    if (n >= ctx.maxAttempts) throw exhausted(ctx, path, result, n, waitedMs, 'attempt limit reached');
    const wait =
      result.serverDelayMs !== undefined
        ? Math.min(result.serverDelayMs, ctx.policy.maxServerDelayMs)
        : backoffDelay(n, ctx.random, ctx.policy);
    if (waitedMs + wait > ctx.maxTotalWaitMs) {
      throw exhausted(
        ctx,
        path,
        result,
        n,
        waitedMs,
        `the next wait of ${wait} ms would pass the ${ctx.maxTotalWaitMs} ms wait limit`,
      );
    }
    ctx.stats.retries++;
    ctx.stats.retriesByReason[result.reason] = (ctx.stats.retriesByReason[result.reason] ?? 0) + 1;
    ctx.logger?.debug(
      { reason: result.reason, status: result.status, path, attempt: n, waitMs: wait },
      'retrying xMatters request',
    );
    if (signal?.aborted) throw abortReason(signal);
    await ctx.sleep(wait, signal);
    waitedMs += wait;
    ctx.stats.waitedMs += wait;
  }
}
