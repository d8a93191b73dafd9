// Teardown in reverse order of set-up, after every test, also when it fails: each step registered during the test
// runs (closing sessions, sockets, folders), then every peer process still running is stopped by its PID.

import { afterEach } from 'vitest';
import type { PeerProcesses } from './peer-process.js';

export type TeardownStep = () => Promise<void> | void;

/** Registers the afterEach hook of the calling file; returns the function that adds a step. */
export function useTeardown(peers?: PeerProcesses): (step: TeardownStep) => void {
  const steps: TeardownStep[] = [];
  afterEach(async () => {
    for (const step of steps.splice(0).reverse()) await step();
    await peers?.stopAll();
  });
  return (step) => {
    steps.push(step);
  };
}
