import { createHash } from 'node:crypto';
import {
  type AgeBand,
  type BackgroundCheckStatus,
  dateInTimeZone,
  type EligibilityProblem,
  type EligibilityProblemCode,
  eligibleUntil,
  type MentorProfile,
  type MentorVetting,
  mentorEligibility,
  mentorProfileSchema,
  mentorVettingSchema,
  type TenantConfig,
  tenantConfigSchema,
  type WeeklySlot,
} from '@hearth/core';
import { mentoringRelationships, mentorProfiles, type Tx, tenants, users } from '@hearth/db';
import { TRPCError } from '@trpc/server';
import {
  and,
  arrayContains,
  arrayOverlaps,
  asc,
  count,
  eq,
  inArray,
  isNull,
  sql,
} from 'drizzle-orm';
import type { AuthedContext } from '../../context.js';
import { fieldError, notFound } from '../../errors.js';
import type { OutboxHandler } from '../../outbox/dispatcher.js';
import { enqueue } from '../../outbox/enqueue.js';
import { recordAudit } from '../privacy/audit.js';

export type MentorProfileRow = typeof mentorProfiles.$inferSelect;

/** Relationships that take up one of a mentor's places: a paused one still does. */
export const OPEN_WITH_MENTOR = ['active', 'paused'] as const;

/** Today's date in the tenant's time zone, as eligibility rules compare it. */
export function tenantToday(config: TenantConfig, now: Date): string {
  return dateInTimeZone(now, config.timeZone);
}

export function eligibilityOptions(config: TenantConfig, now: Date) {
  return {
    today: tenantToday(config, now),
    trainingValidityMonths: config.mentoring.trainingValidityMonths,
  };
}

/** The vetting half of a profile row, as core's schema has it. */
export function vettingOf(row: MentorProfileRow): MentorVetting {
  return mentorVettingSchema.parse({
    backgroundCheck: {
      status: row.backgroundCheckStatus,
      expiresOn: row.backgroundCheckExpiresOn,
    },
    trainingCompletedOn: row.trainingCompletedOn,
    ...(row.trainingValidForMonths === null
      ? {}
      : { trainingValidForMonths: row.trainingValidForMonths }),
    ...(row.supervisorId === null ? {} : { supervisorId: row.supervisorId }),
  });
}

/**
 * The profile as core's matching knows it, validated on the way out of the database; null while
 * it is incomplete (a mentor who has not yet said which languages they mentor in).
 */
export function profileOf(row: MentorProfileRow): MentorProfile | null {
  const parsed = mentorProfileSchema.safeParse({
    skills: row.skills,
    interests: row.interests,
    languages: row.languages,
    availability: row.availability,
    ...(row.capacity === null ? {} : { capacity: row.capacity }),
    clearedAgeBands: row.clearedAgeBands,
    vetting: vettingOf(row),
  });
  return parsed.success ? parsed.data : null;
}

/** Why a mentor cannot be proposed that is not about vetting: the profile is not ready. */
export type SetupProblemCode = 'profile-missing' | 'profile-incomplete' | 'no-age-bands';
export type MentorProblemCode = EligibilityProblemCode | SetupProblemCode;

export interface MentorProblem {
  code: MentorProblemCode;
  message: string;
}

function setupProblems(row: MentorProfileRow | null): MentorProblem[] {
  if (!row) {
    return [
      {
        code: 'profile-missing',
        message: 'Has not filled in a mentor profile, and no vetting is recorded',
      },
    ];
  }
  const problems: MentorProblem[] = [];
  if (row.languages.length === 0) {
    problems.push({
      code: 'profile-incomplete',
      message: 'Has not said which languages they mentor in',
    });
  }
  if (row.clearedAgeBands.length === 0) {
    problems.push({ code: 'no-age-bands', message: 'Is not cleared for any age band yet' });
  }
  return problems;
}

/** The vetting every mentor starts with until the organisation records theirs. */
const startingVetting: MentorVetting = {
  backgroundCheck: { status: 'pending', expiresOn: null },
  trainingCompletedOn: null,
};

export interface MentorStanding {
  /** Whether the vetting lets them be matched today (core's `mentorEligibility`). */
  eligible: boolean;
  /** Problems with the vetting: the mentor is flagged to org admins while there are any. */
  vettingProblems: EligibilityProblem[];
  /** Problems with the profile itself. */
  setupProblems: MentorProblem[];
  /** The day the vetting stops letting them be matched, when it will. */
  eligibleUntil: string | null;
}

