import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { HearthDb } from '@hearth/db';
import {
  consoleEmailTransport,
  createCallerFactory,
  createPlatform,
  emailChannel,
  smtpEmailTransport,
} from '@hearth/server';
import { createNodeHandler, nodeRequestInfo } from '@hearth/server/adapters/node';
import { renderHome } from './page.js';
import { seedDemoTenants } from './seed.js';
import { type DemoTenant, demoTenants } from './tenants.js';

export interface FutureYouOptions {
  /** PostgreSQL connection string; without it the embedded database in `dataDir` is used. */
  databaseUrl?: string;
  /** Where the embedded database and the generated secret live. */
  dataDir: string;
  /** @default 3000; 0 picks a free port. */
  port?: number;
  /** Defaults to a secret generated once and kept in `dataDir`. */
  secret?: string;
  tenants?: DemoTenant[];
  /** Where e-mail goes when no SMTP server is configured. @default console.info */
  log?: (line: string) => void;
}

export interface RunningFutureYou {
  url: string;
  port: number;
  db: HearthDb;
  close(): Promise<void>;
}

function loadSecret(dataDir: string, name = 'secret'): string {
  const file = join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

async function openDatabase(options: FutureYouOptions): Promise<HearthDb> {
  if (options.databaseUrl) {
    // Only this example's entry point loads a driver: the packages never open connections.
    const { createPostgresDb } = await import('@hearth/db/postgres');
    return createPostgresDb({
      url: process.env.DATABASE_APP_URL ?? options.databaseUrl,
      migrationUrl: options.databaseUrl,
    });
  }
  const { createPgliteDb } = await import('@hearth/db/pglite');
  return createPgliteDb({ dataDir: join(options.dataDir, 'pglite') });
}

export async function startFutureYou(options: FutureYouOptions): Promise<RunningFutureYou> {
  mkdirSync(options.dataDir, { recursive: true });
  const db = await openDatabase(options);
  await db.migrate();
  await seedDemoTenants(db, options.tenants ?? demoTenants);

  const platform = createPlatform({
    db,
    secret: options.secret ?? loadSecret(options.dataDir),
    // Case notes are encrypted with this key. A real deployment keeps it in a secret store,
    // never beside the database.
    encryption: {
      masterKeys: [process.env.HEARTH_MASTER_KEY ?? loadSecret(options.dataDir, 'master-key')],
    },
    // Safeguarding alerts by e-mail: through SMTP when HEARTH_SMTP_URL is set (for example
    // smtps://user:pass@smtp.example.org), otherwise printed to this console.
    outbox: {
      transports: {
        email: emailChannel(
          process.env.HEARTH_SMTP_URL
            ? smtpEmailTransport(process.env.HEARTH_SMTP_URL)
            : consoleEmailTransport({ log: options.log ?? ((line) => console.info(line)) }),
          { from: process.env.HEARTH_MAIL_FROM ?? 'Future You <alerts@future-you.example.org>' },
        ),
      },
    },
  });
  // Delivers safeguarding alerts and escalates cases whose time limit passes.
  platform.dispatcher.start();
  const api = createNodeHandler(platform);
  const createCaller = createCallerFactory(platform.router);

  const server: Server = createServer((req, res) => {
    api(req, res, async () => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' || path !== '/') {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
        return;
      }
      const caller = createCaller({
        runtime: platform.runtime,
        request: nodeRequestInfo(req, res, false),
      });
      try {
        const [branding, me] = await Promise.all([caller.tenancy.branding(), caller.identity.me()]);
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy':
            "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self' https: data:",
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
        });
        res.end(renderHome(branding, me));
      } catch {
        res
          .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
          .end('No organisation is served at this address.');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 3000, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://localhost:${port}`,
    port,
    db,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await platform.dispatcher.stop();
      await db.close();
    },
  };
}
