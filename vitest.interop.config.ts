import { defineConfig } from 'vitest/config';

// Interop suites against real peers (TESTING.md). They load the CPU and share network namespaces, so files run
// one at a time; each test starts its peers on free ports and stops them by PID in teardown.
export default defineConfig({
  test: {
    include: ['sip-core/test/**/*.interop.test.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
