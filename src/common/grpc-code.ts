/**
 * gRPC status codes (google.rpc.Code). Every failure the program reports maps to one: the CLI exits with its
 * number, as Go Baton connectors do (baton-sdk `pkg/exit`), and service mode finishes a task with it. The
 * numbers are fixed by gRPC and scripts depend on them; never renumber.
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

const CODES = new Set<number>(Object.values(GrpcCode));

/** Whether `n` is one of the gRPC status numbers (for values that crossed a thread or process boundary). */
export const isGrpcCode = (n: unknown): n is GrpcCode => typeof n === 'number' && CODES.has(n);
