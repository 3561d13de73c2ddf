import { describe, expect, it } from '@jest/globals';
import { ConcurrencyGate } from '../../../src/shared/concurrency-gate.js';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('ConcurrencyGate', () => {
  it('runs at most its limit at once, the rest in arrival order as slots free up', async () => {
    const gate = new ConcurrencyGate(2);
    const started: number[] = [];
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const runs = gates.map((d, i) => gate.run(async () => { started.push(i); await d.promise; return i; }));
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    gates[1]!.resolve();
    await runs[1];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.resolve();
    gates[2]!.resolve();
    gates[3]!.resolve();
    await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2, 3]);
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('frees the slot of a task that fails, and passes the failure on', async () => {
    const gate = new ConcurrencyGate(1);
    await expect(gate.run(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(gate.run(async () => 'next')).resolves.toBe('next');
  });

  it('refuses a limit below one', () => {
    expect(() => new ConcurrencyGate(0)).toThrow(RangeError);
  });
});

describe('ConcurrencyGate with a limit read as tasks arrive', () => {
  it('follows the limit when it changes', async () => {
    let limit = 1;
    const gate = new ConcurrencyGate(() => limit);
    const first = deferred();
    const started: number[] = [];
    const a = gate.run(async () => { started.push(0); await first.promise; });
    limit = 2;
    const b = gate.run(async () => { started.push(1); });
    await b;
    expect(started).toEqual([0, 1]);
    first.resolve();
    await a;
  });
});
