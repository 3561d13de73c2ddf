import { randomInt } from 'node:crypto';

/** `count` distinct 1-based positions of a number `length` digits long, chosen with a CSPRNG, ascending. */
export function choosePositions(length: number, count: number): number[] {
  const pool = Array.from({ length }, (_, i) => i + 1);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, Math.max(0, Math.min(count, length))).sort((a, b) => a - b);
}
