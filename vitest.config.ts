import { defineConfig } from 'vitest/config';

// Tests import the packages by name and run against their sources: the `hearth-source`
// export condition points each entry at `src/`, so no build is needed before testing.
export default defineConfig({
  resolve: { conditions: ['hearth-source'] },
  ssr: { resolve: { conditions: ['hearth-source'], externalConditions: ['hearth-source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'tests/**/*.test.ts', 'examples/*/src/**/*.test.ts'],
    globalSetup: ['tests/setup/global.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
