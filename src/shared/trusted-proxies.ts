import ipaddr from 'ipaddr.js';
import type { Middleware } from 'koa';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** An address ("10.0.0.5") or a CIDR range ("10.0.0.0/24", "fd00::/8"); undefined when it is neither. */
export function parseProxyRange(entry: string): Range | undefined {
  // ipaddr also reads the old short forms ("10.0.0" as 10.0.0.0): only the four-part form is an IPv4 address here
  const address = entry.split('/')[0]!;
  if (!(address.includes(':') ? ipaddr.IPv6.isValid(address) : ipaddr.IPv4.isValidFourPartDecimal(address))) return undefined;
  try {
    if (entry.includes('/')) return ipaddr.parseCIDR(entry);
    const single = ipaddr.parse(entry);
    return [single, single.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return undefined;
  }
}

function isWithin(peer: string | undefined, ranges: readonly Range[]): boolean {
  if (!peer || !ipaddr.isValid(peer)) return false;
  // a dual-stack socket reports an IPv4 peer as ::ffff:a.b.c.d
  const address = ipaddr.process(peer);
  return ranges.some(([network, bits]) => address.kind() === network.kind() && address.match(network, bits));
}

/**
 * With RENKEI_TRUST_PROXY=1 the proxy's X-Forwarded-For and client certificate headers are
 * believed. `server.trustedProxies` narrows that to the proxy's own addresses: a request that
 * reaches the listener from anywhere else has those headers removed before anything reads them,
 * so its IP is its socket's and it presents no certificate. (Without the list every peer is
 * believed, and the network must let the proxy alone reach the listener.)
 */
export function forwardedHeadersFromProxiesOnly(entries: readonly string[], headers: readonly string[]): Middleware {
  const ranges = entries.map(parseProxyRange).filter((range): range is Range => range !== undefined);
  const names = headers.map((name) => name.toLowerCase());
  return (ctx, next) => {
    if (!isWithin(ctx.req.socket.remoteAddress, ranges)) for (const name of names) delete ctx.req.headers[name];
    return next();
  };
}
