import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  text,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { at, createdAt, tenantId } from './columns.js';
import { users } from './identity.js';
import { mentoringRelationships } from './mentoring.js';
import { tenants } from './tenancy.js';

/**
 * A conversation: one-to-one inside a mentoring relationship (and only while it is active), or
 * a support group with a moderator. `last_seq` numbers what happens in it; taking the next number
 * locks the row until commit, so events become visible in the order of their numbers and a
 * reader that resumes after number n can never miss one below it.
 */
export const conversations = pgTable(
  'conversations',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    kind: text('kind', { enum: ['direct', 'group'] }).notNull(),
    /** For a one-to-one conversation: the relationship it belongs to. */
    relationshipId: uuid('relationship_id'),
    /** For a group. */
    title: text('title'),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    foreignKey({
      columns: [t.tenantId, t.relationshipId],
      foreignColumns: [mentoringRelationships.tenantId, mentoringRelationships.id],
    }),
    foreignKey({ columns: [t.tenantId, t.createdBy], foreignColumns: [users.tenantId, users.id] }),
    unique('conversations_one_per_relationship').on(t.tenantId, t.relationshipId),
    check(
      'conversations_kind_shape',
      sql`(${t.kind} = 'direct' and ${t.relationshipId} is not null) or (${t.kind} = 'group' and ${t.title} is not null)`,
    ),
  ],
);

/** Who is in a conversation, in which part, and how far they have read. */
export const conversationMembers = pgTable(
  'conversation_members',
  {
    tenantId: tenantId(),
    conversationId: uuid('conversation_id').notNull(),
    userId: uuid('user_id').notNull(),
    role: text('role', { enum: ['participant', 'moderator'] }).notNull(),
    joinedAt: at('joined_at').notNull().defaultNow(),
    leftAt: at('left_at'),
    /** The last event number this person has read (read receipts). */
    readSeq: bigint('read_seq', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.conversationId, t.userId] }),
    foreignKey({
      columns: [t.tenantId, t.conversationId],
      foreignColumns: [conversations.tenantId, conversations.id],
    }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }),
    index('conversation_members_user_idx').on(t.tenantId, t.userId),
  ],
);

/**
 * A message. `seq` is the conversation's event number of its latest change: a message held for
 * a moderator and later released, or removed, takes a new number, so that everyone following
 * the conversation sees the change in order.
 */
export const messages = pgTable(
  'messages',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    conversationId: uuid('conversation_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    authorId: uuid('author_id').notNull(),
    body: text('body').notNull(),
    state: text('state', { enum: ['visible', 'held', 'removed'] }).notNull(),
    sentAt: createdAt(),
    changedAt: at('changed_at'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      columns: [t.tenantId, t.conversationId],
      foreignColumns: [conversations.tenantId, conversations.id],
    }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.authorId], foreignColumns: [users.tenantId, users.id] }),
    unique('messages_seq_key').on(t.tenantId, t.conversationId, t.seq),
  ],
);
