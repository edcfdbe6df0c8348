import { BatonError, GrpcCode, isBatonError } from '../baton/errors.js';
import { XmattersErrorCode, isXmattersError } from '../xmatters/index.js';

/** xMatters client failures as gRPC codes, the way baton-sdk's uhttp maps HTTP failures. */
const CODE_MAP: Readonly<Record<XmattersErrorCode, GrpcCode>> = {
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

/** Keeps the client's message (it already says what failed and how to fix it) and adds the exit code. */
export function toBatonError(err: unknown): unknown {
  if (isBatonError(err) || !isXmattersError(err)) return err;
  return new BatonError(CODE_MAP[err.code], err.message, { cause: err });
}
