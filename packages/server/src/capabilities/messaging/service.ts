import { randomUUID } from 'node:crypto';
import { quietHoursEnd } from '@hearth/core';
import {
  conversationMembers,
  conversations,
  type HearthDb,
  mentoringRelationships,
  mentorProfiles,
  messages,
  type Tx,
  users,
} from '@hearth/db';
import { TRPCError } from '@trpc/server';
import { and, asc, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { AuthedContext } from '../../context.js';
import { notFound } from '../../errors.js';
import type { OutboxHandler } from '../../outbox/dispatcher.js';
import { live, notifyChange, realtimePayload } from '../../realtime/hub.js';
import { recordAudit } from '../privacy/audit.js';
import { type ContentKind, screenText, type WriterAnswer } from '../safeguarding/content.js';
import {
  insertMessage,
  type MessageRecord,
  selectAfter,
  selectMembership,
  selectPage,
  selectSendChecks,
} from './statements.js';

/** The content kind of a message, as moderation and safeguarding name it. */
export const MESSAGE_CONTENT = 'messaging.message';
export const MESSAGE_NOTIFY = 'messaging.message.notify';

const liveKey = (conversationId: string) => `messaging.conversation:${conversationId}`;

type MessageRow = typeof messages.$inferSelect;

/** A message as one reader may see it. */
export interface MessageView {
  id: string;
  conversationId: string;
  /** The conversation's event number of this message's latest change; resume after it. */
  seq: number;
  authorId: string;
  /** Null once removed by a moderator. */
  body: string | null;
  /** `held` is only ever shown to its author: a moderator reads it before anyone else. */
  state: 'visible' | 'held' | 'removed';
  sentAt: string;
}

function view(row: MessageRow): MessageView {
  return {
    id: row.id,
    conversationId: row.conversationId,
    seq: row.seq,
    authorId: row.authorId,
    body: row.state === 'removed' ? null : row.body,
    state: row.state,
    sentAt: row.sentAt.toISOString(),
  };
}

function recordView(row: MessageRecord): MessageView {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: Number(row.seq),
    authorId: row.author_id,
    body: row.state === 'removed' ? null : row.body,
    state: row.state,
    sentAt: new Date(row.created_at).toISOString(),
  };
}

/**
 * The conversation, if the reader is in it. Anyone else — of this organisation or another — is
 * told it does not exist.
 */
async function membership(tx: Tx, tenantId: string, conversationId: string, userId: string) {
  const [row] = await selectMembership(tx, { tenantId, conversationId, userId });
  if (!row) throw notFound('Conversation');
  return {
    kind: row.kind,
    relationshipId: row.relationship_id,
    title: row.title,
    role: row.role,
    readSeq: Number(row.read_seq),
  };
}

/**
 * The one-to-one conversation of a mentoring relationship the caller is in, opened on first use.
 * Only an active relationship has a conversation to open.
 */
export async function openDirect(ctx: AuthedContext, input: { relationshipId: string }) {
  const { tx, tenant, actor } = ctx;
  const [rel] = await tx
    .select()
    .from(mentoringRelationships)
    .where(
      and(
        eq(mentoringRelationships.tenantId, tenant.id),
        eq(mentoringRelationships.id, input.relationshipId),
      ),
    );
  if (!rel || (rel.memberId !== actor.userId && rel.mentorId !== actor.userId)) {
    throw notFound('Relationship');
  }
  const [existing] = await tx
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.tenantId, tenant.id), eq(conversations.relationshipId, rel.id)));
  if (existing) return { conversationId: existing.id };
  if (rel.status !== 'active' || !rel.mentorId) {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'A conversation opens once the match is active',
    });
  }
  const [created] = await tx
    .insert(conversations)
    .values({
      tenantId: tenant.id,
      kind: 'direct',
      relationshipId: rel.id,
      createdBy: actor.userId,
    })
    .onConflictDoNothing()
    .returning({ id: conversations.id });
  if (!created) {
    // Opened by the other person at the same moment.
    const [raced] = await tx
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.tenantId, tenant.id), eq(conversations.relationshipId, rel.id)));
    return { conversationId: raced!.id };
  }
  await tx.insert(conversationMembers).values([
    { tenantId: tenant.id, conversationId: created.id, userId: rel.memberId, role: 'participant' },
    { tenantId: tenant.id, conversationId: created.id, userId: rel.mentorId, role: 'participant' },
  ]);
  return { conversationId: created.id };
}

