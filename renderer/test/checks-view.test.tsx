// @vitest-environment happy-dom
// The Checks view against a fake host: the registry grouped with safety badges and dependencies, the test
// number's validation, a run drawn from the host's events (progress bars, statuses, verdict), a failed check's
// cause and remedy with its ladder, a skipped check's reason, report export and a stored run opened from history.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckDescription, CheckRunView, CallLadderView } from '../../electron/common/index.js';
import { FakePhoneApi } from './fake-phone-api.js';
import { INFO, SETTINGS } from './fixtures.js';
import { renderApp } from './render-app.js';

const check = (
  id: string,
  family: string,
  familyTitle: string,
  patch: Partial<CheckDescription> = {},
): CheckDescription => ({
  id,
  title: id.toUpperCase(),
  description: `The ${id} check.`,
  family,
  familyTitle,
  safety: 'safe',
  dependsOn: [],
  applicable: true,
  ...patch,
});

const CATALOG: CheckDescription[] = [
  check('dns', 'network', 'Network'),
  check('options', 'network', 'Network', { dependsOn: ['dns'] }),
  check('outbound-call', 'calls', 'Calls', { dependsOn: ['options'] }),
  check('wrong-credentials', 'probes', 'Emulator-only probes', {
    safety: 'emulator-only',
    applicable: false,
    notApplicableReason: 'Runs only against the embedded emulator.',
  }),
];

const LADDER: CallLadderView = {
  callId: 'c1',
  participants: [
    { id: 0, label: 'Trunkline', endpoint: '127.0.0.1:5070', local: true },
    { id: 1, label: 'Trunk', endpoint: '127.0.0.1:5060', local: false },
  ],
  arrows: [
    {
      index: 0,
      offsetMs: 0,
      from: 0,
      to: 1,
      transport: 'udp',
      kind: 'request',
      method: 'OPTIONS',
      label: 'OPTIONS',
      retransmission: false,
      text: 'OPTIONS sip:x SIP/2.0',
    },
    {
      index: 1,
      offsetMs: 3,
      from: 1,
      to: 0,
      transport: 'udp',
      kind: 'response',
      method: 'OPTIONS',
      status: 403,
      label: '403 Forbidden',
      retransmission: false,
      text: 'SIP/2.0 403 Forbidden',
    },
  ],
  outcome: { kind: 'failed', summary: '403' },
};

const FINISHED: CheckRunView = {
  runId: 'run-1',
  startedMs: Date.UTC(2026, 10, 26, 12),
  finishedMs: Date.UTC(2026, 10, 26, 12, 1),
  target: 'emulator (10000000000001.zt.plivo.com)',
  passed: 1,
  failed: 1,
  skipped: 1,
  verdict: 'failed',
  aborted: false,
  results: [
    {
      id: 'dns',
      title: 'DNS',
      outcome: 'passed',
      message: 'Resolves inside Zentrunk ranges.',
      measurements: [{ name: 'resolveMs', value: 12.345, unit: 'ms' }],
      evidence: { sip: [], lines: ['a.zt.plivo.com → 15.0.0.1'], waveformCount: 0 },
    },
    {
      id: 'options',
      title: 'SIP OPTIONS',
      outcome: 'failed',
      message: 'OPTIONS answered 403.',
      cause: { summary: 'The trunk refused the ping.', sipStatus: 403, hangupCode: 4180 },
      remedy: 'Add your public IP to the trunk’s IP ACL.',
      evidence: { sip: [{ label: 'OPTIONS ping 1', ladder: LADDER }], lines: [], waveformCount: 0 },
    },
    {
      id: 'outbound-call',
      title: 'OUTBOUND-CALL',
      outcome: 'skipped',
      message: "Skipped: it needs 'options', which failed.",
      skipReason: "Skipped: it needs 'options', which failed.",
      skipKind: 'dependency',
    },
  ],
};

function fakeApi(runs: CheckRunView[] = []): FakePhoneApi {
  return new FakePhoneApi()
    .answer('app.info', () => ({
      ok: true,
      value: { ...INFO, features: { ...INFO.features, checks: { available: true } } },
    }))
    .answer('settings.get', () => ({ ok: true, value: SETTINGS }))
    .answer('history.list', () => ({ ok: true, value: { calls: [], totalCount: 0, limit: 50, offset: 0 } }))
    .answer('checks.active', () => ({ ok: true, value: null }))
    .answer('checks.list', () => ({ ok: true, value: CATALOG }))
    .answer('checks.runs', () => ({ ok: true, value: runs }))
    .answer('checks.run', () => ({ ok: true, value: { runId: 'run-1' } }))
    .answer('checks.getRun', () => ({ ok: true, value: FINISHED }))
    .answer('checks.exportReport', (params) => ({
      ok: true,
      value: { kind: 'saved', path: `/tmp/report.${(params as { format: string }).format}`, fileName: 'r' },
    }));
}

