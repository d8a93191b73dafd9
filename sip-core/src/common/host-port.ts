// A host as a URI or a `host:port` shows it: an IPv6 literal in brackets (RFC 3986 §3.2.2; RFC 3261 §25.1's
// `IPv6reference`), so that its colons are not read as the port's. The test is a colon — in a host only an IPv6
// literal has one — not net.isIPv6, whose pattern cost ~0.4 % of the emulator's main thread when it ran for every
// response's Contact.

/** `host` as a URI host: an IPv6 literal in brackets; a name, an IPv4 address or a bracketed literal unchanged. */
export function bracketHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** `host:port` with an IPv6 literal in brackets: `127.0.0.1:5060`, `[::1]:5060`. */
export function hostAndPort(host: string, port: number): string {
  return `${bracketHost(host)}:${port}`;
}
