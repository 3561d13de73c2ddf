/**
 * Runs at most `limit` tasks at once; the others wait their turn in arrival order. The limit is
 * a number, or a function read as each task arrives (e.g. the cores the process may use now).
 */
export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly limit: () => number;

  constructor(limit: number | (() => number)) {
    this.limit = typeof limit === 'number' ? () => limit : limit;
    const first = this.limit();
    if (!Number.isInteger(first) || first < 1) throw new RangeError('the limit must be a positive integer');
  }

  private slots(): number {
    return Math.max(1, this.limit());
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.waiting.length > 0 || this.running >= this.slots()) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await task();
    } finally {
      // the slot passes straight to the next in line (unless the limit has fallen below what runs)
      const next = this.running <= this.slots() ? this.waiting.shift() : undefined;
      if (next) next();
      else this.running--;
    }
  }
}
