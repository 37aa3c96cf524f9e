import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { at, createdAt, tenantId } from './columns.js';
import { bytea, users } from './identity.js';
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

/**
 * A safeguarding case: a warning sign about a person that someone must acknowledge in time.
 * `(source_kind, source_id, rule_id)` is unique, so however often a signal is processed it
 * opens exactly one case.
 */
export const safeguardingCases = pgTable(
  'safeguarding_cases',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    /** The person the concern is about, when known. */
    subjectUserId: uuid('subject_user_id'),
    /** A risk signal in someone's words, a concern raised by hand, or a report. */
    sourceKind: text('source_kind', { enum: ['signal', 'concern', 'report'] }).notNull(),
    /** The item the signal or report is about; for a concern raised by hand, the case itself. */
    sourceId: uuid('source_id').notNull(),
    /** The rule that matched, for signals; empty otherwise. */
    ruleId: text('rule_id').notNull().default(''),
    category: text('category').notNull(),
    severity: text('severity').notNull(),
    status: text('status', { enum: ['open', 'acknowledged', 'closed'] })
      .notNull()
      .default('open'),
    /** Index into the tenant's escalation ladder. */
    step: integer('step').notNull().default(0),
    assigneeId: uuid('assignee_id'),
    raisedBy: uuid('raised_by'),
    openedAt: at('opened_at').notNull().defaultNow(),
    acknowledgedAt: at('acknowledged_at'),
    acknowledgedBy: uuid('acknowledged_by'),
    /** When the current step must acknowledge by; null when it has no limit. */
    deadlineAt: at('deadline_at'),
    closedAt: at('closed_at'),
    outcome: text('outcome'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    foreignKey({
      columns: [t.tenantId, t.subjectUserId],
      foreignColumns: [users.tenantId, users.id],
    }),
    foreignKey({ columns: [t.tenantId, t.assigneeId], foreignColumns: [users.tenantId, users.id] }),
    foreignKey({ columns: [t.tenantId, t.raisedBy], foreignColumns: [users.tenantId, users.id] }),
    foreignKey({
      columns: [t.tenantId, t.acknowledgedBy],
      foreignColumns: [users.tenantId, users.id],
    }),
    unique('safeguarding_cases_one_per_source').on(t.tenantId, t.sourceKind, t.sourceId, t.ruleId),
    index('safeguarding_cases_status_idx').on(t.tenantId, t.status, t.openedAt),
    check('safeguarding_cases_step_not_negative', sql`${t.step} >= 0`),
  ],
);

/**
 * The timeline of a case: every action, decision and note, in order. Notes are stored only
 * encrypted (see `createKeyring`); `detail` never holds what a note says.
 */
export const safeguardingCaseEvents = pgTable(
  'safeguarding_case_events',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    caseId: uuid('case_id').notNull(),
    /** The order of the timeline, even for events written in the same instant. */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    at: at('at').notNull().defaultNow(),
    /** Null when the platform acted (a deadline passing). */
    actorId: uuid('actor_id'),
    kind: text('kind').notNull(),
    detail: jsonb('detail').notNull().default({}),
    /** Ciphertext of the note, if this event carries one. */
    note: text('note'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      columns: [t.tenantId, t.caseId],
      foreignColumns: [safeguardingCases.tenantId, safeguardingCases.id],
    }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.actorId], foreignColumns: [users.tenantId, users.id] }),
    index('safeguarding_case_events_case_idx').on(t.tenantId, t.caseId, t.seq),
  ],
);
