import { afterEach, describe, expect, it } from 'vitest';
import {
  CheckRunner,
  createCheckTarget,
  createNetworkCheckServices,
  NETWORK_CHECKS,
  emulatorAccountFacts,
  PROBE_CHECKS,
  premiumNumberProbe,
  trunkCpsProbe,
  type CheckDefinition,
  type CheckResult,
  type EmulatorAccountFacts,
  type ProbeCheckServices,
} from '../../../src/checks/index.js';
import { systemClock } from '../../../src/common/clock.js';
import { DEFAULT_POLICY_SETTINGS, DEMO_CREDENTIALS, SecretString } from '../../../src/policy/index.js';
import { startEmulator, type EmulatorHarness } from '../../support/emulator-harness.js';
import { CREDENTIAL_TRUNK_HOST, OWNED_CALLER_ID } from '../../support/policy-fixtures.js';

// The network checks and the probes: the call checks (the `calls` family between them) have their own tests in
// test/checks/calls/, and without a trunk profile they would only add skipped rows here.
const NETWORK_AND_PROBES = [...NETWORK_CHECKS, ...PROBE_CHECKS];

// Every negative probe against the in-process emulator over real UDP sockets (127.0.0.1, port 0), with the
// demo account: the probe derives what to send from the account the services carry, and passes only on the
// exact status and hangup code of BEHAVIOUR.md §20. The known answers are written here independently.

let harness: EmulatorHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function targetFor(h: EmulatorHarness, password: string = DEMO_CREDENTIALS.credential.password) {
  return createCheckTarget({
    terminationDomain: CREDENTIAL_TRUNK_HOST,
    transport: 'udp',
    outboundProxy: { host: '127.0.0.1', port: h.udp.port },
    credentials: { username: DEMO_CREDENTIALS.credential.username, password: new SecretString(password) },
    callerId: OWNED_CALLER_ID,
    isEmulator: true,
  });
}

async function runProbe(
  check: CheckDefinition<ProbeCheckServices>,
  facts?: (h: EmulatorHarness) => EmulatorAccountFacts,
  emulatorFile: Record<string, unknown> = {},
): Promise<CheckResult> {
  harness = await startEmulator(emulatorFile);
  const h = harness;
  const services: ProbeCheckServices = {
    ...createNetworkCheckServices({ clock: systemClock, localAddress: '127.0.0.1' }),
    emulatorAccount: facts?.(h) ?? emulatorAccountFacts(h.emulator),
  };
  const runner = new CheckRunner({ checks: [{ ...check, dependsOn: [] }], services });
  const run = await runner.run(targetFor(h));
  return run.results[0];
}

const measured = (result: CheckResult, name: string) =>
  result.measurements.find((m) => m.name === name)?.value;

