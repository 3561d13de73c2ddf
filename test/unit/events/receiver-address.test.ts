import { describe, expect, it } from '@jest/globals';
import { isSpecialUseAddress, publicAddressLookup, ReceiverAddressRefused, refusedLiteral } from '../../../src/events/receiver-address.js';

describe('where a partner\'s event receiver may be (production)', () => {
  it('refuses loopback, private, link-local, shared, reserved and multicast addresses, IPv4-mapped ones too', () => {
    const refused = ['127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
      '224.0.0.1', '255.255.255.255', '::', '::1', 'fe80::1', 'fd00::1', 'fc12::3', 'ff02::1', '::ffff:127.0.0.1', '::FFFF:10.0.0.1', '2001:db8::1', 'not-an-address'];
    const allowed = ['8.8.8.8', '1.1.1.1', '172.32.0.1', '192.169.0.1', '100.128.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8'];
    expect(refused.filter((address) => !isSpecialUseAddress(address))).toEqual([]);
    expect(allowed.filter((address) => isSpecialUseAddress(address))).toEqual([]);
  });

  it('judges an address literal in the URL before any connection, and a name by what it resolves to', async () => {
    expect(refusedLiteral(new URL('https://169.254.169.254/latest'))?.message).toBe('169.254.169.254 is a loopback, private or reserved address');
    expect(refusedLiteral(new URL('https://[::1]:8443/events'))).toBeInstanceOf(ReceiverAddressRefused);
    expect(refusedLiteral(new URL('https://8.8.8.8/events'))).toBeUndefined();
    expect(refusedLiteral(new URL('https://receiver.example/events'))).toBeUndefined();
    const looked = await new Promise<unknown>((resolve) => publicAddressLookup('localhost', {}, (error) => resolve(error)));
    expect(looked).toBeInstanceOf(ReceiverAddressRefused);
    expect((looked as Error).message).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), a loopback, private or reserved address$/);
  });
});