/** A support group with its moderator (the caller) and first members. */
export async function createGroup(
  ctx: AuthedContext,
  input: { title: string; memberIds: string[] },
) {
  const { tx, tenant, actor } = ctx;
  const ids = [...new Set(input.memberIds.filter((id) => id !== actor.userId))];
  const found = ids.length
    ? await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.tenantId, tenant.id), inArray(users.id, ids), isNull(users.disabledAt)))
    : [];
  if (found.length !== ids.length) throw notFound('Person');
  const [created] = await tx
    .insert(conversations)
    .values({ tenantId: tenant.id, kind: 'group', title: input.title, createdBy: actor.userId })
    .returning({ id: conversations.id });
  await tx.insert(conversationMembers).values([
    { tenantId: tenant.id, conversationId: created!.id, userId: actor.userId, role: 'moderator' },
    ...ids.map((userId) => ({
      tenantId: tenant.id,
      conversationId: created!.id,
      userId,
      role: 'participant' as const,
    })),
  ]);
  return { conversationId: created!.id };
}

/** The caller's conversations, with how many events they have not read. */
export async function listConversations(ctx: AuthedContext) {
  const rows = await ctx.tx
    .select({
      id: conversations.id,
      kind: conversations.kind,
      title: conversations.title,
      relationshipId: conversations.relationshipId,
      lastSeq: conversations.lastSeq,
      readSeq: conversationMembers.readSeq,
      role: conversationMembers.role,
    })
    .from(conversationMembers)
    .innerJoin(
      conversations,
      and(
        eq(conversations.tenantId, conversationMembers.tenantId),
        eq(conversations.id, conversationMembers.conversationId),
      ),
    )
    .where(
      and(
        eq(conversationMembers.tenantId, ctx.tenant.id),
        eq(conversationMembers.userId, ctx.actor.userId),
        isNull(conversationMembers.leftAt),
      ),
    )
    .orderBy(desc(conversations.lastSeq), asc(conversations.id))
    .limit(200);
  return rows.map((r) => ({ ...r, unread: r.lastSeq > r.readSeq }));
}

/** Takes the conversation's next event number; the row stays locked until commit. */
async function nextSeq(tx: Tx, tenantId: string, conversationId: string): Promise<number> {
  const [row] = await tx
    .update(conversations)
    .set({ lastSeq: sql`${conversations.lastSeq} + 1` })
    .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, conversationId)))
    .returning({ seq: conversations.lastSeq });
  return row!.seq;
}

/**
 * Sends a message: screened first (published, held for a moderator, or refused with a kind
 * explanation; helplines in the answer when the writer may be at risk), stored with the
 * conversation's next event number, and delivered live to everyone following the conversation
 * in any server process. The others are notified in the app, except members during the
 * tenant's quiet hours, who are notified when they end. Two statements besides screening: the
 * checks, then every write (see statements.ts).
 */
export async function sendMessage(
  ctx: AuthedContext,
  input: { conversationId: string; body: string },
): Promise<WriterAnswer & { message: MessageView | null }> {
  const { tx, tenant, actor, runtime } = ctx;
  const [checks] = await selectSendChecks(tx, {
    tenantId: tenant.id,
    conversationId: input.conversationId,
    userId: actor.userId,
  });
  if (!checks) throw notFound('Conversation');
  if (checks.kind === 'direct' && checks.relationship_status !== 'active') {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'Messages can only be sent while the match is active',
    });
  }
  const id = randomUUID();
  const screened = await screenText(ctx, {
    contentKind: MESSAGE_CONTENT,
    contentId: id,
    text: input.body,
    authorId: actor.userId,
    writer: { kind: checks.writer_kind, ageBand: checks.writer_age_band },
  });
  if (screened.visibility === null) return { ...screened.answer, message: null };
  const now = runtime.now();
  // Quiet hours stop notifications to young people at night, never the messages themselves.
  const { timeZone } = tenant.config;
  const quietUntil =
    screened.visibility === 'visible'
      ? quietHoursEnd(now, timeZone, tenant.config.mentoring.quietHours)
      : now;
  const [stored] = await insertMessage(tx, {
    tenantId: tenant.id,
    conversationId: input.conversationId,
    messageId: id,
    authorId: actor.userId,
    body: input.body,
    state: screened.visibility,
    sentAt: now.toISOString(),
    quietUntil: quietUntil.toISOString(),
    topic: MESSAGE_NOTIFY,
    realtimeKey: realtimePayload(tenant.id, liveKey(input.conversationId)),
  });
  return {
    ...screened.answer,
    message: {
      id,
      conversationId: input.conversationId,
      seq: Number(stored!.seq),
      authorId: actor.userId,
      body: input.body,
      state: screened.visibility,
      sentAt: now.toISOString(),
    },
  };
}

