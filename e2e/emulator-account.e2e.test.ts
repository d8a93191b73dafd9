// The emulator's account editor end to end: a caller ID the account does not own is refused with 4190 when a
// `trunkline call` child process (a user's PBX, from outside) presents it; the user adds the number in the
// Emulator view's editor and saves; the host restarts the emulator with the saved account and the same call is
// answered. Screenshots of the editor in light and dark are kept under e2e/artifacts/screenshots/. Then the
// inbound direction: the demo inbound trunk's primary URI is pointed at `trunkline call --listen` (a PBX, from
// outside), and "Place an inbound call to my PBX" shows the call ringing, answered and ended, live.

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_TRUNK_IDS } from '../sip-core/src/index.js';
import {
  REPO_ROOT,
  chromiumAvailable,
  keepScreenshot,
  startApp,
  stopProcess,
  type AppFixture,
} from './support/app-fixture.js';

const haveChromium = chromiumAvailable();
const ECHO_NUMBER = '+14155550111';
const NEW_CALLER_ID = '+14155550177';
const DEMO_DID = '+14155550100';
/** The demo account's inbound trunk is its fifth (sip-core policy/account/demo-account.ts). */
const INBOUND_TRUNK_INDEX = 4;
let app: AppFixture | undefined;
const callers: ChildProcess[] = [];

afterEach(async ({ task }) => {
  for (const child of callers.splice(0)) await stopProcess(child);
  if (task.result?.state === 'fail') await app?.keepArtifacts(task.name);
  await app?.close();
  app = undefined;
});

/** `trunkline call` to the echo number on the demo IP-ACL trunk; resolves with its exit status and output. */
async function call(
  port: number,
  callerId: string,
  expect: string,
): Promise<{ code: number | null; output: string }> {
  const output: string[] = [];
  const child = spawn(
    process.execPath,
    [
      join(REPO_ROOT, 'sip-core', 'bin', 'trunkline.mjs'),
      'call',
      ECHO_NUMBER,
      '--domain',
      `${DEMO_TRUNK_IDS.ipAcl}.zt.plivo.com`,
      '--proxy',
      `127.0.0.1:${port}`,
      '--transport',
      'udp',
      '--caller-id',
      callerId,
      '--hangup-after',
      '1s',
      '--expect',
      expect,
      '--json',
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  callers.push(child);
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  return { code, output: output.join('') };
}

/** `trunkline call --listen` for the demo DID on a free UDP port: a PBX that answers one call and hangs up. */
async function listeningPbx(): Promise<{ port: number; exit: Promise<number | null>; output: string[] }> {
  const output: string[] = [];
  const child = spawn(
    process.execPath,
    [
      join(REPO_ROOT, 'sip-core', 'bin', 'trunkline.mjs'),
      'call',
      '--listen',
      '--transport',
      'udp',
      '--domain',
      `${DEMO_TRUNK_IDS.inbound}.zt.plivo.com`,
      '--caller-id',
      DEMO_DID,
      '--did',
      DEMO_DID,
      '--allow-source',
      '127.0.0.1/32',
      '--hangup-after',
      '1s',
      '--json',
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  callers.push(child);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString('utf8'));
      const match = /listening on 127\.0\.0\.1:(\d+)/.exec(output.join(''));
      if (match) resolve(Number(match[1]));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exit.then(() => reject(new Error(`trunkline call --listen exited early:\n${output.join('')}`)));
  });
  return { port, exit, output };
}

async function udpPort(page: Page): Promise<number> {
  await page.getByTestId('emulator-state').getByText('Running').waitFor();
  const text = (await page.getByTestId('emulator-listener-udp').textContent()) ?? '';
  const match = /^UDP 127\.0\.0\.1:(\d+)$/.exec(text);
  expect(match, text).not.toBeNull();
  return Number(match?.[1]);
}

async function keepEditorScreenshot(page: Page, theme: 'light' | 'dark'): Promise<void> {
  const current = await page.evaluate(() => document.documentElement.dataset['theme']);
  if (current !== theme) {
    await page.getByTestId('theme-toggle').click();
    await page.waitForFunction((t) => document.documentElement.dataset['theme'] === t, theme);
  }
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
  );
  expect(overflow, `the editor overflows sideways in ${theme}`).toBe(false);
  // The view scrolls inside the app frame: a viewport screenshot per part of the editor shows what a user sees.
  await page.getByTestId('account-editor').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await keepScreenshot(page, `emulator-account-editor-${theme}`);
  await page.getByTestId('editor-numbers').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await keepScreenshot(page, `emulator-account-editor-numbers-${theme}`);
}

describe.skipIf(!haveChromium)('The emulator account editor', () => {
  it('adds an owned number: a caller ID refused with 4190 before the save is answered after it', async () => {
    app = await startApp();
    const { page } = app;
    await page.getByTestId('nav-emulator').click();
    const before = await udpPort(page);

    const refused = await call(before, NEW_CALLER_ID, '4190');
    expect(refused.code, refused.output).toBe(0);

    await page.getByTestId('account-edit').click();
    await page.getByTestId('account-editor').waitFor();
    const count = await page.getByTestId('editor-number').count();
    await page.getByTestId('editor-add-number').click();
    await page.getByTestId(`number-${count}`).fill('+1415');
    await page.getByTestId(`problem-number-${count}`).waitFor();
    await page.getByTestId(`number-${count}`).fill(NEW_CALLER_ID);
    await page.getByTestId(`number-${count}-alias`).fill('Caller ID added in the editor');
    expect(await page.getByTestId(`problem-number-${count}`).count()).toBe(0);
    await page.getByTestId('account-dirty').waitFor();
    await keepEditorScreenshot(page, 'light');
    await keepEditorScreenshot(page, 'dark');

    await page.getByTestId('account-save').click();
    await page
      .getByTestId('account-message')
      .getByText(/restarted with the new account/)
      .waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('account-editor').count()).toBe(0);
    const after = await udpPort(page);

    const answered = await call(after, NEW_CALLER_ID, 'answered');
    expect(answered.code, answered.output).toBe(0);
    expect(JSON.parse(answered.output.trim().split('\n').at(-1) ?? '{}')).toMatchObject({
      outcome: 'answered',
    });
  });

  it('places an inbound call to my PBX and shows it ringing, answered and ended, live', async () => {
    app = await startApp();
    const { page } = app;
    await page.getByTestId('nav-emulator').click();
    await udpPort(page);
    const pbx = await listeningPbx();

    await page.getByTestId('account-edit').click();
    await page
      .getByTestId(`trunk-${INBOUND_TRUNK_INDEX}-primary-uri`)
      .fill(`127.0.0.1:${pbx.port};transport=udp`);
    await page.getByTestId('account-save').click();
    await page
      .getByTestId('account-message')
      .getByText(/restarted with the new account/)
      .waitFor({ timeout: 30_000 });
    await udpPort(page);

    expect(await page.getByTestId('inbound-did').inputValue()).toBe(DEMO_DID);
    await page.getByTestId('inbound-place').click();
    await page
      .getByTestId('inbound-progress')
      .locator('li', { hasText: 'Answered by your PBX (primary URI)' })
      .waitFor({ timeout: 20_000 });
    await page.getByTestId('inbound-state').getByText('Call ended').waitFor({ timeout: 20_000 });
    expect(await pbx.exit, pbx.output.join('')).toBe(0);
    await page.getByTestId('inbound-call').evaluate((e) => e.scrollIntoView({ block: 'center' }));
    await keepScreenshot(page, 'emulator-inbound-call-light');
  });
});
