// truncateIp (docs/privacy.md "IP truncation"): /24 for IPv4, /48 for IPv6, IPv4-mapped IPv6 as IPv4,
// checked on examples and, with fast-check, on every address shape: the result is the network's
// first address, it contains the original (node's BlockList agrees), and cutting twice changes nothing.
import { BlockList, isIP } from 'node:net';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { truncateIp } from '../../src/privacy/ip.ts';

test('examples: IPv4 to /24, IPv6 to /48, IPv4-mapped as IPv4, zone ids dropped, anything else to ""', () => {
  const cases: [string, string][] = [
    ['1.2.3.4', '1.2.3.0'],
    ['192.168.100.255', '192.168.100.0'],
    ['10.0.0.0', '10.0.0.0'],
    ['2001:db8:abcd:12::1', '2001:db8:abcd::'],
    ['2001:0DB8:ABCD:0012:0000:0000:0000:0001', '2001:db8:abcd::'],
    ['2a00:1450:4001:82b::200e', '2a00:1450:4001::'],
    ['::1', '::'],
    ['::', '::'],
    ['fe80::1%eth0', 'fe80::'],
    ['1:0:0:2:3:4:5:6', '1::'],
    ['1:2:3:4:5:6:7:8', '1:2:3::'],
    ['::ffff:1.2.3.4', '::ffff:1.2.3.0'],
    ['::FFFF:203.0.113.77', '::ffff:203.0.113.0'],
    ['::ffff:102:304', '::ffff:1.2.3.0'],
    ['64:ff9b::1.2.3.4', '64:ff9b::'],
    ['', ''],
    ['unknown', ''],
    ['1.2.3', ''],
    ['1.2.3.4.5', ''],
    [' 1.2.3.4 ', '1.2.3.0'],
  ];
  expect(cases.map(([ip]) => [ip, truncateIp(ip)])).toEqual(cases);
});

const hextet = fc.integer({ min: 0, max: 0xffff });
const groups = fc.array(hextet, { minLength: 8, maxLength: 8 });

/** The same eight groups in one of the ways people and servers write them. */
function written(g: number[], style: number): string {
  const full = g.map((x) => x.toString(16));
  if (style === 0) return full.join(':');
  if (style === 1) return g.map((x) => x.toString(16).padStart(4, '0').toUpperCase()).join(':');
  // Compress the first run of zeros, if any (a valid, if not always canonical, form).
  const start = g.indexOf(0);
  if (start === -1) return full.join(':');
  let end = start;
  while (end < 8 && g[end] === 0) end += 1;
  return `${full.slice(0, start).join(':')}::${full.slice(end).join(':')}`;
}

test('IPv6: the result is the /48 network of the address, in canonical text, whatever way it was written', () => {
  fc.assert(
    fc.property(groups, fc.integer({ min: 0, max: 2 }), (g, style) => {
      // IPv4-mapped addresses are the IPv4 case (next test).
      fc.pre(!(g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff));
      const ip = written(g, style);
      const cut = truncateIp(ip);
      expect(isIP(cut)).toBe(6);
      const net = new BlockList();
      net.addSubnet(cut, 48, 'ipv6');
      expect(net.check(ip, 'ipv6')).toBe(true);
      // Canonical: the same as Node's URL parser writes it, and only the first three groups survive.
      expect(cut).toBe(new URL(`http://[${cut}]/`).hostname.slice(1, -1));
      expect(truncateIp(cut)).toBe(cut);
      const again = new URL(`http://[${written([...g.slice(0, 3), 0, 0, 0, 0, 0], 0)}]/`).hostname.slice(1, -1);
      expect(cut).toBe(again);
    }),
  );
});

test('IPv4 and IPv4-mapped IPv6: the first three octets kept, the last one 0', () => {
  const octet = fc.integer({ min: 0, max: 255 });
  fc.assert(
    fc.property(octet, octet, octet, octet, fc.boolean(), (a, b, c, d, mapped) => {
      const v4 = `${a}.${b}.${c}.${d}`;
      const ip = mapped ? `::ffff:${v4}` : v4;
      const cut = truncateIp(ip);
      expect(cut).toBe(mapped ? `::ffff:${a}.${b}.${c}.0` : `${a}.${b}.${c}.0`);
      const net = new BlockList();
      net.addSubnet(`${a}.${b}.${c}.0`, 24, 'ipv4');
      expect(net.check(v4, 'ipv4')).toBe(true);
      expect(truncateIp(cut)).toBe(cut);
    }),
  );
});

test('text that is no address never comes back, whole or in part', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 60 }), (s) => {
      fc.pre(isIP(s.trim()) === 0 && isIP(s.trim().replace(/%.*$/, '')) === 0);
      expect(truncateIp(s)).toBe('');
    }),
  );
});
