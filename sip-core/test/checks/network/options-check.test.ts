import { afterEach, describe, expect, it } from 'vitest';
import {
  CheckRunner,
  createNetworkCheckServices,
  optionsCheck,
  type CheckDefinition,
  type CheckResult,
  type CheckTargetInput,
  type NetworkCheckServices,
} from '../../../src/checks/index.js';
import { ManualClock } from '../../../src/common/manual-clock.js';
import { driveClock, testTarget } from '../../support/check-fixtures.js';
import { FakeTrunk, type FakeTrunkOptions } from '../../support/fake-trunk.js';

const alone = { ...optionsCheck, dependsOn: [] };
let trunk: FakeTrunk | undefined;
afterEach(async () => {
  await trunk?.close();
  trunk = undefined;
});

async function runOptions(
  transport: 'udp' | 'tcp',
  trunkOptions: Partial<FakeTrunkOptions>,
  target: Partial<CheckTargetInput> = {},
): Promise<CheckResult> {
  const clock = new ManualClock();
  trunk = await FakeTrunk.start({ transport }, { auth: 'acl', clock, ...trunkOptions });
  const services = createNetworkCheckServices({ clock, localAddress: '127.0.0.1' });
  const runner = new CheckRunner({ clock, checks: [alone], services });
  const run = runner.run(
    testTarget({ transport, outboundProxy: { host: '127.0.0.1', port: trunk.port }, ...target }),
  );
  return (await driveClock(clock, run)).results[0];
}

describe('options check against a fake trunk', () => {
  it.each(['udp', 'tcp'] as const)(
    'passes a 200 with Zentrunk’s Allow over %s, with RTT and evidence',
    async (transport) => {
      const result = await runOptions(transport, {});
      expect(result.status).toBe('pass');
      expect(result.measurements).toContainEqual({ name: 'status', value: 200 });
      expect(result.measurements.find((m) => m.name === 'rttMs')).toMatchObject({ unit: 'ms' });
      expect(result.measurements).toContainEqual({ name: 'server', value: 'Zentrunk' });
      const [exchange] = result.evidence.sip;
      expect(exchange.messages.map((m) => m.text.split('\r\n')[0])).toEqual([
        `OPTIONS sip:21784177241578.zt.plivo.com SIP/2.0`,
        'SIP/2.0 200 OK',
      ]);
    },
  );

  it.each([
    ['the Plivo trace Allow (no OPTIONS, REFER): pass with a note', 'INVITE,ACK,CANCEL,BYE,UPDATE', 'pass'],
    ['an Allow without BYE: warning', 'INVITE, ACK, CANCEL', 'warning'],
    ['an Allow with methods Zentrunk lacks: warning', 'INVITE, ACK, CANCEL, BYE, INFO, SUBSCRIBE', 'warning'],
  ])('%s', async (_name, allow, status) => {
    const result = await runOptions('udp', { allow });
    expect(result.status).toBe(status);
  });

  it('fails a refusal with the hangup cause from the catalogue, and warns on a challenge', async () => {
    const refused = await runOptions('udp', { optionsStatus: 404 });
    expect(refused.status).toBe('fail');
    expect(refused.cause?.sipStatus).toBe(404);
    expect(refused.cause?.summary).toMatch(/4070 trunk_not_found/);
    const challenged = await runOptions('udp', { optionsStatus: 407 });
    expect(challenged.status).toBe('warning');
  });

  it('retries an unanswered ping and fails after three, naming the cause', async () => {
    const result = await runOptions('udp', { silentOptions: 3 });
    expect(result.status).toBe('fail');
    expect(result.measurements).toContainEqual({ name: 'attempts', value: 3 });
    expect(result.cause?.errorCode).toBe('TIMER_F');
    expect(trunk!.optionsArrivals).toHaveLength(3);
  });

  it('fails when nothing listens over TCP', async () => {
    const result = await runOptions('tcp', {}, { outboundProxy: { host: '127.0.0.1', port: 9 } });
    expect(result.status).toBe('fail');
    expect(result.cause?.errorCode).toBeDefined();
  });
});

describe('OPTIONS rate across a whole run against a fake "real" target', () => {
  it('never sends two OPTIONS less than 15 s apart, retries and repeated runs included, and never runs emulator-only probes', async () => {
    const clock = new ManualClock();
    trunk = await FakeTrunk.start({ transport: 'udp' }, { auth: 'acl', clock, silentOptions: 1 });
    const services = createNetworkCheckServices({ clock, localAddress: '127.0.0.1' });
    let probesRun = 0;
    const pingAgain: CheckDefinition<NetworkCheckServices> = {
      id: 'options-again',
      title: 'Another check that pings',
      description: 'Sends one more OPTIONS through the same services.',
      dependsOn: ['options'],
      safety: 'safe',
      timeoutMs: 120_000,
      run: async (context) => {
        const probe = await context.services.openSipProbe(context.target);
        try {
          const result = await probe.options(context.signal);
          return { status: result.kind === 'final' ? 'pass' : 'fail', summary: result.kind };
        } finally {
          await probe.close();
        }
      },
    };
    const negativeProbe: CheckDefinition<NetworkCheckServices> = {
      ...pingAgain,
      id: 'cps-flood',
      safety: 'emulator-only',
      run: async (context) => {
        probesRun++;
        return pingAgain.run(context);
      },
    };
    const runner = new CheckRunner({ clock, checks: [alone, pingAgain, negativeProbe], services });
    const target = testTarget({ isEmulator: false, outboundProxy: { host: '127.0.0.1', port: trunk.port } });
    const first = await driveClock(clock, runner.run(target));
    const second = await driveClock(clock, runner.run(target));

    expect(first.results.map((r) => [r.id, r.status])).toEqual([
      ['options', 'pass'],
      ['options-again', 'pass'],
      ['cps-flood', 'skipped'],
    ]);
    expect(second.results[2].skipReason).toEqual({ kind: 'emulator-only' });
    expect(probesRun).toBe(0);
    // Run 1: a ping lost (Timer F), its retry, one more ping; run 2: two pings. Five in all, each ≥ 15 s apart.
    const arrivals = trunk.optionsArrivals;
    expect(arrivals).toHaveLength(5);
    const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(15_000);
    expect(services.optionsGuard.grants(`udp:127.0.0.1:${trunk.port}`)).toHaveLength(5);
  });
});
