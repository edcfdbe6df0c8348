import { CodedError } from '../common/coded-error.js';
import { GrpcCode, grpcCodeName } from '../common/grpc-code.js';

export { GrpcCode, grpcCodeName };

/**
 * The Baton layer's kind of CodedError. Every failure that reaches the CLI carries a gRPC status code, because
 * Go Baton connectors (baton-sdk v0.25 `pkg/exit`) exit with that number and users script against it. `code`
 * is that number (the same as `grpcStatus`); `errorCode` is the status name unless a subclass gives a more
 * precise one.
 */
export class BatonError extends CodedError {
  readonly code: GrpcCode;
  constructor(code: GrpcCode, message: string, options?: { cause?: unknown; errorCode?: string }) {
    super(options?.errorCode ?? grpcCodeName(code), code, message, options);
    this.code = code;
  }
}

export const isBatonError = (e: unknown): e is BatonError => e instanceof BatonError;
