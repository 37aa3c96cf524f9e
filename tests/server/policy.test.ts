import { randomUUID } from 'node:crypto';
import { createHearthClient, getErrorCode, isHearthError } from '@hearth/client';
import { can, definePolicy, evaluate, hearthPolicy, parseTenantConfig } from '@hearth/core';
import { createTestDatabase, type TestDatabase } from '@hearth/db/testing';
import {
  authedProcedure,
  createPlatform,
  hearthRouter,
  listProcedureActions,
  provisionTenant,
  provisionUser,
  router,
  tenantProcedure,
} from '@hearth/server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { proceduresOf, rows } from '../support/db.js';
import { PASSWORD, SECRET, tenantConfig } from '../support/platform.js';

/**
 * Every procedure is guarded by an action of the platform's declarative policy: createPlatform
 * refuses a router where one is missing or unknown, and an integrator's own routes are guarded
 * by their own rules, enforced on the server.
 */

let database: TestDatabase;
const cheapHashing = { memoryCost: 1024, timeCost: 1 };

/** An integrator's routes: a public query, an admin-only query, and a mutation that fails late. */
const charityRoutes = {
  charity: router({
    hello: tenantProcedure
      .meta({ action: 'charity.hello' })
      .query(({ ctx }) => ({ tenant: ctx.tenant.slug, userId: ctx.actor?.userId ?? null })),
    staff: router({
      count: authedProcedure.meta({ action: 'charity.staff.count' }).query(async ({ ctx }) => {
        // Deliberately unfiltered: row-level security scopes the integrator's transaction.
        const [row] = rows<{ n: number }>(
          await ctx.tx.execute(sql`select count(*)::int as n from users`),
        );
        return { users: row!.n };
      }),
    }),
    rename: authedProcedure
      .meta({ action: 'charity.rename' })
      .input((raw: unknown) => {
        const name = (raw as { name?: unknown } | null)?.name;
        if (typeof name !== 'string' || name.length === 0 || name.length > 40) {
          throw new Error('name must be 1 to 40 characters');
        }
        return { name };
      })
      .mutation(async ({ ctx, input }) => {
        await ctx.tx.execute(
          sql`update users set display_name = ${input.name} where tenant_id = ${ctx.tenant.id} and id = ${ctx.actor.userId}`,
        );
        if (input.name === 'fail after writing') throw new Error('integrator bug');
        return { renamed: true };
      }),
    mentorsOnly: authedProcedure.meta({ action: 'charity.mentorsOnly' }).query(() => 'for mentors'),
  }),
};

const charityPolicy = definePolicy({
  'charity.hello': [[{ public: true }]],
  'charity.staff.count': [[{ role: ['org_admin'] }]],
  'charity.rename': [[{ signedIn: true }]],
  'charity.mentorsOnly': [[{ role: ['mentor'] }]],
});

function makePlatform() {
  return createPlatform({
    db: database.db,
    secret: SECRET,
    routes: charityRoutes,
    policy: charityPolicy,
    passwordHashing: cheapHashing,
  });
}
type CharityPlatform = ReturnType<typeof makePlatform>;
let platform: CharityPlatform;

const tenants: Record<'one' | 'two', { id: string; host: string; adminId: string }> = {} as never;

/** A browser with a cookie jar, talking to the platform's web-standard handler. */
function browser(host: string) {
  const cookies = new Map<string, string>();
  const send = async (input: string | URL | Request, init: RequestInit = {}) => {
    const request = new Request(input, init);
    if (cookies.size > 0) {
      request.headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    }
    const response = await platform.handler(request);
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const value = pair!.slice(eq + 1);
      if (value === '' || /max-age=0(;|$)/i.test(line)) cookies.delete(pair!.slice(0, eq));
      else cookies.set(pair!.slice(0, eq), value);
    }
    return response;
  };
  return {
    cookies,
    client: createHearthClient<CharityPlatform['router']>({
      url: `http://${host}/trpc`,
      fetch: send as typeof fetch,
    }),
    raw: (path: string, init?: RequestInit) => send(`http://${host}${path}`, init),
  };
}

