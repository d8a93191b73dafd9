import { afterEach, describe, expect, it } from 'vitest';
import {
  CheckRunner,
  createCheckTarget,
  createNetworkCheckServices,
  DEFAULT_CHECKS,
  PROBE_CHECKS,
  SipProbe,
  type DnsResolver,
  type ProbeCheckServices,
} from '../../../src/checks/index.js';
import { ManualClock } from '../../../src/common/manual-clock.js';
import {
  DEFAULT_POLICY_SETTINGS,
  DEMO_TRUNK_IDS,
  demoAccount,
  SecretString,
} from '../../../src/policy/index.js';
import { driveClock } from '../../support/check-fixtures.js';
import { FakeTrunk } from '../../support/fake-trunk.js';

// A whole `trunkline check` run — the CLI's DEFAULT_CHECKS, twice — against a fake "real" trunk: our own UAS
// (sip/stack + DigestServer) posing as sip.zentrunk.plivo.com. The injected DNS resolver gives the DNS check a
// Zentrunk address (so every check that depends on it runs) and the SIP probes 127.0.0.1. The fake records
// every request it receives, on the same ManualClock the run uses. Even with the emulator's account wrongly
// handed to the services, no negative probe runs: the runner's safety class, not the services, decides.

const DOMAIN = 'sip.zentrunk.plivo.com';
const ZENTRUNK_ADDRESS = '18.214.109.130'; // Virginia, §2.2

let trunk: FakeTrunk | undefined;
afterEach(async () => {
  await trunk?.close();
  trunk = undefined;
});

const resolver: DnsResolver = {
  resolve4: (host) => Promise.resolve(host === DOMAIN ? [ZENTRUNK_ADDRESS] : []),
  resolve6: () => Promise.resolve([]),
  resolveSrv: () => Promise.reject(Object.assign(new Error('no SRV'), { code: 'ENODATA' })),
  resolveNaptr: () => Promise.reject(Object.assign(new Error('no NAPTR'), { code: 'ENODATA' })),
};

function accountServing(domain: string) {
  const account = demoAccount();
  const trunks = account.trunks.map((t) =>
    t.trunk_id === DEMO_TRUNK_IDS.credential ? { ...t, trunk_domain: domain } : t,
  );
  return { ...account, trunks };
}

interface Received {
  readonly atMs: number;
  readonly method: string;
  readonly uri: string;
}

/** Runs the default check list `runs` times against the fake, returning the runs and every request it received. */
async function runAgainstFake(isEmulator: boolean, runs: number) {
  const clock = new ManualClock();
  trunk = await FakeTrunk.start(
    { transport: 'udp', host: '127.0.0.1', port: 0 },
    { auth: 'digest', username: 'pbx', password: 'secret', clock },
  );
  const received: Received[] = [];
  trunk.stack.trace.subscribe((record) => {
    if (record.kind !== 'message' || record.direction !== 'received' || record.retransmission) return;
    const startLine = Buffer.from(record.bytes).toString('latin1').split('\r\n')[0];
    const [method, uri] = startLine.split(' ');
    if (!startLine.startsWith('SIP/2.0')) received.push({ atMs: clock.now(), method, uri });
  });
  const base = createNetworkCheckServices({ clock, resolver, localAddress: '127.0.0.1' });
  const services: ProbeCheckServices = {
    ...base,
    // The trunk's name resolves to our fake for SIP, through the injected resolver.
    openSipProbe: (target) =>
      SipProbe.open({
        target,
        clock,
        guard: base.optionsGuard,
        localAddress: '127.0.0.1',
        resolver: (host) =>
          host === DOMAIN
            ? Promise.resolve({ address: '127.0.0.1', family: 4 as const })
            : Promise.reject(new Error(`unexpected name ${host}`)),
      }),
    // An account in which the fake's domain is a credential trunk, so that every probe would have a plan.
    emulatorAccount: { account: accountServing(DOMAIN), settings: DEFAULT_POLICY_SETTINGS },
  };
  const target = createCheckTarget({
    terminationDomain: DOMAIN,
    port: trunk.port,
    transport: 'udp',
    credentials: { username: 'pbx', password: new SecretString('secret') },
    callerId: '+14155550101',
    isEmulator,
  });
  const runner = new CheckRunner({ checks: DEFAULT_CHECKS, services, clock });
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await driveClock(clock, runner.run(target)));
  return { runs: results, received };
}

describe('real-trunk safety of a full check run', () => {
  it('sends OPTIONS at most once per 15 s and never a negative probe, over two whole runs', async () => {
    const { runs, received } = await runAgainstFake(false, 2);
    for (const run of runs) {
      const statuses = Object.fromEntries(run.results.map((r) => [r.id, r.status]));
      expect(statuses).toMatchObject({ dns: 'pass', tls: 'skipped', options: 'pass', auth: 'pass' });
      for (const probe of PROBE_CHECKS) {
        const result = run.results.find((r) => r.id === probe.id)!;
        expect(result.skipReason, probe.id).toEqual({ kind: 'emulator-only' });
        expect(result.evidence.sip).toEqual([]);
      }
    }

    // Only what the safe checks send reached the "trunk": OPTIONS pings, the auth check's INVITEs (to a user that
    // is not a number; challenged, then refused) and the ACKs of their final responses.
    expect(new Set(received.map((r) => r.method))).toEqual(new Set(['OPTIONS', 'INVITE', 'ACK']));
    const invites = received.filter((r) => r.method === 'INVITE');
    expect(invites).toHaveLength(4);
    for (const invite of invites) expect(invite.uri).toBe(`sip:trunkline-auth-check@${DOMAIN}`);

    const pings = received.filter((r) => r.method === 'OPTIONS').map((r) => r.atMs);
    expect(pings).toHaveLength(2);
    const gaps = pings.slice(1).map((t, i) => t - pings[i]);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(15_000);
    expect(trunk!.optionsArrivals).toEqual(pings);
  });

  it('control: the same run marked as the emulator does send the probes, so the fake would see them', async () => {
    const { received } = await runAgainstFake(true, 1);
    const methods = new Set(received.map((r) => r.method));
    for (const method of ['INFO', 'MESSAGE', 'REGISTER']) expect(methods).toContain(method);
    const probeInvites = received.filter(
      (r) => r.method === 'INVITE' && !r.uri.startsWith('sip:trunkline-auth-check@'),
    );
    expect(probeInvites.length).toBeGreaterThanOrEqual(8);
  });
});
