import { randomUUID } from 'node:crypto';
import type { RiskCategory, RiskSeverity } from '@hearth/core';
import {
  moderationActions,
  moderationItems,
  moderationReports,
  safeguardingCases,
  type Tx,
  users,
} from '@hearth/db';
import { TRPCError } from '@trpc/server';
import { and, asc, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { AuthedContext } from '../../context.js';
import { notFound } from '../../errors.js';
import type { OutboxHandler } from '../../outbox/dispatcher.js';
import { enqueue } from '../../outbox/enqueue.js';
import { recordAudit } from '../privacy/audit.js';
import { openCase } from './cases.js';
import { type ContentKind, USER_TARGET, type Visibility } from './content.js';

/**
 * Why someone reports content or a person. The first three are about someone's safety: such a
 * report also opens a safeguarding case (one per reported item and reason), whatever moderators
 * then do with the content.
 */
export const reportReasons = [
  'self_harm',
  'abuse',
  'grooming',
  'bullying',
  'personal_details',
  'offensive',
  'spam',
  'other',
] as const;
export type ReportReason = (typeof reportReasons)[number];

const safetyReasons: Partial<Record<ReportReason, RiskCategory>> = {
  self_harm: 'suicide_self_harm',
  abuse: 'abuse_neglect',
  grooming: 'sexual_exploitation_grooming',
};
const REPORTED_SEVERITY: RiskSeverity = 'high';

/** What a moderator can do with a queue item. */
export const queueActions = ['hold', 'release', 'remove', 'warn', 'dismiss'] as const;
export type QueueAction = (typeof queueActions)[number];

export const MODERATION_WARNING = 'safeguarding.moderation.warning';

export type ReportTarget =
  | { kind: 'content'; contentKind: string; contentId: string }
  | { kind: 'user'; userId: string };

function contentKindOf(ctx: AuthedContext, name: string): ContentKind | undefined {
  return ctx.runtime.contentKinds.get(name);
}

/**
 * Anyone signed in reports something they can see, or a person. Reports of the same thing join
 * one queue item, which they reopen if it was resolved; reports about someone's safety open a
 * safeguarding case as well. The reporter is never named to the person reported.
 */
export async function createReport(
  ctx: AuthedContext,
  input: { target: ReportTarget; reason: ReportReason; note?: string | undefined },
) {
  const { tx, tenant, actor, runtime } = ctx;
  const now = runtime.now();
  let contentKind: string;
  let contentId: string;
  let authorId: string | null;
  let visibility: Visibility;
  if (input.target.kind === 'user') {
    const [person] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.tenantId, tenant.id), eq(users.id, input.target.userId)));
    if (!person || person.id === actor.userId) throw notFound('Person');
    contentKind = USER_TARGET;
    contentId = person.id;
    authorId = person.id;
    visibility = 'visible';
  } else {
    const kind = contentKindOf(ctx, input.target.contentKind);
    // An unknown kind, a missing id and content the reporter cannot see get the same answer.
    if (!kind || !(await kind.canSee(tx, tenant.id, input.target.contentId, actor))) {
      throw notFound('Content');
    }
    const content = await kind.load(tx, tenant.id, input.target.contentId);
    if (!content) throw notFound('Content');
    contentKind = input.target.contentKind;
    contentId = input.target.contentId;
    authorId = content.authorId;
    visibility = 'visible';
  }

  // The same person reporting the same thing for the same reason while it is still open adds
  // nothing: a queue is not a vote, and repeating a report must not push it up the queue.
  const [repeat] = await tx
    .select({ reportId: moderationReports.id })
    .from(moderationReports)
    .innerJoin(
      moderationItems,
      and(
        eq(moderationItems.tenantId, moderationReports.tenantId),
        eq(moderationItems.id, moderationReports.itemId),
      ),
    )
    .where(
      and(
        eq(moderationItems.tenantId, tenant.id),
        eq(moderationItems.contentKind, contentKind),
        eq(moderationItems.contentId, contentId),
        eq(moderationItems.status, 'open'),
        eq(moderationReports.reporterId, actor.userId),
        eq(moderationReports.reason, input.reason),
      ),
    )
    .limit(1);
  if (repeat) return { reportId: repeat.reportId, received: true as const };

  const [item] = await tx
    .insert(moderationItems)
    .values({
      tenantId: tenant.id,
      contentKind,
      contentId,
      authorId,
      visibility,
      reasons: ['reported'],
      reportCount: 1,
      openedAt: now,
    })
    .onConflictDoUpdate({
      target: [moderationItems.tenantId, moderationItems.contentKind, moderationItems.contentId],
      set: {
        status: 'open',
        reasons: sql`array(select distinct unnest(${moderationItems.reasons} || '{reported}'::text[]) order by 1)`,
        reportCount: sql`${moderationItems.reportCount} + 1`,
        resolvedAt: null,
        resolvedBy: null,
        version: sql`${moderationItems.version} + 1`,
      },
    })
    .returning({ id: moderationItems.id });

  const reportId = randomUUID();
  let caseId: string | null = null;
  const category = safetyReasons[input.reason];
  if (category) {
    const concern = {
      sourceKind: 'report' as const,
      ruleId: `report:${input.reason}`,
      subjectUserId: authorId,
      category,
      severity: REPORTED_SEVERITY,
      raisedBy: actor.userId,
    };
    // Reports of the same thing for the same reason join one case while it is being handled;
    // once that case is closed, a new report is a new concern and opens a case of its own.
    let opened = await openCase(tx, tenant, { ...concern, sourceId: item!.id }, now);
    if (!opened.created && (await caseStatus(tx, tenant.id, opened.caseId)) === 'closed') {
      opened = await openCase(tx, tenant, { ...concern, sourceId: reportId }, now);
    }
    caseId = opened.caseId;
  }

  let note: string | null = null;
  if (input.note) {
    if (!runtime.keyring) {
      throw new TRPCError({
        code: 'PRECONDITION_FAILED',
        message:
          'Report notes need encryption: give createPlatform an `encryption.masterKeys` option',
      });
    }
    const cipher = await runtime.keyring.forTenant(tx, tenant.id);
    note = cipher.encrypt(
      { table: 'moderation_reports', rowId: reportId, column: 'note' },
      input.note,
    );
  }
  await tx.insert(moderationReports).values({
    tenantId: tenant.id,
    id: reportId,
    itemId: item!.id,
    reporterId: actor.userId,
    reason: input.reason,
    note,
    caseId,
    createdAt: now,
  });
  // The reporter learns only that the report arrived: not the queue, not the case.
  return { reportId, received: true as const };
}

