import { randomUUID } from 'node:crypto';
import type { HearthClient } from '@hearth/client';
import { isQuietTime, parseTenantConfig, quietHoursEnd } from '@hearth/core';
import { auditEvents, mentoringRelationships, moderationItems } from '@hearth/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addTenant } from '../support/identity.js';
import { startTestPlatform, type TestPlatform, tenantConfig } from '../support/platform.js';
import {
  account,
  as,
  dayFromNow,
  deliveries,
  drain,
  inTenant,
  outbox,
  outcome,
  readyMentor,
  refusal,
} from './support.js';

/**
 * Matching a member with a mentor: hard safeguarding constraints first (vetted and in date,
 * cleared for the member's age band from their own record, room, a shared language, never a
 * pair once closed for a concern), then an explained score; a coordinator approves, or the
 * member chooses and the mentor accepts; capacity holds when approvals race.
 */

let p: TestPlatform;
let admin: HearthClient;
let senior: HearthClient;
const alpha = {
  senior: '',
  football: '',
  drawing: '',
  expired: '',
  untrained: '',
  youngOnly: '',
  full: '',
  welsh: '',
  incomplete: '',
};

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await as(p, p.alpha.host, p.alpha.admin.username);
  alpha.senior = await account(p, p.alpha.id, 'mm_senior', ['senior_mentor']);
  senior = await as(p, p.alpha.host, 'mm_senior');
  const ready = (username: string, setup: Parameters<typeof readyMentor>[4] = {}) =>
    readyMentor(p, p.alpha, admin, username, { supervisorId: alpha.senior, ...setup });
  alpha.football = (
    await ready('mm_football', {
      skills: ['cv writing', 'interview practice'],
      interests: ['football', 'music'],
      availability: [{ day: 'tue', start: '17:00', end: '21:00' }],
    })
  ).id;
  alpha.drawing = (
    await ready('mm_drawing', {
      skills: ['maths'],
      interests: ['drawing'],
      availability: [{ day: 'sat', start: '10:00', end: '12:00' }],
    })
  ).id;
  alpha.expired = (
    await ready('mm_expired', {
      skills: ['cv writing', 'interview practice'],
      interests: ['football', 'music'],
      check: { status: 'clear', expiresOn: dayFromNow(p, -1) },
    })
  ).id;
  alpha.untrained = (await ready('mm_untrained', { trainingCompletedOn: null })).id;
  alpha.youngOnly = (await ready('mm_young_only', { clearedAgeBands: ['13-15'] })).id;
  alpha.full = (await ready('mm_full', { capacity: 0 })).id;
  alpha.welsh = (await ready('mm_welsh', { languages: ['cy'] })).id;
  // A mentor whose vetting is recorded but who never filled in a profile.
  alpha.incomplete = await account(p, p.alpha.id, 'mm_incomplete', ['mentor']);
  await admin.mentoring.vetting.update.mutate({
    mentorId: alpha.incomplete,
    expectedVersion: 0,
    backgroundCheck: { status: 'clear', expiresOn: null },
    trainingCompletedOn: dayFromNow(p, -10),
    clearedAgeBands: ['16-17'],
  });
});
afterAll(async () => {
  await p?.close();
});

