import ipaddr from 'ipaddr.js';

/**
 * What a per-IP budget is counted on. An IPv6 client holds a whole /64 (RFC 7421: one subnet is a
 * /64, and a home or a server gets at least one), so counting each address apart would let it
 * rotate through 2^64 fresh budgets; its /64 is counted instead. An IPv4-mapped address
 * (`::ffff:192.0.2.1`, how a dual-stack socket reports IPv4) counts as its IPv4 address.
 */
export function ipBudgetKey(ip: string): string {
  // an IPv4 address (every request's, behind an IPv4 proxy) is its own key: no parse on the token path
  if (!ip.includes(':')) return ip;
  const address = ip.split('%')[0]!;
  if (!ipaddr.isValid(address)) return ip;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${parsed.toString()}/64`).toString()}/64`;
}
