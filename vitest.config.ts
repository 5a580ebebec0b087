import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Renders are CPU-bound; two cores means more parallel files only adds contention.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