describe('where a coordinator approves (the default)', () => {
  test('a member asks; a coordinator sees every mentor ranked with reasons, or left out with every reason', async () => {
    const memberId = await account(p, p.alpha.id, 'mm_member1', ['member'], { ageBand: '16-17' });
    const member = await as(p, p.alpha.host, 'mm_member1');
    // Members do not see proposals here: the coordinator picks.
    expect(await outcome(member.mentoring.match.propose.query({ interests: ['football'] }))).toBe(
      'FORBIDDEN: You do not have permission to do that',
    );
    const asked = await member.mentoring.match.request.mutate({
      interests: ['Football', 'music'],
      helpWith: ['CV writing'],
      languages: ['en'],
      availability: [{ day: 'tue', start: '18:00', end: '20:00' }],
      helpText: 'I want to find a job after college',
    });
    expect(asked.help).toEqual({ status: 'published', explanation: null, helplines: [] });
    const request = asked.relationship!;
    expect(request).toMatchObject({
      status: 'requested',
      matching: 'coordinator-approves',
      member: { id: memberId, name: 'mm_member1' },
      mentor: null,
      // Tags are stored as core normalises them.
      request: { interests: ['football', 'music'], helpWith: ['cv writing'], languages: ['en'] },
      helpText: 'I want to find a job after college',
      helpTextState: 'visible',
      next: ['accept', 'decline'],
      version: 1,
    });

    // Coordinators are told a request is waiting.
    await drain(p);
    const waiting = (await deliveries(p, p.alpha.id)).filter(
      (d) => (d.content as { relationshipId?: string }).relationshipId === request.id,
    );
    expect(waiting.map((d) => d.recipient).sort()).toEqual(
      [`user:${alpha.senior}`, `user:${p.alpha.adminId}`].sort(),
    );
    expect(waiting[0]!.content).toEqual({
      kind: 'mentoring.match.requested',
      relationshipId: request.id,
    });

    const candidates = await senior.mentoring.match.candidates.query({
      relationshipId: request.id,
    });
    expect(candidates.ageBand).toBe('16-17');
    // Ranked: football (help 30 + interests 25 + language 10 + availability 25 + capacity 10)
    // ahead of drawing and the untouched mentors.
    expect(candidates.ranked[0]).toEqual({
      mentorId: alpha.football,
      name: 'mm_football (mentor)',
      score: 100,
      reasons: [
        { factor: 'help', points: 30, detail: 'Can help with 1 of 1 thing asked for: cv writing' },
        {
          factor: 'interests',
          points: 25,
          detail: 'Shares 2 of 2 interests: football, music',
        },
        { factor: 'language', points: 10, detail: "Speaks en, the member's language" },
        {
          factor: 'availability',
          points: 25,
          detail: 'Free at the same time as the member for 2 h a week',
        },
        { factor: 'capacity', points: 10, detail: 'Has room for 2 more of 2 mentees' },
      ],
    });
    expect(candidates.ranked.map((m) => m.mentorId)).toEqual(
      expect.arrayContaining([alpha.football, alpha.drawing]),
    );
    expect(candidates.ranked.map((m) => m.mentorId)).not.toEqual(
      expect.arrayContaining([alpha.expired]),
    );
    const excluded = Object.fromEntries(
      candidates.excluded.map((m) => [m.mentorId, m.reasons.map((r) => r.code)]),
    );
    expect(excluded).toEqual({
      [alpha.expired]: ['background-check-expired'],
      [alpha.untrained]: ['training-missing'],
      [alpha.youngOnly]: ['age-band-not-cleared'],
      [alpha.full]: ['no-capacity'],
      [alpha.welsh]: ['no-shared-language'],
      [alpha.incomplete]: ['profile-incomplete'],
    });

    // The coordinator cannot pick a mentor who fails a constraint, nor someone who is not one.
    for (const [mentorId, message] of [
      [alpha.expired, 'The background check expired on'],
      [alpha.youngOnly, 'Not cleared to mentor members aged 16-17'],
      [alpha.full, 'Is not taking new mentees at the moment'],
    ] as const) {
      expect(
        await outcome(
          senior.mentoring.match.approve.mutate({
            relationshipId: request.id,
            expectedVersion: 1,
            mentorId,
          }),
        ),
      ).toMatch(`PRECONDITION_FAILED: This mentor cannot take on this member: ${message}`);
    }
    for (const mentorId of [memberId, alpha.senior, randomUUID()]) {
      expect(
        await refusal(
          senior.mentoring.match.approve.mutate({
            relationshipId: request.id,
            expectedVersion: 1,
            mentorId,
          }),
        ),
      ).toEqual({ code: 'NOT_FOUND', message: 'Mentor not found', fieldErrors: {} });
    }
    expect(
      await refusal(
        senior.mentoring.match.approve.mutate({ relationshipId: request.id, expectedVersion: 1 }),
      ),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { mentorId: ['Choose the mentor for this member'] },
    });
    expect(
      await outcome(
        senior.mentoring.match.approve.mutate({
          relationshipId: request.id,
          expectedVersion: 2,
          mentorId: alpha.football,
        }),
      ),
    ).toBe(
      'CONFLICT: This relationship has changed since you opened it (now version 1). Reload it and try again.',
    );

    const approved = await senior.mentoring.match.approve.mutate({
      relationshipId: request.id,
      expectedVersion: 1,
      mentorId: alpha.football,
    });
    expect(approved).toMatchObject({
      status: 'active',
      mentor: { id: alpha.football, name: 'mm_football (mentor)' },
      next: ['pause', 'close'],
      version: 2,
    });
    expect(approved.startedAt).toEqual(approved.decidedAt);
    // Decided once: a second approval is refused by the state machine.
    expect(
      await outcome(
        admin.mentoring.match.approve.mutate({
          relationshipId: request.id,
          expectedVersion: 2,
          mentorId: alpha.drawing,
        }),
      ),
    ).toBe("BAD_REQUEST: Can't accept a active relationship — it can only be paused or closed");
    expect(
      await outcome(senior.mentoring.match.candidates.query({ relationshipId: request.id })),
    ).toBe('BAD_REQUEST: This request has already been decided (the relationship is active)');

    // The member and the mentor are told that it started (whoever approved is not) — the
    // member not before the end of quiet hours, when the test runs at night.
    await drain(p);
    const told = (await deliveries(p, p.alpha.id)).filter(
      (d) =>
        (d.content as { relationshipId?: string; kind: string }).relationshipId === request.id &&
        (d.content as { kind: string }).kind === 'mentoring.relationship.changed',
    );
    const decidedAt = new Date(approved.decidedAt!);
    const { timeZone, mentoring } = parseTenantConfig(tenantConfig('Alpha Youth Trust'));
    const night = isQuietTime(decidedAt, timeZone, mentoring.quietHours);
    expect(told.map((d) => d.recipient).sort()).toEqual(
      (night ? [`user:${alpha.football}`] : [`user:${memberId}`, `user:${alpha.football}`]).sort(),
    );
    const waitingForMorning = (await outbox(p, p.alpha.id)).filter(
      (e) =>
        (e.payload as { relationshipId?: string; recipientId?: string }).relationshipId ===
          request.id && (e.payload as { recipientId?: string }).recipientId === memberId,
    );
    expect(waitingForMorning.map((e) => e.availableAt)).toEqual([
      night ? quietHoursEnd(decidedAt, timeZone, mentoring.quietHours) : expect.any(Date),
    ]);
    // At night it is still waiting; by day it was delivered with the mentor's.
    expect(waitingForMorning.map((e) => e.completedAt === null)).toEqual([night]);
    expect(told[0]!.content).toMatchObject({ status: 'active' });

    const audit = await inTenant(p, p.alpha.id, (tx) =>
      tx
        .select({ action: auditEvents.action, actorId: auditEvents.actorId })
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, p.alpha.id), eq(auditEvents.subjectId, request.id))),
    );
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'mentoring.match.request', actorId: memberId },
        { action: 'mentoring.match.approve', actorId: alpha.senior },
      ]),
    );

    // One request or relationship at a time.
    expect(await outcome(member.mentoring.match.request.mutate({ interests: ['football'] }))).toBe(
      'CONFLICT: You already have a mentor, or a request waiting for one',
    );
  });

  test('the age band comes from the member’s record, never from what they send', async () => {
    await account(p, p.alpha.id, 'mm_young', ['member'], { ageBand: '13-15' });
    const young = await as(p, p.alpha.host, 'mm_young');
    const claimed = await refusal(
      young.mentoring.match.request.mutate({
        interests: ['football'],
        ageBand: '18-21',
      } as never),
    );
    expect(claimed.code).toBe('BAD_REQUEST');
    expect(Object.keys(claimed.fieldErrors ?? {})).toEqual(['_form']);
    const { relationship } = await young.mentoring.match.request.mutate({
      interests: ['football'],
    });
    const candidates = await senior.mentoring.match.candidates.query({
      relationshipId: relationship!.id,
    });
    expect(candidates.ageBand).toBe('13-15');
    // Only the mentor cleared for 13–15 year olds can be proposed.
    expect(candidates.ranked.map((m) => m.mentorId)).toEqual([alpha.youngOnly]);
    expect(candidates.excluded.find((m) => m.mentorId === alpha.football)?.reasons).toEqual([
      { code: 'age-band-not-cleared', message: 'Not cleared to mentor members aged 13-15' },
    ]);
  });

  test('a member’s request that names a mentor is refused where coordinators choose', async () => {
    await account(p, p.alpha.id, 'mm_chooser', ['member']);
    const member = await as(p, p.alpha.host, 'mm_chooser');
    expect(
      await refusal(member.mentoring.match.request.mutate({ mentorId: alpha.football })),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: {
        mentorId: ['Here a coordinator chooses your mentor with you: leave this out'],
      },
    });
  });

  test('words about the help wanted are screened: refused words ask for nothing, held words wait for a moderator', async () => {
    await account(p, p.alpha.id, 'mm_sharer', ['member'], { ageBand: '13-15' });
    const member = await as(p, p.alpha.host, 'mm_sharer');
    const blocked = await member.mentoring.match.request.mutate({
      helpText: 'text me on 07700 900123 x',
    });
    expect(blocked.relationship).toBeNull();
    expect(blocked.help).toMatchObject({ status: 'blocked', helplines: [] });
    expect(await member.mentoring.relationships.list.query()).toEqual([]);

    const words = "honestly i don't want to be here anymore, i want to kill myself";
    const held = await member.mentoring.match.request.mutate({ helpText: words });
    expect(held.help?.status).toBe('held');
    expect(held.help?.helplines).toEqual(tenantConfig('Alpha Youth Trust').helplines);
    const request = held.relationship!;
    expect(request).toMatchObject({ helpText: words, helpTextState: 'held' });
    // Coordinators see the request, not the words, until a moderator releases them.
    const seen = await senior.mentoring.relationships.get.query({ relationshipId: request.id });
    expect(seen).toMatchObject({ helpText: null, helpTextState: null, helpTextId: null });
    const [item] = await inTenant(p, p.alpha.id, (tx) =>
      tx
        .select()
        .from(moderationItems)
        .where(
          and(
            eq(moderationItems.tenantId, p.alpha.id),
            eq(moderationItems.contentKind, 'mentoring.request'),
          ),
        ),
    );
    expect(item).toMatchObject({ visibility: 'held', authorId: request.member.id });
    const stored = await inTenant(p, p.alpha.id, (tx) =>
      tx
        .select({ id: mentoringRelationships.helpTextId })
        .from(mentoringRelationships)
        .where(eq(mentoringRelationships.id, request.id)),
    );
    expect(item!.contentId).toBe(stored[0]!.id);
  });
});