/** The code of the error a live subscription sends before anything else. */
async function subscriptionError(b: ReturnType<typeof browser>, path: string) {
  const response = await b.raw(`/trpc/${path}?input=${encodeURIComponent('{"bogus":1}')}`, {
    headers: { accept: 'text/event-stream' },
    signal: AbortSignal.timeout(5000),
  });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  let text = '';
  while (!/"code":"[A-Z_]+"/.test(text.split('serialized-error')[1] ?? '')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  await reader.cancel();
  return /"code":"([A-Z_]+)"/.exec(text.split('serialized-error')[1] ?? '')?.[1] ?? text;
}

async function errorOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isHearthError(error)) return { code: getErrorCode(error), message: error.message };
    throw error;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  database = await createTestDatabase();
  for (const slug of ['one', 'two'] as const) {
    const host = `${slug}.policy.test`;
    const { tenantId } = await provisionTenant(database.db, {
      slug: `policy-${slug}`,
      domains: [host],
      config: tenantConfig(`Policy ${slug}`),
    });
    const { userId } = await provisionUser(
      database.db,
      { tenantId, username: `${slug}_admin`, password: PASSWORD, roles: ['org_admin'] },
      cheapHashing,
    );
    tenants[slug] = { id: tenantId, host, adminId: userId };
  }
  // A second person in tenant one, so counts differ between tenants.
  await provisionUser(
    database.db,
    { tenantId: tenants.one.id, username: 'one_mentor', password: PASSWORD, roles: ['mentor'] },
    cheapHashing,
  );
  platform = makePlatform();
});
afterAll(async () => {
  await database?.drop();
});

describe('the built-in router', () => {
  test('every procedure declares an action that the policy defines', () => {
    const plain = createPlatform({ db: database.db, secret: SECRET });
    const procedures = listProcedureActions(plain.router);
    expect(procedures.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        'identity.signUp',
        'identity.signIn',
        'identity.users.disable',
        'identity.invitations.revoke',
        'tenancy.config.update',
        'tenancy.tenants.create',
      ]),
    );
    expect(procedures.length).toBeGreaterThanOrEqual(15);
    for (const { path, action } of procedures) {
      expect(action, path).toEqual(expect.any(String));
      expect(Object.hasOwn(plain.policy, action!), `${path} -> ${action}`).toBe(true);
      expect(Object.hasOwn(hearthPolicy, action!), `${path} -> ${action}`).toBe(true);
    }
    expect(listProcedureActions(hearthRouter)).toEqual(procedures);
  });

  test('every action of the built-in policy guards some procedure (no dead rules)', () => {
    const used = new Set(listProcedureActions(hearthRouter).map((p) => p.action));
    expect(Object.keys(hearthPolicy).filter((action) => !used.has(action))).toEqual([]);
  });

  test('an integrator’s platform keeps every built-in procedure and its action', () => {
    const builtIn = listProcedureActions(hearthRouter);
    const all = listProcedureActions(platform.router);
    expect(all).toEqual(expect.arrayContaining(builtIn));
    expect(all.filter((p) => p.path.startsWith('charity.'))).toEqual([
      { path: 'charity.hello', action: 'charity.hello' },
      { path: 'charity.staff.count', action: 'charity.staff.count' },
      { path: 'charity.rename', action: 'charity.rename' },
      { path: 'charity.mentorsOnly', action: 'charity.mentorsOnly' },
    ]);
    expect(all.length).toBe(builtIn.length + 4);
    expect(Object.keys(platform.policy).sort()).toEqual(
      [...Object.keys(hearthPolicy), ...Object.keys(charityPolicy)].sort(),
    );
  });

  /**
   * Walks every procedure and calls it over HTTP as an anonymous visitor and as a member, with
   * input that is not even valid: where the policy denies, the answer must be the denial (the
   * guard runs before input is looked at); where it allows, it must not be a denial.
   */
  test('the server enforces each procedure’s policy for anonymous visitors and members', async () => {
    const config = parseTenantConfig(tenantConfig('Policy one'));
    const member = browser(tenants.one.host);
    await member.client.identity.signUp.mutate({
      username: 'policy_member',
      password: PASSWORD,
      ageBand: '13-15',
    });
    const memberActor = { userId: 'x', tenantId: tenants.one.id, roles: ['member'] as const };
    const procedures = proceduresOf(platform.router);
    // Signing out ends the member's session, so it goes last.
    const paths = Object.keys(procedures).sort(
      (a, b) => Number(a === 'identity.signOut') - Number(b === 'identity.signOut'),
    );
    let denials = 0;
    for (const [who, b, actor] of [
      ['anonymous', browser(tenants.one.host), null],
      ['member', member, memberActor],
    ] as const) {
      for (const path of paths) {
        const { type, meta } = procedures[path]!._def;
        const allowed = can(platform.policy, meta!.action!, { actor, config });
        // Rules that depend on the resource (the raiser of a case) are decided by the handler
        // once it has loaded it, so such a procedure runs far enough to validate its input.
        const pending =
          !allowed &&
          evaluate(platform.policy, meta!.action!, { actor, config }, { resourcePending: true })
            .allowed;
        const where = `${who} ${type} ${path}`;
        if (type === 'subscription') {
          // A live stream answers 200 at once and sends its refusal as the first event.
          const code = await subscriptionError(b, path);
          if (pending) expect(code, where).toBe('BAD_REQUEST');
          else if (!allowed) {
            denials++;
            expect(code, where).toBe(who === 'anonymous' ? 'UNAUTHORIZED' : 'FORBIDDEN');
          } else expect(['UNAUTHORIZED', 'FORBIDDEN'], where).not.toContain(code);
          continue;
        }
        const response =
          type === 'query'
            ? await b.raw(`/trpc/${path}?input=${encodeURIComponent('{"bogus":1}')}`)
            : await b.raw(`/trpc/${path}`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', 'x-hearth-client': '1' },
                body: '{"bogus":1}',
              });
        if (pending) {
          expect(response.status, where).toBe(400);
        } else if (!allowed) {
          denials++;
          expect(response.status, where).toBe(who === 'anonymous' ? 401 : 403);
        } else {
          expect([401, 403], where).not.toContain(response.status);
          expect(response.status, where).toBeLessThan(500);
        }
      }
    }
    expect(denials).toBeGreaterThanOrEqual(15);
  });
});

