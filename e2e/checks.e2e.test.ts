// The Checks view end to end: the app's host runs the default checks against its embedded emulator from the
// view, every check finishes with its status and the run with its verdict, a skipped check says why and a
// passed one shows its SIP ladder, the HTML report downloads and renders in Chromium (screenshot kept, issue 7),
// the JUnit report downloads and parses, the run is in history, and the view is kept in light and dark.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ARTIFACTS_DIR,
  chromiumAvailable,
  keepScreenshot,
  startApp,
  type AppFixture,
} from './support/app-fixture.js';

const haveChromium = chromiumAvailable();
const ECHO_NUMBER = '+14155550111';
/**
 * What the emulator target gives: no DNS or TLS to check, OPTIONS and auth pass; the call checks pass through a
 * softphone of the run's own, except the inbound ones (the demo DIDs ring the app's own softphone); the
 * emulator-only probes pass.
 */
const EXPECTED = {
  dns: 'skipped',
  tls: 'skipped',
  options: 'passed',
  auth: 'passed',
  'outbound-call': 'passed',
  'two-way-audio': 'passed',
  dtmf: 'passed',
  'hold-resume': 'passed',
  'blind-transfer': 'passed',
  'hangup-cdr': 'passed',
  inbound: 'skipped',
  'inbound-fallback': 'skipped',
  'probe-caller-id-not-owned': 'passed',
  'probe-trunk-cps': 'passed',
} as const;
/** Every check of the default list: 4 network, 8 call checks, 10 probes. */
const ALL_CHECKS = 22;
let app: AppFixture | undefined;

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await app?.keepArtifacts(task.name);
  await app?.close();
  app = undefined;
});

async function download(page: Page, testId: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
}

describe.skipIf(!haveChromium)('Checks against the embedded emulator', () => {
  it('runs from the Checks view, explains each result, exports HTML and JUnit and keeps the run', async () => {
    app = await startApp();
    const { page } = app;
    await page.getByTestId('nav-emulator').click();
    await page.getByTestId('emulator-state').getByText('Running').waitFor();

    await page.getByTestId('nav-checks').click();
    await page.getByTestId('checks-empty').waitFor();
    await page.getByTestId('checks-history-empty').waitFor();
    for (const id of Object.keys(EXPECTED)) await page.getByTestId(`check-option-${id}`).waitFor();

    await page.getByTestId('checks-test-number').fill('4155550111');
    expect(await page.getByTestId('checks-run').isDisabled()).toBe(true);
    await page.getByTestId('checks-test-number').fill(ECHO_NUMBER);
    await page.getByTestId('checks-run').click();

    const verdict = page.getByTestId('checks-results').getByTestId('check-verdict');
    await verdict.waitFor({ timeout: 120_000 });
    expect(await verdict.textContent()).toBe('passed');
    for (const [id, outcome] of Object.entries(EXPECTED)) {
      expect(await page.getByTestId(`check-result-${id}`).getAttribute('data-outcome'), id).toBe(outcome);
    }

    // A skipped check says why; a passed one shows what it measured and its SIP exchange as a ladder.
    const dns = page.getByTestId('check-result-dns');
    await dns.getByTestId('check-details-toggle').click();
    expect(await dns.getByTestId('check-skip-reason').textContent()).toMatch(/emulator/i);
    const options = page.getByTestId('check-result-options');
    await options.getByTestId('check-details-toggle').click();
    await options.getByTestId('check-measurements').waitFor();
    await options.getByTestId('check-sip-exchange').locator('summary').click();
    await options.getByTestId('ladder-arrow').first().waitFor();
    expect(await options.getByTestId('ladder-arrow').count()).toBeGreaterThanOrEqual(2);

    for (const theme of ['light', 'dark'] as const) {
      const current = await page.evaluate(() => document.documentElement.dataset['theme']);
      if (current !== theme) {
        await page.getByTestId('theme-toggle').click();
        await page.waitForFunction((t) => document.documentElement.dataset['theme'] === t, theme);
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      expect(overflow, `checks ${theme} overflows`).toBe(false);
      await keepScreenshot(page, `checks-run-${theme}`);
    }

    const html = await download(page, 'checks-export-html');
    expect(html.name).toMatch(/^trunkline-check-[\w-]+\.html$/);
    const reportDir = join(ARTIFACTS_DIR, 'check-report');
    mkdirSync(reportDir, { recursive: true });
    const reportPath = join(reportDir, 'trunkline-check.html');
    writeFileSync(reportPath, html.text);
    const reportPage = await app.context.newPage();
    await reportPage.goto(pathToFileURL(reportPath).href);
    expect(await reportPage.locator('#verdict').textContent()).toMatch(/^Passed/);
    for (const id of Object.keys(EXPECTED)) expect(await reportPage.content()).toContain(id);
    // The audio checks' waveforms are embedded in the report (issue 7: "embedded waveforms of the audio checks").
    expect(await reportPage.locator('svg.waveform').count()).toBeGreaterThanOrEqual(1);
    await reportPage.screenshot({
      path: join(ARTIFACTS_DIR, 'screenshots', 'check-report-html.png'),
      fullPage: true,
    });
    await reportPage.close();

    const junit = await download(page, 'checks-export-junit');
    expect(junit.name).toMatch(/\.junit\.xml$/);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(junit.text) as {
      testsuites: {
        failures: string;
        testsuite: { testcase: { classname: string; skipped?: unknown; failure?: unknown }[] };
      };
    };
    expect(parsed.testsuites.failures).toBe('0');
    const cases = parsed.testsuites.testsuite.testcase;
    expect(cases).toHaveLength(ALL_CHECKS);
    expect(cases.map((c) => c.classname)).toEqual(
      expect.arrayContaining(Object.keys(EXPECTED).map((id) => `trunkline.checks.${id}`)),
    );
    expect(cases.filter((c) => c.skipped !== undefined)).toHaveLength(4);

    // The run is in history and opens with every result.
    const row = page.getByTestId('check-run-row');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    await row.first().click();
    await page.getByTestId('checks-close-run').waitFor();
    expect(await page.locator('[data-testid^="check-result-"]').count()).toBe(ALL_CHECKS);
  }, 180_000);
});
