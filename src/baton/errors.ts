/**
 * The Baton layer's error type. Every failure that reaches the CLI carries a gRPC status code, because
 * Go Baton connectors (baton-sdk v0.25 `pkg/exit`) exit with that number and users script against it.
 */
export const GrpcCode = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;
export type GrpcCode = (typeof GrpcCode)[keyof typeof GrpcCode];

export const grpcCodeName = (code: number): string =>
  Object.entries(GrpcCode).find(([, v]) => v === code)?.[0] ?? 'UNKNOWN';

export class BatonError extends Error {
  override readonly name = 'BatonError';
  readonly code: GrpcCode;
  constructor(code: GrpcCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export const isBatonError = (e: unknown): e is BatonError =>
  e instanceof Error && e.name === 'BatonError' && typeof (e as BatonError).code === 'number';
