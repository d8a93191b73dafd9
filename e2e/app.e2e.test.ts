// The app in browser mode, driven in Debian's Chromium: what passes for real today (the softphone UA and the
// emulator's call handling land later; their specs join this file then — e2e/README.md lists them).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ANSWERED_CALL_UUID, REJECTED_CALL_UUID, seedDataDir } from '../electron/test/support/seed-calls.js';
import { chromiumAvailable, keepScreenshot, startApp, type AppFixture } from './support/app-fixture.js';

const haveChromium = chromiumAvailable();
let app: AppFixture | undefined;

async function open(options: Parameters<typeof startApp>[0] = {}): Promise<AppFixture> {
  app = await startApp(options);
  return app;
}

beforeEach(() => {
  app = undefined;
});

afterEach(async ({ task }) => {
  // A failed test keeps its screenshot, the page's console and the server's log before teardown.
  if (task.result?.state === 'fail') await app?.keepArtifacts(task.name);
  await app?.close();
});

describe.skipIf(!haveChromium)('Trunkline in browser mode', () => {
  it('opens on the Phone view with the emulator profile, an honest call button and live number hints', async () => {
    const { page, consoleLog } = await open();
    await expect(page.getByTestId('phone-view').isVisible()).resolves.toBe(true);
    expect(await page.getByTestId('nav-phone').getAttribute('aria-current')).toBe('page');
    expect(await page.getByTestId('active-profile').textContent()).toBe('Embedded emulator');
    // Nothing to call yet: the button waits for a number (calls themselves: calls.e2e.test.ts).
    expect(await page.getByTestId('call-button').isDisabled()).toBe(true);

    await page.getByTestId('dial-number').fill('+442079460000');
    await page
      .getByTestId('number-hint')
      .getByText(/United Kingdom \(GB\)/)
      .waitFor();
    expect(await page.getByTestId('number-country').textContent()).toBe('GB');

    // Typing on the dial pad with the keyboard (focus outside the field) appends digits.
    await page.getByTestId('dial-number').fill('');
    await page.locator('body').click({ position: { x: 1200, y: 780 } });
    await page.keyboard.type('+5372345678');
    expect(await page.getByTestId('dial-number').inputValue()).toBe('+5372345678');
    // Cuba is barred in the emulator's demo account: the host's pre-dial check says so before dialling.
    await page.getByTestId('predial-warnings').waitFor();
    expect(await page.getByTestId('predial-warnings').textContent()).toMatch(/\d{4}/);

    expect(consoleLog.filter((line) => /Content Security Policy|pageerror/.test(line))).toEqual([]);
  });

  it('lists the seeded calls and downloads them as CSV', async () => {
    const { page } = await open({ seed: (dir) => void seedDataDir(dir) });
    await page.getByTestId('nav-calls').click();
    await page.getByTestId('history-row').first().waitFor();
    const uuids = await page
      .getByTestId('history-row')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-call-uuid')));
    expect(uuids).toEqual([REJECTED_CALL_UUID, ANSWERED_CALL_UUID]);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-csv').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^trunkline-calls-\d{8}T\d{6}Z\.csv$/);
    const path = await download.path();
    const csv = readFileSync(path, 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^call_uuid,call_id,from_number,to_number/);
    expect(csv).toContain(ANSWERED_CALL_UUID);
    expect(csv).toContain(REJECTED_CALL_UUID);

    // Filters narrow the list through the store.
    await page.getByTestId('filter-number').fill('555 0111');
    await page.getByTestId('apply-filters').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="history-row"]').length === 1);
  });

  it('diagnoses a stored call: ladder, full message on click, hangup code with meaning and remedy', async () => {
    const { page } = await open({ seed: (dir) => void seedDataDir(dir) });
    await page.getByTestId('nav-calls').click();
    await page.locator(`[data-call-uuid="${REJECTED_CALL_UUID}"]`).click();
    await page.getByTestId('ladder').waitFor();
    const labels = await page.getByTestId('ladder-arrow').allTextContents();
    expect(
      labels.map((l) =>
        l
          .replace(/^\+[\d.]+s/, '')
          .split(' · ')[0]
          ?.trim(),
      ),
    ).toEqual(['INVITE', '100 Trying', '403 Forbidden', 'ACK']);
    expect(await page.getByTestId('last-response').textContent()).toBe('403 Forbidden');
    const explanation = await page.getByTestId('explanation').textContent();
    expect(explanation).toMatch(/4190/);
    expect(explanation).toMatch(/unknown_caller_id/);
    expect((await page.getByTestId('remedy').first().textContent())?.length).toBeGreaterThan(10);

    await page.getByTestId('ladder-arrow').nth(2).click();
    expect(await page.getByTestId('ladder-message').textContent()).toMatch(
      /^SIP\/2\.0 403 Forbidden[\s\S]*X-ZT-Hangup-Code: 4190/,
    );

    await page.locator(`[data-call-uuid="${ANSWERED_CALL_UUID}"]`).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="ladder-arrow"]').length === 7);
    expect(await page.getByTestId('explanation').textContent()).toMatch(/3000/);
  });

  it('refuses the page without the token', async () => {
    const { page, origin } = await open();
    const context = await page.context().browser()!.newContext();
    try {
      const response = await (await context.newPage()).goto(`${origin}/`);
      expect(response?.status()).toBe(401);
    } finally {
      await context.close();
    }
  });

  it('adds a Zentrunk profile: the host validates inline, the password is kept, the Phone view dials with it', async () => {
    const { page, dataDir } = await open();
    await page.getByTestId('nav-profiles').click();
    await page.getByTestId('add-profile').click();
    await page.getByTestId('profile-name').fill('Office trunk');
    await page.getByTestId('profile-trunk-domain').fill('21784177241578.zt.plivo.com');
    await page.getByTestId('profile-caller-ids').fill('+14155550101, 4155550102');
    await page.getByLabel('SIP user name').fill('office');
    await page.getByLabel('SIP password').fill('Office-Secret-1');
    await page.getByTestId('profile-save').click();
    // The second caller ID is not E.164: the host says so next to the field, and nothing is saved.
    await page.getByTestId('problem-callerIds').waitFor();
    expect(await page.getByTestId('problem-callerIds').textContent()).toMatch(/E\.164/);
    await keepScreenshot(page, 'profile-editor-light');

    await page.getByTestId('profile-caller-ids').fill('+14155550101');
    await page.getByTestId('profile-save').click();
    await page.getByTestId('profile-form').waitFor({ state: 'detached' });
    await page.getByText('office (password stored)').waitFor();
    expect(readFileSync(join(dataDir, 'settings.json'), 'utf8')).not.toContain('Office-Secret-1');

    await page.getByRole('button', { name: 'Use for calls' }).click();
    await page.getByTestId('nav-phone').click();
    expect(await page.getByTestId('active-profile').textContent()).toBe('Office trunk');
  });

  it('says so when the host goes away, instead of failing silently', async () => {
    const fixture = await open();
    await fixture.stopServer();
    await fixture.page.getByTestId('connection-lost').waitFor();
    expect(await fixture.page.getByTestId('connection-lost').textContent()).toMatch(/Reconnecting/);
  });

  it('takes screenshots of each view in light and dark', async () => {
    const { page } = await open({ seed: (dir) => void seedDataDir(dir) });
    const views = ['phone', 'profiles', 'emulator', 'calls', 'checks'] as const;
    for (const theme of ['light', 'dark'] as const) {
      const current = await page.evaluate(() => document.documentElement.dataset['theme']);
      if (current !== theme) {
        await page.getByTestId('theme-toggle').click();
        await page.waitForFunction((t) => document.documentElement.dataset['theme'] === t, theme);
      }
      for (const view of views) {
        await page.getByTestId(`nav-${view}`).click();
        await page.getByTestId(`${view}-view`).waitFor();
        if (view === 'phone') {
          await page.getByTestId('dial-number').fill('+442079460000');
          await page.getByTestId('number-hint').getByText(/GB/).waitFor();
        }
        if (view === 'calls') {
          await page.getByTestId('history-row').first().waitFor();
          await keepScreenshot(page, `calls-${theme}`);
          await page.locator(`[data-call-uuid="${REJECTED_CALL_UUID}"]`).click();
          await page.getByTestId('ladder').waitFor();
          await keepScreenshot(page, `diagnosis-${theme}`);
          await page.getByRole('button', { name: 'Close' }).click();
          continue;
        }
        // Nothing may stick out of the 1280×800 window sideways.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
        expect(overflow, `${view} ${theme} overflows`).toBe(false);
        await keepScreenshot(page, `${view}-${theme}`);
      }
    }
  });
});