describe('capacity when approvals race', () => {
  test('two coordinators approving the last place at once: one match, the other refused', async () => {
    const mentor = await readyMentor(p, p.alpha, admin, 'mm_one_place', {
      capacity: 1,
      supervisorId: alpha.senior,
    });
    const requests: string[] = [];
    for (const name of ['mm_race_a', 'mm_race_b', 'mm_race_c']) {
      await account(p, p.alpha.id, name, ['member']);
      const member = await as(p, p.alpha.host, name);
      const { relationship } = await member.mentoring.match.request.mutate({});
      requests.push(relationship!.id);
    }
    const results = await Promise.all(
      requests.map((relationshipId, i) =>
        outcome(
          (i % 2 === 0 ? senior : admin).mentoring.match.approve.mutate({
            relationshipId,
            expectedVersion: 1,
            mentorId: mentor.id,
          }),
        ),
      ),
    );
    expect(results.filter((r) => r === 'OK')).toHaveLength(1);
    for (const refused of results.filter((r) => r !== 'OK')) {
      expect(refused).toBe(
        'PRECONDITION_FAILED: This mentor cannot take on this member: Already has 1 mentee, their limit is 1',
      );
    }
    const active = await inTenant(p, p.alpha.id, (tx) =>
      tx
        .select({ id: mentoringRelationships.id })
        .from(mentoringRelationships)
        .where(
          and(
            eq(mentoringRelationships.tenantId, p.alpha.id),
            eq(mentoringRelationships.mentorId, mentor.id),
            eq(mentoringRelationships.status, 'active'),
          ),
        ),
    );
    expect(active).toHaveLength(1);
    // The refused requests still wait, for another mentor.
    const profile = await mentor.client.mentoring.profile.get.query();
    expect(profile).toMatchObject({ currentMentees: 1, effectiveCapacity: 1 });
  });
});

