import type { Actor, Policy, PolicyContext, TenantConfig } from '@hearth/core';
import type { HearthDb, Tx } from '@hearth/db';
import type { PasswordHasher } from './capabilities/identity/passwords.js';
import type { ContentKind } from './capabilities/safeguarding/content.js';
import type { Keyring } from './capabilities/safeguarding/encryption.js';
import type { RiskEngineCache } from './capabilities/safeguarding/moderation.js';
import type { RequestInfo } from './http/request.js';
import type { RealtimeHub } from './realtime/hub.js';

/** What every procedure can reach, built once by createPlatform. */
export interface PlatformRuntime {
  readonly db: HearthDb;
  readonly policy: Policy;
  /** Keys the hashes of network addresses; never leaves the server. */
  readonly secret: string;
  readonly passwords: PasswordHasher;
  readonly secureCookies: boolean | 'auto';
  now(): Date;
  /** Parsed configurations by `tenantId:version`: versions never change, so entries never go stale. */
  readonly configCache: Map<string, TenantConfig>;
  /** Compiled risk engines, shared by tenants with the same rules. */
  readonly riskEngines: RiskEngineCache;
  /** Seals sensitive fields (case notes); absent when no master key was configured. */
  readonly keyring: Keyring | null;
  /** Wakes live subscriptions when what they follow changes, across server processes. */
  readonly realtime: RealtimeHub;
  /** Kinds of content that moderation can reach, by name. */
  readonly contentKinds: ReadonlyMap<string, ContentKind>;
}

/** The context tRPC creates for each request, before any middleware runs. */
export interface Context {
  readonly runtime: PlatformRuntime;
  readonly request: RequestInfo;
}

export interface TenantScope {
  readonly id: string;
  readonly slug: string;
  readonly config: TenantConfig;
  readonly configVersion: number;
}

export interface SessionScope {
  readonly id: string;
  readonly absoluteExpiresAt: Date;
}

/** What a procedure sees once the tenant transaction has begun. */
export interface TenantContext extends Context {
  readonly tx: Tx;
  readonly tenant: TenantScope;
  readonly actor: Actor | null;
  readonly session: SessionScope | null;
  /**
   * Checks this procedure's action against the resource it acts on (for `owner` and
   * `relationship` conditions); throws FORBIDDEN if the policy does not grant it. A procedure
   * whose rule depends on the resource must call it before returning.
   */
  authorize(resource: PolicyContext['resource']): void;
}

export interface AuthedContext extends TenantContext {
  readonly actor: Actor;
  readonly session: SessionScope;
}