/** Tells someone about a message they have not read yet, in the app. */
export const messageNotifyHandler: OutboxHandler = async (event, tx) => {
  const { messageId, userId } = event.payload as { messageId: string; userId: string };
  const [found] = await tx
    .select({
      conversationId: messages.conversationId,
      seq: messages.seq,
      state: messages.state,
      readSeq: conversationMembers.readSeq,
    })
    .from(messages)
    .innerJoin(
      conversationMembers,
      and(
        eq(conversationMembers.tenantId, messages.tenantId),
        eq(conversationMembers.conversationId, messages.conversationId),
        eq(conversationMembers.userId, userId),
        isNull(conversationMembers.leftAt),
      ),
    )
    .where(and(eq(messages.tenantId, event.tenantId), eq(messages.id, messageId)));
  // Already read (say, live in the app), removed, or no longer in the conversation.
  if (!found || found.state !== 'visible' || found.readSeq >= found.seq) return [];
  return [
    {
      recipient: `user:${userId}`,
      channel: 'inApp',
      content: { kind: 'messaging.message', conversationId: found.conversationId },
    },
  ];
};

/**
 * A page of a conversation's history, newest first: `before` is the `seq` of the oldest message
 * of the previous page.
 */
export async function listMessages(
  ctx: AuthedContext,
  input: { conversationId: string; before?: number | undefined; limit: number },
) {
  const { tx, tenant, actor } = ctx;
  const rows = await selectPage(tx, {
    tenantId: tenant.id,
    conversationId: input.conversationId,
    readerId: actor.userId,
    before: input.before ?? null,
    limit: input.limit,
  });
  if (rows.length === 0) throw notFound('Conversation');
  return pageOf(rows);
}

/** The messages of a page read with its membership check; a single empty row is an empty page. */
function pageOf(rows: readonly { [K in keyof MessageRecord]: MessageRecord[K] | null }[]) {
  const out: MessageView[] = [];
  for (const row of rows) {
    if (row.id === null) continue;
    out.push(recordView(row as MessageRecord));
  }
  return out;
}

/** Read receipts: the caller has read up to `seq`. It never moves back. */
export async function markRead(ctx: AuthedContext, input: { conversationId: string; seq: number }) {
  const { tx, tenant, actor } = ctx;
  await membership(tx, tenant.id, input.conversationId, actor.userId);
  const [row] = await tx
    .update(conversationMembers)
    .set({
      readSeq: sql`least(greatest(${conversationMembers.readSeq}, ${input.seq}), ${conversations.lastSeq})`,
    })
    .from(conversations)
    .where(
      and(
        eq(conversationMembers.tenantId, tenant.id),
        eq(conversationMembers.conversationId, input.conversationId),
        eq(conversationMembers.userId, actor.userId),
        eq(conversations.tenantId, conversationMembers.tenantId),
        eq(conversations.id, conversationMembers.conversationId),
      ),
    )
    .returning({ readSeq: conversationMembers.readSeq });
  await notifyChange(tx, tenant.id, liveKey(input.conversationId));
  return { readSeq: row!.readSeq };
}

/** How far each person in the conversation has read. */
export async function readReceipts(ctx: AuthedContext, input: { conversationId: string }) {
  const { tx, tenant, actor } = ctx;
  await membership(tx, tenant.id, input.conversationId, actor.userId);
  return tx
    .select({ userId: conversationMembers.userId, readSeq: conversationMembers.readSeq })
    .from(conversationMembers)
    .where(
      and(
        eq(conversationMembers.tenantId, tenant.id),
        eq(conversationMembers.conversationId, input.conversationId),
        isNull(conversationMembers.leftAt),
      ),
    )
    .orderBy(asc(conversationMembers.userId));
}

/**
 * Live: every message (and every change to one) after `lastEventId`, as it is committed in any
 * server process. Checked once when the stream opens and again on every read, so someone who
 * leaves the conversation stops receiving.
 */
export async function streamMessages(
  ctx: AuthedContext,
  input: { conversationId: string; lastEventId?: string | null | undefined },
  signal: AbortSignal | undefined,
) {
  const { tenant, actor, runtime } = ctx;
  await membership(ctx.tx, tenant.id, input.conversationId, actor.userId);
  // Without a last event, start after what the reader could already see.
  let cursor = input.lastEventId ?? null;
  if (cursor === null) {
    const [row] = await ctx.tx
      .select({ lastSeq: conversations.lastSeq })
      .from(conversations)
      .where(
        and(eq(conversations.tenantId, tenant.id), eq(conversations.id, input.conversationId)),
      );
    cursor = String(row!.lastSeq);
  }
  return live<MessageView>({
    hub: runtime.realtime,
    tenantId: tenant.id,
    key: liveKey(input.conversationId),
    cursor,
    signal,
    readAfter: (after) =>
      readAfter(runtime.db, tenant.id, input.conversationId, actor.userId, after),
  });
}

