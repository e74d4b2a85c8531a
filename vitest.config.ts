import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'server',
          include: ['server/**/*.test.ts'],
          environment: 'node',
          // Migrates the databases every suite copies, once per run (server/test/README.md).
          globalSetup: ['server/test/global-setup.ts'],
          // Test files share one worker process and its loaded modules instead of each loading the
          // whole server anew (a third of the project's CPU time). Suites stay isolated by database;
          // a test must not change module state or globals (server/test/README.md).
          isolate: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'web',
          include: ['web/src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        // Shared Vue components mounted with @vue/test-utils in a simulated DOM (*.spec.ts beside them).
        plugins: [vue()],
        test: {
          name: 'web-components',
          include: ['web/src/**/*.spec.ts'],
          environment: 'happy-dom',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 180_000,
          // A page waits as long as playwright's own default (e2e/harness.ts): vitest's 1 s poll was
          // shorter than a loaded CI machine takes to re-fetch after a navigation.
          expect: { poll: { timeout: 15_000 } },
          // A folder for the run, where the demo hospital's database is kept once loaded (e2e/harness.ts).
          globalSetup: ['e2e/global-setup.ts'],
          // One browser and one server at a time: the machine has two cores.
          fileParallelism: false,
          // One process for the files in turn, loading the server and playwright once (see server).
          isolate: false,
        },
      },
    ],
  },
});