async function caseStatus(tx: Tx, tenantId: string, caseId: string) {
  const [found] = await tx
    .select({ status: safeguardingCases.status })
    .from(safeguardingCases)
    .where(and(eq(safeguardingCases.tenantId, tenantId), eq(safeguardingCases.id, caseId)));
  return found?.status;
}

function itemSummary(row: typeof moderationItems.$inferSelect) {
  return {
    id: row.id,
    contentKind: row.contentKind,
    contentId: row.contentId,
    authorId: row.authorId,
    status: row.status,
    visibility: row.visibility,
    reasons: row.reasons,
    maxSeverity: row.maxSeverity as RiskSeverity | null,
    reportCount: row.reportCount,
    openedAt: row.openedAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    version: row.version,
  };
}
export type QueueItemSummary = ReturnType<typeof itemSummary>;

/**
 * The moderators' queue: open items, oldest first (or resolved ones, newest first), a page at a
 * time. `after` is the last item of the previous page.
 */
export async function listQueue(
  ctx: AuthedContext,
  input: { status: 'open' | 'resolved'; after?: string | undefined; limit: number },
) {
  const { tx, tenant } = ctx;
  const open = input.status === 'open';
  let cursor: { openedAt: Date; id: string } | undefined;
  if (input.after) {
    const [found] = await tx
      .select({ openedAt: moderationItems.openedAt, id: moderationItems.id })
      .from(moderationItems)
      .where(and(eq(moderationItems.tenantId, tenant.id), eq(moderationItems.id, input.after)));
    if (!found) throw notFound('Item');
    cursor = found;
  }
  const rows = await tx
    .select()
    .from(moderationItems)
    .where(
      and(
        eq(moderationItems.tenantId, tenant.id),
        eq(moderationItems.status, input.status),
        cursor
          ? open
            ? or(
                sql`${moderationItems.openedAt} > ${cursor.openedAt}`,
                and(
                  eq(moderationItems.openedAt, cursor.openedAt),
                  sql`${moderationItems.id} > ${cursor.id}`,
                ),
              )
            : or(
                lt(moderationItems.openedAt, cursor.openedAt),
                and(
                  eq(moderationItems.openedAt, cursor.openedAt),
                  lt(moderationItems.id, cursor.id),
                ),
              )
          : undefined,
      ),
    )
    .orderBy(
      ...(open
        ? [asc(moderationItems.openedAt), asc(moderationItems.id)]
        : [desc(moderationItems.openedAt), desc(moderationItems.id)]),
    )
    .limit(input.limit);
  return rows.map(itemSummary);
}

