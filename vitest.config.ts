import { defineConfig } from 'vitest/config';

// API tests that run a second time against the scale-out stores (PostgreSQL), proving every
// behaviour on both deployments. Store contract suites parametrize themselves.
const BOTH_BACKENDS = [
  'test/api/flow.test.ts',
  'test/api/errors.test.ts',
  'test/api/faults.test.ts',
  'test/api/accounts.test.ts',
  'test/api/lifecycle.test.ts',
  'test/api/openai-door.test.ts',
  'test/api/gemini-door.test.ts',
  'test/api/operations.test.ts',
];

export default defineConfig({
  // `@reelay/sdk` (the npm workspace in packages/sdk) resolves to its TypeScript source through the
  // `@reelay/source` export condition, so tests need no SDK build and never run a stale one. The
  // rest of the list is Vitest's own default for server code (tests run as SSR modules).
  ssr: { resolve: { conditions: ['@reelay/source', 'node', 'development|production'] } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The web pages' assets (dist/web), built once per run for the browser tests.
    globalSetup: ['test/helpers/build-web.ts'],
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
