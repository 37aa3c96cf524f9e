import {
  type Actor,
  allowedRelationshipEvents,
  type CloseReason,
  evaluate,
  type MentorRequestInput,
  quietHoursEnd,
  type RelationshipEvent,
  type RelationshipState,
  type RelationshipStatus,
  transitionRelationship,
} from '@hearth/core';
import {
  mentoringRelationships,
  mentorProfiles,
  safeguardingCases,
  type Tx,
  users,
} from '@hearth/db';
import { TRPCError } from '@trpc/server';
import { and, arrayOverlaps, desc, eq, inArray, isNull, ne, or, type SQL, sql } from 'drizzle-orm';
import type { AuthedContext } from '../../context.js';
import { fieldError, notFound } from '../../errors.js';
import type { OutboxHandler } from '../../outbox/dispatcher.js';
import { enqueue } from '../../outbox/enqueue.js';
import { recordAudit } from '../privacy/audit.js';

export type RelationshipRow = typeof mentoringRelationships.$inferSelect;

/** Who a relationship concerns, as the policy's `owner` and `relationship` conditions see it. */
export function relationshipResource(
  actor: Actor,
  row: RelationshipRow,
  supervisorId: string | null,
) {
  return {
    ownerId: row.memberId,
    relationships: {
      mentor: row.mentorId ? [row.mentorId] : [],
      supervisor: supervisorId ? [supervisorId] : [],
      // While a request waits for its match, it is in every coordinator's queue.
      coordinators: row.status === 'requested' ? [actor.userId] : [],
    },
  };
}

async function supervisorOf(tx: Tx, tenantId: string, mentorId: string | null) {
  if (!mentorId) return null;
  const [row] = await tx
    .select({ supervisorId: mentorProfiles.supervisorId })
    .from(mentorProfiles)
    .where(and(eq(mentorProfiles.tenantId, tenantId), eq(mentorProfiles.mentorId, mentorId)));
  return row?.supervisorId ?? null;
}

export interface LoadedRelationship {
  row: RelationshipRow;
  supervisorId: string | null;
  resource: ReturnType<typeof relationshipResource>;
}

/**
 * Loads a relationship that the actor may see (`mentoring.relationships.get`), locked for a
 * change when `lock`. One the actor may not see is "not found", exactly like an id that exists
 * nowhere — another mentor's relationship included.
 */
export async function loadRelationship(
  ctx: AuthedContext,
  relationshipId: string,
  lock = false,
): Promise<LoadedRelationship> {
  const { tx, tenant, actor, runtime } = ctx;
  const query = tx
    .select()
    .from(mentoringRelationships)
    .where(
      and(
        eq(mentoringRelationships.tenantId, tenant.id),
        eq(mentoringRelationships.id, relationshipId),
      ),
    );
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('Relationship');
  const supervisorId = await supervisorOf(tx, tenant.id, row.mentorId);
  const resource = relationshipResource(actor, row, supervisorId);
  const visible = evaluate(runtime.policy, 'mentoring.relationships.get', {
    actor,
    config: tenant.config,
    resource,
  });
  if (!visible.allowed) throw notFound('Relationship');
  return { row, supervisorId, resource };
}

/** Checks the procedure's own rule once the actor is known to see the relationship. */
export function authorizeOn(ctx: AuthedContext, loaded: LoadedRelationship): void {
  ctx.authorize(loaded.resource);
}

/**
 * A relationship about to change: locked, admitted by the procedure's rule, and at the version
 * the caller saw.
 */
export async function relationshipForChange(
  ctx: AuthedContext,
  input: { relationshipId: string; expectedVersion: number },
): Promise<RelationshipRow> {
  const loaded = await loadRelationship(ctx, input.relationshipId, true);
  authorizeOn(ctx, loaded);
  requireVersion(loaded.row, input.expectedVersion);
  return loaded.row;
}

/** Refuses a change made on a version of the relationship other than the one in the database. */
export function requireVersion(row: RelationshipRow, expectedVersion: number): void {
  if (row.version !== expectedVersion) {
    throw new TRPCError({
      code: 'CONFLICT',
      message: `This relationship has changed since you opened it (now version ${row.version}). Reload it and try again.`,
    });
  }
}

export function stateOf(row: RelationshipRow): RelationshipState {
  if (row.status !== 'closed') return { status: row.status };
  return {
    status: 'closed',
    reason: row.closeReason as Exclude<CloseReason, 'concern'>,
    ...(row.safeguardingCaseId ? { safeguardingCaseId: row.safeguardingCaseId } : {}),
  };
}

/** Applies core's state machine; its refusal goes back to the caller as it is. */
export function applyEvent(row: RelationshipRow, event: RelationshipEvent): RelationshipState {
  const result = transitionRelationship(stateOf(row), event);
  if (!result.ok) {
    if (result.error.code === 'case-required' || result.error.code === 'invalid-case-id') {
      throw fieldError('BAD_REQUEST', { 'event.safeguardingCaseId': [result.error.message] });
    }
    throw new TRPCError({ code: 'BAD_REQUEST', message: result.error.message });
  }
  return result.state;
}

