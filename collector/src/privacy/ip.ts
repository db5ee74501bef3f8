// IP truncation (README "Privacy", docs/privacy.md): with a project's `truncateIp`, the visitor's
// address is cut to its network before anything uses it: /24 for IPv4 (1.2.3.4 → 1.2.3.0), /48 for
// IPv6 (2001:db8:abcd:12::1 → 2001:db8:abcd::), and an IPv4-mapped IPv6 address as IPv4
// (::ffff:1.2.3.4 → ::ffff:1.2.3.0). The lead's and the visit's ip, the {ip} variable, the geo
// lookup and the visit fingerprint all get the cut address.
import { isIPv4, isIPv6 } from 'node:net';
import type { Store } from '../store/types.ts';

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part counts as two), or null. */
function ipv6Groups(ip: string): number[] | null {
  if (!isIPv6(ip)) return null;
  // A dotted IPv4 tail (::ffff:1.2.3.4) is the last two groups written another way.
  const text = ip.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_all, a: string, b: string, c: string, d: string) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`,
  );
  const halves = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((h) => Number.parseInt(h, 16)));
  const head = parse(halves[0] ?? '');
  const rest = halves.length === 2 ? parse(halves[1] ?? '') : [];
  const known = head.length + rest.length;
  const zeros = halves.length === 2 ? 8 - known : 0;
  const groups = [...head, ...Array<number>(Math.max(0, zeros)).fill(0), ...rest];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/** RFC 5952 text of eight groups: lower-case hex, the longest run (two or more) of zero groups as "::". */
function formatIpv6(groups: number[]): string {
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      best = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best === -1) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLength).join(':')}`;
}

function truncateIpv4(ip: string): string {
  const [a, b, c] = ip.split('.');
  return `${a}.${b}.${c}.0`;
}

/**
 * The address cut to its network: /24 for IPv4, /48 for IPv6, the IPv4 inside an IPv4-mapped IPv6
 * address to /24. A zone id (`fe80::1%eth0`) is dropped. Text that is no IP address gives '' (it
 * cannot be cut, so it is not kept).
 */
export function truncateIp(ip: string): string {
  const text = ip.trim();
  if (isIPv4(text)) return truncateIpv4(text);
  const groups = ipv6Groups(text.replace(/%.*$/, ''));
  if (!groups) return '';
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) return `::ffff:${groups[6]! >> 8}.${groups[6]! & 0xff}.${groups[7]! >> 8}.0`;
  return formatIpv6([...groups.slice(0, 3), 0, 0, 0, 0, 0]);
}

/** The visitor's address as the project keeps it: cut when its `truncateIp` is on, else as it came. */
export async function projectIp(store: Store, projectId: string, ip: string): Promise<string> {
  const { truncateIp: cut } = await store.getProjectSettings(projectId);
  return cut ? truncateIp(ip) : ip;
}
