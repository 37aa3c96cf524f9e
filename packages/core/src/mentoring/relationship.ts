import { z } from 'zod';

/**
 * Where a mentoring relationship stands:
 * - `requested`: proposed, waiting for the mentor (or coordinator) to accept;
 * - `active`: mentor and member are working together;
 * - `paused`: on hold, for example over exams or a mentor's holiday; still counts against the
 *   mentor's capacity;
 * - `declined` and `closed`: ended, for good.
 */
export const relationshipStatuses = [
  'requested',
  'active',
  'paused',
  'declined',
  'closed',
] as const;
export type RelationshipStatus = (typeof relationshipStatuses)[number];

/**
 * Why a relationship closed. `concern` means a safeguarding concern: the case must be named,
 * and the pair is never matched again.
 */
export const closeReasons = [
  'goals-met',
  'member-left',
  'mentor-left',
  'concern',
  'other',
] as const;
export type CloseReason = (typeof closeReasons)[number];

export const relationshipEventTypes = ['accept', 'decline', 'pause', 'resume', 'close'] as const;
export type RelationshipEventType = (typeof relationshipEventTypes)[number];

type Closing =
  | { reason: Exclude<CloseReason, 'concern'>; safeguardingCaseId?: string }
  | { reason: 'concern'; safeguardingCaseId: string };

export type RelationshipState =
  | { status: Exclude<RelationshipStatus, 'closed'> }
  | ({ status: 'closed' } & Closing);

export type RelationshipEvent =
  | { type: Exclude<RelationshipEventType, 'close'> }
  | ({ type: 'close' } & Closing);

/**
 * Which event moves a relationship from each status, and where to. `declined` and `closed` are
 * final: nothing moves a relationship out of them.
 */
export const relationshipTransitions: Readonly<
  Record<RelationshipStatus, Readonly<Partial<Record<RelationshipEventType, RelationshipStatus>>>>
> = Object.freeze({
  requested: Object.freeze({ accept: 'active', decline: 'declined' }),
  active: Object.freeze({ pause: 'paused', close: 'closed' }),
  paused: Object.freeze({ resume: 'active', close: 'closed' }),
  declined: Object.freeze({}),
  closed: Object.freeze({}),
});

const caseIdSchema = z.uuid({ error: 'Not a valid safeguarding case id' });
const reasonSchema = z.enum(closeReasons, {
  error: `Say why the relationship is closing: one of ${closeReasons.join(', ')}`,
});
const concernNeedsCase = 'Closing because of a concern needs the safeguarding case id';

/**
 * A change to a relationship as an API receives it. Closing for a `concern` must name the
 * safeguarding case; any other reason may.
 *
 * @example { type: 'close', reason: 'concern', safeguardingCaseId: '5b0c…' }
 */
export const relationshipEventSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('accept') }),
    z.strictObject({ type: z.literal('decline') }),
    z.strictObject({ type: z.literal('pause') }),
    z.strictObject({ type: z.literal('resume') }),
    z
      .strictObject({
        type: z.literal('close'),
        reason: reasonSchema,
        safeguardingCaseId: caseIdSchema.optional(),
      })
      .refine((event) => event.reason !== 'concern' || event.safeguardingCaseId !== undefined, {
        error: concernNeedsCase,
        path: ['safeguardingCaseId'],
      }),
  ],
  { error: `Use one of ${relationshipEventTypes.join(', ')}` },
) as z.ZodType<RelationshipEvent>;

export type TransitionErrorCode =
  | 'not-allowed'
  | 'unknown-event'
  | 'reason-required'
  | 'case-required'
  | 'invalid-case-id';

export interface TransitionError {
  code: TransitionErrorCode;
  /** A plain sentence, safe to show to the person who tried. */
  message: string;
}

export type TransitionResult =
  | { ok: true; state: RelationshipState }
  | { ok: false; error: TransitionError };

const pastTense: Readonly<Record<RelationshipEventType, string>> = {
  accept: 'accepted',
  decline: 'declined',
  pause: 'paused',
  resume: 'resumed',
  close: 'closed',
};

/** The events that can move a relationship on from `status`; none for an ended one. */
export function allowedRelationshipEvents(status: RelationshipStatus): RelationshipEventType[] {
  const moves = Object.hasOwn(relationshipTransitions, status)
    ? relationshipTransitions[status]
    : {};
  return relationshipEventTypes.filter((type) => Object.hasOwn(moves, type));
}

function fail(code: TransitionErrorCode, message: string): TransitionResult {
  return { ok: false, error: { code, message } };
}

/**
 * Applies `event` to a relationship in `state`, following {@link relationshipTransitions}.
 * Pure: it returns the new state, or an error saying why the change is not possible, and
 * never throws, so a service can turn the error into a response as it is.
 *
 * @example
 * transitionRelationship({ status: 'active' }, { type: 'close', reason: 'goals-met' })
 * // { ok: true, state: { status: 'closed', reason: 'goals-met' } }
 * transitionRelationship({ status: 'closed', reason: 'goals-met' }, { type: 'resume' })
 * // { ok: false, error: { code: 'not-allowed', message: "Can't resume a closed relationship — it has ended" } }
 */
export function transitionRelationship(
  state: RelationshipState,
  event: RelationshipEvent,
): TransitionResult {
  const type = event?.type as string;
  if (!(relationshipEventTypes as readonly string[]).includes(type)) {
    return fail('unknown-event', `Unknown change ${JSON.stringify(type)}`);
  }
  const eventType = type as RelationshipEventType;
  const allowed = allowedRelationshipEvents(state.status);
  if (!allowed.includes(eventType)) {
    const options =
      allowed.length === 0
        ? 'it has ended'
        : `it can only be ${allowed.map((t) => pastTense[t]).join(' or ')}`;
    return fail('not-allowed', `Can't ${eventType} a ${state.status} relationship — ${options}`);
  }
  const next = relationshipTransitions[state.status][eventType]!;
  if (event.type !== 'close') return { ok: true, state: { status: next } as RelationshipState };

  if (!(closeReasons as readonly string[]).includes(event.reason)) {
    return fail(
      'reason-required',
      `Say why the relationship is closing: one of ${closeReasons.join(', ')}`,
    );
  }
  const caseId = event.safeguardingCaseId;
  if (caseId === undefined) {
    if (event.reason === 'concern') return fail('case-required', concernNeedsCase);
    return { ok: true, state: { status: 'closed', reason: event.reason } };
  }
  if (!caseIdSchema.safeParse(caseId).success) {
    return fail('invalid-case-id', 'Not a valid safeguarding case id');
  }
  return {
    ok: true,
    state: {
      status: 'closed',
      reason: event.reason,
      safeguardingCaseId: caseId,
    } as RelationshipState,
  };
}
