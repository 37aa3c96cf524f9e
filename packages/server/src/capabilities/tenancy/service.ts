import {
  brandingToCssVariables,
  type TenantConfig,
  type TenantConfigInput,
  tenantConfigSchema,
} from '@hearth/core';
import {
  type HearthDb,
  invitations,
  setTenant,
  type Tx,
  tenantConfigVersions,
  tenantDomains,
  tenants,
  users,
} from '@hearth/db';

import { and, desc, eq } from 'drizzle-orm';
import type { AuthedContext, TenantContext } from '../../context.js';
import { fieldError } from '../../errors.js';
import { randomToken, sha256 } from '../identity/tokens.js';

/** What anyone visiting a tenant's site may see: enough to draw the page and show helplines. */
export function publicBranding(ctx: TenantContext) {
  const c = ctx.tenant.config;
  return {
    displayName: c.displayName,
    shortName: c.shortName ?? null,
    branding: c.branding,
    cssVariables: brandingToCssVariables(c.branding),
    terminology: c.terminology,
    defaultLocale: c.defaultLocale,
    locales: c.locales,
    capabilities: c.capabilities,
    helplines: c.helplines,
    quickExitUrl: c.quickExitUrl,
    allowMemberSignUp: c.identity.allowMemberSignUp,
    /** Whether members pick their mentor (`member-chooses`) or a coordinator does. */
    mentorMatching: c.mentoring.matching,
    memberAgeBands: c.identity.memberAgeBands,
  };
}

export interface NewTenant {
  slug: string;
  domains: string[];
  config: TenantConfigInput;
}

/**
 * Creates a tenant with its first configuration version and its host names. Runs in the
 * caller's transaction and leaves it pointed at the new tenant.
 */
export async function createTenantIn(
  tx: Tx,
  input: NewTenant,
  now: Date,
): Promise<{ tenantId: string; config: TenantConfig }> {
  const config = tenantConfigSchema.parse(input.config);
  const tenantId = crypto.randomUUID();
  await setTenant(tx, tenantId);
  const created = await tx
    .insert(tenants)
    .values({
      id: tenantId,
      slug: input.slug,
      currentConfig: config,
      configVersion: 1,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: tenants.id });
  if (created.length === 0) throw fieldError('CONFLICT', { slug: ['This slug is already in use'] });
  await tx.insert(tenantConfigVersions).values({ tenantId, version: 1, config, createdAt: now });
  const domains = [...new Set(input.domains)];
  const added = await tx
    .insert(tenantDomains)
    .values(domains.map((domain) => ({ domain, tenantId, createdAt: now })))
    .onConflictDoNothing()
    .returning({ domain: tenantDomains.domain });
  if (added.length !== domains.length) {
    const taken = domains.filter((d) => !added.some((a) => a.domain === d));
    throw fieldError('CONFLICT', {
      domains: [`Already serving another organisation: ${taken.join(', ')}`],
    });
  }
  return { tenantId, config };
}

/**
 * For operators' scripts and seeds: creates a tenant outside any request. Through the API,
 * platform admins use `tenancy.tenants.create`.
 */
export function provisionTenant(db: HearthDb, input: NewTenant, now = new Date()) {
  return db.transaction(null, (tx) => createTenantIn(tx, input, now));
}

/** Creates a tenant and an invitation for its first organisation admin. */
export async function createTenantWithAdmin(
  ctx: AuthedContext,
  input: NewTenant & { firstAdminEmail: string },
) {
  const now = ctx.runtime.now();
  const { tenantId, config } = await createTenantIn(ctx.tx, input, now);
  const token = randomToken();
  await ctx.tx.insert(invitations).values({
    tenantId,
    email: input.firstAdminEmail,
    role: 'org_admin',
    tokenHash: sha256(token),
    invitedBy: null,
    createdAt: now,
    expiresAt: new Date(now.getTime() + config.identity.inviteExpiryDays * 86_400_000),
  });
  // The rest of this request belongs to the platform admin's own tenant again.
  await setTenant(ctx.tx, ctx.tenant.id);
  return { tenantId, slug: input.slug, firstAdminInvitationToken: token };
}

export function readConfig(ctx: AuthedContext) {
  return { version: ctx.tenant.configVersion, config: ctx.tenant.config };
}

/**
 * Saves a new configuration version. `expectedVersion` must be the version the editor started
 * from: two admins editing at once cannot silently overwrite each other.
 */
export async function updateConfig(
  ctx: AuthedContext,
  input: { expectedVersion: number; config: TenantConfig },
): Promise<{ version: number }> {
  const { tx, tenant, actor, runtime } = ctx;
  const [current] = await tx
    .select({ version: tenants.configVersion })
    .from(tenants)
    .where(eq(tenants.id, tenant.id))
    .for('update');
  if (!current || current.version !== input.expectedVersion) {
    throw fieldError('CONFLICT', {
      expectedVersion: [
        'The configuration changed since you opened it. Reload, then apply your change again.',
      ],
    });
  }
  const version = current.version + 1;
  const now = runtime.now();
  await tx.insert(tenantConfigVersions).values({
    tenantId: tenant.id,
    version,
    config: input.config,
    createdBy: actor.userId,
    createdAt: now,
  });
  await tx
    .update(tenants)
    .set({ currentConfig: input.config, configVersion: version })
    .where(eq(tenants.id, tenant.id));
  return { version };
}

export async function configHistory(ctx: AuthedContext, input: { limit: number }) {
  const rows = await ctx.tx
    .select({
      version: tenantConfigVersions.version,
      config: tenantConfigVersions.config,
      createdAt: tenantConfigVersions.createdAt,
      createdById: tenantConfigVersions.createdBy,
      createdByUsername: users.username,
    })
    .from(tenantConfigVersions)
    .leftJoin(
      users,
      and(
        eq(users.tenantId, tenantConfigVersions.tenantId),
        eq(users.id, tenantConfigVersions.createdBy),
      ),
    )
    .where(eq(tenantConfigVersions.tenantId, ctx.tenant.id))
    .orderBy(desc(tenantConfigVersions.version))
    .limit(input.limit);
  return rows.map((r) => ({
    version: r.version,
    config: tenantConfigSchema.parse(r.config),
    createdAt: r.createdAt.toISOString(),
    createdBy: r.createdById ? { id: r.createdById, username: r.createdByUsername } : null,
  }));
}

/** The tenant served at a host name, if any (for seeds and operators' scripts). */
export async function findTenantByDomain(db: HearthDb, domain: string): Promise<string | null> {
  const [row] = await db.transaction(null, (tx) =>
    tx
      .select({ tenantId: tenantDomains.tenantId })
      .from(tenantDomains)
      .where(eq(tenantDomains.domain, domain.toLowerCase())),
  );
  return row?.tenantId ?? null;
}
