import { defineConfig } from 'vitest/config';

// API tests that run a second time against the scale-out stores (PostgreSQL), proving every
// behaviour on both deployments. Store contract suites parametrize themselves.
const BOTH_BACKENDS = ['test/api/flow.test.ts', 'test/api/errors.test.ts', 'test/api/faults.test.ts', 'test/api/accounts.test.ts', 'test/api/lifecycle.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Renders are CPU-bound; two cores means more parallel files only adds contention.
    maxWorkers: 2,
    minWorkers: 1,
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'postgres', include: BOTH_BACKENDS, env: { REELAY_TEST_BACKEND: 'postgres' } } },
    ],
  },
});