export function standingOf(
  row: MentorProfileRow | null,
  config: TenantConfig,
  now: Date,
): MentorStanding {
  const vetting = row ? vettingOf(row) : startingVetting;
  const options = eligibilityOptions(config, now);
  const eligibility = mentorEligibility({ vetting }, options);
  return {
    eligible: eligibility.eligible,
    vettingProblems: eligibility.problems,
    setupProblems: setupProblems(row),
    eligibleUntil: eligibleUntil({ vetting }, options),
  };
}

/** Mentees a mentor has now, by mentor: relationships that are active or paused. */
export async function currentMentees(
  tx: Tx,
  tenantId: string,
  mentorIds: readonly string[],
): Promise<Map<string, number>> {
  if (mentorIds.length === 0) return new Map();
  const rows = await tx
    .select({ mentorId: mentoringRelationships.mentorId, n: count() })
    .from(mentoringRelationships)
    .where(
      and(
        eq(mentoringRelationships.tenantId, tenantId),
        inArray(mentoringRelationships.mentorId, [...mentorIds]),
        inArray(mentoringRelationships.status, [...OPEN_WITH_MENTOR]),
      ),
    )
    .groupBy(mentoringRelationships.mentorId);
  return new Map(rows.map((r) => [r.mentorId!, Number(r.n)]));
}

/** A user of the tenant who holds the mentor role (disabled or not). */
async function mentorUser(tx: Tx, tenantId: string, mentorId: string) {
  const [found] = await tx
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      disabledAt: users.disabledAt,
    })
    .from(users)
    .where(
      and(
        eq(users.tenantId, tenantId),
        eq(users.id, mentorId),
        arrayContains(users.roles, ['mentor']),
      ),
    );
  return found;
}

