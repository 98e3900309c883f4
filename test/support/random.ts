/** A small seeded PRNG (mulberry32): reproducible cases. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * How many generated cases a differential test runs: `n`, or a quarter of it under `npm run mutate`
 * (scripts/mutate.mjs sets MUTATION_RUN), where the test runs again for every mutant that reaches the code it checks.
 * Every seed stays the same, so a quarter run is the first quarter of the full one.
 */
export const generated = (n: number): number => (process.env.MUTATION_RUN ? Math.ceil(n / 4) : n);
