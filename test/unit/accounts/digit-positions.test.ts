import { describe, expect, it } from '@jest/globals';
import type { Customer } from '../../../src/accounts/customer.js';
import { choosePositions, DigitPositions, samePositions } from '../../../src/accounts/digit-positions.js';
import { MemoryKeyValueStore } from '../../../src/storage/memory-key-value-store.js';
import { redisKeys } from '../../../src/storage/redis-keys.js';

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

describe('DigitPositions (SPEC §3: fixed per customer until answered correctly)', () => {
  const customer = (userNumberLength: number, sub = 'sub-1') => ({ sub, userNumberLength }) as Customer;

  it('asks the same positions every time until renewed', async () => {
    const positions = new DigitPositions(new MemoryKeyValueStore(), 3);
    const first = await positions.current(customer(10));
    expectValid([...first], 10, 3);
    for (let run = 0; run < 20; run++) expect(await positions.current(customer(10))).toEqual(first);
  });

  it('keeps one record per customer', async () => {
    const positions = new DigitPositions(new MemoryKeyValueStore(), 3);
    expect(await positions.record('a')).toBeUndefined();
    await positions.current(customer(10, 'a'));
    expect(await positions.record('b')).toBeUndefined();
  });

  it('forgets the positions after a correct answer and draws anew at the next ask, with a new draw id', async () => {
    const positions = new DigitPositions(new MemoryKeyValueStore(), 3);
    await positions.current(customer(10));
    const before = await positions.record('sub-1');
    await positions.answered(customer(10));
    expect(await positions.record('sub-1')).toBeUndefined();
    const asked = await positions.current(customer(10));
    const after = await positions.record('sub-1');
    expect(after?.draw).not.toBe(before?.draw);
    expect(after?.positions).toEqual(asked);
  });

  it('draws anew when the stored positions no longer fit the number or the configured count', async () => {
    const kv = new MemoryKeyValueStore();
    await new DigitPositions(kv, 3).current(customer(16));
    await kv.set(redisKeys.customerDigitPositions('sub-1'), JSON.stringify({ positions: [14, 15, 16], draw: 'old' }));
    expectValid([...(await new DigitPositions(kv, 3).current(customer(8)))], 8, 3);
    expect(await new DigitPositions(kv, 4).current(customer(8))).toHaveLength(4);
  });

  it('compares position lists exactly', () => {
    expect(samePositions([1, 2, 3], [1, 2, 3])).toBe(true);
    expect(samePositions([1, 2, 3], [1, 2, 4])).toBe(false);
    expect(samePositions([1, 2, 3], [1, 2])).toBe(false);
    expect(samePositions([1, 2, 3], undefined)).toBe(false);
  });
});
