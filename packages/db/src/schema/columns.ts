import { timestamp, uuid } from 'drizzle-orm/pg-core';

/** Every tenant-owned table starts with this column, and it leads the primary key. */
export const tenantId = () => uuid('tenant_id').notNull();

export const createdAt = () =>
  timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const at = (name: string) => timestamp(name, { withTimezone: true });
