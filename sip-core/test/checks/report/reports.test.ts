import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  CHECK_REPORT_SCHEMA_VERSION,
  parseCheckReport,
  renderHtmlReport,
  renderJsonReport,
  renderJunitReport,
  renderWaveformSvg,
  storeCheckReport,
} from '../../../src/checks/index.js';
import { TrunklineStore } from '../../../src/store/index.js';
import { expectErrorCode } from '../../support/expect-error-code.js';
import { HOSTILE_HEADER, sampleReport, TEST_PASSWORD } from '../../support/check-report-fixtures.js';

describe('JSON report', () => {
  it('round-trips through the versioned schema', async () => {
    const report = await sampleReport();
    const text = renderJsonReport(report);
    expect(parseCheckReport(text)).toEqual(report);
    expect(report.schemaVersion).toBe(CHECK_REPORT_SCHEMA_VERSION);
    expect(report.run.results.map((r) => [r.id, r.status])).toEqual([
      ['options', 'pass'],
      ['auth', 'fail'],
      ['outbound-call', 'skipped'],
      ['tls', 'warning'],
      ['two-way-audio', 'pass'],
      ['cps-flood', 'skipped'],
    ]);
  });

  it('never contains the password, only the username and that there is one', async () => {
    const text = renderJsonReport(await sampleReport());
    expect(text).not.toContain(TEST_PASSWORD);
    expect(text).toContain('"username": "pbx-user"');
    expect(text).toContain('"hasPassword": true');
  });

  it('refuses invalid reports naming the field, and newer schema versions naming the fix', async () => {
    const report = JSON.parse(renderJsonReport(await sampleReport())) as {
      run: { results: Array<Record<string, unknown>> };
    };
    report.run.results[0].status = 'great';
    const invalid = expectErrorCode(() => parseCheckReport(report), 'CHECKS_REPORT_INVALID');
    expect(invalid.message).toMatch(/run\.results\.0\.status/);
    expectErrorCode(() => parseCheckReport('{nope'), 'CHECKS_REPORT_INVALID');
    const newer = expectErrorCode(
      () => parseCheckReport({ ...report, schemaVersion: 2 }),
      'CHECKS_REPORT_INVALID',
    );
    expect(newer.message).toMatch(/Update Trunkline/);
  });
});

describe('JUnit report', () => {
  it('is accepted by a real XML parser: one testsuite, one testcase per check, failure and skipped with cause and remedy', async () => {
    const report = await sampleReport();
    const xml = renderJunitReport(report);
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (name) => name === 'testcase',
    }).parse(xml) as {
      testsuites: {
        testsuite: {
          tests: string;
          failures: string;
          skipped: string;
          testcase: Array<Record<string, unknown>>;
        };
      };
    };
    const suite = parsed.testsuites.testsuite;
    expect(suite).toMatchObject({ tests: '6', failures: '1', skipped: '2' });
    expect(suite.testcase).toHaveLength(6);
    const auth = suite.testcase.find((c) => c.name === 'auth: Check auth')!;
    const failure = auth.failure as { message: string; type: string; '#text': string };
    expect(failure.message).toMatch(/4180 call_rejected_unauthorized/);
    expect(failure.type).toBe('hangup-4180');
    expect(failure['#text']).toContain(
      'Remedy: Check the username & password against the credential list <in the console>.',
    );
    const skipped = suite.testcase.find((c) => c.name === 'outbound-call: Check outbound-call')!;
    expect((skipped.skipped as { message: string }).message).toMatch(/needs 'auth', which failed/);
  });

  it('escapes markup and removes characters XML forbids, losing no text', async () => {
    const xml = renderJunitReport(await sampleReport());
    expect(xml).not.toContain('\u0001');
    const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testcase' }).parse(
      xml,
    ) as {
      testsuites: { testsuite: { testcase: Array<{ 'system-out': string }> } };
    };
    expect(parsed.testsuites.testsuite.testcase[0]['system-out']).toContain('Answered <200 OK> & fine');
  });
});

describe('HTML report', () => {
  it('is self-contained: no script, no external resource, a CSP that forbids both', async () => {
    const html = renderHtmlReport(await sampleReport());
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\s(src|href)="(?!#)/);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('escapes what peers and users supplied, in ladders, raw messages, summaries and evidence', async () => {
    const html = renderHtmlReport(await sampleReport());
    expect(html).not.toContain(HOSTILE_HEADER);
    expect(html).toContain(
      'X-Evil: &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &quot;quotes&quot; &apos;apostrophes&apos;',
    );
    expect(html).toContain('Answered &lt;200 OK&gt; &amp; fine');
    expect(html).toContain('Server said: &lt;b&gt;hello&lt;/b&gt;\uFFFD');
    expect(html).toContain('OPTIONS &lt;ping&gt;');
    expect(html).toContain('Run run-&lt;1&gt;');
    expect(html).not.toContain(TEST_PASSWORD);
  });

  it('shows causes with hangup codes, remedies, the SIP ladder and waveforms', async () => {
    const html = renderHtmlReport(await sampleReport());
    expect(html).toMatch(/<strong>Hangup code 4180 call_rejected_unauthorized<\/strong>/);
    expect(html).toContain('<p class="remedy"><strong>Remedy:</strong> Check the username &amp; password');
    expect(html).toMatch(/<pre class="ladder">[^]*OPTIONS[^]*200 OK[^]*<\/pre>/);
    expect(html).toMatch(/<svg class="waveform"[^>]*aria-label="1 kHz tone received \(0\.10 s at 8000 Hz\)"/);
  });
});

describe('waveform SVG', () => {
  it('draws one min–max bar per column within the box, silence on the midline', () => {
    const svg = renderWaveformSvg(
      { label: 'x', sampleRateHz: 8000, samples: [0, 32_767, -32_768, 0] },
      { widthPx: 4, heightPx: 100 },
    );
    const bars = [...svg.matchAll(/M([\d.]+) ([\d.]+)V([\d.]+)/g)].map((m) => [Number(m[2]), Number(m[3])]);
    expect(bars).toHaveLength(4);
    expect(bars[1][0]).toBeCloseTo(0, 0);
    expect(bars[2][1]).toBeCloseTo(100, 0);
    expect(bars[0]).toEqual([50, 50.5]);
  });
});

describe('stored runs', () => {
  it('go into the store’s check-run table and come back whole', async () => {
    const store = TrunklineStore.open({ path: ':memory:' });
    try {
      const report = await sampleReport();
      storeCheckReport(store, report);
      const stored = store.getCheckRun(report.run.runId)!;
      expect(stored).toMatchObject({
        target: '21784177241578.zt.plivo.com',
        passed: 3,
        failed: 1,
        skipped: 2,
      });
      expect(parseCheckReport(stored.report)).toEqual(report);
      expect(store.listCheckRuns().total_count).toBe(1);
    } finally {
      store.close();
    }
  });
});
