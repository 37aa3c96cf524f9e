// Global setup runs outside the test environment, where the `hearth-source` export condition
// does not apply: import the source directly so that no build is needed before testing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildWebApp } from '../../examples/future-you/web/build.js';
import { dropLeftoverTestDatabases, testDatabaseUrl } from '../../packages/db/src/testing.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The example's web app, built from the packages' sources for this run. */
    hearthWebDir: string;
  }
}

/**
 * Runs once per test run. On PostgreSQL, removes databases that an interrupted earlier run left
 * behind; each test file then clones its own database from a migrated template. Builds the
 * example's web app once for the tests that serve it.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const url = testDatabaseUrl();
  const driver = url ? `PostgreSQL (${new URL(url).host})` : 'embedded PGlite';
  console.log(`[hearth tests] database: ${driver}`);
  if (url) await dropLeftoverTestDatabases(url);
  const webDir = mkdtempSync(join(tmpdir(), 'hearth-web-'));
  const started = Date.now();
  await buildWebApp({ outDir: webDir, fromSource: true });
  console.log(`[hearth tests] web app built in ${Date.now() - started} ms`);
  project.provide('hearthWebDir', webDir);
  return () => rmSync(webDir, { recursive: true, force: true });
}
