import type { CommandOutput } from '../command.js';

export interface Progress {
  /** `done` of the total rows are through */
  update(done: number): void;
  /** the bar's last state stays on its line; the next output starts below it */
  finish(): void;
}

const REDRAW_MS = 100;
const count = (n: number) => n.toLocaleString('en-US');

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

const RATE_WINDOW_MS = 20_000;

/**
 * Rows a second over the last 20 s (since the start while the run is shorter): a resumed import
 * skips the rows it wrote before in a moment, and an average since the start then promised an end
 * far too early (and a rate that moves with the server's load is shown as it is now).
 */
class RecentRate {
  private readonly samples: { at: number; done: number }[];

  constructor(started: number) {
    this.samples = [{ at: started, done: 0 }];
  }

  at(now: number, done: number): number {
    this.samples.push({ at: now, done });
    // keep the newest sample at or before the window's start, and every one after it
    while (this.samples.length > 2 && this.samples[1]!.at <= now - RATE_WINDOW_MS) this.samples.shift();
    const from = this.samples[0]!;
    return now > from.at ? ((done - from.done) * 1000) / (now - from.at) : 0;
  }
}

function figures(done: number, total: number, rate: number) {
  const eta = rate > 0 ? (total - done) / rate : Infinity;
  const percent = total > 0 ? Math.floor((done * 100) / total) : 100;
  return { eta, percent };
}

/**
 * Count, rate and ETA on stderr: one line redrawn in place on a terminal (at most every 100 ms),
 * otherwise a plain line at each tenth of the way (for logs and pipes), none with `quiet`.
 */
export function createProgress(out: CommandOutput, total: number, { verb = 'imported', quiet = false, now = () => performance.now() } = {}): Progress {
  const started = now();
  const recent = new RecentRate(started);
  const terminal = out.stderrTerminal;
  let lastDraw = -Infinity;
  let lastTenth = 0;
  let drawn = false;
  let latest = 0;
  let rate = 0;

  const bar = (done: number) => {
    const { eta, percent } = figures(done, total, rate);
    const text = `${count(done)}/${count(total)} ${String(percent).padStart(3)}%  ${count(Math.round(rate))} rows/s  ETA ${done >= total ? '0s' : duration(eta)}`;
    const width = Math.max(10, Math.min(40, terminal!.columns - text.length - 4));
    const filled = total > 0 ? Math.round((done / total) * width) : width;
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text}`;
  };

  return {
    update(done) {
      latest = done;
      rate = recent.at(now(), done);
      if (terminal) {
        if (now() - lastDraw < REDRAW_MS && done < total) return;
        lastDraw = now();
        out.prompt(`\r${bar(done)}\u001b[K`);
        drawn = true;
        return;
      }
      if (quiet || total === 0) return;
      const tenth = Math.floor((done * 10) / total);
      if (tenth <= lastTenth) return;
      lastTenth = tenth;
      const { eta, percent } = figures(done, total, rate);
      out.stderr(`${verb} ${count(done)}/${count(total)} rows (${percent}%), ${count(Math.round(rate))} rows/s, ETA ${done >= total ? '0s' : duration(eta)}`);
    },
    finish() {
      if (!terminal) return;
      if (!drawn || now() - lastDraw > 0) out.prompt(`\r${bar(latest)}\u001b[K`);
      out.prompt('\n');
    },
  };
}
