/**
 * Fails fast while a dependency is down: after `failures` consecutive failures the circuit opens
 * for `cooldownMs`; then one trial call is let through (half-open), whose outcome closes or reopens it.
 */
export class CircuitBreaker {
  private consecutiveFailures = 0;
  private openUntil = 0;

  constructor(
    private readonly failures: number,
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get isOpen(): boolean {
    return this.consecutiveFailures >= this.failures && this.now() < this.openUntil;
  }

  async call<T>(operation: () => Promise<T>, whenOpen: () => Error): Promise<T> {
    if (this.isOpen) throw whenOpen();
    if (this.consecutiveFailures >= this.failures) this.openUntil = this.now() + this.cooldownMs; // half-open: one trial at a time
    try {
      const result = await operation();
      this.consecutiveFailures = 0;
      return result;
    } catch (error) {
      this.consecutiveFailures += 1;
      if (this.consecutiveFailures >= this.failures) this.openUntil = this.now() + this.cooldownMs;
      throw error;
    }
  }
}