async function openChecks(api: FakePhoneApi) {
  await renderApp(api);
  fireEvent.click(screen.getByTestId('nav-checks'));
  await screen.findByTestId('check-picker');
}

afterEach(cleanup);

describe('ChecksView', () => {
  it('lists the registry by family with safety badges, dependencies and what does not apply', async () => {
    await openChecks(fakeApi());
    expect(screen.getByTestId('check-family-network').textContent).toContain('Network');
    expect(screen.getByTestId('check-family-calls').textContent).toContain('Calls');
    const probe = screen.getByTestId('check-option-wrong-credentials');
    expect(probe.textContent).toContain('emulator only');
    expect(probe.textContent).toContain('Runs only against the embedded emulator.');
    expect(within(probe).getByRole<HTMLInputElement>('checkbox').disabled).toBe(true);
    expect(screen.getByTestId('check-option-outbound-call').textContent).toContain('Needs OPTIONS');
    expect(screen.getByTestId('checks-empty').textContent).toContain(
      'Run the checks against the emulator to see what a healthy trunk looks like',
    );
    expect(screen.getByTestId('checks-history-empty')).toBeTruthy();
  });

  it('refuses a test number that is not E.164 and sends the chosen checks with a clean one', async () => {
    const api = fakeApi();
    await openChecks(api);
    fireEvent.change(screen.getByTestId('checks-test-number'), { target: { value: '4155550100' } });
    expect(screen.getByTestId('checks-test-number-hint').textContent).toContain(
      'Start with + and the country code',
    );
    expect(screen.getByTestId<HTMLButtonElement>('checks-run').disabled).toBe(true);

    fireEvent.change(screen.getByTestId('checks-test-number'), { target: { value: '+1 415 555 0100' } });
    fireEvent.click(within(screen.getByTestId('check-option-outbound-call')).getByRole('checkbox'));
    fireEvent.click(screen.getByTestId('checks-run'));
    await waitFor(() => expect(api.calls.some((c) => c.command === 'checks.run')).toBe(true));
    expect(api.calls.find((c) => c.command === 'checks.run')?.params).toEqual({
      profileId: 'emulator',
      checks: ['dns', 'options'],
      testNumber: '+14155550100',
    });
  });

  it('draws a run from the host events, then the verdict, the failure’s cause, remedy and ladder', async () => {
    const api = fakeApi();
    await openChecks(api);
    act(() =>
      api.emit('checks.started', {
        runId: 'run-1',
        target: FINISHED.target,
        profileName: 'Embedded emulator',
        checks: FINISHED.results!.map((r) => ({ id: r.id, title: r.title!, safety: 'safe' as const })),
      }),
    );
    expect(screen.getByTestId('check-result-dns').getAttribute('data-outcome')).toBe('pending');
    expect(screen.getByTestId('checks-cancel')).toBeTruthy();
    act(() =>
      api.emit('checks.progress', {
        runId: 'run-1',
        stage: 'progress',
        index: 0,
        total: 3,
        result: {
          id: 'dns',
          title: 'DNS',
          outcome: 'running',
          message: 'Running',
          progress: 0.4,
          progressNote: 'A/AAAA',
        },
      }),
    );
    const dns = screen.getByTestId('check-result-dns');
    expect(dns.getAttribute('data-outcome')).toBe('running');
    expect(dns.textContent).toContain('A/AAAA');
    expect(within(dns).getByRole('progressbar').getAttribute('value')).toBe('40');
    expect(screen.getByTestId('checks-overall-progress').getAttribute('value')).toBe('13');

    act(() => api.emit('checks.finished', FINISHED));
    expect(screen.getByTestId('check-verdict').textContent).toContain('failed');
    expect(screen.getByTestId('check-result-options').getAttribute('data-outcome')).toBe('failed');
    expect(screen.queryByTestId('checks-cancel')).toBeNull();

    fireEvent.click(within(screen.getByTestId('check-result-options')).getByTestId('check-details-toggle'));
    expect(screen.getByTestId('check-cause').textContent).toContain('The trunk refused the ping.');
    expect(screen.getByTestId('check-cause').textContent).toContain('hangup 4180 · SIP 403');
    expect(screen.getByTestId('check-remedy').textContent).toContain('IP ACL');
    const exchange = screen.getByTestId('check-sip-exchange');
    expect(exchange.textContent).toContain('OPTIONS ping 1 · 2 SIP messages');
    act(() => {
      (exchange as HTMLDetailsElement).open = true;
      fireEvent(exchange, new Event('toggle'));
    });
    expect(await screen.findAllByTestId('ladder-arrow')).toHaveLength(2);

    fireEvent.click(
      within(screen.getByTestId('check-result-outbound-call')).getByTestId('check-details-toggle'),
    );
    expect(screen.getByTestId('check-skip-reason').textContent).toContain("it needs 'options', which failed");

    fireEvent.click(within(screen.getByTestId('check-result-dns')).getByTestId('check-details-toggle'));
    expect(screen.getByTestId('check-measurements').textContent).toContain('resolveMs12.35 ms');

    fireEvent.click(screen.getByTestId('checks-export-junit'));
    await waitFor(() =>
      expect(api.calls.find((c) => c.command === 'checks.exportReport')?.params).toEqual({
        runId: 'run-1',
        format: 'junit',
      }),
    );
  });

  it('cancels the run in progress', async () => {
    const api = fakeApi().answer('checks.cancel', () => ({ ok: true, value: { cancelled: true } }));
    await openChecks(api);
    act(() =>
      api.emit('checks.started', {
        runId: 'run-9',
        target: 't',
        profileName: 'p',
        checks: [{ id: 'dns', title: 'DNS', safety: 'safe' }],
      }),
    );
    fireEvent.click(screen.getByTestId('checks-cancel'));
    await waitFor(() => expect(screen.getByTestId('checks-cancel').textContent).toContain('Cancelling'));
    expect(api.calls.find((c) => c.command === 'checks.cancel')?.params).toEqual({ runId: 'run-9' });
  });

  it('opens a stored run from history', async () => {
    const api = fakeApi([{ ...FINISHED, results: undefined }]);
    await openChecks(api);
    const rows = screen.getAllByTestId('check-run-row');
    expect(rows).toHaveLength(1);
    expect(rows[0].textContent).toContain('failed');
    fireEvent.click(rows[0]);
    await screen.findByTestId('checks-close-run');
    expect(api.calls.find((c) => c.command === 'checks.getRun')?.params).toEqual({ runId: 'run-1' });
    expect(screen.getAllByTestId(/^check-result-/)).toHaveLength(3);
    fireEvent.click(screen.getByTestId('checks-close-run'));
    expect(screen.getByTestId('checks-empty')).toBeTruthy();
  });

  it('lists the checks again for another profile, chosen here or selected elsewhere', async () => {
    const api = fakeApi();
    const store = await renderApp(api);
    fireEvent.click(screen.getByTestId('nav-checks'));
    await screen.findByTestId('check-picker');
    const acme = { ...SETTINGS.profiles[0], id: 'acme', name: 'Acme', kind: 'zentrunk' as const };
    act(() =>
      api.emit('settings.changed', {
        ...SETTINGS,
        profiles: [...SETTINGS.profiles, acme],
        selectedProfileId: 'acme',
      }),
    );
    await waitFor(() =>
      expect(api.calls.filter((c) => c.command === 'checks.list').at(-1)?.params).toEqual({
        profileId: 'acme',
      }),
    );
    fireEvent.change(screen.getByTestId('checks-profile'), { target: { value: 'emulator' } });
    await waitFor(() =>
      expect(api.calls.filter((c) => c.command === 'checks.list').at(-1)?.params).toEqual({
        profileId: 'emulator',
      }),
    );
    expect(store.getState().checksCatalogFor).toBe('emulator');
  });

  it('after a reconnect, shows how a run that ended meanwhile ended', async () => {
    const api = fakeApi();
    const store = await renderApp(api);
    fireEvent.click(screen.getByTestId('nav-checks'));
    await screen.findByTestId('check-picker');
    act(() =>
      api.emit('checks.started', {
        runId: 'run-1',
        target: 't',
        profileName: 'p',
        checks: [{ id: 'dns', title: 'DNS', safety: 'safe' }],
      }),
    );
    act(() => store.getState().setConnection('lost'));
    act(() => store.getState().setConnection('open'));
    await screen.findByTestId('checks-export-html');
    expect(api.calls.some((c) => c.command === 'checks.getRun')).toBe(true);
    expect(screen.getByTestId('checks-results').textContent).toContain('failed');
  });
});
