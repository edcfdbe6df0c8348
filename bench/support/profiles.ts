// The benchmark profiles of issue #6: tenant size and the simulator's latency model.

export interface BenchProfile {
  name: string;
  people: number;
  groups: number;
  seed: number;
  /** Added to every simulator answer. */
  latencyMs: number;
  /** Added per item in a list answer. */
  perItemLatencyMs: number;
  /** Requests in flight allowed to the connector (its default). */
  maxInFlight: number;
}

const LARGE = { people: 100_000, groups: 10_000, seed: 1, maxInFlight: 5 };

export const PROFILES: Readonly<Record<string, BenchProfile>> = {
  small: {
    name: 'small',
    people: 1_000,
    groups: 100,
    seed: 1,
    latencyMs: 20,
    perItemLatencyMs: 0.02,
    maxInFlight: 5,
  },
  // generateTenant's defaults give 2 groups of 2,000 members, 20% empty groups and about 156k memberships.
  medium: {
    name: 'medium',
    people: 20_000,
    groups: 2_000,
    seed: 1,
    latencyMs: 20,
    perItemLatencyMs: 0.02,
    maxInFlight: 5,
  },
  // generateTenant's defaults give 10 groups of 10k members, 20% empty groups and about 750k memberships.
  large: { name: 'large', ...LARGE, latencyMs: 20, perItemLatencyMs: 0.02 },
  // The same tenant without latency: what our own decoding, protobuf, SQLite and zstd cost.
  local: { name: 'local', ...LARGE, latencyMs: 0, perItemLatencyMs: 0 },
};
