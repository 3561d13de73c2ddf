import { describe, expect, it } from '@jest/globals';
import { ipBudgetKey } from '../../../src/shared/ip-budget-key.js';

describe('ipBudgetKey: what a per-IP budget is counted on', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(ipBudgetKey('203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts an IPv4-mapped IPv6 address as its IPv4 address', () => {
    expect(ipBudgetKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(ipBudgetKey('::FFFF:cb00:7107')).toBe('203.0.113.7');
  });

  it('counts every IPv6 address of one /64 together, whatever its spelling', () => {
    const key = '2001:db8:1:2::/64';
    for (const ip of ['2001:db8:1:2::1', '2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:0DB8:0001:0002:0:0:0:9', '2001:db8:1:2::1%eth0', '2001:db8:1:2::198.51.100.1']) {
      expect(ipBudgetKey(ip)).toBe(key);
    }
    expect(ipBudgetKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(ipBudgetKey('::1')).toBe('::/64');
    expect(ipBudgetKey('fe80::1')).toBe('fe80::/64');
  });

  it('leaves what is not an IP address alone', () => {
    expect(ipBudgetKey('unknown')).toBe('unknown');
  });
});
