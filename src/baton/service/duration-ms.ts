import type { Duration } from '@bufbuild/protobuf/wkt';

/** A protobuf Duration in milliseconds; 0 when absent. */
export function durationMs(d: Duration | undefined): number {
  if (d === undefined) return 0;
  return Number(d.seconds) * 1000 + Math.floor(d.nanos / 1_000_000);
}
