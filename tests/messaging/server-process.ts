/**
 * A second Hearth server in a process of its own, for the cross-process test in
 * messages.test.ts, which starts it with `node --import tsx --conditions=hearth-source` against
 * the same PostgreSQL database and talks to it over HTTP.
 *
 * Environment: HEARTH_APP_URL (the application's connection string), HEARTH_SECRET,
 * HEARTH_MASTER_KEY. Prints `listening <port>` once it serves.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPostgresDb } from '@hearth/db/postgres';
import { createPlatform } from '@hearth/server';
import { createNodeHandler } from '@hearth/server/adapters/node';

const { HEARTH_APP_URL: url, HEARTH_SECRET: secret, HEARTH_MASTER_KEY: masterKey } = process.env;
if (!url || !secret || !masterKey) {
  throw new Error('HEARTH_APP_URL, HEARTH_SECRET and HEARTH_MASTER_KEY are required');
}
const db = createPostgresDb({ url, maxConnections: 4 });
const platform = createPlatform({ db, secret, encryption: { masterKeys: [masterKey] } });
const handler = createNodeHandler(platform, { trustProxy: true });
const server = createServer((req, res) => handler(req, res));
server.listen(0, '127.0.0.1', () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close();
  void platform.runtime.realtime.close().then(() => db.close().then(() => process.exit(0)));
});