describe('createPlatform refuses a router it cannot guard', () => {
  const build =
    (routes: Record<string, ReturnType<typeof router>>, policy = charityPolicy) =>
    () =>
      createPlatform({ db: database.db, secret: SECRET, routes, policy });

  test('a procedure without .meta({ action })', () => {
    expect(build({ plugin: router({ open: tenantProcedure.query(() => 1) }) })).toThrow(
      'createPlatform: plugin.open declares no policy action',
    );
    expect(build({ plugin: router({ open: authedProcedure.mutation(() => 1) }) })).toThrow(
      'createPlatform: plugin.open declares no policy action',
    );
  });

  test('a procedure deep in nested routers', () => {
    expect(
      build({
        plugin: router({ a: router({ b: router({ c: tenantProcedure.query(() => 1) }) }) }),
      }),
    ).toThrow('createPlatform: plugin.a.b.c declares no policy action');
  });

  test.each([
    'plugin.nope',
    'charity.hello.extra',
    // Names every object inherits are not actions.
    'toString',
    'constructor',
    '__proto__',
    'hasOwnProperty',
    '',
  ])('an action the policy does not define: %j', (action) => {
    const make = build({
      plugin: router({ thing: authedProcedure.meta({ action }).query(() => 1) }),
    });
    expect(make).toThrow(
      action === ''
        ? 'createPlatform: plugin.thing declares no policy action'
        : `createPlatform: plugin.thing uses unknown action "${action}"`,
    );
  });

  test('every problem at once, not only the first', () => {
    expect(
      build({
        plugin: router({
          one: tenantProcedure.query(() => 1),
          two: authedProcedure.meta({ action: 'plugin.two' }).query(() => 2),
          fine: tenantProcedure.meta({ action: 'charity.hello' }).query(() => 3),
        }),
      }),
    ).toThrow(
      'createPlatform: plugin.one declares no policy action; plugin.two uses unknown action "plugin.two"',
    );
  });

  test('routes that replace Hearth’s own', () => {
    for (const key of ['identity', 'tenancy']) {
      expect(
        build({
          [key]: router({ x: tenantProcedure.meta({ action: 'charity.hello' }).query(() => 1) }),
        }),
      ).toThrow(`createPlatform: route "${key}" is Hearth's own`);
    }
  });

  test('a policy that redefines one of Hearth’s actions (it could loosen them)', () => {
    expect(() =>
      createPlatform({
        db: database.db,
        secret: SECRET,
        policy: { 'identity.users.list': [[{ public: true }]] },
      }),
    ).toThrow('Policy action "identity.users.list" is defined by more than one policy');
  });

  test('a malformed policy rule', () => {
    expect(() =>
      createPlatform({
        db: database.db,
        secret: SECRET,
        policy: { 'charity.x': [[]] } as never,
      }),
    ).toThrow(/alternative 0: is empty/);
  });

  test('a short secret', () => {
    expect(() => createPlatform({ db: database.db, secret: 'too short' })).toThrow(
      'createPlatform: `secret` must be a string of at least 32 characters',
    );
  });

  test('a sound router with its policy is accepted', () => {
    expect(makePlatform().policy['charity.hello']).toEqual([[{ public: true }]]);
  });
});

