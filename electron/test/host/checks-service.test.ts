// The host's checks against its own embedded emulator: the registry for a profile, a run with its progress
// events and verdict, one run at a time, cancel, the stored history, a run's full results with evidence, and
// the three reports through the shell's export delivery.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckRunView, CsvExport, EventMessage, TrunkProfile } from '../../common/index.js';
import { MemorySecretStore, PhoneService, type ExportDelivery } from '../../host/index.js';
import { checkTargetForProfile } from '../../host/check-target-for-profile.js';
import { describeChecks } from '../../host/checks-service.js';
import { parseCheckReport, type CheckDefinition } from '../../../sip-core/src/index.js';

const dirs: string[] = [];
const services: PhoneService[] = [];

/** Keeps what a shell would hand to the user. */
class MemoryDelivery implements ExportDelivery {
  readonly files: { fileName: string; contentType: string; text: string }[] = [];
  deliver(fileName: string, contentType: string, chunks: () => Iterable<string>): Promise<CsvExport> {
    this.files.push({ fileName, contentType, text: [...chunks()].join('') });
    return Promise.resolve({ kind: 'download', href: `/downloads/x/${fileName}`, fileName });
  }
}

async function openService(): Promise<{
  service: PhoneService;
  messages: EventMessage[];
  delivery: MemoryDelivery;
}> {
  const dataDir = mkdtempSync(join(tmpdir(), 'trunkline-host-checks-'));
  dirs.push(dataDir);
  const delivery = new MemoryDelivery();
  const service = PhoneService.open({
    dataDir,
    shell: 'browser',
    appVersion: '0.0.0-test',
    secrets: new MemorySecretStore(),
    exports: delivery,
    checkRunner: { localAddress: '127.0.0.1' },
  });
  services.push(service);
  const messages: EventMessage[] = [];
  service.subscribe((message) => messages.push(message));
  expect((await service.emulatorSettled()).state).toBe('running');
  return { service, messages, delivery };
}

function finishedRun(messages: EventMessage[], runId: string): CheckRunView | undefined {
  for (const m of messages) {
    if (m.event === 'checks.finished' && m.payload.runId === runId) return m.payload;
  }
  return undefined;
}

async function waitFor<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 1_000; i += 1) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

