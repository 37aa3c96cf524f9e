import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHearthClient, getErrorCode } from '@hearth/client';
import { definePolicy } from '@hearth/core';
import { signInFailures, users } from '@hearth/db';
import { createTestDatabase, type TestDatabase } from '@hearth/db/testing';
import {
  authedProcedure,
  createPlatform,
  notFound,
  provisionTenant,
  provisionUser,
  router,
} from '@hearth/server';
import { createNodeHandler } from '@hearth/server/adapters/node';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { z } from 'zod';
import { PASSWORD, SECRET } from '../support/platform.js';

// Rules that need the resource (owner, relationship) are checked by the handler with
// ctx.authorize(resource) once it has loaded it; forgetting to is a server error, not a grant.
const policy = definePolicy({
  'demo.profile.read': [[{ owner: true }], [{ role: ['org_admin'] }]],
  'demo.forgetful.write': [[{ owner: true }]],
});

const demo = router({
  profile: authedProcedure
    .meta({ action: 'demo.profile.read' })
    .input(z.object({ userId: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const [user] = await ctx.tx
        .select({ id: users.id, username: users.username })
        .from(users)
        .where(and(eq(users.tenantId, ctx.tenant.id), eq(users.id, input.userId)));
      if (!user) throw notFound('User');
      ctx.authorize({ ownerId: user.id });
      return user.username;
    }),
  forgetful: authedProcedure.meta({ action: 'demo.forgetful.write' }).mutation(async ({ ctx }) => {
    await ctx.tx
      .insert(signInFailures)
      .values({ tenantId: ctx.tenant.id, scope: 'account', key: 'forgetful-write' });
    return 'written';
  }),
});

let database: TestDatabase;
let server: Server;
let origin: string;
let tenantId: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  ({ tenantId } = await provisionTenant(database.db, {
    slug: 'resource',
    domains: ['127.0.0.1'],
    config: { displayName: 'Resource' },
  }));
  const hashing = { memoryCost: 1024, timeCost: 1 };
  for (const [username, roles] of [
    ['res_ada', ['member']],
    ['res_bo', ['member']],
    ['res_admin', ['org_admin']],
  ] as const) {
    const account = {
      tenantId,
      username,
      password: PASSWORD,
      roles: [...roles],
      ...(roles[0] === 'member' ? { ageBand: '16-17' as const } : {}),
    };
    ids[username] = (await provisionUser(database.db, account, hashing)).userId;
  }
  const platform = createPlatform({ db: database.db, secret: SECRET, routes: { demo }, policy });
  const handler = createNodeHandler(platform);
  server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await database?.drop();
});

async function signedIn(username: string) {
  let cookie = '';
  const client = createHearthClient<
    ReturnType<typeof createPlatform<{ demo: typeof demo }>>['router']
  >({
    url: `${origin}/trpc`,
    fetch: (async (input: RequestInfo, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      if (cookie) headers.set('cookie', cookie);
      const res = await fetch(input, { ...init, headers });
      const set = res.headers.getSetCookie()[0];
      if (set) cookie = set.split(';')[0]!;
      return res;
    }) as typeof fetch,
  });
  await client.identity.signIn.mutate({ username, password: PASSWORD });
  return client;
}

async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'OK';
  } catch (error) {
    return getErrorCode(error);
  }
}

test('owner conditions are decided on the loaded resource', async () => {
  const ada = await signedIn('res_ada');
  expect(await ada.demo.profile.query({ userId: ids.res_ada! })).toBe('res_ada');
  expect(await codeOf(ada.demo.profile.query({ userId: ids.res_bo! }))).toBe('FORBIDDEN');
  const admin = await signedIn('res_admin');
  expect(await admin.demo.profile.query({ userId: ids.res_bo! })).toBe('res_bo');
});

test('a procedure that never calls ctx.authorize fails and writes nothing', async () => {
  const ada = await signedIn('res_ada');
  let message = '';
  try {
    await ada.demo.forgetful.mutate();
  } catch (error) {
    message = (error as Error).message;
    expect(getErrorCode(error)).toBe('INTERNAL_SERVER_ERROR');
  }
  expect(message).toBe('Something went wrong on our side. Please try again.');
  const [row] = await database.db.transaction(tenantId, (tx) =>
    tx
      .select({ n: count() })
      .from(signInFailures)
      .where(and(eq(signInFailures.tenantId, tenantId), eq(signInFailures.key, 'forgetful-write'))),
  );
  expect(row!.n).toBe(0);
});