export async function loadProfileRow(
  tx: Tx,
  tenantId: string,
  mentorId: string,
  lock = false,
): Promise<MentorProfileRow | undefined> {
  const query = tx
    .select()
    .from(mentorProfiles)
    .where(and(eq(mentorProfiles.tenantId, tenantId), eq(mentorProfiles.mentorId, mentorId)));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

function profileView(
  mentor: { id: string; username: string; displayName: string | null },
  row: MentorProfileRow | null,
  config: TenantConfig,
  now: Date,
  mentees: number,
) {
  const vetting = row ? vettingOf(row) : startingVetting;
  return {
    mentorId: mentor.id,
    username: mentor.username,
    displayName: mentor.displayName,
    skills: row?.skills ?? [],
    interests: row?.interests ?? [],
    languages: row?.languages ?? [],
    availability: (row?.availability ?? []) as WeeklySlot[],
    /** Null when the tenant's `mentoring.maxMenteesDefault` applies. */
    capacity: row?.capacity ?? null,
    /** What applies: `capacity`, or else the tenant's default. */
    effectiveCapacity: row?.capacity ?? config.mentoring.maxMenteesDefault,
    currentMentees: mentees,
    clearedAgeBands: (row?.clearedAgeBands ?? []) as AgeBand[],
    vetting: {
      backgroundCheck: vetting.backgroundCheck as {
        status: BackgroundCheckStatus;
        expiresOn: string | null;
      },
      trainingCompletedOn: vetting.trainingCompletedOn,
      trainingValidForMonths: vetting.trainingValidForMonths ?? null,
      supervisorId: vetting.supervisorId ?? null,
      updatedAt: row?.vettingUpdatedAt?.toISOString() ?? null,
      /** Name it as `expectedVersion` when changing the vetting; 0 before it was first recorded. */
      version: row?.vettingVersion ?? 0,
    },
    ...standingOf(row, config, now),
  };
}
export type MentorProfileView = ReturnType<typeof profileView>;

/**
 * A mentor's profile with their vetting and whether they may be matched, for the mentor
 * themselves, the senior mentor who supervises them, and org admins. Anyone else — and any id
 * that is not a mentor of this organisation — gets "not found".
 */
export async function getMentorProfile(
  ctx: AuthedContext,
  input: { mentorId?: string | undefined },
) {
  const { tx, tenant, actor, runtime } = ctx;
  const mentorId = input.mentorId ?? actor.userId;
  const mentor = await mentorUser(tx, tenant.id, mentorId);
  if (!mentor) throw notFound('Mentor');
  const row = (await loadProfileRow(tx, tenant.id, mentorId)) ?? null;
  try {
    ctx.authorize({
      ownerId: mentor.id,
      relationships: { supervisor: row?.supervisorId ? [row.supervisorId] : [] },
    });
  } catch {
    throw notFound('Mentor');
  }
  const mentees = (await currentMentees(tx, tenant.id, [mentorId])).get(mentorId) ?? 0;
  return profileView(mentor, row, tenant.config, runtime.now(), mentees);
}

export interface OfferInput {
  skills: string[];
  interests: string[];
  languages: string[];
  availability: WeeklySlot[];
  capacity?: number | undefined;
}

/**
 * A mentor says what they offer: skills, interests, languages, weekly availability and how many
 * mentees they take (leave it out for the tenant's default; 0 pauses new matches). Replaces what
 * they said before. Their vetting is not theirs to change and is left as it is.
 */
export async function updateMentorProfile(ctx: AuthedContext, input: OfferInput) {
  const { tx, tenant, actor, runtime } = ctx;
  const now = runtime.now();
  const offer = {
    skills: input.skills,
    interests: input.interests,
    languages: input.languages,
    availability: input.availability,
    capacity: input.capacity ?? null,
    profileUpdatedAt: now,
  };
  await tx
    .insert(mentorProfiles)
    .values({ tenantId: tenant.id, mentorId: actor.userId, ...offer })
    .onConflictDoUpdate({ target: [mentorProfiles.tenantId, mentorProfiles.mentorId], set: offer });
  await recordAudit(tx, {
    tenantId: tenant.id,
    actorId: actor.userId,
    action: 'mentoring.profile.update',
    subjectType: 'mentor_profile',
    subjectId: actor.userId,
    at: now,
  });
  return getMentorProfile(ctx, {});
}

export interface VettingInput {
  mentorId: string;
  expectedVersion: number;
  backgroundCheck: { status: BackgroundCheckStatus; expiresOn: string | null };
  trainingCompletedOn: string | null;
  trainingValidForMonths?: number | undefined;
  supervisorId?: string | undefined;
  clearedAgeBands: AgeBand[];
}

export const VETTING_LAPSE = 'mentoring.vetting.lapse';

/** A stable uuid from its parts, so a timer enqueued twice is added once. */
function derivedId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Sets a timer for the day the mentor's vetting stops letting them be matched, to flag them to
 * the organisation's admins then. It fires at noon UTC on that date, which is on or after the
 * start of that date in every time zone from UTC−12 to UTC+12 (a little later in the date
 * further east): never before the vetting has lapsed.
 */
async function scheduleLapse(
  tx: Tx,
  tenantId: string,
  mentorId: string,
  vettingVersion: number,
  until: string | null,
): Promise<void> {
  if (!until) return;
  await enqueue(tx, {
    tenantId,
    id: derivedId(tenantId, mentorId, String(vettingVersion), until, 'lapse'),
    topic: VETTING_LAPSE,
    payload: { mentorId, vettingVersion, until },
    availableAt: new Date(`${until}T12:00:00.000Z`),
  });
}

/**
 * An org admin records a mentor's vetting: the background check and its expiry, training, the
 * senior mentor who supervises them and the age bands they are cleared for. Replaces the
 * vetting as a whole, and only at the version the admin saw. Nobody records their own.
 */
export async function updateVetting(ctx: AuthedContext, input: VettingInput) {
  const { tx, tenant, actor, runtime } = ctx;
  const now = runtime.now();
  const mentor = await mentorUser(tx, tenant.id, input.mentorId);
  if (!mentor) throw notFound('Mentor');
  if (mentor.id === actor.userId) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'Someone else in the organisation must record your own vetting',
    });
  }
  const today = tenantToday(tenant.config, now);
  if (input.trainingCompletedOn !== null && input.trainingCompletedOn > today) {
    throw fieldError('BAD_REQUEST', {
      trainingCompletedOn: ['Training cannot have been completed after today'],
    });
  }
  if (input.supervisorId !== undefined) {
    const [supervisor] = await tx
      .select({ id: users.id })
      .from(users)
      .where(
        and(
          eq(users.tenantId, tenant.id),
          eq(users.id, input.supervisorId),
          arrayContains(users.roles, ['senior_mentor']),
          isNull(users.disabledAt),
        ),
      );
    if (!supervisor || supervisor.id === mentor.id) {
      throw fieldError('BAD_REQUEST', {
        supervisorId: [
          'Choose an active senior mentor of this organisation, other than the mentor',
        ],
      });
    }
  }
  const existing = await loadProfileRow(tx, tenant.id, mentor.id, true);
  const current = existing?.vettingVersion ?? 0;
  if (input.expectedVersion !== current) {
    throw new TRPCError({
      code: 'CONFLICT',
      message: `This mentor's vetting has changed since you opened it (now version ${current}). Reload it and record it again.`,
    });
  }
  const vetting = {
    backgroundCheckStatus: input.backgroundCheck.status,
    backgroundCheckExpiresOn: input.backgroundCheck.expiresOn,
    trainingCompletedOn: input.trainingCompletedOn,
    trainingValidForMonths: input.trainingValidForMonths ?? null,
    supervisorId: input.supervisorId ?? null,
    clearedAgeBands: [...new Set(input.clearedAgeBands)],
    vettingUpdatedAt: now,
    vettingUpdatedBy: actor.userId,
    vettingVersion: current + 1,
  };
  // Locked above when it exists; a profile made meanwhile by the mentor conflicts on the key and
  // is then updated only if nobody else recorded vetting in between.
  const [saved] = await tx
    .insert(mentorProfiles)
    .values({ tenantId: tenant.id, mentorId: mentor.id, ...vetting })
    .onConflictDoUpdate({
      target: [mentorProfiles.tenantId, mentorProfiles.mentorId],
      set: vetting,
      setWhere: sql`${mentorProfiles.vettingVersion} = ${current}`,
    })
    .returning();
  if (!saved) {
    throw new TRPCError({
      code: 'CONFLICT',
      message:
        "This mentor's vetting has changed since you opened it. Reload it and record it again.",
    });
  }
  const changed = existing
    ? [
        ...(existing.backgroundCheckStatus !== saved.backgroundCheckStatus ||
        existing.backgroundCheckExpiresOn !== saved.backgroundCheckExpiresOn
          ? ['backgroundCheck']
          : []),
        ...(existing.trainingCompletedOn !== saved.trainingCompletedOn ||
        existing.trainingValidForMonths !== saved.trainingValidForMonths
          ? ['training']
          : []),
        ...(existing.supervisorId !== saved.supervisorId ? ['supervisor'] : []),
        ...(existing.clearedAgeBands.join() !== saved.clearedAgeBands.join()
          ? ['clearedAgeBands']
          : []),
      ]
    : ['backgroundCheck', 'training', 'supervisor', 'clearedAgeBands'];
  await recordAudit(tx, {
    tenantId: tenant.id,
    actorId: actor.userId,
    action: 'mentoring.vetting.update',
    subjectType: 'mentor_profile',
    subjectId: mentor.id,
    detail: {
      changed,
      version: saved.vettingVersion,
      backgroundCheck: saved.backgroundCheckStatus,
    },
    at: now,
  });
  const standing = standingOf(saved, tenant.config, now);
  await scheduleLapse(tx, tenant.id, mentor.id, saved.vettingVersion, standing.eligibleUntil);
  const mentees = (await currentMentees(tx, tenant.id, [mentor.id])).get(mentor.id) ?? 0;
  return profileView(mentor, saved, tenant.config, now, mentees);
}

