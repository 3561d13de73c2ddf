import { defineScript, subscriberConnection, type RedisConnection, type Script } from '../storage/redis-connection.js';
import { redisKeys } from '../storage/redis-keys.js';

const MAX_KNOWN_CHARGES = 100_000;

/**
 * KEYS: the set of charged budget keys (scored by when their window ends, ms).
 * ARGV: channel, now (ms), window end (ms), the budget keys charged.
 * Records the charge and announces it to every instance, in one command.
 */
const ANNOUNCE_CHARGE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
for i = 4, #ARGV do redis.call('ZADD', KEYS[1], ARGV[3], ARGV[i]) end
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], last[2])
redis.call('PUBLISH', ARGV[1], ARGV[3] .. ' ' .. cjson.encode({ unpack(ARGV, 4) }))
return 1
`;

/**
 * Which failure budgets (rate-limiter keys) were charged within their window, known on every
 * instance, so that a request whose IP and client were never charged is let through without
 * reading its budget from Redis. A charge is announced before it is counted, on a pub/sub channel
 * every instance listens to on a connection of its own, and recorded in a set that an instance
 * reads whenever it (re)starts listening. While it is not listening, it reads every budget.
 *
 * Why a charge is known before it can matter: Redis writes the announcement to every listener
 * before it answers the instance that charged, which answers its request only after that; any
 * request that could be refused because of the charge is sent after that answer, and an instance
 * handles the announcements it has received before it decides (see `uncharged`).
 */
export class ChargedBudgets {
  private readonly chargedUntil = new Map<string, number>();
  private listening = false;
  /** until then every budget is read (announcements may have been missed, or too many to keep) */
  private readAllUntil = 0;
  private readonly channel = redisKeys.clientThrottleChannel();
  private readonly chargedSet = redisKeys.clientThrottleCharged();
  private readonly announce: Script;
  private readonly listener: RedisConnection;

  constructor(
    private readonly redis: RedisConnection,
    private readonly windowSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.announce = defineScript(redis, 'renkeiAnnounceCharge', 1, ANNOUNCE_CHARGE);
    const listener = (this.listener = subscriberConnection(redis));
    listener.on('ready', () => void this.listen(listener));
    for (const event of ['close', 'reconnecting', 'end', 'error']) listener.on(event, () => (this.listening = false));
    listener.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.heard(message);
    });
  }

  /**
   * Ends the listening connection. Not tied to the end of the connection it was made from:
   * ioredis emits no 'end' for a connection closed while it waits to reconnect (Redis down), and
   * the listener would go on reconnecting for ever.
   */
  close(): void {
    this.listening = false;
    this.listener.disconnect();
  }

  /** True when none of `budgetKeys` can have been charged within its window. */
  async uncharged(budgetKeys: readonly string[]): Promise<boolean> {
    if (!this.listening) return false;
    // announcements already received are handled first
    await new Promise((resolve) => setImmediate(resolve));
    if (!this.listening) return false;
    const now = this.now();
    return now >= this.readAllUntil && budgetKeys.every((key) => (this.chargedUntil.get(key) ?? 0) <= now);
  }

  /** Announced to every instance (this one at once) before the failure is counted. */
  async charge(budgetKeys: readonly string[]): Promise<void> {
    const now = this.now();
    const until = now + this.windowSeconds * 1000;
    for (const key of budgetKeys) this.mark(key, until);
    await this.announce([this.chargedSet], [this.channel, now, until, ...budgetKeys]);
  }

  private async listen(listener: RedisConnection): Promise<void> {
    try {
      await listener.subscribe(this.channel);
      // charges announced before this instance listened
      const charged = await this.redis.zrangebyscore(this.chargedSet, this.now(), '+inf', 'WITHSCORES');
      for (let i = 0; i + 1 < charged.length; i += 2) this.mark(charged[i]!, Number(charged[i + 1]));
      this.listening = true;
    } catch {
      this.listening = false;
    }
  }

  private heard(message: string): void {
    const space = message.indexOf(' ');
    try {
      const keys = JSON.parse(message.slice(space + 1)) as string[];
      for (const key of keys) this.mark(key, Number(message.slice(0, space)));
    } catch {
      // not an announcement of ours
      this.readAll();
    }
  }

  private mark(key: string, until: number): void {
    if (this.chargedUntil.size >= MAX_KNOWN_CHARGES) this.forgetEnded();
    // too many to keep: every budget is read for a window, by when those charged before have ended
    if (this.chargedUntil.size >= MAX_KNOWN_CHARGES) this.readAll();
    this.chargedUntil.set(key, Math.max(until, this.chargedUntil.get(key) ?? 0));
  }

  private readAll(): void {
    this.chargedUntil.clear();
    this.readAllUntil = this.now() + this.windowSeconds * 1000;
  }

  private forgetEnded(): void {
    const now = this.now();
    for (const [key, until] of this.chargedUntil) if (until <= now) this.chargedUntil.delete(key);
  }
}
