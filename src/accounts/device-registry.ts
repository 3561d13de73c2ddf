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

  /** The key of the device's record as written today (in the customer's hash slot), for a caller reading it with others. */
  static recordKey(sub: string, deviceId: string): string {
    return redisKeys.customerDevice(sub, digest(deviceId).slice(0, DIGEST_LENGTH));
  }

  /** `foundByCaller`: whether the caller, reading `recordKey` just before, found the record. */
  async isKnown(sub: string, deviceId: string | undefined, foundByCaller?: boolean): Promise<boolean> {
    if (!deviceId) return false;
    if (foundByCaller === true) return true;
    const full = digest(deviceId);
    if (foundByCaller === undefined && (await this.kv.get(redisKeys.customerDevice(sub, full.slice(0, DIGEST_LENGTH)))) !== undefined) return true;
    return (await this.kv.get(redisKeys.customerDeviceAsBefore(sub, full))) !== undefined;
  }
}
