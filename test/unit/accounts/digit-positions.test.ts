import { describe, expect, it } from '@jest/globals';
import { choosePositions } from '../../../src/accounts/digit-positions.js';

function expectValid(positions: number[], length: number, count: number): void {
  expect(positions).toHaveLength(Math.min(count, length));
  expect(new Set(positions).size).toBe(positions.length);
  for (const position of positions) {
    expect(Number.isInteger(position)).toBe(true);
    expect(position).toBeGreaterThanOrEqual(1);
    expect(position).toBeLessThanOrEqual(length);
  }
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
}

describe('choosePositions', () => {
  it('gives `count` distinct ascending positions within 1..length', () => {
    for (let length = 4; length <= 16; length++) {
      for (let count = 1; count <= length; count++) {
        for (let run = 0; run < 5; run++) expectValid(choosePositions(length, count), length, count);
      }
    }
  });

  it('caps the count at the length', () => {
    expect(choosePositions(4, 10)).toEqual([1, 2, 3, 4]);
    expect(choosePositions(7, 7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('gives nothing for a count of zero', () => {
    expect(choosePositions(8, 0)).toEqual([]);
  });

  it('covers every position over many runs, roughly evenly', () => {
    const length = 10;
    const count = 3;
    const runs = 3000;
    const seen = new Map<number, number>();
    const combinations = new Set<string>();
    for (let run = 0; run < runs; run++) {
      const positions = choosePositions(length, count);
      expectValid(positions, length, count);
      combinations.add(positions.join(','));
      for (const position of positions) seen.set(position, (seen.get(position) ?? 0) + 1);
    }
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // each position is expected 900 times (σ ≈ 25); a broad band catches a biased shuffle
    for (const times of seen.values()) {
      expect(times).toBeGreaterThan(700);
      expect(times).toBeLessThan(1100);
    }
    // C(10,3) = 120 combinations; all should show up in 3000 draws
    expect(combinations.size).toBe(120);
  });

  it('picks the single position uniformly when asked for one', () => {
    const seen = new Set<number>();
    for (let run = 0; run < 500; run++) seen.add(choosePositions(6, 1)[0]!);
    expect([...seen].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
