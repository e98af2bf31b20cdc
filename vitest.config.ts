import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Once per run, before any test: check the committed fixtures, compile today's sources into dist/ (CLI child
    // processes and worker threads run dist/), build the shared cases (test/setup/global.ts).
    globalSetup: ['test/setup/global.ts'],
    setupFiles: ['test/setup/no-network.ts', 'test/setup/shared-cases-unchanged.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two files at a time on this 2-core machine (vitest's default is cores - 1): most tests wait on child
    // processes (the real CLI, aws-cli, tmux), so the second core would otherwise sit idle.
    maxWorkers: 2,
    // The JSON report lets .ci/run print a plain 'N passed, N failed' closing line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
  },
});
