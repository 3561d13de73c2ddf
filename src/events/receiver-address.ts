import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Where a partner's event receiver may not be in production: loopback, private, link-local (the
 * cloud's metadata address among them), shared, unspecified, benchmark, multicast and reserved
 * ranges (IANA special-purpose registries). Signed SETs pushed there would reach the bank's own
 * network on an operator's word.
 */
const SPECIAL_USE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) SPECIAL_USE.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
] as const) SPECIAL_USE.addSubnet(network, prefix, 'ipv6');

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** True for an address a receiver may not have (an IPv4-mapped IPv6 address is judged as its IPv4). */
export function isSpecialUseAddress(address: string): boolean {
  const mapped = MAPPED_IPV4.exec(address)?.[1];
  if (mapped) return SPECIAL_USE.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return SPECIAL_USE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class ReceiverAddressRefused extends Error {
  constructor(host: string, address: string) {
    super(host === address ? `${address} is a loopback, private or reserved address` : `${host} resolves to ${address}, a loopback, private or reserved address`);
    this.name = 'ReceiverAddressRefused';
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net.connect that refuses special-use addresses: checked on the address the
 * socket will connect to, so a name that resolves elsewhere the second time gains nothing.
 */
export function publicAddressLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refused = addresses.find((entry) => isSpecialUseAddress(entry.address));
    if (refused) return callback(new ReceiverAddressRefused(hostname, refused.address) as NodeJS.ErrnoException, []);
    if (options.all) return callback(null, addresses);
    const [first] = addresses;
    return callback(null, first!.address, first!.family);
  });
}

/** The URL's host when it is an address literal that a receiver may not have (a literal is never looked up). */
export function refusedLiteral(url: URL): ReceiverAddressRefused | undefined {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) !== 0 && isSpecialUseAddress(host) ? new ReceiverAddressRefused(host, host) : undefined;
}
