import { randomUUID } from 'node:crypto';
import { supervisionSessions, users } from '@hearth/db';
import { TRPCError } from '@trpc/server';
import { and, arrayContains, desc, eq } from 'drizzle-orm';
import type { AuthedContext } from '../../context.js';
import { fieldError, notFound } from '../../errors.js';
import { recordAudit } from '../privacy/audit.js';
import { loadProfileRow, tenantToday } from './profiles.js';

const notesRef = (sessionId: string) => ({
  table: 'supervision_sessions',
  rowId: sessionId,
  column: 'notes',
});

function requireKeyring(ctx: AuthedContext) {
  if (!ctx.runtime.keyring) {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message:
        'Supervision notes need encryption: give createPlatform an `encryption.masterKeys` option',
    });
  }
  return ctx.runtime.keyring;
}

/**
 * Admits the senior mentor who supervises `mentorId` now; to anyone else — and for an id that
 * is not a mentor of this organisation — the mentor does not exist.
 */
async function supervisedMentor(ctx: AuthedContext, mentorId: string): Promise<string> {
  const { tx, tenant } = ctx;
  const [mentor] = await tx
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.tenantId, tenant.id),
        eq(users.id, mentorId),
        arrayContains(users.roles, ['mentor']),
      ),
    );
  const profile = mentor ? await loadProfileRow(tx, tenant.id, mentor.id) : undefined;
  if (!mentor || !profile) throw notFound('Mentor');
  try {
    ctx.authorize({
      relationships: { supervisor: profile.supervisorId ? [profile.supervisorId] : [] },
    });
  } catch {
    throw notFound('Mentor');
  }
  return mentor.id;
}

/**
 * A senior mentor records a supervision session with a mentor they supervise: the day it took
 * place, how long it took, and notes, which are stored only encrypted. Sessions are never
 * changed afterwards; a correction is a further session record.
 */
export async function recordSupervision(
  ctx: AuthedContext,
  input: { mentorId: string; heldOn: string; durationMinutes?: number | undefined; notes: string },
) {
  const { tx, tenant, actor, runtime } = ctx;
  const keyring = requireKeyring(ctx);
  const mentorId = await supervisedMentor(ctx, input.mentorId);
  const now = runtime.now();
  if (input.heldOn > tenantToday(tenant.config, now)) {
    throw fieldError('BAD_REQUEST', { heldOn: ['A session cannot be recorded before it is held'] });
  }
  const id = randomUUID();
  const cipher = await keyring.forTenant(tx, tenant.id);
  const [saved] = await tx
    .insert(supervisionSessions)
    .values({
      tenantId: tenant.id,
      id,
      supervisorId: actor.userId,
      mentorId,
      heldOn: input.heldOn,
      durationMinutes: input.durationMinutes ?? null,
      notes: cipher.encrypt(notesRef(id), input.notes),
      createdAt: now,
    })
    .returning();
  await recordAudit(tx, {
    tenantId: tenant.id,
    actorId: actor.userId,
    action: 'mentoring.supervision.record',
    subjectType: 'supervision_session',
    subjectId: id,
    detail: { mentorId },
    at: now,
  });
  return {
    id: saved!.id,
    mentorId,
    supervisorId: actor.userId,
    heldOn: saved!.heldOn,
    durationMinutes: saved!.durationMinutes,
    notes: input.notes,
    createdAt: saved!.createdAt.toISOString(),
  };
}

/**
 * The supervision sessions of a mentor, newest first, with their notes, for the senior mentor
 * who supervises them now (including sessions an earlier supervisor recorded). Every read is
 * audited.
 */
export async function listSupervision(ctx: AuthedContext, input: { mentorId: string }) {
  const { tx, tenant, actor, runtime } = ctx;
  const keyring = requireKeyring(ctx);
  const mentorId = await supervisedMentor(ctx, input.mentorId);
  const rows = await tx
    .select()
    .from(supervisionSessions)
    .where(
      and(eq(supervisionSessions.tenantId, tenant.id), eq(supervisionSessions.mentorId, mentorId)),
    )
    .orderBy(desc(supervisionSessions.heldOn), desc(supervisionSessions.createdAt))
    .limit(200);
  const cipher = await keyring.forTenant(tx, tenant.id);
  const sessions = [];
  for (const row of rows) {
    sessions.push({
      id: row.id,
      mentorId: row.mentorId,
      supervisorId: row.supervisorId,
      heldOn: row.heldOn,
      durationMinutes: row.durationMinutes,
      notes: await cipher.decrypt(notesRef(row.id), row.notes),
      createdAt: row.createdAt.toISOString(),
    });
  }
  await recordAudit(tx, {
    tenantId: tenant.id,
    actorId: actor.userId,
    action: 'mentoring.supervision.read',
    subjectType: 'mentor_profile',
    subjectId: mentorId,
    detail: { count: sessions.length },
    at: runtime.now(),
  });
  return sessions;
}
