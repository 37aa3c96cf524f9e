import { randomUUID } from 'node:crypto';
import type { HearthClient } from '@hearth/client';
import { quietHoursEnd } from '@hearth/core';
import { auditEvents, mentoringRelationships } from '@hearth/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addTenant } from '../support/identity.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { account, as, inTenant, outbox, outcome, readyMentor, refusal } from './support.js';

/**
 * A relationship from request to its end: requested → active ⇄ paused → closed with a reason
 * (core's state machine), changed only at the version the changer saw; closing for a concern
 * names the safeguarding case about the member and keeps the pair apart for good. Only the
 * people around a relationship see it; to everyone else it does not exist.
 */

let p: TestPlatform;
let admin: HearthClient;
let senior: HearthClient;
let otherSenior: HearthClient;
let lead: HearthClient;
const ids = { senior: '', otherSenior: '', lead: '', mentor: '', otherMentor: '', member: '' };
let mentor: HearthClient;
let otherMentor: HearthClient;

const MISSING = { code: 'NOT_FOUND', message: 'Relationship not found', fieldErrors: {} };

/** A member with an active relationship with `mentorId`, approved by the senior mentor. */
async function matched(username: string, mentorId: string, ageBand: '16-17' | '13-15' = '16-17') {
  const memberId = await account(p, p.alpha.id, username, ['member'], { ageBand });
  const member = await as(p, p.alpha.host, username);
  const { relationship } = await member.mentoring.match.request.mutate({ interests: ['music'] });
  const active = await senior.mentoring.match.approve.mutate({
    relationshipId: relationship!.id,
    expectedVersion: 1,
    mentorId,
  });
  return { memberId, member, id: active.id, version: active.version };
}

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await as(p, p.alpha.host, p.alpha.admin.username);
  ids.senior = await account(p, p.alpha.id, 'mr_senior', ['senior_mentor']);
  ids.otherSenior = await account(p, p.alpha.id, 'mr_senior2', ['senior_mentor']);
  ids.lead = await account(p, p.alpha.id, 'mr_lead', ['safeguarding_lead']);
  senior = await as(p, p.alpha.host, 'mr_senior');
  otherSenior = await as(p, p.alpha.host, 'mr_senior2');
  lead = await as(p, p.alpha.host, 'mr_lead');
  const first = await readyMentor(p, p.alpha, admin, 'mr_mentor', {
    supervisorId: ids.senior,
    capacity: 5,
  });
  ids.mentor = first.id;
  mentor = first.client;
  const second = await readyMentor(p, p.alpha, admin, 'mr_mentor2', {
    supervisorId: ids.otherSenior,
  });
  ids.otherMentor = second.id;
  otherMentor = second.client;
});
afterAll(async () => {
  await p?.close();
});

