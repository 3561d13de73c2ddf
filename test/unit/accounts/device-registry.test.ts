import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { DeviceRegistry } from '../../../src/accounts/device-registry.js';
import { MemoryKeyValueStore } from '../../../src/storage/memory-key-value-store.js';
import { redisKeys } from '../../../src/storage/redis-keys.js';

const sub = '3f0e2b7c-1d4a-4c8e-9b6f-2a5d7e9c1b30';
const fullDigest = (deviceId: string) => createHash('sha256').update(deviceId).digest('base64url');

describe('DeviceRegistry', () => {
  it('knows a remembered device (by the first 22 characters of its digest) and no other', async () => {
    const kv = new MemoryKeyValueStore();
    const devices = new DeviceRegistry(kv, 90);
    const deviceId = DeviceRegistry.newDeviceId();
    await devices.remember(sub, deviceId);
    expect(await devices.isKnown(sub, deviceId)).toBe(true);
    expect(await kv.get(redisKeys.customerDevice(sub, fullDigest(deviceId).slice(0, 22)))).toBeDefined();
    expect(await devices.isKnown(sub, DeviceRegistry.newDeviceId())).toBe(false);
    expect(await devices.isKnown('another-customer', deviceId)).toBe(false);
    expect(await devices.isKnown(sub, undefined)).toBe(false);
  });

  it('still knows a device remembered before, under its whole digest', async () => {
    const kv = new MemoryKeyValueStore();
    const deviceId = DeviceRegistry.newDeviceId();
    await kv.set(redisKeys.customerDeviceAsBefore(sub, fullDigest(deviceId)), String(Date.now()), 60);
    expect(await new DeviceRegistry(kv, 90).isKnown(sub, deviceId)).toBe(true);
  });
});
