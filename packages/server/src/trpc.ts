import { evaluate, tenantConfigSchema } from '@hearth/core';
import { rowsOf, sessions, type Tx, tenantDomains, tenants, users } from '@hearth/db';
import { initTRPC, TRPCError } from '@trpc/server';
import { and, eq, sql } from 'drizzle-orm';
import { ZodError } from 'zod';
import {
  clearSessionCookie,
  readSessionCookie,
  resumeSession,
  type SessionRow,
  sessionColumns,
} from './capabilities/identity/sessions.js';
import type { Context, TenantContext, TenantScope } from './context.js';
import { CommitThenFail, FieldErrorCause, type FieldErrors, zodFieldErrors } from './errors.js';

/** Declared on every procedure: the policy action that guards it. */
export interface HearthMeta {
  /** An action of the platform's policy, e.g. `'identity.users.list'`. */
  action: string;
}

export interface HearthErrorData {
  code: string;
  httpStatus: number;
  path: string | null;
  /** Messages per input field, present when the input (or a rule about it) was rejected. */
  fieldErrors: FieldErrors | null;
}

const INTERNAL_MESSAGE = 'Something went wrong on our side. Please try again.';

const t = initTRPC
  .context<Context>()
  .meta<HearthMeta>()
  .create({
    // Stack traces and internal messages never reach a client.
    isDev: false,
    // Live subscriptions (server-sent events): a comment every 15 s keeps proxies from closing
    // a quiet stream, and a client that hears nothing for 25 s reconnects, resuming from the
    // last event it received.
    sse: {
      ping: { enabled: true, intervalMs: 15_000 },
      client: { reconnectAfterInactivityMs: 25_000 },
    },
    errorFormatter({ shape, error, path }) {
      let fieldErrors: FieldErrors | null = null;
      let message = shape.message;
      if (error.cause instanceof ZodError) {
        fieldErrors = zodFieldErrors(error.cause);
        message = 'Some details need to be corrected';
      } else if (error.cause instanceof FieldErrorCause) {
        fieldErrors = error.cause.fieldErrors;
      }
      if (error.code === 'INTERNAL_SERVER_ERROR') message = INTERNAL_MESSAGE;
      const data: HearthErrorData = {
        code: error.code,
        httpStatus: shape.data.httpStatus,
        path: path ?? null,
        fieldErrors,
      };
      return { message, code: shape.code, data };
    },
  });

export const router = t.router;
export const mergeRouters = t.mergeRouters;
export const createCallerFactory = t.createCallerFactory;

/** Lets a failed procedure roll its transaction back while tRPC still sees its error result. */
class Rollback<T> extends Error {
  constructor(readonly result: T) {
    super('rollback');
  }
}

const CONFIG_CACHE_SIZE = 1000;

const NO_TENANT = 'No organisation is served at this address';

/**
 * Opens the request's transaction, finds its tenant (from the session, else from the host
 * name) and its actor, and rolls everything back if the procedure fails.
 */
const tenantBase = t.procedure.use(async ({ ctx, next, type }) => {
  if (type === 'mutation' && ctx.request.crossSite) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'This request did not come from this site, so it was refused',
    });
  }
  try {
    return await ctx.runtime.db.transaction(null, async (tx) => {
      const scope = await resolveScope(ctx, tx);
      const result = await next({ ctx: { tx, ...scope } });
      if (!result.ok && !(result.error instanceof CommitThenFail)) throw new Rollback(result);
      return result;
    });
  } catch (error) {
    if (error instanceof Rollback) return error.result as never;
    throw error;
  }
});

/**
 * Two statements before the procedure runs: one finds the tenant served at the request's host
 * and sets it for row-level security; one reads the tenant, the session and its account
 * together. A session is honoured only on a host of its own tenant.
 */
