import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests open real loopback servers; two cores on CI, so keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
  },
});