async function loadItem(ctx: AuthedContext, itemId: string, lock = false) {
  const query = ctx.tx
    .select()
    .from(moderationItems)
    .where(and(eq(moderationItems.tenantId, ctx.tenant.id), eq(moderationItems.id, itemId)));
  const [found] = lock ? await query.for('update') : await query;
  if (!found) throw notFound('Item');
  return found;
}

async function itemDetail(ctx: AuthedContext, item: typeof moderationItems.$inferSelect) {
  const { tx, tenant } = ctx;
  const kind = item.contentKind === USER_TARGET ? null : contentKindOf(ctx, item.contentKind);
  const content = kind ? await kind.load(tx, tenant.id, item.contentId) : null;
  const reports = await tx
    .select()
    .from(moderationReports)
    .where(and(eq(moderationReports.tenantId, tenant.id), eq(moderationReports.itemId, item.id)))
    .orderBy(asc(moderationReports.createdAt), asc(moderationReports.id));
  const cipher = ctx.runtime.keyring ? await ctx.runtime.keyring.forTenant(tx, tenant.id) : null;
  const actions = await tx
    .select()
    .from(moderationActions)
    .where(and(eq(moderationActions.tenantId, tenant.id), eq(moderationActions.itemId, item.id)))
    .orderBy(asc(moderationActions.seq));
  return {
    ...itemSummary(item),
    /** The words as written, or null for a reported person or content that no longer exists. */
    text: content?.text ?? null,
    findings: item.findings as unknown[],
    reports: await Promise.all(
      reports.map(async (r) => ({
        id: r.id,
        reporterId: r.reporterId,
        reason: r.reason as ReportReason,
        note:
          r.note && cipher
            ? await cipher.decrypt(
                { table: 'moderation_reports', rowId: r.id, column: 'note' },
                r.note,
              )
            : null,
        caseOpened: r.caseId !== null,
        at: r.createdAt.toISOString(),
      })),
    ),
    actions: actions.map((a) => ({
      id: a.id,
      at: a.at.toISOString(),
      actorId: a.actorId,
      action: a.action,
      reason: a.reason,
      message: a.message,
    })),
  };
}

/** One queue item with the content, its reports and what was done, for a moderator. */
export async function getQueueItem(ctx: AuthedContext, input: { itemId: string }) {
  const item = await loadItem(ctx, input.itemId);
  await recordAudit(ctx.tx, {
    tenantId: ctx.tenant.id,
    actorId: ctx.actor.userId,
    action: 'safeguarding.moderation.read',
    subjectType: 'moderation_item',
    subjectId: item.id,
    at: ctx.runtime.now(),
  });
  return itemDetail(ctx, item);
}

const resolves: ReadonlySet<QueueAction> = new Set(['release', 'remove', 'dismiss']);

function refuse(message: string): TRPCError {
  return new TRPCError({ code: 'BAD_REQUEST', message });
}

