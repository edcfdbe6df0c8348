/**
 * The Node, undici and SQLite error codes the program recognises, in one place. Adding a code here changes
 * how such a failure is classified everywhere (exit code, service status, retries); removing one needs a
 * reason, since scripts see the result.
 */

/** No room: a full filesystem, a quota, SQLite's own report of it. */
export const DISK_FULL_CODES: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

/** The connection was reset or closed under a request. */
export const RESET_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/** No connection could be made to the host. */
export const CONNECT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
]);

/** The host name did not resolve. */
export const DNS_CODES: ReadonlySet<string> = new Set(['ENOTFOUND', 'EAI_AGAIN']);

/** Every network failure: the far end (or the way to it) failed, not this program. */
export const NETWORK_CODES: ReadonlySet<string> = new Set([
  ...RESET_CODES,
  ...CONNECT_CODES,
  ...DNS_CODES,
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/**
 * Cancellation by the caller, as Node reports it without a DOMException: `ABORT_ERR` (Node's AbortError,
 * from timers/promises, events, streams, fs) and undici's RequestAbortedError.
 */
export const ABORT_CODES: ReadonlySet<string> = new Set(['ABORT_ERR', 'UND_ERR_ABORTED']);