describe('the life of a relationship', () => {
  test('paused by the member, resumed by the mentor, closed by the supervisor — every step audited', async () => {
    const { member, memberId, id } = await matched('mr_member', ids.mentor);
    const paused = await member.mentoring.relationships.transition.mutate({
      relationshipId: id,
      expectedVersion: 2,
      event: { type: 'pause' },
    });
    expect(paused).toMatchObject({ status: 'paused', next: ['resume', 'close'], version: 3 });
    expect(paused.pausedAt).toEqual(expect.any(String));
    // A paused relationship still takes a place.
    expect((await mentor.mentoring.profile.get.query()).currentMentees).toBe(1);
    expect(
      await outcome(
        mentor.mentoring.relationships.transition.mutate({
          relationshipId: id,
          expectedVersion: 2,
          event: { type: 'resume' },
        }),
      ),
    ).toBe(
      'CONFLICT: This relationship has changed since you opened it (now version 3). Reload it and try again.',
    );
    expect(
      await outcome(
        mentor.mentoring.relationships.transition.mutate({
          relationshipId: id,
          expectedVersion: 3,
          event: { type: 'pause' },
        }),
      ),
    ).toBe("BAD_REQUEST: Can't pause a paused relationship — it can only be resumed or closed");
    const resumed = await mentor.mentoring.relationships.transition.mutate({
      relationshipId: id,
      expectedVersion: 3,
      event: { type: 'resume' },
    });
    expect(resumed).toMatchObject({ status: 'active', pausedAt: null, version: 4 });
    const closed = await senior.mentoring.relationships.transition.mutate({
      relationshipId: id,
      expectedVersion: 4,
      event: { type: 'close', reason: 'goals-met' },
    });
    expect(closed).toMatchObject({
      status: 'closed',
      closeReason: 'goals-met',
      safeguardingCaseId: null,
      next: [],
      version: 5,
    });
    expect(
      await outcome(
        member.mentoring.relationships.transition.mutate({
          relationshipId: id,
          expectedVersion: 5,
          event: { type: 'resume' },
        }),
      ),
    ).toBe("BAD_REQUEST: Can't resume a closed relationship — it has ended");
    expect((await mentor.mentoring.profile.get.query()).currentMentees).toBe(0);
    const audit = await inTenant(p, p.alpha.id, (tx) =>
      tx
        .select({ action: auditEvents.action, actorId: auditEvents.actorId })
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, p.alpha.id), eq(auditEvents.subjectId, id))),
    );
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'mentoring.relationship.pause', actorId: memberId },
        { action: 'mentoring.relationship.resume', actorId: ids.mentor },
        { action: 'mentoring.relationship.close', actorId: ids.senior },
      ]),
    );
    // Closed, the member may ask again.
    expect(await outcome(member.mentoring.match.request.mutate({}))).toBe('OK');
  });

  test('a paused member’s notice waits for the end of quiet hours; the mentor’s goes at once', async () => {
    // A tenant whose quiet hours are the two hours around now.
    const now = p.clock.now();
    const clock = (offset: number) =>
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/London',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(new Date(now.getTime() + offset));
    const quietHours = { start: clock(-3_600_000), end: clock(3_600_000) };
    const tenant = await addTenant(p, 'quiet', { mentoring: { quietHours } });
    const tAdmin = await as(p, tenant.host, tenant.admin.username);
    const tSenior = await account(p, tenant.id, 'q_senior', ['senior_mentor']);
    const qMentor = await readyMentor(p, tenant, tAdmin, 'q_mentor', { supervisorId: tSenior });
    const memberId = await account(p, tenant.id, 'q_member', ['member']);
    const member = await as(p, tenant.host, 'q_member');
    const { relationship } = await member.mentoring.match.request.mutate({});
    const seniorClient = await as(p, tenant.host, 'q_senior');
    await seniorClient.mentoring.match.approve.mutate({
      relationshipId: relationship!.id,
      expectedVersion: 1,
      mentorId: qMentor.id,
    });
    const events = (await outbox(p, tenant.id)).filter(
      (e) => e.topic === 'mentoring.relationship.changed',
    );
    const forMember = events.find(
      (e) => (e.payload as { recipientId: string }).recipientId === memberId,
    )!;
    const forMentor = events.find(
      (e) => (e.payload as { recipientId: string }).recipientId === qMentor.id,
    )!;
    const expected = quietHoursEnd(p.clock.now(), 'Europe/London', quietHours);
    expect(expected.getTime()).toBeGreaterThan(p.clock.now().getTime() + 55 * 60_000);
    expect(Math.abs(forMember.availableAt.getTime() - expected.getTime())).toBeLessThan(5_000);
    expect(forMentor.availableAt.getTime()).toBeLessThanOrEqual(p.clock.now().getTime());
    expect(forMember.payload).toEqual({
      relationshipId: relationship!.id,
      status: 'active',
      recipientId: memberId,
    });
  });
});

describe('closing because of a concern', () => {
  test('names a safeguarding case about this member, hides it from the member, and keeps the pair apart for good', async () => {
    const { member, memberId, id } = await matched('mr_concern', ids.mentor);
    const other = await account(p, p.alpha.id, 'mr_bystander', ['member']);
    const { caseId } = await mentor.safeguarding.concerns.raise.mutate({
      subjectUserId: memberId,
      category: 'abuse_neglect',
      severity: 'high',
      note: 'Said something worrying about home',
    });
    const { caseId: aboutSomeoneElse } = await mentor.safeguarding.concerns.raise.mutate({
      subjectUserId: other,
      category: 'bullying_threats',
      severity: 'medium',
      note: 'Unrelated',
    });
    const close = (safeguardingCaseId?: string) =>
      mentor.mentoring.relationships.transition.mutate({
        relationshipId: id,
        expectedVersion: 2,
        event: {
          type: 'close',
          reason: 'concern',
          ...(safeguardingCaseId ? { safeguardingCaseId } : {}),
        } as never,
      });
    expect((await refusal(close())).code).toBe('BAD_REQUEST');
    const wrongCase = {
      code: 'BAD_REQUEST',
      message: 'No safeguarding case about this member has that id',
      fieldErrors: {
        'event.safeguardingCaseId': ['No safeguarding case about this member has that id'],
      },
    };
    expect(await refusal(close(aboutSomeoneElse))).toEqual(wrongCase);
    expect(await refusal(close(randomUUID()))).toEqual(wrongCase);
    // The member cannot link a case, whatever its id.
    expect(
      await refusal(
        member.mentoring.relationships.transition.mutate({
          relationshipId: id,
          expectedVersion: 2,
          event: { type: 'close', reason: 'concern', safeguardingCaseId: caseId },
        }),
      ),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: {
        'event.safeguardingCaseId': ['Only staff link a relationship to a safeguarding case'],
      },
    });

    const closed = await close(caseId);
    expect(closed).toMatchObject({
      status: 'closed',
      closeReason: 'concern',
      safeguardingCaseId: caseId,
    });
    const asMember = await member.mentoring.relationships.get.query({ relationshipId: id });
    expect(asMember).toMatchObject({
      status: 'closed',
      closeReason: 'concern',
      safeguardingCaseId: null,
    });
    const [row] = await inTenant(p, p.alpha.id, (tx) =>
      tx.select().from(mentoringRelationships).where(eq(mentoringRelationships.id, id)),
    );
    expect(row).toMatchObject({ safeguardingCaseId: caseId, closedBy: ids.mentor });

    // The member asks again: this mentor is never proposed, nor approved.
    const again = await member.mentoring.match.request.mutate({ interests: ['music'] });
    const candidates = await senior.mentoring.match.candidates.query({
      relationshipId: again.relationship!.id,
    });
    expect(candidates.ranked.map((m) => m.mentorId)).not.toContain(ids.mentor);
    expect(candidates.excluded.find((m) => m.mentorId === ids.mentor)?.reasons).toEqual([
      {
        code: 'closed-for-concern',
        message: 'A previous match with this member was closed because of a safeguarding concern',
      },
    ]);
    expect(
      await outcome(
        admin.mentoring.match.approve.mutate({
          relationshipId: again.relationship!.id,
          expectedVersion: 1,
          mentorId: ids.mentor,
        }),
      ),
    ).toBe(
      'PRECONDITION_FAILED: This mentor cannot take on this member: A previous match with this member was closed because of a safeguarding concern',
    );
    expect(candidates.ranked.map((m) => m.mentorId)).toContain(ids.otherMentor);
  });
});