/**
 * A moderator acts on an item, saying why: `hold` hides content until decided, `release`
 * shows it again, `remove` takes it down for good, `warn` tells the author (in the app) what
 * they did wrong, `dismiss` closes the item with no change. `expectedVersion` is the version the
 * moderator saw: if someone else acted since, nothing changes and the answer says so.
 */
export async function actOnItem(
  ctx: AuthedContext,
  input: {
    itemId: string;
    action: QueueAction;
    reason: string;
    message?: string | undefined;
    expectedVersion: number;
  },
) {
  const { tx, tenant, actor, runtime } = ctx;
  const item = await loadItem(ctx, input.itemId, true);
  if (item.version !== input.expectedVersion) {
    throw new TRPCError({
      code: 'CONFLICT',
      message: `Someone else has acted on this since you opened it (now version ${item.version}). Reload it and decide again.`,
    });
  }
  const isPerson = item.contentKind === USER_TARGET;
  if (isPerson && ['hold', 'release', 'remove'].includes(input.action)) {
    throw refuse(
      "A person can't be held, released or removed here: warn them, or ask an organisation admin to disable the account",
    );
  }
  if (input.action === 'warn' && !item.authorId) {
    throw refuse('Nobody is known to have written this, so there is nobody to warn');
  }
  const next: Visibility | null =
    input.action === 'hold'
      ? 'held'
      : input.action === 'release'
        ? 'visible'
        : input.action === 'remove'
          ? 'removed'
          : null;
  if (input.action === 'dismiss' && item.visibility === 'held') {
    throw refuse('Held content waits for a decision: release it or remove it');
  }
  if (next && item.visibility === 'removed') {
    throw refuse('This has been removed for good and cannot be shown or held again');
  }
  if (next && next === item.visibility) {
    throw refuse(`This is already ${item.visibility === 'held' ? 'held' : 'visible'}`);
  }
  if (next) {
    const kind = contentKindOf(ctx, item.contentKind);
    if (kind) await kind.setVisibility(tx, tenant.id, item.contentId, next);
  }
  const now = runtime.now();
  const resolved = resolves.has(input.action);
  const [updated] = await tx
    .update(moderationItems)
    .set({
      ...(next ? { visibility: next } : {}),
      status: resolved ? 'resolved' : 'open',
      resolvedAt: resolved ? now : null,
      resolvedBy: resolved ? actor.userId : null,
      version: item.version + 1,
    })
    .where(and(eq(moderationItems.tenantId, tenant.id), eq(moderationItems.id, item.id)))
    .returning();
  const actionId = randomUUID();
  await tx.insert(moderationActions).values({
    tenantId: tenant.id,
    id: actionId,
    itemId: item.id,
    at: now,
    actorId: actor.userId,
    action: input.action,
    reason: input.reason,
    message: input.message ?? null,
  });
  if (input.action === 'warn') {
    await enqueue(tx, {
      tenantId: tenant.id,
      id: actionId,
      topic: MODERATION_WARNING,
      payload: { actionId },
    });
  }
  await recordAudit(tx, {
    tenantId: tenant.id,
    actorId: actor.userId,
    action: `safeguarding.moderation.${input.action}`,
    subjectType: 'moderation_item',
    subjectId: item.id,
    at: now,
  });
  return itemSummary(updated!);
}

/** Delivers a moderator's warning to its author, in the app. */
export const warningHandler: OutboxHandler = async (event, tx: Tx) => {
  const { actionId } = event.payload as { actionId: string };
  const [found] = await tx
    .select({
      message: moderationActions.message,
      authorId: moderationItems.authorId,
      contentKind: moderationItems.contentKind,
    })
    .from(moderationActions)
    .innerJoin(
      moderationItems,
      and(
        eq(moderationItems.tenantId, moderationActions.tenantId),
        eq(moderationItems.id, moderationActions.itemId),
      ),
    )
    .where(and(eq(moderationActions.tenantId, event.tenantId), eq(moderationActions.id, actionId)));
  if (!found?.authorId || !found.message) return [];
  return [
    {
      recipient: `user:${found.authorId}`,
      channel: 'inApp',
      content: { kind: 'moderation.warning', message: found.message, about: found.contentKind },
    },
  ];
};
