import { describe, expect, it } from '@jest/globals';
import type { Customer } from '../../../src/accounts/customer.js';
import { readAnswer, readDigitAnswer } from '../../../src/accounts/customer-reads.js';
import { DeviceRegistry } from '../../../src/accounts/device-registry.js';
import { DigitPositions } from '../../../src/accounts/digit-positions.js';
import { MemoryKeyValueStore } from '../../../src/storage/memory-key-value-store.js';
import { redisKeys } from '../../../src/storage/redis-keys.js';

const sub = '3f0e2b7c-1d4a-4c8e-9b6f-2a5d7e9c1b30';
const customer = { sub, loginId: 'taro', userNumberLength: 10 } as Customer;

describe('readDigitAnswer', () => {
  it('finds the customer, the positions asked, the failure count and the device as each one reads them alone', async () => {
    const kv = new MemoryKeyValueStore();
    const positions = new DigitPositions(kv, 3);
    const devices = new DeviceRegistry(kv, 90);
    const deviceId = DeviceRegistry.newDeviceId();
    await kv.set(redisKeys.customer(sub), JSON.stringify(customer));
    const asked = await positions.current(customer);
    await kv.increment(redisKeys.customerFailures(sub));
    await devices.remember(sub, deviceId);

    const read = await readDigitAnswer(kv, sub, deviceId);
    expect(read.customer).toEqual(customer);
    expect(await positions.currentFrom(customer, read.heldPositions)).toEqual(asked);
    expect(read.failuresSinceSuccess).toBe(1);
    expect(read.answerDue).toBe(false);
    expect(read.deviceFound).toBe(true);
    expect(await devices.isKnown(sub, deviceId, read.deviceFound)).toBe(true);

    await kv.set(redisKeys.customerAnswerDue(sub), '1');
    const other = await readDigitAnswer(kv, sub, DeviceRegistry.newDeviceId());
    expect(other.deviceFound).toBe(false);
    expect(other.answerDue).toBe(true);
    expect((await readDigitAnswer(kv, sub)).deviceFound).toBeUndefined();
  });

  it('finds nothing for a customer who is gone, and no count as zero', async () => {
    const read = await readDigitAnswer(new MemoryKeyValueStore(), sub, DeviceRegistry.newDeviceId());
    expect(read).toEqual({ customer: undefined, heldPositions: undefined, failuresSinceSuccess: 0, answerDue: false, deviceFound: false });
  });

  it('draws positions as current does when none are held or those held no longer fit', async () => {
    const kv = new MemoryKeyValueStore();
    const positions = new DigitPositions(kv, 3);
    const drawn = await positions.currentFrom(customer, undefined);
    expect(JSON.parse((await kv.get(redisKeys.customerDigitPositions(sub)))!).positions).toEqual(drawn);
    const misfit = JSON.stringify({ positions: [1, 2, 14], draw: 'x' });
    await kv.set(redisKeys.customerDigitPositions(sub), misfit);
    const redrawn = await positions.currentFrom(customer, misfit);
    expect(redrawn.every((p) => p >= 1 && p <= 10)).toBe(true);
    expect(JSON.parse((await kv.get(redisKeys.customerDigitPositions(sub)))!).positions).toEqual(redrawn);
  });

  it('still asks for a device remembered before under its whole digest when the record as written today is not found', async () => {
    const kv = new MemoryKeyValueStore();
    const deviceId = DeviceRegistry.newDeviceId();
    const { createHash } = await import('node:crypto');
    await kv.set(redisKeys.customerDeviceAsBefore(sub, createHash('sha256').update(deviceId).digest('base64url')), '1', 60);
    const read = await readDigitAnswer(kv, sub, deviceId);
    expect(read.deviceFound).toBe(false);
    expect(await new DeviceRegistry(kv, 90).isKnown(sub, deviceId, read.deviceFound)).toBe(true);
  });
});

describe('readAnswer', () => {
  it('finds the customer, the failure count (none as zero) and the answer-due mark', async () => {
    const kv = new MemoryKeyValueStore();
    expect(await readAnswer(kv, sub)).toEqual({ customer: undefined, failuresSinceSuccess: 0, answerDue: false });
    await kv.set(redisKeys.customer(sub), JSON.stringify(customer));
    expect(await readAnswer(kv, sub)).toEqual({ customer, failuresSinceSuccess: 0, answerDue: false });
    await kv.increment(redisKeys.customerFailures(sub));
    await kv.increment(redisKeys.customerFailures(sub));
    expect(await readAnswer(kv, sub)).toEqual({ customer, failuresSinceSuccess: 2, answerDue: false });
    await kv.set(redisKeys.customerAnswerDue(sub), '1');
    expect(await readAnswer(kv, sub)).toEqual({ customer, failuresSinceSuccess: 2, answerDue: true });
  });
});
