import type { HearthDb } from '@hearth/db';
import { findTenantByDomain, provisionTenant, provisionUser } from '@hearth/server';
import { DEMO_PASSWORD, type DemoTenant } from './tenants.js';

/** Creates each demo organisation and its accounts once; later starts leave them as they are. */
export async function seedDemoTenants(db: HearthDb, tenants: DemoTenant[]): Promise<void> {
  for (const tenant of tenants) {
    if (await findTenantByDomain(db, tenant.domains[0]!)) continue;
    const { tenantId } = await provisionTenant(db, {
      slug: tenant.slug,
      domains: tenant.domains,
      config: tenant.config,
    });
    for (const account of tenant.accounts) {
      await provisionUser(db, { tenantId, password: DEMO_PASSWORD, ...account });
    }
  }
}