/**
 * Mentors with their standing and caseload. Org admins get every mentor of the organisation,
 * flagged while their vetting stops them being matched (an expired check, lapsed training);
 * senior mentors get the mentors they supervise. Ordered by username, at most 500.
 */
export async function listMentors(ctx: AuthedContext, input: { flaggedOnly: boolean }) {
  const { tx, tenant, actor, runtime } = ctx;
  const now = runtime.now();
  const admin = actor.roles.includes('org_admin');
  const rows = await tx
    .select({
      user: {
        id: users.id,
        username: users.username,
        displayName: users.displayName,
        disabledAt: users.disabledAt,
      },
      profile: mentorProfiles,
    })
    .from(users)
    .leftJoin(
      mentorProfiles,
      and(eq(mentorProfiles.tenantId, users.tenantId), eq(mentorProfiles.mentorId, users.id)),
    )
    .where(
      and(
        eq(users.tenantId, tenant.id),
        arrayContains(users.roles, ['mentor']),
        admin ? undefined : eq(mentorProfiles.supervisorId, actor.userId),
      ),
    )
    .orderBy(asc(users.username))
    .limit(500);
  const ids = rows.map((r) => r.user.id);
  const caseload =
    ids.length === 0
      ? []
      : await tx
          .select({
            id: mentoringRelationships.id,
            mentorId: mentoringRelationships.mentorId,
            memberId: mentoringRelationships.memberId,
            status: mentoringRelationships.status,
            startedAt: mentoringRelationships.startedAt,
            requestedAt: mentoringRelationships.requestedAt,
            member: { username: users.username, displayName: users.displayName },
          })
          .from(mentoringRelationships)
          .innerJoin(
            users,
            and(
              eq(users.tenantId, mentoringRelationships.tenantId),
              eq(users.id, mentoringRelationships.memberId),
            ),
          )
          .where(
            and(
              eq(mentoringRelationships.tenantId, tenant.id),
              inArray(mentoringRelationships.mentorId, ids),
              inArray(mentoringRelationships.status, ['requested', 'active', 'paused']),
            ),
          )
          .orderBy(asc(mentoringRelationships.requestedAt));
  const mentors = rows.map(({ user, profile }) => {
    const relationships = caseload
      .filter((r) => r.mentorId === user.id)
      .map((r) => ({
        id: r.id,
        status: r.status,
        member: { id: r.memberId, name: r.member.displayName ?? r.member.username },
        requestedAt: r.requestedAt.toISOString(),
        startedAt: r.startedAt?.toISOString() ?? null,
      }));
    const mentees = relationships.filter((r) => r.status !== 'requested').length;
    const view = profileView(user, profile, tenant.config, now, mentees);
    return {
      ...view,
      disabled: user.disabledAt !== null,
      /** Flagged to org admins: vetting stops this mentor being matched. */
      flagged: !view.eligible,
      relationships,
    };
  });
  await recordAudit(tx, {
    tenantId: tenant.id,
    actorId: actor.userId,
    action: 'mentoring.mentors.list',
    subjectType: 'mentor_profile',
    detail: { count: mentors.length },
    at: now,
  });
  return input.flaggedOnly ? mentors.filter((m) => m.flagged) : mentors;
}

