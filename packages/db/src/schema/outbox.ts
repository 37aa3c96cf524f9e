import { sql } from 'drizzle-orm';
import {
  check,
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
import { tenants } from './tenancy.js';

/**
 * The transactional outbox: one row per side effect (an alert, a notification, a timer),
 * written in the same transaction as the change that caused it, so the two commit or roll back
 * together. A dispatcher claims due rows across tenants through `hearth_claim_outbox()` (the
 * application role itself only ever sees one tenant) and handles each in a tenant transaction.
 *
 * `available_at` is when the row is next due: now for an alert, later for a timer (an escalation
 * deadline) or a retry. A claim is a lease (`claimed_until`, `claimed_by`): a dispatcher that dies
 * holding one simply lets it run out, and another picks the row up. The application may change
 * only the scheduling columns; what happened (`topic`, `payload`) is fixed once written.
 */
export const outboxEvents = pgTable(
  'outbox_events',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    /** What happened, e.g. `safeguarding.alert`; the dispatcher picks its handler by topic. */
    topic: text('topic').notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: createdAt(),
    availableAt: at('available_at').notNull().defaultNow(),
    /** How often a dispatcher has claimed the row. */
    attempts: integer('attempts').notNull().default(0),
    claimedUntil: at('claimed_until'),
    claimedBy: text('claimed_by'),
    completedAt: at('completed_at'),
    lastError: text('last_error'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    // Across tenants on purpose: the claim looks for the earliest due rows of every tenant.
    // Partial, so completed rows (nearly all of them, in time) cost it nothing.
    index('outbox_events_due_idx').on(t.availableAt).where(sql`${t.completedAt} is null`),
    check('outbox_events_topic_named', sql`length(${t.topic}) between 1 and 200`),
    check('outbox_events_attempts_counted', sql`${t.attempts} >= 0`),
  ],
);

/**
 * Each delivery an event causes: one row per recipient and channel, so the same recipient never
 * gets the same event twice on a channel however often the event is handled. `content` is what
 * the channel sends, fixed when the event is first handled so that a retry sends the same thing.
 *
 * `status`: `pending` (not yet sent, or the last attempt failed: see `last_error`, retried from
 * `available_at`), `sending` (an attempt started at an external transport and its outcome is
 * not yet recorded; `claimed_until` bounds it) and `delivered`.
 */
export const outboxDeliveries = pgTable(
  'outbox_deliveries',
  {
    tenantId: tenantId(),
    eventId: uuid('event_id').notNull(),
    /** Who receives it, stable across retries: e.g. `user:<id>` or an e-mail address. */
    recipient: text('recipient').notNull(),
    /** The transport that carries it, e.g. `inApp` or `email`. */
    channel: text('channel').notNull(),
    content: jsonb('content').notNull(),
    status: text('status', { enum: ['pending', 'sending', 'delivered'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    availableAt: at('available_at').notNull().defaultNow(),
    claimedUntil: at('claimed_until'),
    createdAt: createdAt(),
    deliveredAt: at('delivered_at'),
    lastError: text('last_error'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.eventId, t.recipient, t.channel] }),
    foreignKey({
      columns: [t.tenantId, t.eventId],
      foreignColumns: [outboxEvents.tenantId, outboxEvents.id],
    }).onDelete('cascade'),
    check(
      'outbox_deliveries_delivered_when',
      sql`(${t.status} = 'delivered') = (${t.deliveredAt} is not null)`,
    ),
    check('outbox_deliveries_attempts_counted', sql`${t.attempts} >= 0`),
  ],
);
