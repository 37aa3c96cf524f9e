import { randomUUID } from 'node:crypto';
import {
  type AgeBand,
  evaluate,
  hearthPolicy,
  type MentorCandidate,
  type MentorRequest,
  type MentorRequestInput,
  mentorRequestSchema,
  type RankMentorsOptions,
  rankMentors,
  type ScoreReason,
  type TenantConfig,
} from '@hearth/core';
import { mentoringRelationships, mentorProfiles, type Tx, users } from '@hearth/db';
import { TRPCError } from '@trpc/server';
import { and, arrayContains, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { AuthedContext } from '../../context.js';
import { CommitThenFail, fieldError, notFound } from '../../errors.js';
import { enqueue } from '../../outbox/enqueue.js';
import { recordAudit } from '../privacy/audit.js';
import type { ContentKind, WriterAnswer } from '../safeguarding/content.js';
import { screenText } from '../safeguarding/content.js';
import { currentMentees, eligibilityOptions, loadProfileRow, profileOf } from './profiles.js';
import {
  applyEvent,
  authorizeOn,
  loadRelationship,
  MATCH_REQUESTED,
  notifyChange,
  type RelationshipRow,
  relationshipForChange,
  relationshipResource,
  viewOf,
} from './relationships.js';

/** The content kind of what a member writes about the help they want, for moderation. */
export const MENTORING_REQUEST = 'mentoring.request';

/** What a member asks for, without the age band: that always comes from their own record. */
export type RequestNeeds = Omit<MentorRequestInput, 'ageBand'>;

const OPEN = ['requested', 'active', 'paused'] as const;

function rankingOptions(config: TenantConfig, now: Date): RankMentorsOptions {
  return {
    ...eligibilityOptions(config, now),
    defaultCapacity: config.mentoring.maxMenteesDefault,
    weights: config.mentoring.weights,
  };
}

interface Pool {
  candidates: MentorCandidate[];
  /** Active mentors whose profile is not complete enough to be proposed. */
  incomplete: string[];
  names: Map<string, string>;
}

/**
 * The mentors who might be matched with `memberId`: active accounts holding the mentor role with
 * a profile, with their current mentees and whether a relationship with this member was ever
 * closed because of a concern (such a pair is never proposed again).
 */
async function candidatePool(
  tx: Tx,
  tenantId: string,
  memberId: string,
  onlyMentorId?: string,
): Promise<Pool> {
  const rows = await tx
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      profile: mentorProfiles,
    })
    .from(mentorProfiles)
    .innerJoin(
      users,
      and(eq(users.tenantId, mentorProfiles.tenantId), eq(users.id, mentorProfiles.mentorId)),
    )
    .where(
      and(
        eq(mentorProfiles.tenantId, tenantId),
        arrayContains(users.roles, ['mentor']),
        isNull(users.disabledAt),
        ne(users.id, memberId),
        onlyMentorId === undefined ? undefined : eq(users.id, onlyMentorId),
      ),
    );
  const ids = rows.map((r) => r.id);
  const mentees = await currentMentees(tx, tenantId, ids);
  const closedForConcern =
    ids.length === 0
      ? new Set<string>()
      : new Set(
          (
            await tx
              .select({ mentorId: mentoringRelationships.mentorId })
              .from(mentoringRelationships)
              .where(
                and(
                  eq(mentoringRelationships.tenantId, tenantId),
                  eq(mentoringRelationships.memberId, memberId),
                  eq(mentoringRelationships.closeReason, 'concern'),
                  inArray(mentoringRelationships.mentorId, ids),
                ),
              )
          ).map((r) => r.mentorId),
        );
  const candidates: MentorCandidate[] = [];
  const incomplete: string[] = [];
  for (const row of rows) {
    const profile = profileOf(row.profile);
    if (!profile) {
      incomplete.push(row.id);
      continue;
    }
    candidates.push({
      id: row.id,
      profile,
      currentMentees: mentees.get(row.id) ?? 0,
      closedForConcernWithMember: closedForConcern.has(row.id),
    });
  }
  return {
    candidates,
    incomplete,
    names: new Map(rows.map((r) => [r.id, r.displayName ?? r.username])),
  };
}

async function ageBandOf(tx: Tx, tenantId: string, memberId: string): Promise<AgeBand> {
  const [member] = await tx
    .select({ ageBand: users.ageBand })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, memberId)));
  // Members always have one (a check constraint says so); a member of staff asking is a bug.
  if (!member?.ageBand) throw new Error(`member ${memberId} has no age band`);
  return member.ageBand as AgeBand;
}

