// The diagnosis view's local capture in browser mode, in Debian's Chromium under the app's real CSP. No call can be
// placed from the UI in this branch (the softphone is wired into the host by another slice), so the capture is
// seeded through the host's store layout (electron/test/support/seed-captures.ts: a 440 Hz tone heard, 1 kHz sent,
// two DTMF digits) next to the seeded history: the waveform renders both tracks with the DTMF markers, zoom widens
// it, the PCAP downloads byte for byte, deleting asks first and then says "deleted", and a call without a capture
// says so. No CSP violation may be reported along the way (wavesurfer's shadow style is allowed by its hash).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedCapture } from '../electron/test/support/seed-captures.js';
import { ANSWERED_CALL_UUID, REJECTED_CALL_UUID, seedDataDir } from '../electron/test/support/seed-calls.js';
import { chromiumAvailable, keepScreenshot, startApp, type AppFixture } from './support/app-fixture.js';

const haveChromium = chromiumAvailable();
let app: AppFixture | undefined;

beforeEach(() => {
  app = undefined;
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await app?.keepArtifacts(task.name);
  await app?.close();
});

describe.skipIf(!haveChromium)('the local capture in the diagnosis view', () => {
  it('draws the waveform with DTMF markers, zooms, downloads the PCAP, deletes after confirming', async () => {
    let recordedPcap = Buffer.alloc(0);
    app = await startApp({
      seed: (dir) => {
        seedDataDir(dir);
        const folder = seedCapture(dir, ANSWERED_CALL_UUID, Date.UTC(2026, 10, 26, 11, 59), 4, {
          receivedHz: 440,
          sentHz: 1000,
          dtmf: [
            { direction: 'sent', digit: '1', offsetMs: 1_000 },
            { direction: 'received', digit: '#', offsetMs: 2_500 },
          ],
        });
        recordedPcap = readFileSync(join(folder, 'call.pcapng'));
      },
    });
    const { page, consoleLog } = app;
    await page.getByTestId('nav-calls').click();
    await page.locator(`[data-call-uuid="${ANSWERED_CALL_UUID}"]`).click();
    await page.getByTestId('capture-waveform').waitFor();

    // wavesurfer renders inside its shadow root: canvases for both tracks, one marker per digit.
    const drawn = async () =>
      page.evaluate(() => {
        const host = document.querySelector('.capture-waveform__view > div');
        const root = host?.shadowRoot;
        const canvases = [...(root?.querySelectorAll('canvas') ?? [])];
        const wrapper = root?.querySelector<HTMLElement>('.wrapper');
        return {
          canvases: canvases.filter((c) => c.width > 0 && c.height > 0).length,
          markers: root?.textContent?.match(/[↑↓][0-9#*A-D]/g) ?? [],
          wrapperWidth: wrapper?.scrollWidth ?? 0,
          viewWidth: host?.clientWidth ?? 0,
          canvasPosition: canvases[0] ? getComputedStyle(canvases[0]).position : '',
        };
      });
    await page.waitForFunction(
      () =>
        (document.querySelector('.capture-waveform__view > div')?.shadowRoot?.querySelectorAll('canvas')
          .length ?? 0) >= 2,
    );
    const before = await drawn();
    expect(before.canvases).toBeGreaterThanOrEqual(2);
    expect(before.markers).toEqual(['↑1', '↓#']);
    // The shadow style applied (it is what positions the canvases): the CSP hash let it in.
    expect(before.canvasPosition).toBe('absolute');
    expect(await page.getByTestId('capture-dtmf').textContent()).toMatch(/↑1 at 1\.00 s.*↓# at 2\.50 s/);
    await page.getByTestId('capture-section').scrollIntoViewIfNeeded();
    await keepScreenshot(page, 'diagnosis-capture-light');

    await page.getByTestId('capture-zoom').fill('300');
    await page.waitForFunction(
      (width) =>
        (document.querySelector('.capture-waveform__view > div')?.shadowRoot?.querySelector('.wrapper')
          ?.scrollWidth ?? 0) > width,
      before.viewWidth,
    );

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-pcap').click(),
    ]);
    expect(download.suggestedFilename()).toBe(`trunkline-${ANSWERED_CALL_UUID}.pcapng`);
    const path = await download.path();
    expect(readFileSync(path).equals(recordedPcap)).toBe(true);

    await page.getByTestId('capture-delete').click();
    await page.getByTestId('capture-delete-confirm').waitFor();
    await page.getByTestId('capture-delete-yes').click();
    await page.getByTestId('capture-empty').getByText('Capture deleted').waitFor();
    expect(await page.getByTestId('capture-waveform').count()).toBe(0);

    expect(consoleLog.filter((line) => /Content Security Policy|Refused|pageerror/.test(line))).toEqual([]);
  });

  it('says when a call has no local capture, and still exports its SIP as a PCAP', async () => {
    app = await startApp({ seed: (dir) => void seedDataDir(dir) });
    const { page } = app;
    await page.getByTestId('nav-calls').click();
    await page.locator(`[data-call-uuid="${REJECTED_CALL_UUID}"]`).click();
    await page
      .getByTestId('capture-empty')
      .getByText(/No local capture — emulator-side call/)
      .waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-pcap').click(),
    ]);
    const bytes = readFileSync(await download.path());
    // pcapng Section Header Block.
    expect(bytes.readUInt32LE(0)).toBe(0x0a0d0d0a);
    expect(bytes.includes(Buffer.from('SIP/2.0 403'))).toBe(true);
  });
});