describe('where members choose', () => {
  let tenant: Awaited<ReturnType<typeof addTenant>>;
  let tAdmin: HearthClient;
  const ids = { senior: '', first: '', second: '', lapsed: '', member: '' };

  beforeAll(async () => {
    tenant = await addTenant(p, 'choosing', {
      mentoring: { matching: 'member-chooses', proposals: 2 },
    });
    tAdmin = await as(p, tenant.host, tenant.admin.username);
    ids.senior = await account(p, tenant.id, 'ch_senior', ['senior_mentor']);
    ids.first = (
      await readyMentor(
        p,
        tenant,
        tAdmin,
        'ch_first',
        {
          interests: ['football', 'music'],
          skills: ['cv writing'],
          supervisorId: ids.senior,
        },
        'Fran',
      )
    ).id;
    ids.second = (
      await readyMentor(p, tenant, tAdmin, 'ch_second', { interests: ['music'], skills: [] }, 'Sol')
    ).id;
    await readyMentor(p, tenant, tAdmin, 'ch_third', { interests: [], skills: [] }, 'Tam');
    ids.lapsed = (
      await readyMentor(p, tenant, tAdmin, 'ch_lapsed', {
        interests: ['football', 'music'],
        skills: ['cv writing'],
        trainingCompletedOn: dayFromNow(p, -800),
      })
    ).id;
    ids.member = await account(p, tenant.id, 'ch_member', ['member']);
  });

  test('members see the best few mentors with why, and nothing of their vetting or caseload', async () => {
    const member = await as(p, tenant.host, 'ch_member');
    const { proposals } = await member.mentoring.match.propose.query({
      interests: ['football', 'music'],
      helpWith: ['cv writing'],
    });
    // The tenant proposes two; the lapsed mentor, who would score best, is never proposed.
    expect(proposals.map((m) => [m.mentorId, m.name])).toEqual([
      [ids.first, 'Fran'],
      [ids.second, 'Sol'],
    ]);
    expect(proposals[0]).toEqual({
      mentorId: ids.first,
      name: 'Fran',
      score: 65,
      reasons: [
        { factor: 'help', points: 30, detail: 'Can help with 1 of 1 thing asked for: cv writing' },
        { factor: 'interests', points: 25, detail: 'Shares 2 of 2 interests: football, music' },
        { factor: 'language', points: 0, detail: 'The member gave no language preference' },
        { factor: 'availability', points: 0, detail: 'The member gave no availability' },
        // The points count; how many mentees the mentor has is not said.
        { factor: 'capacity', points: 10, detail: 'Has room to take on a new mentee' },
      ],
    });
    const text = JSON.stringify(proposals);
    for (const secret of [
      'backgroundCheck',
      'expiresOn',
      'training',
      'clearedAgeBands',
      'mentees',
    ]) {
      expect(text).not.toContain(secret);
    }
    // Staff do not get the member's view.
    expect(await outcome(tAdmin.mentoring.match.propose.query({}))).toBe(
      'FORBIDDEN: You do not have permission to do that',
    );
  });

  test('the member names a mentor, who accepts; a mentor who fails a constraint cannot be named', async () => {
    const member = await as(p, tenant.host, 'ch_member');
    expect(
      await refusal(member.mentoring.match.request.mutate({ interests: ['music'] })),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { mentorId: ['Choose a mentor from the proposals'] },
    });
    // The reason is not the member's to know.
    expect(await outcome(member.mentoring.match.request.mutate({ mentorId: ids.lapsed }))).toBe(
      'PRECONDITION_FAILED: This mentor cannot take you on at the moment — please choose another',
    );
    for (const mentorId of [ids.senior, randomUUID(), p.alpha.adminId, alpha.football]) {
      expect(await refusal(member.mentoring.match.request.mutate({ mentorId }))).toEqual({
        code: 'NOT_FOUND',
        message: 'Mentor not found',
        fieldErrors: {},
      });
    }
    const { relationship } = await member.mentoring.match.request.mutate({
      mentorId: ids.second,
      interests: ['music'],
    });
    expect(relationship).toMatchObject({
      status: 'requested',
      matching: 'member-chooses',
      mentor: { id: ids.second, name: 'Sol' },
    });
    const id = relationship!.id;

    // Another mentor cannot see or act on it; the chosen one can.
    const first = await as(p, tenant.host, 'ch_first');
    const second = await as(p, tenant.host, 'ch_second');
    const missing = await refusal(
      first.mentoring.relationships.get.query({ relationshipId: randomUUID() }),
    );
    expect(missing).toEqual({
      code: 'NOT_FOUND',
      message: 'Relationship not found',
      fieldErrors: {},
    });
    expect(await refusal(first.mentoring.relationships.get.query({ relationshipId: id }))).toEqual(
      missing,
    );
    expect(
      await refusal(
        first.mentoring.match.approve.mutate({ relationshipId: id, expectedVersion: 1 }),
      ),
    ).toEqual(missing);
    expect(await first.mentoring.relationships.list.query()).toEqual([]);
    // The chosen mentor accepts; they cannot swap themselves for someone else.
    expect(
      await refusal(
        second.mentoring.match.approve.mutate({
          relationshipId: id,
          expectedVersion: 1,
          mentorId: ids.first,
        }),
      ),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: {
        mentorId: ['The member chose another mentor: approve that one, or decline the request'],
      },
    });
    const accepted = await second.mentoring.match.approve.mutate({
      relationshipId: id,
      expectedVersion: 1,
    });
    expect(accepted).toMatchObject({ status: 'active', mentor: { id: ids.second } });
    expect((await second.mentoring.relationships.list.query()).map((r) => r.id)).toEqual([id]);
  });

  test('a mentor declines, saying why; the member may withdraw a request of their own', async () => {
    await account(p, tenant.id, 'ch_member2', ['member']);
    const member = await as(p, tenant.host, 'ch_member2');
    const first = await as(p, tenant.host, 'ch_first');
    const { relationship } = await member.mentoring.match.request.mutate({ mentorId: ids.first });
    const declined = await first.mentoring.match.decline.mutate({
      relationshipId: relationship!.id,
      expectedVersion: 1,
      reason: 'I am away for a month — Sol would be great for you',
    });
    expect(declined).toMatchObject({
      status: 'declined',
      declineReason: 'I am away for a month — Sol would be great for you',
      next: [],
    });
    // Declined is final, and frees the member to ask again.
    expect(
      await outcome(
        first.mentoring.match.approve.mutate({
          relationshipId: relationship!.id,
          expectedVersion: 2,
        }),
      ),
    ).toBe("BAD_REQUEST: Can't accept a declined relationship — it has ended");
    const again = await member.mentoring.match.request.mutate({ mentorId: ids.first });
    const withdrawn = await member.mentoring.match.decline.mutate({
      relationshipId: again.relationship!.id,
      expectedVersion: 1,
    });
    expect(withdrawn).toMatchObject({ status: 'declined', declineReason: null });
    // A member cannot approve their own request.
    const third = await member.mentoring.match.request.mutate({ mentorId: ids.first });
    expect(
      await outcome(
        member.mentoring.match.approve.mutate({
          relationshipId: third.relationship!.id,
          expectedVersion: 1,
        }),
      ),
    ).toBe('FORBIDDEN: You do not have permission to do that');
  });
});