async function readAfter(
  db: HearthDb,
  tenantId: string,
  conversationId: string,
  readerId: string,
  after: string | null,
) {
  return db.transaction(tenantId, async (tx) => {
    const rows = await selectAfter(tx, {
      tenantId,
      conversationId,
      readerId,
      after: Number(after ?? 0),
      limit: 500,
    });
    if (rows.length === 0) throw notFound('Conversation');
    return pageOf(rows).map((message) => ({ id: String(message.seq), value: message }));
  });
}

/**
 * Oversight: a safeguarding lead, or the senior mentor who supervises the conversation's mentor,
 * reads a one-to-one conversation. Every such read is audited.
 */
export async function overseeConversation(
  ctx: AuthedContext,
  input: { conversationId: string; before?: number | undefined; limit: number },
) {
  const { tx, tenant, actor } = ctx;
  const [convo] = await tx
    .select({
      relationshipId: conversations.relationshipId,
      mentorId: mentoringRelationships.mentorId,
    })
    .from(conversations)
    .leftJoin(
      mentoringRelationships,
      and(
        eq(mentoringRelationships.tenantId, conversations.tenantId),
        eq(mentoringRelationships.id, conversations.relationshipId),
      ),
    )
    .where(and(eq(conversations.tenantId, tenant.id), eq(conversations.id, input.conversationId)));
  if (!convo) throw notFound('Conversation');
  const supervisors: string[] = [];
  if (convo.mentorId) {
    const [profile] = await tx
      .select({ supervisorId: mentorProfiles.supervisorId })
      .from(mentorProfiles)
      .where(
        and(eq(mentorProfiles.tenantId, tenant.id), eq(mentorProfiles.mentorId, convo.mentorId)),
      );
    if (profile?.supervisorId) supervisors.push(profile.supervisorId);
  }
  try {
    ctx.authorize({ relationships: { supervisor: supervisors } });
  } catch {
    throw notFound('Conversation');
  }
  const rows = await tx
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.tenantId, tenant.id),
        eq(messages.conversationId, input.conversationId),
        input.before !== undefined ? lt(messages.seq, input.before) : undefined,
      ),
    )
    .orderBy(desc(messages.seq))
    .limit(input.limit);
  await recordAudit(tx, {
    tenantId: tenant.id,
    actorId: actor.userId,
    action: 'messaging.conversation.oversee',
    subjectType: 'conversation',
    subjectId: input.conversationId,
    detail: {
      messages: rows.length,
      as: actor.roles.includes('safeguarding_lead') ? 'safeguarding_lead' : 'supervisor',
    },
    at: ctx.runtime.now(),
  });
  // Overseers see held messages too: they may be why they are looking.
  return rows.map((row) => ({ ...view(row), body: row.body }));
}

/** Messages under moderation: held, released and removed through the safeguarding queue. */
export const messageContent: ContentKind = {
  async load(tx, tenantId, contentId) {
    const [row] = await tx
      .select({ authorId: messages.authorId, body: messages.body })
      .from(messages)
      .where(and(eq(messages.tenantId, tenantId), eq(messages.id, contentId)));
    return row ? { authorId: row.authorId, text: row.body } : null;
  },
  async setVisibility(tx, tenantId, contentId, visibility) {
    const [row] = await tx
      .select({ conversationId: messages.conversationId })
      .from(messages)
      .where(and(eq(messages.tenantId, tenantId), eq(messages.id, contentId)));
    if (!row) return;
    // A new event number, so that everyone following sees the change in order.
    const seq = await nextSeq(tx, tenantId, row.conversationId);
    await tx
      .update(messages)
      .set({ state: visibility, seq, changedAt: new Date() })
      .where(and(eq(messages.tenantId, tenantId), eq(messages.id, contentId)));
    await notifyChange(tx, tenantId, liveKey(row.conversationId));
  },
  async canSee(tx, tenantId, contentId, actor) {
    const [row] = await tx
      .select({ authorId: messages.authorId, state: messages.state })
      .from(messages)
      .innerJoin(
        conversationMembers,
        and(
          eq(conversationMembers.tenantId, messages.tenantId),
          eq(conversationMembers.conversationId, messages.conversationId),
          eq(conversationMembers.userId, actor.userId),
          isNull(conversationMembers.leftAt),
        ),
      )
      .where(and(eq(messages.tenantId, tenantId), eq(messages.id, contentId)));
    return !!row && (row.state === 'visible' || row.authorId === actor.userId);
  },
};
