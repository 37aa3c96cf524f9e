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
    closedBy: uuid('closed_by'),
    outcome: text('outcome'),
    /**
     * Goes up with every change to the case's state. Changes that depend on what someone saw
     * (triage, escalation, closure) name the version they saw, so nobody overwrites a change
     * they never read.
     */
    version: integer('version').notNull().default(1),
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
    foreignKey({ columns: [t.tenantId, t.closedBy], foreignColumns: [users.tenantId, users.id] }),
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

/**
 * One entry in the moderators' queue per piece of content or per reported person: held or
 * flagged by moderation, or reported by someone. Further reports of the same thing join the
 * same entry (and reopen it if it was resolved).
 */
export const moderationItems = pgTable(
  'moderation_items',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    /** A kind of content registered with the platform (`identity.profile.about`, ...), or `identity.user` for a person. */
    contentKind: text('content_kind').notNull(),
    contentId: uuid('content_id').notNull(),
    /** Who wrote the content, or the person reported. */
    authorId: uuid('author_id'),
    status: text('status', { enum: ['open', 'resolved'] })
      .notNull()
      .default('open'),
    /** Whether others can see the content, as moderation last left it. */
    visibility: text('visibility', { enum: ['visible', 'held', 'removed'] }).notNull(),
    /** Why it is in the queue: `flagged`, `held`, `reported`. */
    reasons: text('reasons').array().notNull(),
    /** The most severe finding of the risk engine, if any. */
    maxSeverity: text('max_severity'),
    /** What the risk engine found: rule, category, severity and span — never the text itself. */
    findings: jsonb('findings').notNull().default([]),
    reportCount: integer('report_count').notNull().default(0),
    openedAt: at('opened_at').notNull().defaultNow(),
    resolvedAt: at('resolved_at'),
    resolvedBy: uuid('resolved_by'),
    /** Goes up with every change, so two moderators cannot act on what the other changed unseen. */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.authorId], foreignColumns: [users.tenantId, users.id] }),
    foreignKey({
      columns: [t.tenantId, t.resolvedBy],
      foreignColumns: [users.tenantId, users.id],
    }),
    unique('moderation_items_one_per_content').on(t.tenantId, t.contentKind, t.contentId),
    index('moderation_items_queue_idx').on(t.tenantId, t.status, t.openedAt),
    check('moderation_items_has_reason', sql`cardinality(${t.reasons}) > 0`),
  ],
);

/** A report by one person about content or another person. */
export const moderationReports = pgTable(
  'moderation_reports',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    itemId: uuid('item_id').notNull(),
    reporterId: uuid('reporter_id').notNull(),
    reason: text('reason').notNull(),
    /** Ciphertext of what the reporter wrote, if anything (see `createKeyring`). */
    note: text('note'),
    /** The safeguarding case the report opened or joined, when it was about someone's safety. */
    caseId: uuid('case_id'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      columns: [t.tenantId, t.itemId],
      foreignColumns: [moderationItems.tenantId, moderationItems.id],
    }).onDelete('cascade'),
    foreignKey({
      columns: [t.tenantId, t.reporterId],
      foreignColumns: [users.tenantId, users.id],
    }),
    foreignKey({
      columns: [t.tenantId, t.caseId],
      foreignColumns: [safeguardingCases.tenantId, safeguardingCases.id],
    }),
    index('moderation_reports_item_idx').on(t.tenantId, t.itemId, t.createdAt),
  ],
);

/** What moderators did, with who and why, in order. Append-only. */
export const moderationActions = pgTable(
  'moderation_actions',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    itemId: uuid('item_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    at: at('at').notNull().defaultNow(),
    /** Null when the platform acted (moderation holding or flagging text as it was written). */
    actorId: uuid('actor_id'),
    action: text('action').notNull(),
    reason: text('reason').notNull(),
    /** For a warning: the words the author was shown. */
    message: text('message'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      columns: [t.tenantId, t.itemId],
      foreignColumns: [moderationItems.tenantId, moderationItems.id],
    }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.actorId], foreignColumns: [users.tenantId, users.id] }),
    index('moderation_actions_item_idx').on(t.tenantId, t.itemId, t.seq),
  ],
);
