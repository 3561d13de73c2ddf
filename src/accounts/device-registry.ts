import { createHash, randomBytes } from 'node:crypto';
import type { KeyValueStore } from '../storage/key-value-store.js';
import { redisKeys } from '../storage/redis-keys.js';

const digest = (deviceId: string) => createHash('sha256').update(deviceId).digest('base64url');

/**
 * The first 22 characters (132 bits) of the digest name the device (the id is 192 random bits,
 * so they are as unique): short enough that the record takes one allocation class less in Redis.
 */
const DIGEST_LENGTH = 22;

/** Browsers a customer passed additional authentication on: a random id in a signed cookie, its digest in the store. */
export class DeviceRegistry {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly ttlDays: number,
  ) {}

  static newDeviceId(): string {
    return randomBytes(24).toString('base64url');
  }

  get ttlSeconds(): number {
    return this.ttlDays * 24 * 60 * 60;
  }

  async remember(sub: string, deviceId: string): Promise<void> {
    await this.kv.set(redisKeys.customerDevice(sub, digest(deviceId).slice(0, DIGEST_LENGTH)), String(Date.now()), this.ttlSeconds);
  }

  async isKnown(sub: string, deviceId: string | undefined): Promise<boolean> {
    if (!deviceId) return false;
    const full = digest(deviceId);
    if ((await this.kv.get(redisKeys.customerDevice(sub, full.slice(0, DIGEST_LENGTH)))) !== undefined) return true;
    return (await this.kv.get(redisKeys.customerDeviceAsBefore(sub, full))) !== undefined;
  }
}
