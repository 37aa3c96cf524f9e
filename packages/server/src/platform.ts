import { hearthPolicy, mergePolicies, type Policy } from '@hearth/core';
import type { HearthDb } from '@hearth/db';
import type { AnyRouter, AnyTRPCProcedure } from '@trpc/server';
import { createPasswordHasher, type PasswordHashing } from './capabilities/identity/passwords.js';
import { PROFILE_ABOUT, profileAboutContent } from './capabilities/identity/profile.js';
import { identityRouter } from './capabilities/identity/router.js';
import { MENTORING_REQUEST, mentoringRequestContent } from './capabilities/mentoring/matching.js';
import { VETTING_LAPSE, vettingLapseHandler } from './capabilities/mentoring/profiles.js';
import {
  MATCH_REQUESTED,
  matchRequestedHandler,
  RELATIONSHIP_CHANGED,
  relationshipChangedHandler,
} from './capabilities/mentoring/relationships.js';
import { mentoringRouter } from './capabilities/mentoring/router.js';
import { messagingRouter } from './capabilities/messaging/router.js';
import {
  MESSAGE_CONTENT,
  MESSAGE_NOTIFY,
  messageContent,
  messageNotifyHandler,
} from './capabilities/messaging/service.js';
import { createSafeguardingHandlers } from './capabilities/safeguarding/cases.js';
import { type ContentKind, USER_TARGET } from './capabilities/safeguarding/content.js';
import { createKeyring, type EncryptionOptions } from './capabilities/safeguarding/encryption.js';
import { RiskEngineCache } from './capabilities/safeguarding/moderation.js';
import { MODERATION_WARNING, warningHandler } from './capabilities/safeguarding/queue.js';
import { safeguardingRouter } from './capabilities/safeguarding/router.js';
import { tenancyRouter } from './capabilities/tenancy/router.js';
import type { PlatformRuntime } from './context.js';
import { createFetchHandler } from './http/fetch.js';
import { createDispatcher, type Dispatcher, type DispatcherOptions } from './outbox/dispatcher.js';
import { inAppTransport } from './outbox/transports.js';
import { createRealtimeHub } from './realtime/hub.js';
import { type HearthMeta, router } from './trpc.js';

/** The routes every Hearth platform has. */
const hearthRoutes = {
  identity: identityRouter,
  mentoring: mentoringRouter,
  messaging: messagingRouter,
  safeguarding: safeguardingRouter,
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
  /**
   * Master keys for the fields Hearth encrypts in the application (safeguarding case notes,
   * the words that opened a case, report notes). Without them, writing a case note or a report
   * note is refused, and a case opened from someone's words keeps no copy of them.
   * @example { masterKeys: [process.env.HEARTH_MASTER_KEY!] }
   */
  encryption?: EncryptionOptions;
  /** The platform's clock; tests move it to expire sessions. @default () => new Date() */
  now?: () => Date;
  /**
   * How outbox events become deliveries (`handlers` by topic) and how each channel delivers
   * (`transports`; `inApp` is there unless replaced). The dispatcher uses the platform's `db`,
   * and `now` if one was given.
   * @example { handlers: { 'myCharity.digest': sendDigest }, transports: { email: emailChannel(smtpEmailTransport(url), { from }) } }
   */
  outbox?: Partial<Omit<DispatcherOptions, 'db' | 'now'>>;
  /**
   * Kinds of content that the routes an integrator adds store from what people write, by name
   * (`capability.noun`), so that moderators can hold, release and remove it and anyone can
   * report it. Screen the text with `screenText` before storing it.
   * @example { 'myCharity.story': storyContent }
   */
  content?: Record<string, ContentKind>;
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
  /**
   * Delivers what procedures wrote to the outbox. Not started here: call `start()` in each
   * server process that should deliver (any number may) and `stop()` on shutdown.
   */
  readonly dispatcher: Dispatcher;
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
  for (const key of Object.keys(options.content ?? {})) {
    if (
      key === PROFILE_ABOUT ||
      key === USER_TARGET ||
      key === MENTORING_REQUEST ||
      key === MESSAGE_CONTENT
    ) {
      throw new Error(`createPlatform: content kind "${key}" is Hearth's own`);
    }
    if (!/^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/.test(key)) {
      throw new Error(`createPlatform: name content kinds like "capability.noun" (got "${key}")`);
    }
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
    riskEngines: new RiskEngineCache(),
    keyring: options.encryption ? createKeyring(options.encryption) : null,
    realtime: createRealtimeHub(options.db),
    contentKinds: new Map(
      Object.entries({
        ...options.content,
        [PROFILE_ABOUT]: profileAboutContent,
        [MENTORING_REQUEST]: mentoringRequestContent,
        [MESSAGE_CONTENT]: messageContent,
      }),
    ),
  };
  const transports = { inApp: inAppTransport(), ...options.outbox?.transports };
  const dispatcher = createDispatcher({
    ...options.outbox,
    db: options.db,
    handlers: {
      ...createSafeguardingHandlers({ email: Object.hasOwn(transports, 'email') }),
      [MODERATION_WARNING]: warningHandler,
      [VETTING_LAPSE]: vettingLapseHandler,
      [MATCH_REQUESTED]: matchRequestedHandler,
      [RELATIONSHIP_CHANGED]: relationshipChangedHandler,
      [MESSAGE_NOTIFY]: messageNotifyHandler,
      ...options.outbox?.handlers,
    },
    transports,
    ...(options.now ? { now: options.now } : {}),
  });
  const platform: Platform<typeof appRouter> = {
    router: appRouter,
    policy,
    runtime,
    dispatcher,
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
