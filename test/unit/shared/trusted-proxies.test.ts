import { describe, expect, it } from '@jest/globals';
import type { Context } from 'koa';
import { forwardedHeadersFromProxiesOnly, parseProxyRange } from '../../../src/shared/trusted-proxies.js';

const HEADERS = ['x-forwarded-for', 'X-SSL-Client-Cert'];

async function headersSeenFrom(peer: string): Promise<Record<string, unknown>> {
  const headers: Record<string, unknown> = { 'x-forwarded-for': '203.0.113.77', 'x-ssl-client-cert': 'pem', accept: '*/*' };
  const ctx = { req: { socket: { remoteAddress: peer }, headers } } as unknown as Context;
  await forwardedHeadersFromProxiesOnly(['10.9.9.9', '192.0.2.0/24', 'fd00::/8'], HEADERS)(ctx, async () => {});
  return headers;
}

describe('server.trustedProxies', () => {
  it('keeps the forwarded headers of a listed proxy (an address, a range, IPv4 as a dual-stack socket reports it, IPv6)', async () => {
    for (const peer of ['10.9.9.9', '192.0.2.7', '::ffff:192.0.2.200', 'fd00::1']) {
      expect(Object.keys(await headersSeenFrom(peer))).toEqual(['x-forwarded-for', 'x-ssl-client-cert', 'accept']);
    }
  });

  it('removes them, and nothing else, from any other peer', async () => {
    for (const peer of ['10.9.9.8', '192.0.3.1', '127.0.0.1', 'fe80::1', '']) {
      expect(Object.keys(await headersSeenFrom(peer))).toEqual(['accept']);
    }
  });

  it('reads an address or a CIDR range, and nothing else', () => {
    expect(['10.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8'].map((entry) => parseProxyRange(entry) !== undefined)).toEqual([true, true, true, true]);
    expect(['10.0.0.0/33', 'proxy.internal', '10.0.0', ''].map(parseProxyRange)).toEqual([undefined, undefined, undefined, undefined]);
  });
});
