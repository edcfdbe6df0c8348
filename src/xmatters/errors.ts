/**
 * The xMatters client's error type. Every failure the client raises is an XmattersError with a stable
 * `code`; the connector maps codes to gRPC status numbers. Messages name what failed, where, and how to fix
 * it, and never contain credentials: `path` is the request path on the configured origin, nothing more.
 */
export const XmattersErrorCode = {
  /** Invalid configuration (base URL, options). */
  CONFIG: 'XM_CONFIG',
  /** 401: the user name / password (or API key / secret) was rejected. */
  AUTH: 'XM_AUTH',
  /** 403: the user may not call this endpoint. */
  PERMISSION: 'XM_PERMISSION',
  /** 404 outside the cases the client turns into typed results. */
  NOT_FOUND: 'XM_NOT_FOUND',
  /** 429 still answered after every allowed attempt. */
  RATE_LIMITED: 'XM_RATE_LIMITED',
  /** 5xx, connection resets or socket errors after every allowed attempt. */
  UNAVAILABLE: 'XM_UNAVAILABLE',
  /** The per-request timeout expired on every allowed attempt. */
  TIMEOUT: 'XM_TIMEOUT',
  /** A body that is not the JSON the API promises (HTML, truncated, wrong type, wrong shape). */
  BAD_RESPONSE: 'XM_BAD_RESPONSE',
  /** Any other 4xx, carrying the xMatters error object. */
  REQUEST: 'XM_REQUEST',
  /** Pagination that cannot be followed safely (a `next` link seen before). */
  PAGINATION: 'XM_PAGINATION',
  /** A pagination link pointing at another origin: never followed, credentials never sent there. */
  FOREIGN_ORIGIN: 'XM_FOREIGN_ORIGIN',
} as const;
export type XmattersErrorCode = (typeof XmattersErrorCode)[keyof typeof XmattersErrorCode];

/** The JSON error object xMatters returns with 4xx/5xx responses (docs/xmatters-api.md, "Endpoints used"). */
export interface XmattersApiError {
  code?: number;
  reason?: string;
  message?: string;
  subcode?: string;
}

export interface XmattersErrorDetails {
  status?: number;
  /** Always 'GET' for requests; absent for configuration errors. */
  method?: string;
  /** Path and query on the configured origin, e.g. /api/xm/1/people?offset=0&limit=1000. */
  path?: string;
  attempts?: number;
  apiError?: XmattersApiError;
  cause?: unknown;
}

export class XmattersError extends Error {
  // `declare`: absent details stay absent instead of becoming own properties set to undefined.
  override readonly name = 'XmattersError';
  readonly code: XmattersErrorCode;
  declare readonly status?: number;
  declare readonly method?: string;
  declare readonly path?: string;
  declare readonly attempts?: number;
  declare readonly apiError?: XmattersApiError;

  constructor(code: XmattersErrorCode, message: string, details: XmattersErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    if (details.status !== undefined) this.status = details.status;
    if (details.method !== undefined) this.method = details.method;
    if (details.path !== undefined) this.path = details.path;
    if (details.attempts !== undefined) this.attempts = details.attempts;
    if (details.apiError !== undefined) this.apiError = details.apiError;
  }
}

const CODES = new Set<string>(Object.values(XmattersErrorCode));

export const isXmattersError = (e: unknown): e is XmattersError =>
  e instanceof Error && e.name === 'XmattersError' && CODES.has((e as XmattersError).code);

/** True when `e` is an XmattersError with one of the given codes. */
export const hasXmattersCode = (e: unknown, ...codes: XmattersErrorCode[]): e is XmattersError =>
  isXmattersError(e) && codes.includes(e.code);
