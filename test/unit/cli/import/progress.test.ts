import { describe, expect, it } from '@jest/globals';
import type { CommandOutput } from '../../../../src/cli/command.js';
import { createProgress } from '../../../../src/cli/import/progress.js';

function pipedOutput(): CommandOutput & { lines: string[] } {
  const lines: string[] = [];
  return { lines, stdout: () => {}, stderr: (text) => lines.push(text), prompt: () => {} };
}

describe('import progress (piped: a line at each tenth)', () => {
  it('gives the rate of the last 20 seconds: a resumed import, whose first rows were skipped in a moment, does not promise an early end', () => {
    const out = pipedOutput();
    let clock = 0;
    const progress = createProgress(out, 20_000, { now: () => clock });
    clock = 1_000;
    progress.update(6_000); // rows imported before, skipped at once
    clock = 11_000;
    progress.update(7_000);
    clock = 21_000;
    progress.update(8_000); // 100 rows a second since the skipped ones
    expect(out.lines.at(-1)).toBe('imported 8,000/20,000 rows (40%), 100 rows/s, ETA 2m00s');
  });

  it('gives the rate since the start while the run is shorter than that', () => {
    const out = pipedOutput();
    let clock = 0;
    const progress = createProgress(out, 1_000, { now: () => clock });
    clock = 5_000;
    progress.update(500);
    expect(out.lines).toEqual(['imported 500/1,000 rows (50%), 100 rows/s, ETA 5s']);
  });
});
