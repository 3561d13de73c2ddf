// What a server does to Redis: commands sent per request (MONITOR; commands run inside Lua
// scripts are not counted, the script call is) and bytes held (MEMORY USAGE by key pattern).
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/** A command's kind: its name and the pattern of its first key (a script's: after its sha or body and the key count). */
const signature = (args) => {
  const name = String(args[0]).toUpperCase();
  const key = name === 'EVAL' || name === 'EVALSHA' ? args[3] : args[1];
  return `${name} ${key === undefined ? '' : keyPattern(String(key))}`;
};

/**
 * Commands the servers send to Redis while `action` runs (and shortly after: work done after the
 * response), and round trips (a MULTI … EXEC block counted once; pipelining is not visible here).
 * Commands of a kind in `background` (what the server sends when idle, see idleCommands) are not
 * counted. `prepare` runs before the count (its result handed to `action`), again if the count is
 * retried.
 */
export async function countCommands(redisUrl, action, background = new Set(), prepare = async () => undefined) {
  for (let attempt = 1; ; attempt++) {
    try {
      const prepared = await prepare();
      return await countCommandsOnce(redisUrl, () => action(prepared), background);
    } catch (error) {
      if (!(error instanceof MonitorRace) || attempt === 3) throw error;
    }
  }
}

/**
 * ioredis can take a line MONITOR sends right after its OK for a reply to no command ("Command
 * queue state error", emitted on the monitor connection): that line is lost, so the count is
 * started again.
 */
class MonitorRace extends Error {}

async function watchedMonitor(redisUrl) {
  const client = new Redis(redisUrl);
  const monitor = await client.monitor();
  const state = { error: undefined };
  monitor.on('error', (error) => {
    state.error = error;
  });
  return { client, monitor, state };
}

async function countCommandsOnce(redisUrl, action, background) {
  const { client, monitor, state } = await watchedMonitor(redisUrl);
  const commands = [];
  let roundTrips = 0;
  const inTransaction = new Set();
  monitor.on('monitor', (_time, args, source) => {
    if (source === 'lua' || background.has(signature(args))) return;
    const name = String(args[0]).toUpperCase();
    commands.push(name);
    // MULTI … EXEC from one connection travel together: one round trip
    if (inTransaction.has(source)) {
      if (name === 'EXEC' || name === 'DISCARD') inTransaction.delete(source);
      return;
    }
    if (name === 'MULTI') inTransaction.add(source);
    roundTrips++;
  });
  await sleep(50);
  await action();
  await sleep(150);
  monitor.disconnect();
  client.disconnect();
  if (state.error) throw new MonitorRace(state.error.message);
  const byName = {};
  for (const name of commands) byName[name] = (byName[name] ?? 0) + 1;
  return { count: commands.length, roundTrips, byName };
}

/** The kinds of command sent while nothing is asked of the servers (workers polling, timers), and how many a second. */
export async function idleCommands(redisUrl, seconds) {
  const { client, monitor } = await watchedMonitor(redisUrl);
  const kinds = new Set();
  let count = 0;
  monitor.on('monitor', (_time, args, source) => {
    if (source === 'lua') return;
    kinds.add(signature(args));
    count++;
  });
  await sleep(seconds * 1000);
  monitor.disconnect();
  client.disconnect();
  return { kinds, perSecond: count / seconds };
}

/** Every key under `prefix` and its MEMORY USAGE in bytes. */
export async function memorySnapshot(redis, prefix) {
  const sizes = new Map();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (!keys.length) continue;
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.memory('USAGE', key, 'SAMPLES', '0');
    const results = await pipeline.exec();
    keys.forEach((key, i) => sizes.set(key, Number(results[i][1] ?? 0)));
  } while (cursor !== '0');
  return sizes;
}

/** Ids (long base64url runs, uuids, numbers) replaced by `*`, so keys group by kind; model names stay. */
export const keyPattern = (key) =>
  key.replace(/[A-Za-z0-9_-]{16,}|\b\d+\b/g, (run) => (/^[A-Z][A-Za-z]+$/.test(run) ? run : '*'));

/** Bytes added between two snapshots, by key pattern (keys left out by `exclude` not counted). */
export function bytesAdded(before, after, exclude = () => false) {
  const byPattern = {};
  let total = 0;
  const keys = new Set([...before.keys(), ...after.keys()]);
  for (const key of keys) {
    if (exclude(key)) continue;
    const delta = (after.get(key) ?? 0) - (before.get(key) ?? 0);
    if (!delta) continue;
    const pattern = keyPattern(key);
    byPattern[pattern] = (byPattern[pattern] ?? 0) + delta;
    total += delta;
  }
  return { total, byPattern };
}
