import { sql } from 'drizzle-orm';
import {
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { at, createdAt, tenantId } from './columns.js';
import { users } from './identity.js';
import { safeguardingCases } from './safeguarding.js';
import { tenants } from './tenancy.js';

/**
 * What a mentor offers and whether they may be matched: one row per mentor, validated by core's
 * `mentorProfileSchema` on the way in and out. The mentor edits what they offer (skills to
 * availability, capacity); the organisation sets the vetting (background check, training,
 * supervisor) and the age bands they are cleared for. The two halves move on separately:
 * `vetting_version` counts only the organisation's changes, so a mentor editing their
 * interests never makes an admin's vetting change conflict.
 */
export const mentorProfiles = pgTable(
  'mentor_profiles',
  {
    tenantId: tenantId(),
    mentorId: uuid('mentor_id').notNull(),
    /** Normalised tags (lower case, single spaces), as core's `mentoringTagSchema` leaves them. */
    skills: text('skills').array().notNull().default(sql`'{}'::text[]`),
    interests: text('interests').array().notNull().default(sql`'{}'::text[]`),
    /** Canonical BCP 47 tags, most fluent first. Empty until the mentor fills in their profile. */
    languages: text('languages').array().notNull().default(sql`'{}'::text[]`),
    /** Weekly slots in the tenant's time zone (core's `availabilitySchema`). */
    availability: jsonb('availability').notNull().default([]),
    /** Mentees at once; null uses the tenant's `mentoring.maxMenteesDefault`, 0 pauses matching. */
    capacity: integer('capacity'),
    clearedAgeBands: text('cleared_age_bands').array().notNull().default(sql`'{}'::text[]`),
    backgroundCheckStatus: text('background_check_status', {
      enum: ['pending', 'clear', 'failed'],
    })
      .notNull()
      .default('pending'),
    /** From this day the check no longer counts; null when the organisation sets no expiry. */
    backgroundCheckExpiresOn: date('background_check_expires_on'),
    trainingCompletedOn: date('training_completed_on'),
    /** Overrides the tenant's `mentoring.trainingValidityMonths` for this mentor. */
    trainingValidForMonths: integer('training_valid_for_months'),
    /** The senior mentor who supervises this mentor. */
    supervisorId: uuid('supervisor_id'),
    createdAt: createdAt(),
    profileUpdatedAt: at('profile_updated_at'),
    vettingUpdatedAt: at('vetting_updated_at'),
    vettingUpdatedBy: uuid('vetting_updated_by'),
    /** 0 until the organisation first records the vetting; up by one with each change to it. */
    vettingVersion: integer('vetting_version').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.mentorId] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    foreignKey({
      name: 'mentor_profiles_mentor_fk',
      columns: [t.tenantId, t.mentorId],
      foreignColumns: [users.tenantId, users.id],
    }),
    foreignKey({
      name: 'mentor_profiles_supervisor_fk',
      columns: [t.tenantId, t.supervisorId],
      foreignColumns: [users.tenantId, users.id],
    }),
    foreignKey({
      name: 'mentor_profiles_vetting_updated_by_fk',
      columns: [t.tenantId, t.vettingUpdatedBy],
      foreignColumns: [users.tenantId, users.id],
    }),
    index('mentor_profiles_supervisor_idx').on(t.tenantId, t.supervisorId),
    check('mentor_profiles_capacity_range', sql`${t.capacity} between 0 and 20`),
    check(
      'mentor_profiles_training_validity_range',
      sql`${t.trainingValidForMonths} between 1 and 120`,
    ),
    check(
      'mentor_profiles_check_status',
      sql`${t.backgroundCheckStatus} in ('pending', 'clear', 'failed')`,
    ),
    check('mentor_profiles_not_own_supervisor', sql`${t.supervisorId} <> ${t.mentorId}`),
    check('mentor_profiles_vetting_version', sql`${t.vettingVersion} >= 0`),
  ],
);

/**
 * A member and a mentor working together, from the member's request to its end:
 * `requested` → `active` ⇄ `paused` → `closed` (with a reason), or `requested` → `declined`
 * (core's `transitionRelationship`). A request names its mentor when the member chose one;
 * otherwise a coordinator picks the mentor when approving. A member has at most one
 * relationship that is requested, active or paused at a time.
 */
