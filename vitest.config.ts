import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { SkippedTestsReporter } from './scripts/test-services';

const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url));

// Tests run against the sources of sibling packages, so a change in @mlh/core is seen by the
// adapters' tests without a build step. The published packages are checked separately from dist/.
export default defineConfig({
  resolve: {
    alias: [
      // Under Node, @mlh/core's `node` entry (parseOrThrow on its fast path): what Node apps run.
      { find: /^@mlh\/core$/, replacement: `${packagesDir}core/src/index.node.ts` },
      { find: /^@mlh\/([a-z-]+)\/([a-z-]+)$/, replacement: `${packagesDir}$1/src/$2.ts` },
      { find: /^@mlh\/([a-z-]+)$/, replacement: `${packagesDir}$1/src/index.ts` },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/test/**/*.test.ts', 'bench/test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // PostgreSQL and Redis found on their usual local ports when DATABASE_URL / REDIS_URL are unset.
    globalSetup: ['./scripts/test-services.ts'],
    // CI also writes a JSON report, summed up by scripts/test-summary.mjs into one plain line.
    // Every run ends with what was skipped and why.
    reporters: process.env.CI
      ? ['default', new SkippedTestsReporter(), ['json', { outputFile: '.tmp/vitest-report.json' }]]
      : ['default', new SkippedTestsReporter()],
  },
});
