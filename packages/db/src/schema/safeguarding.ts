import { sql } from 'drizzle-orm';
import { check, foreignKey, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { at, createdAt, tenantId } from './columns.js';
import { bytea } from './identity.js';
import { tenants } from './tenancy.js';

/**
 * Each tenant's data keys for encrypting sensitive fields (case notes) in the application.
 * A data key is stored only wrapped (AES-256-GCM) by a master key that lives outside the
 * database; `master_key_id` names which one, so master keys can be rotated by re-wrapping.
 * Keys are never updated in place or deleted by the application: a new version replaces the
 * current one, and old versions stay to decrypt what they encrypted.
 */
export const tenantDataKeys = pgTable(
  'tenant_data_keys',
  {
    tenantId: tenantId(),
    version: integer('version').notNull(),
    masterKeyId: text('master_key_id').notNull(),
    wrappedKey: bytea('wrapped_key').notNull(),
    createdAt: createdAt(),
    retiredAt: at('retired_at'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.version] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    check('tenant_data_keys_version_positive', sql`${t.version} > 0`),
  ],
);
