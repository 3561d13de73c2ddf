/**
 * While Redis Cluster moves a slot, a script over several keys of that slot is refused with
 * TRYAGAIN until all its keys sit on one node again (a new key never does until the move ends),
 * and ioredis gives up after a few redirections. Such a refusal means the command did not run,
 * so it is safe to send again: this waits with backoff, within a budget, instead of answering 503.
 * NOSCRIPT belongs here too: ioredis believes a script loaded on a node once it sent EVAL there,
 * even when that EVAL was refused with TRYAGAIN; after NOSCRIPT it sends the script again.
 * Anything else (a timeout, a script error) is not retried: the script may have run.
 */
const REFUSED_BEFORE_RUNNING = /^(TRYAGAIN|CLUSTERDOWN|NOSCRIPT)|Too many Cluster redirections/;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function isSlotInMotion(error: unknown): boolean {
  return error instanceof Error && REFUSED_BEFORE_RUNNING.test(error.message);
}

/** 25 ms, doubling to at most 400 ms between attempts. */
export function backoffMs(attempt: number): number {
  return Math.min(25 * 2 ** attempt, 400);
}

export async function retryWhileSlotMoves<T>(operation: () => Promise<T>, budgetMs: number): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      const delay = backoffMs(attempt);
      if (!isSlotInMotion(error) || Date.now() + delay > deadline) throw error;
      await sleep(delay);
    }
  }
}