describe('negative probes against the emulator', () => {
  // Probe → the status and hangup code the emulator must answer (BEHAVIOUR.md §20, default settings).
  const knownAnswers: Array<[string, number, number | undefined]> = [
    ['probe-caller-id-not-owned', 403, 4190],
    ['probe-barred-country', 403, 4560],
    ['probe-premium-number', 403, 4570],
    ['probe-au-cli-prefix', 403, 4190],
    ['probe-missing-country-code', 404, 4100],
    ['probe-codec-mismatch', 488, 4620],
    ['probe-wrong-credentials', 403, 4180],
    ['probe-require-100rel', 420, undefined],
    ['probe-trunk-cps', 503, 5180],
  ];
  it.each(knownAnswers)('%s passes on %i / %s', async (id, status, code) => {
    const result = await runProbe(PROBE_CHECKS.find((c) => c.id === id)!);
    expect(result.status, `${result.summary} ${result.cause?.summary ?? ''}`).toBe('pass');
    expect(result.safety).toBe('emulator-only');
    expect(measured(result, 'expectedStatus')).toBe(status);
    expect(measured(result, 'observedStatus')).toBe(status);
    expect(measured(result, 'observedHangupCode')).toBe(code);
    expect(result.evidence.lines.some((l) => l.startsWith('Expected: BEHAVIOUR.md §'))).toBe(true);
    const lastExchange = result.evidence.sip.at(-1)!;
    const startLines = lastExchange.messages.map((m) => m.text.split('\r\n')[0]);
    expect(startLines.some((l) => l.startsWith(`SIP/2.0 ${status} `))).toBe(true);
    expect(harness!.emulator.activeCalls).toBe(0);
  });

  it('the wrong-credentials probe sees the 407 challenge first and never shows a digest response', async () => {
    const result = await runProbe(PROBE_CHECKS.find((c) => c.id === 'probe-wrong-credentials')!);
    expect(measured(result, 'observedChallengeStatus')).toBe(407);
    const texts = result.evidence.sip.flatMap((e) => e.messages.map((m) => m.text));
    expect(texts.some((t) => t.startsWith('SIP/2.0 407 '))).toBe(true);
    const authorization = texts.find((t) => /^Proxy-Authorization:/m.test(t))!;
    expect(authorization).toMatch(/response="…"/);
    expect(JSON.stringify(result)).not.toContain(DEMO_CREDENTIALS.credential.password);
  });

  it('unsupported methods: INFO, MESSAGE and REGISTER get 405 with the §20 Allow list', async () => {
    const result = await runProbe(PROBE_CHECKS.find((c) => c.id === 'probe-unsupported-methods')!);
    expect(result.status, result.cause?.summary).toBe('pass');
    for (const method of ['INFO', 'MESSAGE', 'REGISTER']) {
      expect(measured(result, `${method}Status`)).toBe(405);
      expect(measured(result, `${method}Allow`)).toBe('INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, UPDATE');
    }
    expect(result.evidence.sip.map((e) => e.label)).toEqual([
      'INFO outside a dialog',
      'MESSAGE outside a dialog',
      'REGISTER outside a dialog',
    ]);
  });

  it('the CPS burst admits the trunk’s CPS, refuses the rest with 503 + 5180 and leaves no call up', async () => {
    const result = await runProbe(trunkCpsProbe);
    expect(result.status, result.cause?.summary).toBe('pass');
    expect(measured(result, 'burstSize')).toBe(2);
    expect(measured(result, 'admittedCalls')).toBe(1);
    expect(measured(result, 'refusedCalls')).toBe(1);
    const h = harness!;
    expect(h.emulator.activeCalls).toBe(0);
    // The admitted call was ended by us at once: its CDR names the customer's BYE or CANCEL.
    const texts = result.evidence.sip.flatMap((e) => e.messages.map((m) => m.text.split('\r\n')[0]));
    expect(
      texts.filter((l) => l.startsWith('BYE ') || l.startsWith('CANCEL ')).length,
    ).toBeGreaterThanOrEqual(1);
  });

  it('follows the emulator’s settings: 4650 for barred countries when configured so', async () => {
    const result = await runProbe(
      PROBE_CHECKS.find((c) => c.id === 'probe-barred-country')!,
      undefined,
      { settings: { geoBlockCode: 4650, geoBlockCauseName: 'barred_country' } },
    );
    expect(result.status, result.cause?.summary).toBe('pass');
    expect(measured(result, 'observedHangupCode')).toBe(4650);
  });

  it('fails with cause and remedy when the emulator answers otherwise (premium numbers let through)', async () => {
    // The checks believe premium blocking is on; the emulator runs with it off and answers the call.
    const result = await runProbe(
      premiumNumberProbe,
      (h) => ({ account: h.config.account, settings: DEFAULT_POLICY_SETTINGS }),
      { settings: { premiumBlocking: 'off' } },
    );
    expect(result.status).toBe('fail');
    expect(measured(result, 'expectedStatus')).toBe(403);
    expect(measured(result, 'observedStatus')).toBe(200);
    expect(result.cause?.sipStatus).toBe(200);
    expect(result.cause?.summary).toMatch(/answered 200 OK where BEHAVIOUR\.md §4\.2 #17.*4570/);
    expect(result.summary).toMatch(/status 200 OK instead of 403; no X-ZT-Hangup-Code instead of 4570/);
    expect(result.remedy).toMatch(/premium blocking is on/);
    // The call the emulator let through was ACKed and ended with BYE by the probe.
    expect(harness!.emulator.activeCalls).toBe(0);
  });

  it('fails, naming the fix, when the services carry no emulator account', async () => {
    harness = await startEmulator();
    const services = createNetworkCheckServices({ clock: systemClock, localAddress: '127.0.0.1' });
    const runner = new CheckRunner({ checks: [{ ...premiumNumberProbe, dependsOn: [] }], services });
    const [result] = (await runner.run(targetFor(harness))).results;
    expect(result.status).toBe('fail');
    expect(result.cause?.errorCode).toBe('CHECKS_NO_EMULATOR_ACCOUNT');
    expect(result.remedy).toMatch(/--emulator/);
  });

  it('the network checks, then every probe, pass against the emulator', async () => {
    harness = await startEmulator();
    const services: ProbeCheckServices = {
      ...createNetworkCheckServices({ clock: systemClock, localAddress: '127.0.0.1' }),
      emulatorAccount: emulatorAccountFacts(harness.emulator),
    };
    const run = await new CheckRunner({ checks: NETWORK_AND_PROBES, services }).run(targetFor(harness));
    const statuses = Object.fromEntries(run.results.map((r) => [r.id, r.status]));
    expect(statuses).toEqual({
      dns: 'skipped',
      tls: 'skipped',
      options: 'pass',
      auth: 'pass',
      ...Object.fromEntries(PROBE_CHECKS.map((c) => [c.id, 'pass'])),
    });
    expect(run.verdict).toBe('passed');
    expect(harness.emulator.activeCalls).toBe(0);
  });
});
