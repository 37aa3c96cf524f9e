import {
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { at, createdAt, tenantId } from './columns.js';
// Only read inside the table callback, after both modules have loaded.
import { users } from './identity.js';

/**
 * One row per organisation. Row-level security limits it to the current tenant, like every
 * tenant table; `current_config` is the latest entry of `tenant_config_versions`.
 */
export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  currentConfig: jsonb('current_config').notNull(),
  configVersion: integer('config_version').notNull(),
  createdAt: createdAt(),
  disabledAt: at('disabled_at'),
});

/**
 * Host names that serve a tenant. The only table readable without a tenant: an anonymous
 * request is mapped to its tenant by host before anything else is known. It holds host names,
 * which are public, and the tenant's id.
 */
export const tenantDomains = pgTable(
  'tenant_domains',
  {
    domain: text('domain').primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [index('tenant_domains_tenant_idx').on(t.tenantId)],
);

/** Every configuration a tenant ever had, so a change can be reviewed or reverted. */
export const tenantConfigVersions = pgTable(
  'tenant_config_versions',
  {
    tenantId: tenantId(),
    version: integer('version').notNull(),
    config: jsonb('config').notNull(),
    /** The staff member who made the change; null for changes made by the platform. */
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.version] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.createdBy], foreignColumns: [users.tenantId, users.id] }),
  ],
);