function value<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('checks in the host, against the embedded emulator', () => {
  it('reports checks available and lists the registry for the emulator profile', async () => {
    const { service } = await openService();
    expect(value(await service.invoke('app.info')).features.checks).toEqual({ available: true });
    const checks = value(await service.invoke('checks.list', {}));
    expect(checks.map((c) => c.id)).toEqual(expect.arrayContaining(['dns', 'tls', 'options', 'auth']));
    const auth = checks.find((c) => c.id === 'auth');
    expect(auth).toMatchObject({
      family: 'network',
      safety: 'safe',
      dependsOn: ['options'],
      applicable: true,
    });
    expect(checks.every((c) => c.title.length > 0 && c.description.length > 0)).toBe(true);
  });

  it('runs every check with progress events, stores the run and exports its three reports', async () => {
    const { service, messages, delivery } = await openService();
    const { runId } = value(await service.invoke('checks.run', { profileId: 'emulator' }));
    const run = await waitFor(() => finishedRun(messages, runId), 'checks.finished');

    expect(run.verdict, JSON.stringify(run.results?.filter((r) => r.outcome === 'failed'))).toBe('passed');
    const outcomes = Object.fromEntries((run.results ?? []).map((r) => [r.id, r.outcome]));
    expect(outcomes).toMatchObject({ dns: 'skipped', tls: 'skipped', options: 'passed', auth: 'passed' });
    // The call checks run with a softphone of the run's own against the embedded emulator; the inbound ones say
    // why they are skipped (the demo DIDs ring the app's own softphone); the probes follow the calls' CPS window.
    expect(outcomes).toMatchObject({
      'outbound-call': 'passed',
      'two-way-audio': 'passed',
      dtmf: 'passed',
      'hold-resume': 'passed',
      'blind-transfer': 'passed',
      'hangup-cdr': 'passed',
      inbound: 'skipped',
      'inbound-fallback': 'skipped',
      'probe-caller-id-not-owned': 'passed',
    });
    expect(run.results?.find((r) => r.id === 'inbound')?.message).toContain('Emulator view');

    const started = messages.find((m) => m.event === 'checks.started');
    expect(started?.payload).toMatchObject({ runId, profileName: 'Embedded emulator' });
    const progress = messages
      .filter((m): m is Extract<EventMessage, { event: 'checks.progress' }> => m.event === 'checks.progress')
      .map((m) => m.payload);
    for (const id of ['dns', 'tls', 'options', 'auth']) {
      const stages = progress.filter((p) => p.result.id === id).map((p) => p.stage);
      expect(stages[0], id).toBe('started');
      expect(stages.at(-1), id).toBe('finished');
    }
    // The first event of the run came before any finished one, and the finished run came last.
    const lastProgress = messages.findLastIndex((m) => m.event === 'checks.progress');
    expect(messages.findIndex((m) => m.event === 'checks.finished')).toBeGreaterThan(lastProgress);

    const history = value(await service.invoke('checks.runs', {}));
    expect(history[0]).toMatchObject({ runId, verdict: 'passed', failed: 0, skipped: 4 });

    const detail = value(await service.invoke('checks.getRun', { runId }));
    const options = detail.results?.find((r) => r.id === 'options');
    expect(options?.measurements?.some((m) => m.unit === 'ms')).toBe(true);
    const ladder = options?.evidence?.sip[0]?.ladder;
    expect(ladder?.arrows.map((a) => a.label)).toEqual(
      expect.arrayContaining([expect.stringMatching(/OPTIONS/)]),
    );
    expect(ladder?.arrows.some((a) => a.status === 200)).toBe(true);
    const dns = detail.results?.find((r) => r.id === 'dns');
    expect(dns).toMatchObject({ outcome: 'skipped', skipKind: 'not-applicable' });
    expect(dns?.skipReason).toMatch(/emulator/);

    for (const format of ['json', 'junit', 'html'] as const) {
      const exported = value(await service.invoke('checks.exportReport', { runId, format }));
      expect(exported.kind).toBe('download');
    }
    const [json, junit, html] = delivery.files;
    expect(parseCheckReport(json.text).run.runId).toBe(runId);
    expect(junit.fileName).toMatch(/\.junit\.xml$/);
    const xml = new XMLParser({ ignoreAttributes: false }).parse(junit.text) as {
      testsuites: { testsuite: { testcase: unknown[] } };
    };
    expect(xml.testsuites.testsuite.testcase).toHaveLength(run.results?.length ?? -1);
    expect(html.contentType).toMatch(/text\/html/);
    expect(html.text).toContain('<html');
    expect(html.text).not.toContain('Trunkline#2026');
  }, 60_000);

  it('runs one at a time, cancels into an aborted, failed run and keeps it in history', async () => {
    const { service, messages } = await openService();
    const { runId } = value(await service.invoke('checks.run', { profileId: 'emulator' }));
    const second = await service.invoke('checks.run', { profileId: 'emulator' });
    expect(second.ok ? undefined : second.error.code).toBe('busy');
    expect(value(await service.invoke('checks.active'))?.runId).toBe(runId);

    expect(value(await service.invoke('checks.cancel', { runId }))).toEqual({ cancelled: true });
    const run = await waitFor(() => finishedRun(messages, runId), 'checks.finished');
    expect(run).toMatchObject({ verdict: 'failed', aborted: true });
    expect(run.results?.some((r) => r.skipKind === 'aborted')).toBe(true);
    expect(value(await service.invoke('checks.active'))).toBeNull();
    expect(value(await service.invoke('checks.cancel', { runId }))).toEqual({ cancelled: false });
    expect(value(await service.invoke('checks.runs', {}))[0]).toMatchObject({ runId, aborted: true });
  }, 60_000);

  it('refuses a bad test number, an unknown check, an unknown run and a stopped emulator', async () => {
    const { service } = await openService();
    const codeOf = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);
    expect(
      codeOf(await service.invoke('checks.run', { profileId: 'emulator', testNumber: '4155550100' })),
    ).toBe('invalid_params');
    expect(codeOf(await service.invoke('checks.run', { profileId: 'emulator', checks: ['nope'] }))).toBe(
      'invalid_params',
    );
    expect(codeOf(await service.invoke('checks.getRun', { runId: 'missing' }))).toBe('not_found');
    expect(codeOf(await service.invoke('checks.exportReport', { runId: 'missing', format: 'html' }))).toBe(
      'not_found',
    );
    await service.invoke('emulator.stop');
    const stopped = await service.invoke('checks.run', { profileId: 'emulator' });
    expect(codeOf(stopped)).toBe('unavailable');
    expect(stopped.ok ? '' : stopped.error.message).toMatch(/start it in the Emulator view/);
  });
});