describe('an integrator’s routes through the client', () => {
  test('a public procedure answers anonymous visitors, in the tenant of the host', async () => {
    expect(await browser(tenants.one.host).client.charity.hello.query()).toEqual({
      tenant: 'policy-one',
      userId: null,
    });
    expect(await browser(tenants.two.host).client.charity.hello.query()).toEqual({
      tenant: 'policy-two',
      userId: null,
    });
  });

  test('an admin-only procedure: anonymous is asked to sign in, others are refused', async () => {
    const anonymous = browser(tenants.one.host);
    expect(await errorOf(anonymous.client.charity.staff.count.query())).toEqual({
      code: 'UNAUTHORIZED',
      message: 'Please sign in to continue',
    });
    const mentor = browser(tenants.one.host);
    await mentor.client.identity.signIn.mutate({ username: 'one_mentor', password: PASSWORD });
    expect((await mentor.client.charity.hello.query()).userId).toEqual(expect.any(String));
    expect(await errorOf(mentor.client.charity.staff.count.query())).toEqual({
      code: 'FORBIDDEN',
      message: 'You do not have permission to do that',
    });
    expect(await mentor.client.charity.mentorsOnly.query()).toBe('for mentors');
  });

  test('an admin gets the answer, computed under their own tenant only', async () => {
    const one = browser(tenants.one.host);
    await one.client.identity.signIn.mutate({ username: 'one_admin', password: PASSWORD });
    const two = browser(tenants.two.host);
    await two.client.identity.signIn.mutate({ username: 'two_admin', password: PASSWORD });
    const [countOne] = rows<{ n: number }>(
      await database.db.transaction(tenants.one.id, (tx) =>
        tx.execute(sql`select count(*)::int as n from users`),
      ),
    );
    expect(await one.client.charity.staff.count.query()).toEqual({ users: countOne!.n });
    expect(countOne!.n).toBeGreaterThanOrEqual(2);
    expect(await two.client.charity.staff.count.query()).toEqual({ users: 1 });
    // The admin of one tenant is no admin of another.
    expect(await errorOf(one.client.charity.mentorsOnly.query())).toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  test('an integrator’s mutation commits when it succeeds and rolls back when it fails', async () => {
    const admin = browser(tenants.two.host);
    await admin.client.identity.signIn.mutate({ username: 'two_admin', password: PASSWORD });
    const displayName = async () => {
      const [row] = rows<{ display_name: string | null }>(
        await database.db.transaction(tenants.two.id, (tx) =>
          tx.execute(sql`select display_name from users where id = ${tenants.two.adminId}`),
        ),
      );
      return row!.display_name;
    };
    expect(await admin.client.charity.rename.mutate({ name: 'Two Admin' })).toEqual({
      renamed: true,
    });
    expect(await displayName()).toBe('Two Admin');

    expect(
      await errorOf(admin.client.charity.rename.mutate({ name: 'fail after writing' })),
    ).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
      message: 'Something went wrong on our side. Please try again.',
    });
    expect(await displayName()).toBe('Two Admin');

    expect(await errorOf(admin.client.charity.rename.mutate({ name: '' }))).toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await displayName()).toBe('Two Admin');
  });

  test('an integrator’s mutation is refused to anonymous visitors before its input is read', async () => {
    const anonymous = browser(tenants.one.host);
    expect(
      await errorOf(anonymous.client.charity.rename.mutate({ name: randomUUID() })),
    ).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await errorOf(anonymous.client.charity.rename.mutate({ name: '' }))).toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });
});
