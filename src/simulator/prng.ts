/**
 * A small seeded PRNG (mulberry32): the same seed gives the same tenant and the same fault sequence on every
 * machine, so tests and benchmarks are reproducible.
 */
export type Rng = () => number;

export function createRng(seed: number): Rng {
  let a = seed >>> 0 || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export const randInt = (rng: Rng, n: number): number => Math.floor(rng() * n);

export const pick = <T>(rng: Rng, items: readonly T[]): T => items[randInt(rng, items.length)] as T;

/** A version-4-shaped UUID drawn from the PRNG. */
export function randomUuid(rng: Rng): string {
  const hex = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += randInt(rng, 16).toString(16);
    return s;
  };
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + randInt(rng, 4)).toString(16)}${hex(3)}-${hex(12)}`;
}
