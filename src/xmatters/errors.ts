import { CodedError } from '../common/coded-error.js';
import { GrpcCode } from '../common/grpc-code.js';

/**
 * The xMatters client's kind of CodedError. Every failure the client raises is an XmattersError with a stable
 * `code` (also its `errorCode`) and the gRPC status it maps to. Messages name what failed, where, and how to
 * fix it, and never contain credentials: `path` is the request path on the configured origin, nothing more.
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

/**
 * Client failures as gRPC codes, the way baton-sdk's uhttp maps HTTP failures (the README's Exit codes). The
 * numbers are a user contract: scripts branch on the exit code.
 */
const GRPC_STATUS: Readonly<Record<XmattersErrorCode, GrpcCode>> = {
  [XmattersErrorCode.CONFIG]: GrpcCode.INVALID_ARGUMENT,
  [XmattersErrorCode.AUTH]: GrpcCode.UNAUTHENTICATED,
  [XmattersErrorCode.PERMISSION]: GrpcCode.PERMISSION_DENIED,
  [XmattersErrorCode.NOT_FOUND]: GrpcCode.NOT_FOUND,
  [XmattersErrorCode.RATE_LIMITED]: GrpcCode.UNAVAILABLE,
  [XmattersErrorCode.UNAVAILABLE]: GrpcCode.UNAVAILABLE,
  [XmattersErrorCode.TIMEOUT]: GrpcCode.UNAVAILABLE,
  [XmattersErrorCode.BAD_RESPONSE]: GrpcCode.INTERNAL,
  [XmattersErrorCode.REQUEST]: GrpcCode.FAILED_PRECONDITION,
  [XmattersErrorCode.PAGINATION]: GrpcCode.INTERNAL,
  [XmattersErrorCode.FOREIGN_ORIGIN]: GrpcCode.INTERNAL,
};

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

export class XmattersError extends CodedError {
  // `declare`: absent details stay absent instead of becoming own properties set to undefined.
  readonly code: XmattersErrorCode;
  declare readonly status?: number;
  declare readonly method?: string;
  declare readonly path?: string;
  declare readonly attempts?: number;
  declare readonly apiError?: XmattersApiError;

  constructor(code: XmattersErrorCode, message: string, details: XmattersErrorDetails = {}) {
    super(
      code,
      GRPC_STATUS[code],
      message,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.code = code;
    if (details.status !== undefined) this.status = details.status;
    if (details.method !== undefined) this.method = details.method;
    if (details.path !== undefined) this.path = details.path;
    if (details.attempts !== undefined) this.attempts = details.attempts;
    if (details.apiError !== undefined) this.apiError = details.apiError;
  }
}

export const isXmattersError = (e: unknown): e is XmattersError => e instanceof XmattersError;

/** True when `e` is an XmattersError with one of the given codes. */
export const hasXmattersCode = (e: unknown, ...codes: XmattersErrorCode[]): e is XmattersError =>
  isXmattersError(e) && codes.includes(e.code);
