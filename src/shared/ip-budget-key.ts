import { isIPv6 } from 'node:net';

/** An IPv6 address's eight groups (a zone dropped, `::` filled in, a trailing dotted quad as two groups). */
function groupsOf(address: string): string[] {
  let text = address.split('%')[0]!.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const before = head ? head.split(':') : [];
  const after = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - before.length - after.length).fill('0');
  return [...before, ...fill, ...after];
}

/**
 * What a per-IP budget is counted on. An IPv6 client holds a whole /64 (RFC 7421: one subnet is a
 * /64, and a home or a server gets at least one), so counting each address apart would let it
 * rotate through 2^64 fresh budgets; its /64 is counted instead. An IPv4-mapped address
 * (`::ffff:192.0.2.1`, how a dual-stack socket reports IPv4) counts as its IPv4 address.
 */
export function ipBudgetKey(ip: string): string {
  if (!isIPv6(ip.split('%')[0]!)) return ip;
  const groups = groupsOf(ip);
  if (groups.slice(0, 5).every((group) => Number.parseInt(group, 16) === 0) && Number.parseInt(groups[5]!, 16) === 0xffff) {
    const [high, low] = [Number.parseInt(groups[6]!, 16), Number.parseInt(groups[7]!, 16)];
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  }
  return `${groups.slice(0, 4).map((group) => Number.parseInt(group, 16).toString(16)).join(':')}::/64`;
}
