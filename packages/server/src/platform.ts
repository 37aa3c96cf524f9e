import { hearthPolicy, mergePolicies, type Policy } from '@hearth/core';
import type { HearthDb } from '@hearth/db';
import type { AnyRouter, AnyTRPCProcedure } from '@trpc/server';
import { createPasswordHasher, type PasswordHashing } from './capabilities/identity/passwords.js';
import { identityRouter } from './capabilities/identity/router.js';
import { tenancyRouter } from './capabilities/tenancy/router.js';
import type { PlatformRuntime } from './context.js';
import { createFetchHandler } from './http/fetch.js';
import { type HearthMeta, router } from './trpc.js';

/** The routes every Hearth platform has. */
const hearthRoutes = {
  identity: identityRouter,
  tenancy: tenancyRouter,
};

export const hearthRouter = router(hearthRoutes);
/** The type of the built-in router, for `createHearthClient<HearthRouter>()`. */
export type HearthRouter = typeof hearthRouter;

export interface PlatformOptions<TRoutes extends Record<string, AnyRouter>> {
  /** The database, from `@hearth/db/postgres` or `@hearth/db/pglite`, already migrated. */
  db: HearthDb;
  /**
   * A secret of at least 32 characters, the same on every instance, kept out of source
   * control. It keys the hashes under which network addresses are rate-limited.
   */
  secret: string;
  /**
   * Routers an integrator adds, mounted under their key. Build them with the procedures this
   * package exports, and add their actions to `policy`.
   * @example { myCharity: router({ ... }) }
   */
  routes?: TRoutes;
  /** Policy rules for the actions of `routes`; merged with Hearth's own (an action may not be redefined). */
  policy?: Policy;
  /**
   * Whether the session cookie is `Secure` (and named with the `__Host-` prefix). `'auto'`
   * follows the request's protocol (see `trustProxy` in the adapters).
   * @default 'auto'
   */
  secureCookies?: boolean | 'auto';
  passwordHashing?: PasswordHashing;
  /** The platform's clock; tests move it to expire sessions. @default () => new Date() */
  now?: () => Date;
}

export interface Platform<TRouter extends AnyRouter = HearthRouter> {
  readonly router: TRouter;
  /**
   * A web-standard handler serving the API under `/trpc`. For other paths, a client address
   * for rate limiting, or Node's http module, use `@hearth/server/adapters/fetch` or `/node`.
   */
  readonly handler: (request: Request) => Promise<Response>;
  readonly policy: Policy;
  /** Shared by every procedure; adapters put it in each request's context. */
  readonly runtime: PlatformRuntime;
}

type Procedures = Record<string, AnyTRPCProcedure>;

/**
 * Builds a Hearth platform. Throws straight away, not at the first request, if a procedure has
 * no policy action or names one that the policy does not define.
 */
export function createPlatform<TRoutes extends Record<string, AnyRouter> = Record<never, never>>(
  options: PlatformOptions<TRoutes>,
) {
  if (typeof options.secret !== 'string' || options.secret.length < 32) {
    throw new Error('createPlatform: `secret` must be a string of at least 32 characters');
  }
  for (const key of Object.keys(options.routes ?? {})) {
    if (key in hearthRoutes) throw new Error(`createPlatform: route "${key}" is Hearth's own`);
  }
  const policy = options.policy ? mergePolicies(hearthPolicy, options.policy) : hearthPolicy;
  const appRouter = router({ ...hearthRoutes, ...(options.routes as TRoutes) });
  assertEveryProcedureHasPolicy(appRouter, policy);
  const runtime: PlatformRuntime = {
    db: options.db,
    policy,
    secret: options.secret,
    passwords: createPasswordHasher(options.passwordHashing),
    secureCookies: options.secureCookies ?? 'auto',
    now: options.now ?? (() => new Date()),
    configCache: new Map(),
  };
  const platform: Platform<typeof appRouter> = {
    router: appRouter,
    policy,
    runtime,
    handler: (request) => defaultHandler(request),
  };
  const defaultHandler = createFetchHandler(platform);
  return platform;
}

/** Every procedure's path with the policy action it declares (undefined when it has none). */
export function listProcedureActions(appRouter: AnyRouter): { path: string; action?: string }[] {
  const procedures = appRouter._def.procedures as Procedures;
  return Object.entries(procedures).map(([path, procedure]) => ({
    path,
    action: (procedure._def.meta as HearthMeta | undefined)?.action,
  }));
}

function assertEveryProcedureHasPolicy(appRouter: AnyRouter, policy: Policy): void {
  const problems: string[] = [];
  for (const { path, action } of listProcedureActions(appRouter)) {
    if (!action) problems.push(`${path} declares no policy action`);
    else if (!Object.hasOwn(policy, action))
      problems.push(`${path} uses unknown action "${action}"`);
  }
  if (problems.length > 0) throw new Error(`createPlatform: ${problems.join('; ')}`);
}
