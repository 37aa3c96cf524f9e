import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HearthDb } from '@hearth/db';
import {
  consoleEmailTransport,
  createCallerFactory,
  createPlatform,
  emailChannel,
  smtpEmailTransport,
} from '@hearth/server';
import { createNodeHandler, nodeRequestInfo } from '@hearth/server/adapters/node';
import { renderShell } from './page.js';
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
  /** The built web app (`vite build`'s output). @default web/dist beside this example */
  webDir?: string;
}

const defaultWebDir = fileURLToPath(new URL('../web/dist', import.meta.url));

export interface RunningFutureYou {
  url: string;
  port: number;
  db: HearthDb;
  /** The HTTP server, for hosting code that needs it (and tests that cut connections). */
  server: Server;
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
  const web = resolve(options.webDir ?? defaultWebDir);
  if (!existsSync(join(web, 'index.html'))) {
    throw new Error(
      `The web app is not built in ${web}: run \`pnpm --filter @hearth-examples/future-you build:web\` (pnpm dev does)`,
    );
  }
  const indexHtml = readFileSync(join(web, 'index.html'), 'utf8');
  mkdirSync(options.dataDir, { recursive: true });
  const db = await openDatabase(options);
  await db.migrate();
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
  await seedDemoTenants(db, platform, options.tenants ?? demoTenants);
  // Delivers safeguarding alerts and escalates cases whose time limit passes.
  platform.dispatcher.start();
  const api = createNodeHandler(platform);
  const createCaller = createCallerFactory(platform.router);

  /** Every page of the web app is its index.html, in the organisation of the host name. */
  async function page(req: IncomingMessage, res: ServerResponse) {
    const caller = createCaller({
      runtime: platform.runtime,
      request: nodeRequestInfo(req, res, false),
    });
    let branding: Awaited<ReturnType<typeof caller.tenancy.branding>>;
    try {
      branding = await caller.tenancy.branding();
    } catch {
      res
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        .end('No organisation is served at this address.');
      return;
    }
    const nonce = randomBytes(16).toString('base64');
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': [
        "default-src 'self'",
        `style-src 'self' 'nonce-${nonce}'`,
        "script-src 'self'",
        "img-src 'self' https: data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
      ].join('; '),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    res.end(renderShell(indexHtml, branding, nonce));
  }

  const server: Server = createServer((req, res) => {
    api(req, res, async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { 'content-type': 'text/plain; charset=utf-8', allow: 'GET, HEAD' });
        res.end('Method not allowed');
        return;
      }
      const path = decodeURIComponentSafe((req.url ?? '/').split('?')[0]!);
      if (path?.startsWith('/assets/')) {
        await asset(web, path, res);
        return;
      }
      await page(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 3000, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://localhost:${port}`,
    port,
    db,
    server,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await platform.dispatcher.stop();
      await db.close();
    },
  };
}

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

function decodeURIComponentSafe(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/** A file of the built app; names are content-hashed, so they are cached for good. */
async function asset(web: string, path: string, res: ServerResponse) {
  const file = normalize(join(web, path));
  const type = contentTypes[extname(file)];
  if (!file.startsWith(web + sep) || !type) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, {
      'content-type': type,
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
  }
}
