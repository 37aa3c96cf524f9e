import { foreignKey, index, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { at, tenantId } from './columns.js';
import { users } from './identity.js';
import { tenants } from './tenancy.js';

/**
 * An append-only record of who read or changed what (safeguarding cases, case notes, data
 * exports). The application may add and read entries, never change or remove them.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    at: at('at').notNull().defaultNow(),
    /** Null when the platform itself acted (an escalation deadline passing, say). */
    actorId: uuid('actor_id'),
    /** What was done, as `capability.noun.verb`. @example 'safeguarding.case.read' */
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: uuid('subject_id'),
    /** Context that helps a reviewer; never the sensitive content itself. */
    detail: jsonb('detail').notNull().default({}),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.actorId], foreignColumns: [users.tenantId, users.id] }),
    index('audit_events_subject_idx').on(t.tenantId, t.subjectType, t.subjectId, t.at),
  ],
);
