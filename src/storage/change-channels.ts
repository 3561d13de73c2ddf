import type { Logger } from 'pino';
import { subscriberConnection, type RedisConnection } from './redis-connection.js';

/** What keeps a copy of records that change elsewhere: told which changed, and whether it hears every change. */
export interface ChangeListener {
  /** ids of records that changed (this instance's changes included) */
  changed(ids: readonly string[]): void;
  /** `live`: every change from now on will be heard; either way, what was held may be stale */
  setLive(live: boolean): void;
}

/**
 * How long a listener serves what it holds before reading it again, whatever it heard: an
 * announcement lost on its way (the announcing instance stopped between its write and its
 * PUBLISH) is made good within this time.
 */
export const MAX_HELD_MS = 30_000;

/** Announces that records changed, to every instance (this one at once). */
export type Announce = (ids: readonly string[]) => Promise<void>;

/**
 * Where changes to cached records are announced, one named channel per kind of record, all heard
 * on ONE subscriber connection. Messages sent while that connection was away are lost: listeners
 * are not live from the moment it drops until it has subscribed again.
 */
export interface ChangeChannels {
  /** Hears `channel` from now on; the way to announce on it. */
  listen(channel: string, listener: ChangeListener): Announce;
  close(): Promise<void>;
}

// ids are UUIDs or client_ids (no spaces): several travel in one message
const SEPARATOR = ' ';
const IDS_PER_MESSAGE = 500;

function* messagesOf(ids: readonly string[]): Generator<string> {
  for (let i = 0; i < ids.length; i += IDS_PER_MESSAGE) yield ids.slice(i, i + IDS_PER_MESSAGE).join(SEPARATOR);
}

/** A single process (the in-memory store): every change is heard where it is made. */
export function localChangeChannels(): ChangeChannels {
  return {
    listen(_channel, listener) {
      listener.setLive(true);
      return async (ids) => listener.changed(ids);
    },
    close: async () => {},
  };
}

export function redisChangeChannels(redis: RedisConnection, logger: Logger): ChangeChannels {
  const listeners = new Map<string, ChangeListener>();
  const subscriber = subscriberConnection(redis);
  let closed = false;
  const setAllLive = (live: boolean) => {
    for (const listener of listeners.values()) listener.setLive(live);
  };
  const subscribe = async (channels: readonly string[]) => {
    if (channels.length === 0) return;
    try {
      await subscriber.subscribe(...channels);
      // a drop while subscribing has made them not live again (and must stay so)
      if (subscriber.status === 'ready' && !closed) for (const channel of channels) listeners.get(channel)?.setLive(true);
    } catch (error) {
      logger.warn({ event: 'change_channels.subscribe_failed', err: { message: (error as Error).message } }, 'cached records are read from Redis until their change channel is heard');
    }
  };
  subscriber.on('ready', () => void subscribe([...listeners.keys()]));
  for (const event of ['close', 'reconnecting', 'end', 'error']) subscriber.on(event, () => setAllLive(false));
  subscriber.on('message', (channel: string, message: string) => {
    listeners.get(channel)?.changed(message.split(SEPARATOR));
  });
  return {
    listen(channel, listener) {
      listeners.set(channel, listener);
      listener.setLive(false);
      if (subscriber.status === 'ready') void subscribe([channel]);
      return async (ids) => {
        if (ids.length === 0) return;
        listener.changed(ids);
        for (const message of messagesOf(ids)) await redis.publish(channel, message);
      };
    },
    async close() {
      closed = true;
      setAllLive(false);
      subscriber.disconnect();
    },
  };
}

export function createChangeChannels(redis: RedisConnection | undefined, logger: Logger): ChangeChannels {
  return redis ? redisChangeChannels(redis, logger) : localChangeChannels();
}
