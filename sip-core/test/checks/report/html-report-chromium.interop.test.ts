import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/checks/index.js';
import { HOSTILE_HEADER, sampleReport } from '../../support/check-report-fixtures.js';
import { shouldRunWith, requirePeer } from '../../support/peer-binary.js';

// The HTML report rendered by Debian's Chromium (playwright-core, no browser download): the DOM has the
// summary, every check, causes, remedies, ladders and the waveform; nothing from a peer runs as markup; no
// request leaves the page; a screenshot goes to e2e/artifacts/ (gitignored).

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = new URL('../../../../e2e/artifacts/', import.meta.url).pathname;

describe.skipIf(!shouldRunWith('chromium'))('HTML report in Chromium', () => {
  let browser: Browser | undefined;
  beforeAll(async () => {
    requirePeer('chromium');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  });
  afterAll(async () => {
    // Closing the browser stops the Chromium processes playwright started (its own PIDs).
    await browser?.close();
  });

  it('renders the report with its evidence, runs nothing from peers, loads nothing, and is screenshotted', async () => {
    const html = renderHtmlReport(await sampleReport());
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'check-report.html');
    writeFileSync(file, html);
    const page = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith('file://')) requests.push(request.url());
    });
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`file://${file}`);

    expect(await page.title()).toBe('Trunkline check — 21784177241578.zt.plivo.com');
    expect(await page.locator('#verdict').innerText()).toMatch(
      /^Failed: 2 passed, 1 with warnings, 1 failed, 2 skipped/,
    );
    expect(await page.locator('#summary tbody tr').count()).toBe(6);
    expect(await page.locator('section.check').count()).toBe(6);
    const auth = page.locator('#check-auth');
    expect(await auth.getAttribute('data-status')).toBe('fail');
    expect(await auth.locator('.cause').innerText()).toMatch(/Hangup code 4180 call_rejected_unauthorized/);
    expect(await auth.locator('.remedy').innerText()).toContain('<in the console>');
    const options = page.locator('#check-options');
    expect(await options.locator('pre.ladder').innerText()).toMatch(/OPTIONS[^]*200 OK/);
    // The hostile header is text in the raw message, never an element.
    await options.locator('details summary').click();
    expect(await options.locator('pre.sip').nth(1).innerText()).toContain(HOSTILE_HEADER);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('b').count()).toBe(0);
    const svg = page.locator('#check-two-way-audio svg.waveform');
    expect(await svg.count()).toBe(1);
    expect((await svg.boundingBox())?.width).toBeGreaterThan(500);

    await page.screenshot({ path: join(ARTIFACTS, 'check-report.png'), fullPage: true });
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});
