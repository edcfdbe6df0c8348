import { GrpcCode, isGrpcCode } from './grpc-code.js';

/**
 * The one base of the program's own errors. Each carries a stable string `errorCode` (for logs, tests and
 * scripts; never reworded once released) and the gRPC status it maps to (`grpcStatus`: the exit code and the
 * service-mode task status). Layers define kinds of it (BatonError, XmattersError, the write worker's and
 * the c1z writer's errors) and recognise them with `instanceof`, never by `name`.
 *
 * Subclasses keep the `code` field their callers read: BatonError's is the gRPC number, XmattersError's its
 * XM_* string. `errorCode` and `grpcStatus` are the layer-independent pair every classifier uses.
 */
export class CodedError extends Error {
  readonly errorCode: string;
  readonly grpcStatus: GrpcCode;
  constructor(errorCode: string, grpcStatus: GrpcCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.errorCode = errorCode;
    this.grpcStatus = grpcStatus;
  }

  // `name` follows the class, so logs and stack traces say which kind it is; nothing compares it.
  override get name(): string {
    return this.constructor.name;
  }
}

export const isCodedError = (e: unknown): e is CodedError => e instanceof CodedError;

/**
 * An error reduced to what survives structured clone (postMessage to or from a worker thread loses the class
 * and every own property but message and name). The receiving side rebuilds an error from it with
 * `errorFromRecord`, so a failure keeps its code and status across the boundary.
 */
export interface ErrorRecord {
  message: string;
  /** CodedError.errorCode, when the error was one. */
  errorCode?: string | undefined;
  /** CodedError.grpcStatus, when the error was one. */
  grpcStatus?: number | undefined;
  /** A Node or SQLite error code (`ENOSPC`, `SQLITE_FULL`), which disk-full and network checks read. */
  code?: string | undefined;
}

/** The record of `e` to post across a thread boundary. */
export function errorRecordOf(e: unknown): ErrorRecord {
  if (!(e instanceof Error)) return { message: String(e) };
  const code = (e as { code?: unknown }).code;
  return {
    message: e.message,
    ...(e instanceof CodedError ? { errorCode: e.errorCode, grpcStatus: e.grpcStatus } : {}),
    ...(typeof code === 'string' ? { code } : {}),
  };
}

/**
 * An error thrown on another thread, rebuilt on this one: a CodedError with the original code and status
 * (or `fallback`'s when the original was not a CodedError), the original message after `prefix`, and the
 * original Node/SQLite `code`.
 */
export class RemoteError extends CodedError {
  declare readonly code?: string;
  constructor(record: ErrorRecord, fallback: { errorCode: string; grpcStatus: GrpcCode }, prefix = '') {
    super(
      record.errorCode ?? fallback.errorCode,
      isGrpcCode(record.grpcStatus) ? record.grpcStatus : fallback.grpcStatus,
      prefix + record.message,
    );
    if (record.code !== undefined) this.code = record.code;
  }
}