describe('who sees a relationship', () => {
  test('each sees their own; supervisors their supervisees’ and the waiting requests; admins all', async () => {
    const a = await matched('mr_seen_a', ids.mentor);
    const b = await matched('mr_seen_b', ids.otherMentor);
    await account(p, p.alpha.id, 'mr_waiting', ['member']);
    const waitingMember = await as(p, p.alpha.host, 'mr_waiting');
    const waiting = (await waitingMember.mentoring.match.request.mutate({})).relationship!;

    const idsOf = async (client: HearthClient, status?: 'requested' | 'active') =>
      (await client.mentoring.relationships.list.query(status ? { status } : {})).map((r) => r.id);
    expect(await idsOf(a.member)).toEqual([a.id]);
    expect(await idsOf(b.member)).toEqual([b.id]);
    expect(await idsOf(mentor)).toContain(a.id);
    expect(await idsOf(mentor)).not.toContain(b.id);
    expect(await idsOf(otherMentor)).toEqual(expect.arrayContaining([b.id]));
    expect(await idsOf(otherMentor)).not.toContain(a.id);
    expect(await idsOf(senior)).toEqual(expect.arrayContaining([a.id, waiting.id]));
    expect(await idsOf(senior)).not.toContain(b.id);
    expect(await idsOf(otherSenior)).toEqual(expect.arrayContaining([b.id, waiting.id]));
    expect(await idsOf(otherSenior)).not.toContain(a.id);
    expect(await idsOf(senior, 'requested')).toContain(waiting.id);
    expect(await idsOf(senior, 'requested')).not.toContain(a.id);
    expect(await idsOf(admin)).toEqual(expect.arrayContaining([a.id, b.id, waiting.id]));
    expect(await outcome(lead.mentoring.relationships.list.query())).toBe(
      'FORBIDDEN: You do not have permission to do that',
    );
    // A mentor sees the member's name, a member the mentor's, and never the vetting.
    const seen = await a.member.mentoring.relationships.get.query({ relationshipId: a.id });
    expect(seen.mentor).toEqual({ id: ids.mentor, name: 'mr_mentor (mentor)' });
    expect(JSON.stringify(seen)).not.toMatch(/backgroundCheck|training|clearedAgeBands/);
  });

  test('someone else’s relationship is answered exactly like one that does not exist', async () => {
    const a = await matched('mr_private', ids.mentor);
    await account(p, p.alpha.id, 'mr_nosy', ['member']);
    const nosy = await as(p, p.alpha.host, 'mr_nosy');
    for (const [who, client] of [
      ['another mentor', otherMentor],
      ['another member', nosy],
      ['a senior mentor who does not supervise the mentor', otherSenior],
    ] as const) {
      const missing = await refusal(
        client.mentoring.relationships.get.query({ relationshipId: randomUUID() }),
      );
      expect(missing, who).toEqual(MISSING);
      expect(
        await refusal(client.mentoring.relationships.get.query({ relationshipId: a.id })),
        who,
      ).toEqual(missing);
      for (const relationshipId of [a.id, randomUUID()]) {
        expect(
          await refusal(
            client.mentoring.relationships.transition.mutate({
              relationshipId,
              expectedVersion: a.version,
              event: { type: 'pause' },
            }),
          ),
          who,
        ).toEqual(missing);
      }
    }
    // Coordinators see a request only while it waits: not an active relationship.
    for (const relationshipId of [a.id, randomUUID()]) {
      expect(
        await refusal(otherSenior.mentoring.match.candidates.query({ relationshipId })),
      ).toEqual(MISSING);
    }
    // The safeguarding lead has no part in it either.
    expect(await refusal(lead.mentoring.relationships.get.query({ relationshipId: a.id }))).toEqual(
      MISSING,
    );
    const [row] = await inTenant(p, p.alpha.id, (tx) =>
      tx.select().from(mentoringRelationships).where(eq(mentoringRelationships.id, a.id)),
    );
    expect(row).toMatchObject({ status: 'active', version: a.version });
  });
});
