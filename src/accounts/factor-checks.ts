/**
 * A customer's factor checks (password, 利用者番号 digits, secret answer) run one at a time on an
 * instance. Each check reads the account's standing (status, failure count), verifies, and counts
 * a failure; run side by side, a burst of requests would each verify under a standing read before
 * the others' failures were counted, and try far more than `lockout.maxFailures` guesses before
 * the lock. Across instances the count in Redis still bounds it: an instance sees the others'
 * failures at its next check, so a burst spread over N instances gets at most N − 1 more.
 */
export class FactorChecks {
  private readonly tails = new Map<string, Promise<void>>();
  /** when each key's last check ended (ms, the clock below), kept for `RECENT_MS` */
  private readonly endedAt = new Map<string, number>();

  /** How long an end is remembered: a read sent longer ago than this is taken as stale. */
  static readonly RECENT_MS = 1000;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** The moment a caller's read starts, to hand to `run` with what it read. */
  mark(): number {
    return this.now();
  }

  /**
   * Runs `check` once the checks queued before it for `key` have ended. `contended`: what the
   * caller read from `readAt` (a `mark()` taken just before the read was sent) may be stale,
   * because a check of `key` ran meanwhile, ended after that moment, or the read is older than
   * the ends remembered; without `readAt`, whether a check ended within `RECENT_MS`.
   */
  async run<T>(key: string, check: (contended: boolean) => Promise<T>, readAt?: number): Promise<T> {
    const before = this.tails.get(key);
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const tail = before ? before.then(() => mine) : mine;
    this.tails.set(key, tail);
    if (before) await before;
    const contended = before !== undefined || this.endedSince(key, readAt);
    try {
      return await check(contended);
    } finally {
      const at = this.now();
      this.endedAt.set(key, at);
      setTimeout(() => {
        if (this.endedAt.get(key) === at) this.endedAt.delete(key);
      }, FactorChecks.RECENT_MS).unref();
      done();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  private endedSince(key: string, readAt: number | undefined): boolean {
    const now = this.now();
    const ended = this.endedAt.get(key);
    if (readAt === undefined) return ended !== undefined && now - ended < FactorChecks.RECENT_MS;
    return now - readAt >= FactorChecks.RECENT_MS || (ended !== undefined && ended >= readAt);
  }
}
