import { defineConfig } from 'vitest/config';

// End-to-end suite: the app in browser mode in Debian's Chromium (e2e/README.md). One file at a time: each test
// starts its own server and browser, and the machine's two cores are shared.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
