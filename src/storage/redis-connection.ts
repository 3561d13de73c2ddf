import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { oneWritePerTurn } from './one-write-per-turn.js';
import type { RenkeiConfig } from '../settings/types.js';

export type RedisConnection = Redis | Cluster;

function nodeFromUrl(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || 6379) };
}

/**
 * Fail fast while Redis is away: no offline queue (commands fail at once instead of piling up),
 * a command timeout, and reconnection in the background so that service resumes by itself.
 */
function failFastOptions(redis: RenkeiConfig['redis']): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: redis.commandTimeoutMs,
    connectTimeout: redis.connectTimeoutMs,
    retryStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, 2000),
    // how long a closing socket may stay half-open before it is destroyed. ioredis also arms
    // this timer for a connection closed while it waits to reconnect, on the socket that is
    // already gone, where nothing clears it: shutdown then waited the whole 2 s default
    disconnectTimeout: 100,
  };
}

/**
 * ioredis follows MOVED and ASK itself and retries TRYAGAIN after a pause. Its own round must end
 * well inside the command timeout (one timer covers every redirection of a command), so that a
 * slot still moving surfaces as a redirection error, which the scripts then retry with backoff
 * (slot-migration-retry.ts) for up to `redis.slotMigrationWaitMs`.
 */
function slotMigrationOptions(redis: RenkeiConfig['redis']) {
  const retryDelayOnTryAgain = Math.max(5, Math.min(50, Math.floor(redis.commandTimeoutMs / 20)));
  return { retryDelayOnTryAgain, retryDelayOnMoved: 0, retryDelayOnClusterDown: retryDelayOnTryAgain, maxRedirections: 16 };
}

export function createRedisConnection(redis: RenkeiConfig['redis'], logger: Logger): RedisConnection {
  if (!redis.url) throw new TypeError('redis.url is required to connect to Redis');
  const urls = redis.url.split(',').map((u) => u.trim()).filter(Boolean);
  const options = failFastOptions(redis);
  const first = new URL(urls[0]!);
  const tls = first.protocol === 'rediss:' ? {} : undefined;
  const auth = {
    ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
    ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
  };

  let connection: RedisConnection;
  if (redis.mode === 'cluster') {
    connection = new Cluster(urls.map(nodeFromUrl), {
      enableOfflineQueue: false,
      clusterRetryStrategy: options.retryStrategy!,
      ...slotMigrationOptions(redis),
      redisOptions: { ...options, ...auth, ...(tls ? { tls } : {}) },
    });
  } else if (redis.mode === 'sentinel') {
    connection = new Redis({
      ...options,
      ...auth,
      // rediss:// sentinels: TLS to them and to the master they name (ioredis uses `tls` for the
      // master only with enableTLSForSentinelMode, and the sentinels' own with sentinelTLS)
      ...(tls ? { tls, enableTLSForSentinelMode: true, sentinelTLS: tls } : {}),
      sentinels: urls.map(nodeFromUrl),
      name: redis.sentinelName ?? 'mymaster',
    });
  } else {
    connection = new Redis(urls[0]!, options);
  }
  if (connection instanceof Cluster) connection.on('+node', oneWritePerTurn);
  else oneWritePerTurn(connection);

  let healthy = true;
  connection.on('error', (error: Error) => {
    if (healthy) logger.error({ event: 'redis.error', err: { message: error.message } }, 'Redis connection error');
    healthy = false;
  });
  connection.on('ready', () => {
    if (!healthy) logger.info({ event: 'redis.ready' }, 'Redis connection restored');
    healthy = true;
  });
  return connection;
}

/**
 * A connection of its own, made from `redis`, for SUBSCRIBE. Its owner subscribes on every
 * 'ready' and handles a refusal, so ioredis' own resubscription is off: ioredis sends it
 * without handling a refusal, and a connection that drops again at once (no offline queue) made
 * that an unhandled rejection, which stops the process. Cluster connections resubscribe through
 * ioredis' cluster subscriber and are duplicated as they are.
 */
export function subscriberConnection(redis: RedisConnection): RedisConnection {
  return redis instanceof Cluster ? redis.duplicate() : redis.duplicate({ autoResubscribe: false });
}

/** Resolves when the connection is ready, or rejects after `timeoutMs`. */
export async function waitForRedis(connection: RedisConnection, timeoutMs: number): Promise<void> {
  if (connection.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      connection.off('ready', onReady);
      reject(new Error(`Redis did not become ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    connection.once('ready', onReady);
  });
}

/** A Lua script defined on a connection: its keys, then its arguments. */
export type Script = (keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown>;

/** Defines `lua` on the connection under `name` (ioredis loads it by SHA, EVAL when a node lacks it). */
export function defineScript(redis: RedisConnection, name: string, numberOfKeys: number, lua: string): Script {
  redis.defineCommand(name, { numberOfKeys, lua });
  const command = (redis as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[name]!;
  return (keys, args) => command.call(redis, ...keys, ...args);
}