describe('the registry as the view lists it', () => {
  const check = (id: string, safety: 'safe' | 'emulator-only'): CheckDefinition<never> => ({
    id,
    title: id,
    description: `${id} check`,
    dependsOn: [],
    safety,
    timeoutMs: 1_000,
    run: () => Promise.resolve({ status: 'pass', summary: 'ok' }),
  });
  const families = [
    { id: 'network', title: 'Network', checks: [check('dns', 'safe')] },
    { id: 'probes', title: 'Emulator-only probes', checks: [check('wrong-credentials', 'emulator-only')] },
  ];

  it.each([
    ['emulator', true],
    ['zentrunk', false],
  ] as const)('on a %s profile, an emulator-only probe is applicable: %s', (kind, applicable) => {
    const listed = describeChecks(families, kind);
    expect(listed.find((c) => c.id === 'dns')?.applicable).toBe(true);
    const probe = listed.find((c) => c.id === 'wrong-credentials');
    expect(probe).toMatchObject({ family: 'probes', familyTitle: 'Emulator-only probes', applicable });
    expect(probe?.notApplicableReason === undefined).toBe(applicable);
  });
});

describe('the target of a profile', () => {
  const real: TrunkProfile = {
    id: 'acme',
    name: 'Acme',
    kind: 'zentrunk',
    trunkDomain: '21784177241578.zt.plivo.com',
    proxyHost: 'sbc.example.net',
    port: 5061,
    transport: 'tls',
    srtp: 'off',
    codecs: ['PCMU'],
    username: 'acme',
    hasPassword: true,
    callerIds: ['+14155550101'],
    knowledge: {},
  };

  it('never marks a real trunk as the emulator and keeps its password secret', () => {
    const target = checkTargetForProfile({ ...real, kind: 'zentrunk' }, '+14155550100', {
      emulatorUdp: { transport: 'udp', address: '127.0.0.1', port: 5999 },
      password: () => 's3cret-pass',
    });
    expect(target).toMatchObject({
      isEmulator: false,
      terminationDomain: real.trunkDomain,
      outboundProxy: { host: 'sbc.example.net', port: 5061 },
      transport: 'tls',
      testNumber: '+14155550100',
      callerId: '+14155550101',
    });
    expect(target.credentials?.password.reveal()).toBe('s3cret-pass');
    expect(JSON.stringify(target)).not.toContain('s3cret-pass');
  });

  it('sends to the domain itself when the proxy is the domain, and without credentials when none are stored', () => {
    const target = checkTargetForProfile({ ...real, proxyHost: real.trunkDomain }, undefined, {
      emulatorUdp: undefined,
      password: () => undefined,
    });
    expect(target.outboundProxy).toBeUndefined();
    expect(target.credentials).toBeUndefined();
  });

  it('targets the emulator where it listens, as the emulator', () => {
    const target = checkTargetForProfile({ ...real, id: 'emulator', kind: 'emulator' }, undefined, {
      emulatorUdp: { transport: 'udp', address: '127.0.0.1', port: 5999 },
      password: () => undefined,
    });
    expect(target).toMatchObject({
      isEmulator: true,
      transport: 'udp',
      outboundProxy: { host: '127.0.0.1', port: 5999 },
    });
  });
});
