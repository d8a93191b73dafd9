// The embedded emulator in the app, end to end: the host starts it on open, the Emulator view shows its real
// (free) port, and a call placed at that port from outside — `trunkline call`, a child process, as a user's
// softphone or PBX would — appears in the view's live calls and event log, then in History with its CDR.

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_TRUNK_IDS } from '../sip-core/src/index.js';
import {
  REPO_ROOT,
  chromiumAvailable,
  startApp,
  stopProcess,
  type AppFixture,
} from './support/app-fixture.js';

const haveChromium = chromiumAvailable();
const ECHO_NUMBER = '+14155550111';
let app: AppFixture | undefined;
let caller: ChildProcess | undefined;

afterEach(async ({ task }) => {
  if (caller) await stopProcess(caller);
  caller = undefined;
  if (task.result?.state === 'fail') await app?.keepArtifacts(task.name);
  await app?.close();
  app = undefined;
});

/** `trunkline call` to the echo number on the demo IP-ACL trunk (loopback is on its ACL, no password). */
function placeCall(port: number, output: string[]): { child: ChildProcess; exit: Promise<number | null> } {
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
      '+14155550101',
      '--hangup-after',
      '3s',
      '--expect',
      'answered',
      '--json',
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exit };
}

describe.skipIf(!haveChromium)('The embedded emulator in the app', () => {
  it('runs on open, shows its real port, and a call to it shows live, in the events and in History', async () => {
    app = await startApp();
    const { page } = app;
    await page.getByTestId('nav-emulator').click();
    await page.getByTestId('emulator-state').getByText('Running').waitFor();
    const udpText = (await page.getByTestId('emulator-listener-udp').textContent()) ?? '';
    const match = /^UDP 127\.0\.0\.1:(\d+)$/.exec(udpText);
    expect(match, udpText).not.toBeNull();
    const port = Number(match?.[1]);
    expect(port).toBeGreaterThan(0);
    expect(await page.getByTestId('emulator-credentials').textContent()).toContain('trunkline');

    const output: string[] = [];
    const call = placeCall(port, output);
    caller = call.child;
    await page.getByTestId('emulator-live-call').first().waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('emulator-live-call').first().textContent()).toContain(ECHO_NUMBER);

    expect(await call.exit, output.join('')).toBe(0);
    await page.locator('[data-testid="emulator-event"][data-kind="cdr_written"]').first().waitFor();
    expect(
      await page.locator('[data-testid="emulator-event"][data-kind="call_state"]').count(),
    ).toBeGreaterThan(0);
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="emulator-live-call"]').length === 0,
    );

    await page.getByTestId('nav-calls').click();
    await page.getByTestId('history-row').first().waitFor();
    const rows = await page.getByTestId('history-row').allTextContents();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('3010');
  });
});