function requestOf(ageBand: AgeBand, needs: RequestNeeds): MentorRequest {
  return mentorRequestSchema.parse({ ...needs, ageBand });
}

/** What a member is shown of a proposed mentor: who, the score and why — never their vetting. */
function forMember(reasons: ScoreReason[]): ScoreReason[] {
  // How many mentees a mentor has is not the member's business; the points still count, so
  // the score stays the sum of its reasons.
  return reasons.map((r) =>
    r.factor === 'capacity' ? { ...r, detail: 'Has room to take on a new mentee' } : r,
  );
}

/**
 * Where members choose: the mentors proposed for what the member asks, best first, as many as
 * the tenant's `mentoring.proposals`. Hard safeguarding constraints come first (vetted and in
 * date, cleared for the member's age band from their own record, room to take them on, a shared
 * language, no pairing ever closed for a concern); only mentors who pass them are shown.
 */
export async function proposeMentors(ctx: AuthedContext, input: RequestNeeds) {
  const { tx, tenant, actor, runtime } = ctx;
  const request = requestOf(await ageBandOf(tx, tenant.id, actor.userId), input);
  const pool = await candidatePool(tx, tenant.id, actor.userId);
  const { ranked } = rankMentors(
    request,
    pool.candidates,
    rankingOptions(tenant.config, runtime.now()),
  );
  return {
    proposals: ranked.slice(0, tenant.config.mentoring.proposals).map((m) => ({
      mentorId: m.id,
      name: pool.names.get(m.id) ?? null,
      score: m.score,
      reasons: forMember(m.reasons),
    })),
  };
}

async function openRelationshipOf(tx: Tx, tenantId: string, memberId: string) {
  const [open] = await tx
    .select({ id: mentoringRelationships.id })
    .from(mentoringRelationships)
    .where(
      and(
        eq(mentoringRelationships.tenantId, tenantId),
        eq(mentoringRelationships.memberId, memberId),
        inArray(mentoringRelationships.status, [...OPEN]),
      ),
    );
  return open;
}

const ALREADY_OPEN = 'You already have a mentor, or a request waiting for one';
const MENTOR_UNAVAILABLE = 'This mentor cannot take you on at the moment — please choose another';

/**
 * A member asks for a mentor, optionally saying in their own words what they want help with
 * (screened like everything people write: held for a moderator, or refused, as the tenant's
 * policy says). Where members choose, they name a mentor from the proposals, who must still
 * pass every hard constraint, and that mentor accepts or declines; where coordinators approve,
 * they name none and a coordinator picks. A member has one request or relationship at a time.
 */
export async function requestMentor(
  ctx: AuthedContext,
  input: RequestNeeds & { mentorId?: string | undefined; helpText?: string | undefined },
): Promise<{ relationship: Awaited<ReturnType<typeof viewOf>> | null; help: WriterAnswer | null }> {
  const { tx, tenant, actor, runtime } = ctx;
  const now = runtime.now();
  const matching = tenant.config.mentoring.matching;
  if (matching === 'member-chooses' && input.mentorId === undefined) {
    throw fieldError('BAD_REQUEST', { mentorId: ['Choose a mentor from the proposals'] });
  }
  if (matching === 'coordinator-approves' && input.mentorId !== undefined) {
    throw fieldError('BAD_REQUEST', {
      mentorId: ['Here a coordinator chooses your mentor with you: leave this out'],
    });
  }
  const { mentorId, helpText, ...needs } = input;
  const request = requestOf(await ageBandOf(tx, tenant.id, actor.userId), needs);
  if (await openRelationshipOf(tx, tenant.id, actor.userId)) {
    throw new TRPCError({ code: 'CONFLICT', message: ALREADY_OPEN });
  }
  if (mentorId !== undefined) {
    const pool = await candidatePool(tx, tenant.id, actor.userId, mentorId);
    if (pool.candidates.length === 0 && pool.incomplete.length === 0) throw notFound('Mentor');
    const { ranked } = rankMentors(request, pool.candidates, rankingOptions(tenant.config, now));
    if (ranked.length === 0) {
      throw new TRPCError({ code: 'PRECONDITION_FAILED', message: MENTOR_UNAVAILABLE });
    }
  }

  let help: WriterAnswer | null = null;
  let helpFields = {};
  if (helpText !== undefined && helpText !== '') {
    const helpTextId = randomUUID();
    const screened = await screenText(ctx, {
      contentKind: MENTORING_REQUEST,
      contentId: helpTextId,
      text: helpText,
      authorId: actor.userId,
    });
    help = screened.answer;
    // Refused: nothing is asked for; the member is told why and can write it differently.
    if (screened.visibility === null) return { relationship: null, help };
    helpFields = { helpText, helpTextId, helpTextState: screened.visibility };
  }
  const { ageBand: _ageBand, ...stored } = request;
  const [created] = await tx
    .insert(mentoringRelationships)
    .values({
      tenantId: tenant.id,
      memberId: actor.userId,
      mentorId: mentorId ?? null,
      matching,
      request: stored,
      requestedAt: now,
      updatedAt: now,
      ...helpFields,
    })
    .onConflictDoNothing()
    .returning();
  if (!created) {
    // Another request of this member's got in first. Keep what screening the words recorded.
    throw new CommitThenFail({ code: 'CONFLICT', message: ALREADY_OPEN });
  }
  await recordAudit(tx, {
    tenantId: tenant.id,
    actorId: actor.userId,
    action: 'mentoring.match.request',
    subjectType: 'mentoring_relationship',
    subjectId: created.id,
    detail: { matching, mentorChosen: mentorId !== undefined },
    at: now,
  });
  await enqueue(tx, {
    tenantId: tenant.id,
    topic: MATCH_REQUESTED,
    payload: { relationshipId: created.id },
  });
  return { relationship: await viewOf(ctx, created), help };
}