async function configOf(tx: Tx, tenantId: string): Promise<TenantConfig> {
  const [row] = await tx
    .select({ config: tenants.currentConfig })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  return tenantConfigSchema.parse(row!.config);
}

/**
 * A mentor's vetting timer came due. If the vetting is the one the timer was set for and it no
 * longer lets them be matched, the org admins are told (in the app) which mentor and why; if it
 * still does (the tenant lengthened training validity, say), a timer is set for the new day.
 */
export const vettingLapseHandler: OutboxHandler = async (event, tx) => {
  const { mentorId, vettingVersion } = event.payload as {
    mentorId: string;
    vettingVersion: number;
  };
  const row = await loadProfileRow(tx, event.tenantId, mentorId);
  // Vetting recorded since has its own timer.
  if (!row || row.vettingVersion !== vettingVersion) return [];
  const [mentor] = await tx
    .select({ disabledAt: users.disabledAt })
    .from(users)
    .where(and(eq(users.tenantId, event.tenantId), eq(users.id, mentorId)));
  if (!mentor || mentor.disabledAt) return [];
  const config = await configOf(tx, event.tenantId);
  const standing = standingOf(row, config, event.availableAt);
  if (standing.eligible) {
    await scheduleLapse(tx, event.tenantId, mentorId, row.vettingVersion, standing.eligibleUntil);
    return [];
  }
  const admins = await tx
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.tenantId, event.tenantId),
        arrayOverlaps(users.roles, ['org_admin']),
        isNull(users.disabledAt),
      ),
    );
  const content = {
    kind: 'mentoring.vetting.lapsed',
    mentorId,
    problems: standing.vettingProblems.map((p) => p.code),
  };
  return admins.map((a) => ({ recipient: `user:${a.id}`, channel: 'inApp', content }));
};
