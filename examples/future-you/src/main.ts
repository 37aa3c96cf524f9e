import { fileURLToPath } from 'node:url';
import { startFutureYou } from './app.js';
import { DEMO_PASSWORD, demoTenants } from './tenants.js';

const dataDir =
  process.env.HEARTH_DATA_DIR ?? fileURLToPath(new URL('../.hearth-data', import.meta.url));
const databaseUrl = process.env.DATABASE_URL || undefined;

const app = await startFutureYou({
  databaseUrl,
  dataDir,
  port: Number(process.env.PORT ?? 3000),
  ...(process.env.HEARTH_SECRET ? { secret: process.env.HEARTH_SECRET } : {}),
});

const where = databaseUrl
  ? `PostgreSQL at ${new URL(databaseUrl).host}`
  : `the embedded database in ${dataDir}`;
console.log(`\nFuture You is running on ${where}.\n`);
for (const tenant of demoTenants) {
  console.log(`  ${tenant.config.displayName}: http://${tenant.domains[0]}:${app.port}/`);
  for (const account of tenant.accounts) {
    console.log(`    ${account.username.padEnd(12)} ${account.roles.join(', ')}`);
  }
}
console.log(`\n  Every demo account's password is "${DEMO_PASSWORD}". Press Ctrl+C to stop.\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