/** Display names (or usernames) by user id. */
export async function namesOf(
  tx: Tx,
  tenantId: string,
  ids: readonly (string | null)[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await tx
    .select({ id: users.id, username: users.username, displayName: users.displayName })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), inArray(users.id, wanted)));
  return new Map(rows.map((r) => [r.id, r.displayName ?? r.username]));
}

type StoredRequest = Omit<MentorRequestInput, 'ageBand'>;

/** A relationship as the actor may see it. */
export function relationshipView(actor: Actor, row: RelationshipRow, names: Map<string, string>) {
  const isMember = row.memberId === actor.userId;
  const helpShown = row.helpTextState === 'visible' || isMember;
  return {
    id: row.id,
    status: row.status,
    matching: row.matching,
    member: { id: row.memberId, name: names.get(row.memberId) ?? null },
    mentor: row.mentorId ? { id: row.mentorId, name: names.get(row.mentorId) ?? null } : null,
    /** What the member asked for, as tags and weekly slots. */
    request: row.request as StoredRequest,
    /** What the member wrote, while others may read it (always, for the member). */
    helpText: helpShown ? row.helpText : null,
    /** For the member only: whether others can read `helpText` now. */
    helpTextState: isMember ? row.helpTextState : null,
    /** The id of `helpText` for reporting it, while it is shown. */
    helpTextId: helpShown ? row.helpTextId : null,
    requestedAt: row.requestedAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
    declineReason: row.declineReason,
    startedAt: row.startedAt?.toISOString() ?? null,
    pausedAt: row.pausedAt?.toISOString() ?? null,
    closedAt: row.closedAt?.toISOString() ?? null,
    closeReason: row.closeReason,
    /** The safeguarding case behind a close; never shown to the member. */
    safeguardingCaseId: isMember ? null : row.safeguardingCaseId,
    /** What could happen next, by core's state machine. */
    next: allowedRelationshipEvents(row.status),
    /** Name it as `expectedVersion` when changing the relationship. */
    version: row.version,
  };
}
export type RelationshipView = ReturnType<typeof relationshipView>;

export async function viewOf(ctx: AuthedContext, row: RelationshipRow): Promise<RelationshipView> {
  const names = await namesOf(ctx.tx, ctx.tenant.id, [row.memberId, row.mentorId]);
  return relationshipView(ctx.actor, row, names);
}

/**
 * The relationships the actor may see, newest first (at most 200): a member's and a mentor's
 * own; for a senior mentor, those of the mentors they supervise and every request waiting for
 * a match; for an org admin, all of them.
 */
export async function listRelationships(
  ctx: AuthedContext,
  input: { status?: RelationshipStatus | undefined },
) {
  const { tx, tenant, actor } = ctx;
  const r = mentoringRelationships;
  let scope: SQL | undefined;
  if (!actor.roles.includes('org_admin')) {
    const mine: SQL[] = [eq(r.memberId, actor.userId), eq(r.mentorId, actor.userId)];
    if (actor.roles.includes('senior_mentor')) {
      mine.push(
        eq(r.status, 'requested'),
        sql`${r.mentorId} in (select ${mentorProfiles.mentorId} from ${mentorProfiles}
              where ${mentorProfiles.tenantId} = ${tenant.id}
                and ${mentorProfiles.supervisorId} = ${actor.userId})`,
      );
    }
    scope = or(...mine);
  }
  const rows = await tx
    .select()
    .from(r)
    .where(
      and(
        eq(r.tenantId, tenant.id),
        scope,
        input.status === undefined ? undefined : eq(r.status, input.status),
      ),
    )
    .orderBy(desc(r.requestedAt), desc(r.id))
    .limit(200);
  const names = await namesOf(
    tx,
    tenant.id,
    rows.flatMap((row) => [row.memberId, row.mentorId]),
  );
  return rows.map((row) => relationshipView(actor, row, names));
}

/** One relationship, for those who may see it; "not found" for anyone else. */
export async function getRelationship(ctx: AuthedContext, input: { relationshipId: string }) {
  const loaded = await loadRelationship(ctx, input.relationshipId);
  try {
    authorizeOn(ctx, loaded);
  } catch {
    throw notFound('Relationship');
  }
  return viewOf(ctx, loaded.row);
}

export const RELATIONSHIP_CHANGED = 'mentoring.relationship.changed';

/**
 * Tells the people in a relationship — apart from whoever changed it — that it changed, in the
 * app. The member's notice waits for the end of the tenant's quiet hours.
 */
export async function notifyChange(
  ctx: AuthedContext,
  row: RelationshipRow,
  status: RelationshipStatus,
): Promise<void> {
  const { tx, tenant, actor, runtime } = ctx;
  const now = runtime.now();
  const recipients = [
    { id: row.memberId, member: true },
    ...(row.mentorId ? [{ id: row.mentorId, member: false }] : []),
  ].filter((r) => r.id !== actor.userId);
  for (const recipient of recipients) {
    const due = recipient.member
      ? quietHoursEnd(now, tenant.config.timeZone, tenant.config.mentoring.quietHours)
      : now;
    await enqueue(tx, {
      tenantId: tenant.id,
      topic: RELATIONSHIP_CHANGED,
      payload: { relationshipId: row.id, status, recipientId: recipient.id },
      ...(due.getTime() > now.getTime() ? { availableAt: due } : {}),
    });
  }
}