function requireRequested(row: RelationshipRow): void {
  if (row.status !== 'requested') {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `This request has already been decided (the relationship is ${row.status})`,
    });
  }
}

/**
 * For coordinators: every mentor for a waiting request, ranked with the reasons for each score,
 * and those left out with every constraint they fail.
 */
export async function matchCandidates(ctx: AuthedContext, input: { relationshipId: string }) {
  const { tx, tenant, runtime } = ctx;
  const loaded = await loadRelationship(ctx, input.relationshipId);
  authorizeOn(ctx, loaded);
  const { row } = loaded;
  requireRequested(row);
  const ageBand = await ageBandOf(tx, tenant.id, row.memberId);
  const request = requestOf(ageBand, row.request as RequestNeeds);
  const pool = await candidatePool(tx, tenant.id, row.memberId);
  const ranking = rankMentors(
    request,
    pool.candidates,
    rankingOptions(tenant.config, runtime.now()),
  );
  const name = (id: string) => pool.names.get(id) ?? null;
  return {
    relationshipId: row.id,
    ageBand,
    chosenMentorId: row.mentorId,
    ranked: ranking.ranked.map((m) => ({
      mentorId: m.id,
      name: name(m.id),
      score: m.score,
      reasons: m.reasons,
    })),
    excluded: [
      ...ranking.excluded.map((m) => ({ mentorId: m.id, name: name(m.id), reasons: m.reasons })),
      ...pool.incomplete.map((id) => ({
        mentorId: id,
        name: name(id),
        reasons: [
          {
            code: 'profile-incomplete' as const,
            message: 'Has not said which languages they mentor in',
          },
        ],
      })),
    ].map(({ mentorId, name: mentorName, reasons }) => ({ mentorId, name: mentorName, reasons })),
  };
}

/**
 * Accepts a waiting request: a coordinator picking the mentor (or approving the one the member
 * chose), or the chosen mentor accepting. The mentor's profile is locked while their constraints
 * and capacity are checked again, so two approvals at once never take a mentor past capacity.
 */
