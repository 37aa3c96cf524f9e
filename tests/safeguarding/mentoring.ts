import { type HearthDb, mentoringRelationships, mentorProfiles } from '@hearth/db';

/**
 * Who a ladder step reaches depends on who mentors the young person: these record a
 * relationship and a mentor's supervisor directly, as an operator's import would, so the
 * safeguarding tests need no vetting or matching.
 */

type Status = 'requested' | 'active' | 'paused' | 'closed';

/** A relationship between a member and a mentor, in `status`; returns its id (version 1). */
export async function relate(
  db: HearthDb,
  tenantId: string,
  memberId: string,
  mentorId: string,
  status: Status = 'active',
): Promise<string> {
  const [row] = await db.transaction(tenantId, (tx) =>
    tx
      .insert(mentoringRelationships)
      .values({
        tenantId,
        memberId,
        mentorId,
        status,
        matching: 'coordinator-approves',
        ...(status === 'requested' ? {} : { startedAt: new Date() }),
        ...(status === 'paused' ? { pausedAt: new Date() } : {}),
        ...(status === 'closed' ? { closedAt: new Date(), closeReason: 'other' as const } : {}),
      })
      .returning({ id: mentoringRelationships.id }),
  );
  return row!.id;
}

/** Names `supervisorId` (a senior mentor) as the supervisor of `mentorId`. */
export async function supervise(
  db: HearthDb,
  tenantId: string,
  mentorId: string,
  supervisorId: string,
): Promise<void> {
  await db.transaction(tenantId, (tx) =>
    tx
      .insert(mentorProfiles)
      .values({ tenantId, mentorId, supervisorId })
      .onConflictDoUpdate({
        target: [mentorProfiles.tenantId, mentorProfiles.mentorId],
        set: { supervisorId },
      }),
  );
}