export const mentoringRelationships = pgTable(
  'mentoring_relationships',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    memberId: uuid('member_id').notNull(),
    /** Null only while a request waits for a coordinator to choose the mentor. */
    mentorId: uuid('mentor_id'),
    status: text('status', {
      enum: ['requested', 'active', 'paused', 'declined', 'closed'],
    })
      .notNull()
      .default('requested'),
    /** How the match was made: the tenant's `mentoring.matching` when the member asked. */
    matching: text('matching', { enum: ['coordinator-approves', 'member-chooses'] }).notNull(),
    /** What the member asked for (interests, help, languages, availability), as tags and slots. */
    request: jsonb('request').notNull().default({}),
    /**
     * What the member wrote about the help they want, screened by moderation like everything
     * people write; others read it only while `help_text_state` is `visible`.
     */
    helpText: text('help_text'),
    /** Identifies `help_text` to moderation and safeguarding (content kind `mentoring.request`). */
    helpTextId: uuid('help_text_id'),
    helpTextState: text('help_text_state', { enum: ['visible', 'held', 'removed'] }),
    requestedAt: at('requested_at').notNull().defaultNow(),
    /** When the request was accepted or declined, and by whom. */
    decidedAt: at('decided_at'),
    decidedBy: uuid('decided_by'),
    /** Why a request was declined, in words for the member. */
    declineReason: text('decline_reason'),
    startedAt: at('started_at'),
    /** When the relationship was last paused; null while it is not paused. */
    pausedAt: at('paused_at'),
    closedAt: at('closed_at'),
    closedBy: uuid('closed_by'),
    closeReason: text('close_reason', {
      enum: ['goals-met', 'member-left', 'mentor-left', 'concern', 'other'],
    }),
    /** The safeguarding case behind a close for `concern` (and, optionally, any other close). */
    safeguardingCaseId: uuid('safeguarding_case_id'),
    updatedAt: at('updated_at').notNull().defaultNow(),
    /** Goes up with every change, so two people cannot act on what the other changed unseen. */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    foreignKey({
      name: 'mentoring_relationships_member_fk',
      columns: [t.tenantId, t.memberId],
      foreignColumns: [users.tenantId, users.id],
    }),
    foreignKey({
      name: 'mentoring_relationships_mentor_fk',
      columns: [t.tenantId, t.mentorId],
      foreignColumns: [users.tenantId, users.id],
    }),
    foreignKey({
      name: 'mentoring_relationships_decided_by_fk',
      columns: [t.tenantId, t.decidedBy],
      foreignColumns: [users.tenantId, users.id],
    }),
    foreignKey({
      name: 'mentoring_relationships_closed_by_fk',
      columns: [t.tenantId, t.closedBy],
      foreignColumns: [users.tenantId, users.id],
    }),
    foreignKey({
      name: 'mentoring_relationships_case_fk',
      columns: [t.tenantId, t.safeguardingCaseId],
      foreignColumns: [safeguardingCases.tenantId, safeguardingCases.id],
    }),
    uniqueIndex('mentoring_relationships_one_open_per_member')
      .on(t.tenantId, t.memberId)
      .where(sql`${t.status} in ('requested', 'active', 'paused')`),
    index('mentoring_relationships_mentor_idx').on(t.tenantId, t.mentorId, t.status),
    index('mentoring_relationships_member_idx').on(t.tenantId, t.memberId, t.requestedAt),
    index('mentoring_relationships_status_idx').on(t.tenantId, t.status, t.requestedAt),
    unique('mentoring_relationships_help_text_id_key').on(t.tenantId, t.helpTextId),
    check(
      'mentoring_relationships_status_known',
      sql`${t.status} in ('requested', 'active', 'paused', 'declined', 'closed')`,
    ),
    check(
      'mentoring_relationships_matched_has_mentor',
      sql`${t.status} in ('requested', 'declined') or ${t.mentorId} is not null`,
    ),
    check('mentoring_relationships_not_self', sql`${t.mentorId} <> ${t.memberId}`),
    check(
      'mentoring_relationships_closed_has_reason',
      sql`(${t.status} = 'closed') = (${t.closeReason} is not null)`,
    ),
    check(
      'mentoring_relationships_concern_has_case',
      sql`${t.closeReason} is distinct from 'concern' or ${t.safeguardingCaseId} is not null`,
    ),
    check(
      'mentoring_relationships_help_text_has_id_and_state',
      sql`(${t.helpText} is null) = (${t.helpTextId} is null) and (${t.helpText} is null) = (${t.helpTextState} is null)`,
    ),
    check('mentoring_relationships_version_positive', sql`${t.version} > 0`),
  ],
);

/**
 * A supervision session a senior mentor held with one of the mentors they supervise. The notes
 * are stored only encrypted (see `createKeyring`). Append-only: a correction is a new session
 * record.
 */
export const supervisionSessions = pgTable(
  'supervision_sessions',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    supervisorId: uuid('supervisor_id').notNull(),
    mentorId: uuid('mentor_id').notNull(),
    /** The day the session took place, in the tenant's time zone. */
    heldOn: date('held_on').notNull(),
    durationMinutes: integer('duration_minutes'),
    /** Ciphertext of the supervisor's notes. */
    notes: text('notes').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    foreignKey({
      name: 'supervision_sessions_supervisor_fk',
      columns: [t.tenantId, t.supervisorId],
      foreignColumns: [users.tenantId, users.id],
    }),
    foreignKey({
      name: 'supervision_sessions_mentor_fk',
      columns: [t.tenantId, t.mentorId],
      foreignColumns: [users.tenantId, users.id],
    }),
    index('supervision_sessions_mentor_idx').on(t.tenantId, t.mentorId, t.heldOn),
    check('supervision_sessions_duration_range', sql`${t.durationMinutes} between 1 and 600`),
    check('supervision_sessions_not_self', sql`${t.supervisorId} <> ${t.mentorId}`),
  ],
);
