// Global setup runs outside the test environment, where the `hearth-source` export condition
// does not apply: import the source directly so that no build is needed before testing.
import { dropLeftoverTestDatabases, testDatabaseUrl } from '../../packages/db/src/testing.js';

/**
 * Runs once per test run. On PostgreSQL, removes databases that an interrupted earlier run left
 * behind; each test file then clones its own database from a migrated template.
 */
export default async function setup(): Promise<void> {
  const url = testDatabaseUrl();
  const driver = url ? `PostgreSQL (${new URL(url).host})` : 'embedded PGlite';
  console.log(`[hearth tests] database: ${driver}`);
  if (url) await dropLeftoverTestDatabases(url);
}
