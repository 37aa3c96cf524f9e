import { evaluate, tenantConfigSchema } from '@hearth/core';
import type { Tx } from '@hearth/db';
import { initTRPC, TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import { ZodError } from 'zod';
import {
  clearSessionCookie,
  readSessionCookie,
  resumeSession,
} from './capabilities/identity/sessions.js';
import type { Context, TenantContext, TenantScope } from './context.js';
import { CommitThenFail, FieldErrorCause, type FieldErrors, zodFieldErrors } from './errors.js';
import { compileStatement } from './statement.js';

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
 * Sets the request's tenant for row-level security: the one served at its host, or none (so
 * every tenant table looks empty) for a host no tenant serves. Runs as the app role, after the
 * transaction's own first statement has switched to it.
 */
const setTenantByHost = compileStatement<{ tenant_id: string }>(sql`
  select set_config('app.tenant_id', coalesce(
    (select tenant_id::text from tenant_domains where domain = ${sql.placeholder('host')}::text), ''
  ), true) as tenant_id`);

/**
 * The tenant just set, with the session named by the token and its account. The session is
 * joined only when the token names this tenant: a session is honoured only on a host of its
 * own tenant. Left-joined: with no such session its columns are null.
 */
const selectScope = compileStatement<{
  id: string;
  slug: string;
  config: unknown;
  version: number;
  disabled_at: string | Date | null;
  session_id: string | null;
  user_id: string;
  last_seen_at: string | Date;
  idle_expires_at: string | Date;
  absolute_expires_at: string | Date;
  revoked_at: string | Date | null;
  roles: string[];
  user_disabled_at: string | Date | null;
}>(sql`
  select t.id, t.slug, t.current_config as config, t.config_version as version, t.disabled_at,
    s.id as session_id, s.user_id, s.last_seen_at, s.idle_expires_at, s.absolute_expires_at,
    s.revoked_at, u.roles, u.disabled_at as user_disabled_at
  from tenants t
  left join sessions s on s.tenant_id = t.id and t.id = ${sql.placeholder('tokenTenantId')}::uuid
    and s.token_hash = ${sql.placeholder('tokenHash')}::bytea
  left join users u on u.tenant_id = s.tenant_id and u.id = s.user_id
  where t.id = hearth_current_tenant()`);

/**
 * Two statements before the procedure runs, sent together with the transaction's first (which
 * switches to the app role): one finds the tenant served at the request's host and sets it for
 * row-level security; one reads that tenant, the session and its account together. They run in
 * that order, so neither reads anything before the role and the tenant are set, but they cost
 * one round trip instead of three. A session is honoured only on a host of its own tenant.
 */
async function resolveScope(
  ctx: Context,
  tx: Tx,
): Promise<Pick<TenantContext, 'tenant' | 'actor' | 'session'>> {
  const token = readSessionCookie(ctx.request);
  const picked = setTenantByHost(tx, { host: ctx.request.host });
  const selected = selectScope(tx, {
    tokenTenantId: token?.tenantId ?? null,
    tokenHash: token?.hash ?? null,
  });
  const [, [row]] = await Promise.all([picked, selected]);
  if (!row || row.disabled_at) throw new TRPCError({ code: 'NOT_FOUND', message: NO_TENANT });
  const tenantId = row.id;
  const key = `${tenantId}:${row.version}`;
  let config = ctx.runtime.configCache.get(key);
  if (!config) {
    config = tenantConfigSchema.parse(row.config);
    // Entries never go stale (a version never changes); the bound only caps memory.
    if (ctx.runtime.configCache.size >= CONFIG_CACHE_SIZE) ctx.runtime.configCache.clear();
    ctx.runtime.configCache.set(key, config);
  }
  const tenant: TenantScope = { id: tenantId, slug: row.slug, config, configVersion: row.version };
  const resumed = row.session_id
    ? await resumeSession(tx, ctx.runtime, tenant, {
        id: row.session_id,
        userId: row.user_id,
        lastSeenAt: row.last_seen_at,
        idleExpiresAt: row.idle_expires_at,
        absoluteExpiresAt: row.absolute_expires_at,
        revokedAt: row.revoked_at,
        roles: row.roles,
        disabledAt: row.user_disabled_at,
      })
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

/**
 * A procedure that requires a signed-in actor, then checks the policy. One middleware for both,
 * in that order: every call of every signed-in procedure passes through it.
 */
export const authedProcedure = tenantBase.use(async ({ ctx, meta, next }) => {
  const { actor, session } = ctx;
  if (!actor || !session) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in to continue' });
  }
  const gate = policyGate(ctx, meta?.action);
  const result = await next({ ctx: { actor, session, authorize: gate.authorize } });
  if (result.ok && gate.unmet()) throw unauthorizedResource(meta?.action);
  return result;
});
