import { defineConfig } from 'vitest/config';

// Unit and integration tests: fast, hermetic, on 127.0.0.1 only. Tests that drive real peers (SIPp, baresip,
// tshark, Chromium) are `*.interop.test.ts` and run with vitest.interop.config.ts.
export default defineConfig({
  test: {
    include: [
      'sip-core/test/**/*.test.ts',
      'scripts/**/*.test.ts',
      'electron/test/**/*.test.ts',
      'renderer/test/**/*.test.{ts,tsx}',
    ],
    exclude: ['**/node_modules/**', '**/*.interop.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