async function resolveScope(
  ctx: Context,
  tx: Tx,
): Promise<Pick<TenantContext, 'tenant' | 'actor' | 'session'>> {
  const token = readSessionCookie(ctx.request);
  const [picked] = rowsOf<{ tenant_id: string }>(
    await tx.execute(sql`
      select set_config('app.tenant_id', coalesce(
        (select tenant_id::text from ${tenantDomains} where domain = ${ctx.request.host}), ''
      ), true) as tenant_id`),
  );
  const tenantId = picked?.tenant_id || null;
  if (!tenantId) throw new TRPCError({ code: 'NOT_FOUND', message: NO_TENANT });
  const useToken = token && token.tenantId === tenantId ? token : null;
  const [row] = await tx
    .select({
      slug: tenants.slug,
      config: tenants.currentConfig,
      version: tenants.configVersion,
      disabledAt: tenants.disabledAt,
      session: sessionColumns,
    })
    .from(tenants)
    .leftJoin(
      sessions,
      useToken
        ? and(eq(sessions.tenantId, tenants.id), eq(sessions.tokenHash, useToken.hash))
        : sql`false`,
    )
    .leftJoin(users, and(eq(users.tenantId, sessions.tenantId), eq(users.id, sessions.userId)))
    .where(eq(tenants.id, tenantId));
  if (!row || row.disabledAt) throw new TRPCError({ code: 'NOT_FOUND', message: NO_TENANT });
  const key = `${tenantId}:${row.version}`;
  let config = ctx.runtime.configCache.get(key);
  if (!config) {
    config = tenantConfigSchema.parse(row.config);
    // Entries never go stale (a version never changes); the bound only caps memory.
    if (ctx.runtime.configCache.size >= CONFIG_CACHE_SIZE) ctx.runtime.configCache.clear();
    ctx.runtime.configCache.set(key, config);
  }
  const tenant: TenantScope = { id: tenantId, slug: row.slug, config, configVersion: row.version };
  // Left-joined: with no matching session every column is null.
  const resumed = row.session?.id
    ? await resumeSession(tx, ctx.runtime, tenant, row.session as SessionRow)
    : null;
  if (token && !resumed) clearSessionCookie(ctx.runtime, ctx.request);
  return { tenant, actor: resumed?.actor ?? null, session: resumed?.session ?? null };
}

const FORBIDDEN_MESSAGE = 'You do not have permission to do that';

/**
 * Checks the procedure's action before the handler runs. A rule that can only be decided with
 * the resource in hand (`owner`, `relationship`) lets the handler run if some alternative could
 * grant, and the handler must then call `ctx.authorize(resource)`; a handler that returns
 * without doing so fails (`unmet()`), and its transaction is rolled back.
 */
function policyGate(
  ctx: Omit<TenantContext, 'authorize'>,
  action: string | undefined,
): { authorize: TenantContext['authorize']; unmet(): boolean } {
  if (!action) {
    throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Procedure without a policy' });
  }
  const { policy } = ctx.runtime;
  const base = { actor: ctx.actor, config: ctx.tenant.config };
  let authorized = false;
  const authorize: TenantContext['authorize'] = (resource) => {
    if (!evaluate(policy, action, { ...base, resource }).allowed) {
      throw new TRPCError({ code: 'FORBIDDEN', message: FORBIDDEN_MESSAGE });
    }
    authorized = true;
  };
  if (evaluate(policy, action, base).allowed) return { authorize, unmet: () => false };
  if (evaluate(policy, action, base, { resourcePending: true }).allowed) {
    return { authorize, unmet: () => !authorized };
  }
  // Signing in helps only where the rule needs a signed-in person; an action open to the
  // public but switched off here (member sign-up closed, say) is simply not available.
  const openToPublic = policy[action]?.some((alternative) =>
    alternative.some((condition) => 'public' in condition),
  );
  if (openToPublic) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'This is not available here' });
  }
  throw ctx.actor
    ? new TRPCError({ code: 'FORBIDDEN', message: FORBIDDEN_MESSAGE })
    : new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in to continue' });
}

function unauthorizedResource(action: string | undefined): TRPCError {
  return new TRPCError({
    code: 'INTERNAL_SERVER_ERROR',
    message: `Procedure for "${action}" returned without calling ctx.authorize(resource)`,
  });
}

/**
 * A procedure of one tenant, open to anonymous callers if its policy allows. Declare the
 * policy action with `.meta({ action })`; a procedure without one fails at createPlatform.
 */
export const tenantProcedure = tenantBase.use(async ({ ctx, meta, next }) => {
  const gate = policyGate(ctx, meta?.action);
  const result = await next({ ctx: { authorize: gate.authorize } });
  if (result.ok && gate.unmet()) throw unauthorizedResource(meta?.action);
  return result;
});

/** A procedure that requires a signed-in actor, then checks the policy. */
export const authedProcedure = tenantBase
  .use(({ ctx, next }) => {
    const { actor, session } = ctx;
    if (!actor || !session) {
      throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in to continue' });
    }
    return next({ ctx: { actor, session } });
  })
  .use(async ({ ctx, meta, next }) => {
    const gate = policyGate(ctx, meta?.action);
    const result = await next({ ctx: { authorize: gate.authorize } });
    if (result.ok && gate.unmet()) throw unauthorizedResource(meta?.action);
    return result;
  });
