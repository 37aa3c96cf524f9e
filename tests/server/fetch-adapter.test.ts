import { createTestDatabase, type TestDatabase } from '@hearth/db/testing';
import { createPlatform, provisionTenant } from '@hearth/server';
import { createFetchHandler } from '@hearth/server/adapters/fetch';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SECRET, tenantConfig } from '../support/platform.js';

// The web-standard handler, as an edge or serverless runtime would call it: no Node server.
let database: TestDatabase;
let platform: ReturnType<typeof createPlatform>;

beforeAll(async () => {
  database = await createTestDatabase();
  await provisionTenant(database.db, {
    slug: 'edge',
    domains: ['edge.hearth.test'],
    config: tenantConfig('Edge Youth'),
  });
  platform = createPlatform({ db: database.db, secret: SECRET });
});
afterAll(async () => {
  await database?.drop();
});

const json = { 'content-type': 'application/json', 'x-hearth-client': '1' };

test('platform.handler serves the API over Request/Response, with cookies', async () => {
  const branding = await platform.handler(
    new Request('https://edge.hearth.test/trpc/tenancy.branding'),
  );
  expect(branding.status).toBe(200);
  expect(
    ((await branding.json()) as { result: { data: { displayName: string } } }).result.data
      .displayName,
  ).toBe('Edge Youth');

  const signUp = await platform.handler(
    new Request('https://edge.hearth.test/trpc/identity.signUp', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        username: 'edge_runner',
        password: 'a long enough password',
        ageBand: '16-17',
      }),
    }),
  );
  expect(signUp.status).toBe(200);
  const cookie = signUp.headers.getSetCookie()[0]!;
  // Over HTTPS the cookie is host-only, Secure and HttpOnly.
  expect(cookie).toMatch(/^__Host-hearth_session=[0-9a-f]{32}\.[A-Za-z0-9_-]{43}; /);
  expect(cookie).toContain('; Secure');
  expect(cookie).toContain('; HttpOnly');

  const me = await platform.handler(
    new Request('https://edge.hearth.test/trpc/identity.me', {
      headers: { cookie: cookie.split(';')[0]! },
    }),
  );
  const body = (await me.json()) as { result: { data: { username: string } | null } };
  expect(body.result.data?.username).toBe('edge_runner');
});

test('the fetch adapter refuses oversized bodies and unknown hosts without touching the API', async () => {
  const handler = createFetchHandler(platform, { getClientAddress: () => '192.0.2.1' });
  const big = await handler(
    new Request('https://edge.hearth.test/trpc/identity.signIn', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username: 'x'.repeat(200_000), password: 'y' }),
    }),
  );
  expect(big.status).toBe(413);

  const unknown = await handler(new Request('https://nowhere.hearth.test/trpc/tenancy.branding'));
  expect(unknown.status).toBe(404);
  const error = (await unknown.json()) as { error: { message: string; data: { code: string } } };
  expect(error.error.data.code).toBe('NOT_FOUND');
  expect(error.error.message).toBe('No organisation is served at this address');
});

test('asking for a streamed answer (JSON lines) still gets one piece, with its cookies', async () => {
  // Signing in sets a cookie while the procedure runs: a streamed answer would have sent its
  // headers already. The call asks for JSON lines both ways tRPC's streaming link can.
  const asks: Record<string, string>[] = [
    { 'trpc-accept': 'application/jsonl' },
    { accept: 'application/jsonl' },
  ];
  for (const asked of asks) {
    const response = await platform.handler(
      new Request('https://edge.hearth.test/trpc/identity.signIn?batch=1', {
        method: 'POST',
        headers: { ...json, ...asked },
        body: JSON.stringify({
          0: { username: 'edge_runner', password: 'a long enough password' },
        }),
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.getSetCookie()[0]).toMatch(/^__Host-hearth_session=[0-9a-f]{32}\./);
    const body = (await response.json()) as { result?: unknown }[];
    expect(body).toHaveLength(1);
    expect(body[0]!.result).toBeDefined();
  }
});
