import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHearthClient, type HearthClient } from '@hearth/client';
import type { TenantConfigInput } from '@hearth/core';
import { createTestDatabase, type TestDatabase } from '@hearth/db/testing';
import { createPlatform, provisionTenant, provisionUser } from '@hearth/server';
import { createNodeHandler } from '@hearth/server/adapters/node';
import { EventSource } from 'eventsource';
import { Agent, fetch as undiciFetch } from 'undici';

/**
 * Host names under `.test` all reach this machine's loopback, so every tenant can be served
 * under its own host name, as in production, and the server sees the real Host header.
 */
export const loopback = new Agent({
  connect: {
    lookup: (_hostname, options, callback) => {
      if ((options as { all?: boolean }).all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
      else (callback as (e: null, a: string, f: number) => void)(null, '127.0.0.1', 4);
    },
  },
});

export const SECRET = 'test-secret-that-is-at-least-32-characters-long';
export const PASSWORD = 'correct horse battery';
/** A fixed master key for tests (32 bytes, base64); never use a published key in production. */
export const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

/** A controllable clock: tests move time forward to expire sessions and rate-limit windows. */
export class TestClock {
  private offset = 0;
  now = (): Date => new Date(Date.now() + this.offset);
  advance(ms: number): void {
    this.offset += ms;
  }
}

export interface Browser {
  readonly client: HearthClient;
  readonly cookies: Map<string, string>;
  /** Raw HTTP to the server as this browser, with its cookies. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

export interface TestTenant {
  id: string;
  host: string;
  adminId: string;
  admin: { username: string; password: string };
}

export interface TestPlatform {
  readonly platform: ReturnType<typeof createPlatform>;
  readonly database: TestDatabase;
  readonly clock: TestClock;
  readonly port: number;
  readonly alpha: TestTenant;
  readonly beta: TestTenant;
  origin(host: string): string;
  /** A fresh "browser" (its own cookie jar) talking to `host`. */
  browser(host: string, options?: { address?: string; headers?: Record<string, string> }): Browser;
  /** Cuts every open connection to the server (live streams included), as a network drop would. */
  dropConnections(): void;
  close(): Promise<void>;
}

export function tenantConfig(displayName: string, overrides: Partial<TenantConfigInput> = {}) {
  return {
    displayName,
    branding: { colors: { primary: '#0b6e4f' } },
    helplines: [{ name: 'Childline', phone: '0800 1111', url: 'https://www.childline.org.uk' }],
    ...overrides,
  } satisfies TenantConfigInput;
}

async function seedTenant(database: TestDatabase, slug: string, name: string): Promise<TestTenant> {
  const host = `${slug}.hearth.test`;
  const { tenantId } = await provisionTenant(database.db, {
    slug,
    domains: [host],
    config: tenantConfig(name),
  });
  const admin = { username: `${slug}_admin`, password: PASSWORD };
  const { userId } = await provisionUser(database.db, {
    tenantId,
    username: admin.username,
    password: admin.password,
    roles: ['org_admin'],
    email: `admin@${slug}.example.org`,
    displayName: `${name} Admin`,
  });
  return { id: tenantId, host, adminId: userId, admin };
}

export async function startTestPlatform(): Promise<TestPlatform> {
  const database = await createTestDatabase();
  const clock = new TestClock();
  const platform = createPlatform({
    db: database.db,
    secret: SECRET,
    now: clock.now,
    encryption: { masterKeys: [TEST_MASTER_KEY] },
  });
  const handler = createNodeHandler(platform, { trustProxy: true });
  const server: Server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const alpha = await seedTenant(database, 'alpha', 'Alpha Youth Trust');
  const beta = await seedTenant(database, 'beta', 'Beta Mentoring');
  const origin = (host: string) => `http://${host}:${port}`;
  let nextAddress = 1;

  return {
    platform,
    database,
    clock,
    port,
    alpha,
    beta,
    origin,
    browser(host, options = {}) {
      const cookies = new Map<string, string>();
      // Each browser gets its own address unless told otherwise, so per-address rate limits
      // from one test do not leak into another.
      const address = options.address ?? `10.0.0.${nextAddress++}`;
      const browserFetch = async (input: string | URL | Request, init: RequestInit = {}) => {
        const headers = new Headers(init.headers);
        for (const [k, v] of Object.entries(options.headers ?? {})) headers.set(k, v);
        headers.set('x-forwarded-for', address);
        if (cookies.size > 0) {
          headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
        }
        const response = await undiciFetch(input as string, {
          ...(init as object),
          headers: Object.fromEntries(headers.entries()),
          dispatcher: loopback,
        });
        for (const line of response.headers.getSetCookie()) {
          const [pair, ...attributes] = line.split(';');
          const eq = pair!.indexOf('=');
          const name = pair!.slice(0, eq).trim();
          const value = pair!.slice(eq + 1).trim();
          const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
          if (expired || value === '') cookies.delete(name);
          else cookies.set(name, value);
        }
        return response as unknown as Response;
      };
      return {
        cookies,
        client: createHearthClient({
          url: `${origin(host)}/trpc`,
          fetch: browserFetch as typeof fetch,
          // Live subscriptions through the same cookie jar and address.
          EventSource,
          eventSourceOptions: { fetch: browserFetch },
        }),
        fetch: (path, init) => browserFetch(`${origin(host)}${path}`, init),
      };
    },
    dropConnections() {
      server.closeAllConnections();
    },
    async close() {
      // Live subscriptions keep their connections open; end them so the server can close.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.drop();
    },
  };
}
