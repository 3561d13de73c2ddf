import type { RedisConnection } from '../storage/redis-connection.js';
import { redisKeys } from '../storage/redis-keys.js';
import { DELIVERED_HISTORY, type EventOutbox, type FinishedEntry, type OutboxEntry, type OutboxEvent, type OutboxListing, type RetryState } from './event-outbox.js';

const GROUP = 'delivery';
/** At most this many queued and dead-lettered events are listed per partner (the oldest). */
const LISTED = 1000;

const TAKE_LEASE = `
local holder = redis.call('GET', KEYS[1])
if not holder or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0`;

type StreamEntry = [id: string, fields: string[] | null];

function field(fields: string[], name: string): string | undefined {
  const index = fields.indexOf(name);
  return index >= 0 && index % 2 === 0 ? fields[index + 1] : undefined;
}

function finished(clientId: string, [, fields]: StreamEntry): FinishedEntry {
  const values = fields ?? [];
  const error = field(values, 'error');
  return {
    clientId,
    event: JSON.parse(field(values, 'event') ?? '{}') as OutboxEvent,
    at: Number(field(values, 'at')),
    attempts: Number(field(values, 'attempts') ?? 1),
    ...(error ? { error } : {}),
  };
}

/**
 * The outbox on Redis Streams. Every key of one partner carries the hash tag `{ev:<client_id>}`,
 * so the stream, its retry schedule, dead letters, history and lease share one slot and each
 * outcome is one MULTI. The consumer group `delivery` records which instance holds which entry:
 * a new lease holder claims what a vanished one left pending, and delivers it first.
 */
export class RedisOutbox implements EventOutbox {
  constructor(private readonly redis: RedisConnection) {}

  async append(clientId: string, event: OutboxEvent): Promise<void> {
    await this.redis.sadd(redisKeys.eventStreams(), clientId);
    await this.redis.xadd(redisKeys.eventOutbox(clientId), '*', 'event', JSON.stringify(event));
  }

  async clientIds(): Promise<string[]> {
    return this.redis.smembers(redisKeys.eventStreams());
  }

  async lease(clientId: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(TAKE_LEASE, 1, redisKeys.eventLease(clientId), owner, String(ttlMs))) === 1;
  }

  async release(clientId: string, owner: string): Promise<void> {
    await this.redis.eval(RELEASE_LEASE, 1, redisKeys.eventLease(clientId), owner);
  }

  private async readGroup(key: string, consumer: string, from: '0' | '>'): Promise<StreamEntry | undefined> {
    const answer = (await this.redis.xreadgroup('GROUP', GROUP, consumer, 'COUNT', 1, 'STREAMS', key, from)) as [string, StreamEntry[]][] | null;
    return answer?.[0]?.[1][0];
  }

  private async ensureGroup(key: string): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', key, GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!/BUSYGROUP/.test((error as Error).message)) throw error;
    }
  }

  async head(clientId: string, consumer: string): Promise<OutboxEntry | undefined> {
    const key = redisKeys.eventOutbox(clientId);
    await this.ensureGroup(key);
    // whatever another instance left pending (it lost the lease or stopped) is delivered first
    await this.redis.xautoclaim(key, GROUP, consumer, 0, '0-0', 'COUNT', 100);
    for (;;) {
      const entry = (await this.readGroup(key, consumer, '0')) ?? (await this.readGroup(key, consumer, '>'));
      if (!entry) return undefined;
      const [id, fields] = entry;
      if (!fields) {
        await this.redis.xack(key, GROUP, id);
        continue;
      }
      const retry = await this.redis.hget(redisKeys.eventRetries(clientId), id);
      return { id, clientId, event: JSON.parse(field(fields, 'event')!) as OutboxEvent, ...(retry ? { retry: JSON.parse(retry) as RetryState } : {}) };
    }
  }

  async scheduleRetry(entry: OutboxEntry, retry: RetryState): Promise<void> {
    await this.redis.hset(redisKeys.eventRetries(entry.clientId), entry.id, JSON.stringify(retry));
  }

  private finish(entry: OutboxEntry) {
    const key = redisKeys.eventOutbox(entry.clientId);
    return this.redis.multi().xack(key, GROUP, entry.id).xdel(key, entry.id).hdel(redisKeys.eventRetries(entry.clientId), entry.id);
  }

  async markDelivered(entry: OutboxEntry, at: number): Promise<void> {
    const attempts = String((entry.retry?.attempts ?? 0) + 1);
    await this.finish(entry)
      .xadd(redisKeys.eventDelivered(entry.clientId), 'MAXLEN', '~', DELIVERED_HISTORY, '*', 'event', JSON.stringify(entry.event), 'at', String(at), 'attempts', attempts)
      .exec();
  }

  async deadLetter(entry: OutboxEntry, error: string, at: number): Promise<void> {
    const attempts = String((entry.retry?.attempts ?? 0) + 1);
    await this.finish(entry)
      .xadd(redisKeys.eventDeadLetters(entry.clientId), '*', 'event', JSON.stringify(entry.event), 'at', String(at), 'attempts', attempts, 'error', error)
      .exec();
  }

  async list(clientId: string): Promise<OutboxListing> {
    const [queued, retries, delivered, dead] = await Promise.all([
      this.redis.xrange(redisKeys.eventOutbox(clientId), '-', '+', 'COUNT', LISTED) as Promise<StreamEntry[]>,
      this.redis.hgetall(redisKeys.eventRetries(clientId)),
      this.redis.xrange(redisKeys.eventDelivered(clientId), '-', '+') as Promise<StreamEntry[]>,
      this.redis.xrange(redisKeys.eventDeadLetters(clientId), '-', '+', 'COUNT', LISTED) as Promise<StreamEntry[]>,
    ]);
    return {
      queued: queued.map(([id, fields]) => ({
        id,
        clientId,
        event: JSON.parse(field(fields ?? [], 'event') ?? '{}') as OutboxEvent,
        ...(retries[id] ? { retry: JSON.parse(retries[id]) as RetryState } : {}),
      })),
      delivered: delivered.map((entry) => finished(clientId, entry)),
      dead: dead.map((entry) => finished(clientId, entry)),
    };
  }

  async retry(clientId: string, jti: string, now: number): Promise<'requeued' | 'rescheduled' | false> {
    const deadKey = redisKeys.eventDeadLetters(clientId);
    const dead = ((await this.redis.xrange(deadKey, '-', '+')) as StreamEntry[]).find((entry) => finished(clientId, entry).event.claims?.jti === jti);
    if (dead) {
      const event = { ...finished(clientId, dead).event, requeuedAt: now };
      await this.redis.multi().xdel(deadKey, dead[0]).xadd(redisKeys.eventOutbox(clientId), '*', 'event', JSON.stringify(event)).exec();
      return 'requeued';
    }
    const queued = (await this.redis.xrange(redisKeys.eventOutbox(clientId), '-', '+')) as StreamEntry[];
    const match = queued.find(([, fields]) => (JSON.parse(field(fields ?? [], 'event') ?? '{}') as Partial<OutboxEvent>).claims?.jti === jti);
    if (!match) return false;
    const retry = await this.redis.hget(redisKeys.eventRetries(clientId), match[0]);
    const waiting: OutboxEntry = { id: match[0], clientId, event: JSON.parse(field(match[1] ?? [], 'event')!) as OutboxEvent, ...(retry ? { retry: JSON.parse(retry) as RetryState } : {}) };
    if (waiting.retry) await this.scheduleRetry(waiting, { ...waiting.retry, nextAttemptAt: now });
    return 'rescheduled';
  }
}