export const relationshipChangedHandler: OutboxHandler = async (event, tx) => {
  const { relationshipId, status, recipientId } = event.payload as {
    relationshipId: string;
    status: RelationshipStatus;
    recipientId: string;
  };
  const [person] = await tx
    .select({ id: users.id })
    .from(users)
    .where(
      and(eq(users.tenantId, event.tenantId), eq(users.id, recipientId), isNull(users.disabledAt)),
    );
  if (!person) return [];
  return [
    {
      recipient: `user:${person.id}`,
      channel: 'inApp',
      content: { kind: 'mentoring.relationship.changed', relationshipId, status },
    },
  ];
};

export const MATCH_REQUESTED = 'mentoring.match.requested';

/**
 * A member asked for a mentor: the mentor they chose is told, or else the coordinators (senior
 * mentors and org admins). Nothing is sent once the request has been decided.
 */
export const matchRequestedHandler: OutboxHandler = async (event, tx) => {
  const { relationshipId } = event.payload as { relationshipId: string };
  const [row] = await tx
    .select()
    .from(mentoringRelationships)
    .where(
      and(
        eq(mentoringRelationships.tenantId, event.tenantId),
        eq(mentoringRelationships.id, relationshipId),
      ),
    );
  if (!row || row.status !== 'requested') return [];
  const people = await tx
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.tenantId, event.tenantId),
        isNull(users.disabledAt),
        ne(users.id, row.memberId),
        row.mentorId
          ? eq(users.id, row.mentorId)
          : arrayOverlaps(users.roles, ['senior_mentor', 'org_admin']),
      ),
    );
  const content = { kind: 'mentoring.match.requested', relationshipId };
  return people.map((p) => ({ recipient: `user:${p.id}`, channel: 'inApp', content }));
};

/** Pausing, resuming and closing an active or paused relationship (not accepting or declining). */
export type TransitionEvent = Exclude<RelationshipEvent, { type: 'accept' | 'decline' }>;

/**
 * Pauses, resumes or closes a relationship, following core's state machine, at the version the
 * caller saw. Closing because of a concern needs the safeguarding case about the member (of
 * this organisation), is for staff to do, and means the pair is never matched again.
 */
export async function transitionRelationshipService(
  ctx: AuthedContext,
  input: { relationshipId: string; expectedVersion: number; event: TransitionEvent },
) {
  const { tx, tenant, actor, runtime } = ctx;
  const row = await relationshipForChange(ctx, input);
  const { event } = input;
  if (event.type === 'close' && event.safeguardingCaseId !== undefined) {
    if (row.memberId === actor.userId) {
      throw fieldError('BAD_REQUEST', {
        'event.safeguardingCaseId': ['Only staff link a relationship to a safeguarding case'],
      });
    }
    const [found] = await tx
      .select({ id: safeguardingCases.id })
      .from(safeguardingCases)
      .where(
        and(
          eq(safeguardingCases.tenantId, tenant.id),
          eq(safeguardingCases.id, event.safeguardingCaseId),
          eq(safeguardingCases.subjectUserId, row.memberId),
        ),
      );
    if (!found) {
      throw fieldError('BAD_REQUEST', {
        'event.safeguardingCaseId': ['No safeguarding case about this member has that id'],
      });
    }
  }
  const next = applyEvent(row, event);
  const now = runtime.now();
  const changes: Partial<typeof mentoringRelationships.$inferInsert> = {
    status: next.status,
    updatedAt: now,
    version: row.version + 1,
  };
  if (event.type === 'pause') changes.pausedAt = now;
  if (event.type === 'resume') changes.pausedAt = null;
  if (next.status === 'closed') {
    changes.pausedAt = null;
    changes.closedAt = now;
    changes.closedBy = actor.userId;
    changes.closeReason = next.reason;
    changes.safeguardingCaseId = next.safeguardingCaseId ?? null;
  }
  const [updated] = await tx
    .update(mentoringRelationships)
    .set(changes)
    .where(
      and(eq(mentoringRelationships.tenantId, tenant.id), eq(mentoringRelationships.id, row.id)),
    )
    .returning();
  await recordAudit(tx, {
    tenantId: tenant.id,
    actorId: actor.userId,
    action: `mentoring.relationship.${event.type}`,
    subjectType: 'mentoring_relationship',
    subjectId: row.id,
    detail: {
      from: row.status,
      to: next.status,
      ...(event.type === 'close' ? { reason: event.reason } : {}),
      ...(next.status === 'closed' && next.safeguardingCaseId
        ? { safeguardingCaseId: next.safeguardingCaseId }
        : {}),
    },
    at: now,
  });
  await notifyChange(ctx, updated!, next.status);
  return viewOf(ctx, updated!);
}
