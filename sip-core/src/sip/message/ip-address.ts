// Address helpers for URI comparison (RFC 3261 §19.1.4 compares hosts, and an IPv6 reference may be written
// in several equivalent ways) and for the broadcast check on response Vias (RFC 4475 §3.3.10).

/** Whether `text` is a dotted-quad IPv4 address (RFC 3261 §25.1 `IPv4address`; leading zeros tolerated). */
export function isIpv4(text: string): boolean {
  const parts = text.split('.');
  if (parts.length !== 4) return false;
  for (const p of parts) {
    if (p.length === 0 || p.length > 3 || !/^[0-9]+$/.test(p) || Number(p) > 255) return false;
  }
  return true;
}

/**
 * The canonical text of an IPv6 address (lower case, no leading zeros, `::` expanded to eight groups), or
 * `undefined` when `text` is not one. Accepts the brackets of an IPv6 reference and a trailing IPv4 part.
 */
export function canonicalIpv6(text: string): string | undefined {
  let t = text;
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
  if (!t.includes(':') || t.length > 45) return undefined;
  const lastColon = t.lastIndexOf(':');
  const last = t.slice(lastColon + 1);
  if (last.includes('.')) {
    // An embedded IPv4 address stands for the last two groups.
    if (!isIpv4(last)) return undefined;
    const o = last.split('.').map(Number);
    t = `${t.slice(0, lastColon + 1)}${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string): number[] | undefined => {
    if (s === '') return [];
    const groups = s.split(':');
    const out: number[] = [];
    for (const g of groups) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  if (!head || !rest) return undefined;
  const known = head.length + rest.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return undefined;
  const zeros = new Array<number>(8 - known).fill(0);
  return [...head, ...zeros, ...rest].map((g) => g.toString(16)).join(':');
}

/** Whether a host is the IPv4 limited broadcast address or an IPv4/IPv6 multicast address. */
export function isBroadcastOrMulticast(host: string): boolean {
  if (isIpv4(host)) {
    const first = Number(host.split('.')[0]);
    return host.split('.').every((p) => Number(p) === 255) || (first >= 224 && first <= 239);
  }
  const v6 = canonicalIpv6(host);
  return v6 !== undefined && v6.startsWith('ff');
}
