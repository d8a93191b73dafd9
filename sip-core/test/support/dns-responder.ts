// A tiny authoritative DNS responder on 127.0.0.1 (UDP, dns-packet for the wire format), so that tests can point
// a real `dns.Resolver` at it: no DNS server is reachable from the machines these tests run on.

import { createSocket } from 'node:dgram';
import dnsPacket, { type Answer } from 'dns-packet';

export interface DnsZoneEntry {
  readonly A?: readonly string[];
  readonly AAAA?: readonly string[];
  readonly SRV?: ReadonlyArray<{ priority: number; weight: number; port: number; target: string }>;
  readonly NAPTR?: ReadonlyArray<{
    order: number;
    preference: number;
    flags: string;
    services: string;
    regexp: string;
    replacement: string;
  }>;
  /** Answer SERVFAIL for every question about this name. */
  readonly servfail?: boolean;
}

export interface DnsResponder {
  /** `127.0.0.1:port`, for `Resolver.setServers`. */
  readonly server: string;
  readonly queries: string[];
  close(): Promise<void>;
}

const NXDOMAIN = 3;
const SERVFAIL = 2;

export async function startDnsResponder(zone: Readonly<Record<string, DnsZoneEntry>>): Promise<DnsResponder> {
  const socket = createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (message, remote) => {
    let query;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (question === undefined) return;
    queries.push(`${question.type} ${question.name}`);
    const entry = zone[question.name.toLowerCase()];
    let rcode = 0;
    const answers: Answer[] = [];
    if (entry === undefined) rcode = NXDOMAIN;
    else if (entry.servfail) rcode = SERVFAIL;
    else {
      const base = { name: question.name, ttl: 60, class: 'IN' as const };
      if (question.type === 'A') for (const data of entry.A ?? []) answers.push({ ...base, type: 'A', data });
      if (question.type === 'AAAA')
        for (const data of entry.AAAA ?? []) answers.push({ ...base, type: 'AAAA', data });
      if (question.type === 'SRV')
        for (const data of entry.SRV ?? []) answers.push({ ...base, type: 'SRV', data });
      if (question.type === 'NAPTR')
        for (const data of entry.NAPTR ?? []) answers.push({ ...base, type: 'NAPTR', data });
    }
    const response = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_DESIRED | rcode,
      questions: query.questions,
      answers,
    });
    socket.send(response, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    server: `127.0.0.1:${socket.address().port}`,
    queries,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