export async function approveMatch(
  ctx: AuthedContext,
  input: { relationshipId: string; expectedVersion: number; mentorId?: string | undefined },
) {
  const { tx, tenant, actor, runtime } = ctx;
  const now = runtime.now();
  const row = await relationshipForChange(ctx, input);
  applyEvent(row, { type: 'accept' });
  if (row.mentorId && input.mentorId !== undefined && input.mentorId !== row.mentorId) {
    throw fieldError('BAD_REQUEST', {
      mentorId: ['The member chose another mentor: approve that one, or decline the request'],
    });
  }
  const mentorId = row.mentorId ?? input.mentorId;
  if (!mentorId) {
    throw fieldError('BAD_REQUEST', { mentorId: ['Choose the mentor for this member'] });
  }
  // Serialises every approval for this mentor: whoever comes second counts the first's match.
  const locked = await loadProfileRow(tx, tenant.id, mentorId, true);
  const pool = locked ? await candidatePool(tx, tenant.id, row.memberId, mentorId) : null;
  if (!pool || (pool.candidates.length === 0 && pool.incomplete.length === 0)) {
    throw notFound('Mentor');
  }
  const request = requestOf(
    await ageBandOf(tx, tenant.id, row.memberId),
    row.request as RequestNeeds,
  );
  const ranking = rankMentors(request, pool.candidates, rankingOptions(tenant.config, now));
  if (ranking.ranked.length === 0) {
    const reasons = ranking.excluded[0]?.reasons.map((r) => r.message) ?? [
      'Has not said which languages they mentor in',
    ];
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: `This mentor cannot take on this member: ${reasons.join('; ')}`,
    });
  }
  const [updated] = await tx
    .update(mentoringRelationships)
    .set({
      status: 'active',
      mentorId,
      decidedAt: now,
      decidedBy: actor.userId,
      startedAt: now,
      updatedAt: now,
      version: row.version + 1,
    })
    .where(
      and(eq(mentoringRelationships.tenantId, tenant.id), eq(mentoringRelationships.id, row.id)),
    )
    .returning();
  await recordAudit(tx, {
    tenantId: tenant.id,
    actorId: actor.userId,
    action: 'mentoring.match.approve',
    subjectType: 'mentoring_relationship',
    subjectId: row.id,
    detail: { mentorId, score: ranking.ranked[0]!.score },
    at: now,
  });
  await notifyChange(ctx, updated!, 'active');
  return viewOf(ctx, updated!);
}

/**
 * Declines a waiting request: a coordinator or the chosen mentor, saying why in words for the
 * member, or the member withdrawing it.
 */
export async function declineMatch(
  ctx: AuthedContext,
  input: { relationshipId: string; expectedVersion: number; reason?: string | undefined },
) {
  const { tx, tenant, actor, runtime } = ctx;
  const now = runtime.now();
  const row = await relationshipForChange(ctx, input);
  applyEvent(row, { type: 'decline' });
  const [updated] = await tx
    .update(mentoringRelationships)
    .set({
      status: 'declined',
      decidedAt: now,
      decidedBy: actor.userId,
      declineReason: input.reason ?? null,
      updatedAt: now,
      version: row.version + 1,
    })
    .where(
      and(eq(mentoringRelationships.tenantId, tenant.id), eq(mentoringRelationships.id, row.id)),
    )
    .returning();
  await recordAudit(tx, {
    tenantId: tenant.id,
    actorId: actor.userId,
    action: 'mentoring.match.decline',
    subjectType: 'mentoring_relationship',
    subjectId: row.id,
    detail: { byMember: actor.userId === row.memberId },
    at: now,
  });
  await notifyChange(ctx, updated!, 'declined');
  return viewOf(ctx, updated!);
}

/**
 * A member's words about the help they want: the member always sees them; others who may see
 * the relationship see them while moderation leaves them visible.
 */
export const mentoringRequestContent: ContentKind = {
  async load(tx, tenantId, contentId) {
    const [row] = await tx
      .select({ authorId: mentoringRelationships.memberId, text: mentoringRelationships.helpText })
      .from(mentoringRelationships)
      .where(
        and(
          eq(mentoringRelationships.tenantId, tenantId),
          eq(mentoringRelationships.helpTextId, contentId),
        ),
      );
    return row?.text == null ? null : { authorId: row.authorId, text: row.text };
  },
  async setVisibility(tx, tenantId, contentId, visibility) {
    await tx
      .update(mentoringRelationships)
      .set({ helpTextState: visibility })
      .where(
        and(
          eq(mentoringRelationships.tenantId, tenantId),
          eq(mentoringRelationships.helpTextId, contentId),
        ),
      );
  },
  async canSee(tx, tenantId, contentId, actor) {
    const [row] = await tx
      .select({ relationship: mentoringRelationships, supervisorId: mentorProfiles.supervisorId })
      .from(mentoringRelationships)
      .leftJoin(
        mentorProfiles,
        and(
          eq(mentorProfiles.tenantId, mentoringRelationships.tenantId),
          eq(mentorProfiles.mentorId, mentoringRelationships.mentorId),
        ),
      )
      .where(
        and(
          eq(mentoringRelationships.tenantId, tenantId),
          eq(mentoringRelationships.helpTextId, contentId),
        ),
      );
    if (!row || row.relationship.helpText === null) return false;
    if (row.relationship.memberId === actor.userId) return true;
    if (row.relationship.helpTextState !== 'visible') return false;
    return evaluate(hearthPolicy, 'mentoring.relationships.get', {
      actor,
      resource: relationshipResource(actor, row.relationship, row.supervisorId),
    }).allowed;
  },
};
