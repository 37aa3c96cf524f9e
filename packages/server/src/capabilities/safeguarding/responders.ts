import { type EscalationStep, type Role, rolesAtStep } from '@hearth/core';
import { mentoringRelationships, mentorProfiles, type Tx, users } from '@hearth/db';
import { and, arrayContains, arrayOverlaps, eq, inArray, isNull, type SQL } from 'drizzle-orm';

/** Someone a ladder step reaches: alerted when a case gets there, and able to acknowledge it. */
export interface Responder {
  id: string;
  email: string | null;
}

/**
 * Roles that a step names for the people close to the young person, not for everyone who holds
 * them: a case at the mentor step is for the young person's own mentor, never every mentor of
 * the organisation.
 */
const personalRoles: readonly Role[] = ['mentor', 'senior_mentor'];

/** A mentor's relationship with a member that still makes them that member's mentor. */
const currentStatuses = ['active', 'paused'] as const;

/**
 * Who a step of the ladder reaches for a case — the one rule behind both its alerts and who may
 * acknowledge it there:
 * - `mentor`: the mentors with an active or paused relationship with the case's subject;
 * - `senior_mentor`: the senior mentors supervising one of those mentors or, when none of them
 *   has a supervisor who can be reached, every senior mentor (they coordinate the service, and a
 *   case must reach someone);
 * - any other role: everyone who holds it.
 * Never the case's subject, never a disabled account, and nobody through `mentor` or
 * `senior_mentor` for a case about nobody in particular. Past the top of the ladder: nobody.
 *
 * `only` narrows the answer to one person (is this person a responder?) without changing it:
 * the senior mentors' fallback still depends on the supervisors there are, not on who asks.
 */
export async function stepResponders(
  tx: Tx,
  tenantId: string,
  ladder: readonly EscalationStep[],
  found: { subjectUserId: string | null },
  step: number,
  only?: string,
): Promise<Responder[]> {
  const roles = rolesAtStep(ladder, step);
  const subject = found.subjectUserId;
  const reached = new Map<string, Responder>();
  const add = (people: readonly Responder[]) => {
    for (const person of people) {
      if (person.id !== subject && (only === undefined || person.id === only)) {
        reached.set(person.id, person);
      }
    }
  };
  const person = { id: users.id, email: users.email };
  const active = (...conditions: (SQL | undefined)[]) =>
    and(
      eq(users.tenantId, tenantId),
      isNull(users.disabledAt),
      ...(only === undefined ? [] : [eq(users.id, only)]),
      ...conditions,
    );

  const everyHolder = roles.filter((role) => !personalRoles.includes(role));
  if (everyHolder.length > 0) {
    add(
      await tx
        .select(person)
        .from(users)
        .where(active(arrayOverlaps(users.roles, [...everyHolder]))),
    );
  }
  if (!subject) return [...reached.values()];

  // The subject's mentors: a closed or declined relationship, or a request, is not one.
  const mentorsOfSubject = and(
    eq(mentoringRelationships.tenantId, tenantId),
    eq(mentoringRelationships.memberId, subject),
    inArray(mentoringRelationships.status, [...currentStatuses]),
  );
  if (roles.includes('mentor')) {
    add(
      await tx
        .select(person)
        .from(mentoringRelationships)
        .innerJoin(
          users,
          and(
            eq(users.tenantId, mentoringRelationships.tenantId),
            eq(users.id, mentoringRelationships.mentorId),
          ),
        )
        .where(and(mentorsOfSubject, active(arrayContains(users.roles, ['mentor'])))),
    );
  }
  if (roles.includes('senior_mentor')) {
    const isSenior = arrayContains(users.roles, ['senior_mentor']);
    // Every supervisor there is, whoever asks: whether to fall back depends on them all.
    const supervisors = (
      await tx
        .select(person)
        .from(mentoringRelationships)
        .innerJoin(
          mentorProfiles,
          and(
            eq(mentorProfiles.tenantId, mentoringRelationships.tenantId),
            eq(mentorProfiles.mentorId, mentoringRelationships.mentorId),
          ),
        )
        .innerJoin(
          users,
          and(
            eq(users.tenantId, mentorProfiles.tenantId),
            eq(users.id, mentorProfiles.supervisorId),
          ),
        )
        .where(
          and(mentorsOfSubject, eq(users.tenantId, tenantId), isNull(users.disabledAt), isSenior),
        )
    ).filter((p) => p.id !== subject);
    add(
      supervisors.length > 0
        ? supervisors
        : await tx.select(person).from(users).where(active(isSenior)),
    );
  }
  return [...reached.values()];
}
