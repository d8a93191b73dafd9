// The link-layer header types this folder reads and writes (tcpdump.org's LINKTYPE_ registry, the values pcap and
// pcapng files carry). Each names how the bytes before the IP header are laid out.

export const LINKTYPE = {
  /** BSD loopback: a 4-byte address family in the writer's byte order. */
  NULL: 0,
  /** Ethernet II, with optional 802.1Q / 802.1ad tags. */
  ETHERNET: 1,
  /** Raw IP as some BSDs number it (DLT_RAW = 12 or 14 there). */
  RAW_BSD_12: 12,
  RAW_BSD_14: 14,
  /** Raw IPv4 or IPv6: the packet starts with the IP header (what our writer uses). */
  RAW: 101,
  /** OpenBSD loopback: the address family big-endian. */
  LOOP: 108,
  /** Linux cooked capture v1 (`tcpdump -i any` on older libpcap). */
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  /** Linux cooked capture v2 (`tshark -i any` today). */
  LINUX_SLL2: 276,
} as const;

export type LinkType = (typeof LINKTYPE)[keyof typeof LINKTYPE];
