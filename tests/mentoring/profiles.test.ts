import { randomUUID } from 'node:crypto';
import type { HearthClient } from '@hearth/client';
import { auditEvents, mentorProfiles, supervisionSessions } from '@hearth/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import {
  account,
  as,
  DAY,
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
 * Mentor profiles and vetting: the mentor says what they offer, the organisation records
 * checks, training, supervisor and cleared age bands; a mentor whose check expired or whose
 * training lapsed is flagged to org admins (in the list, and by a timer on the day); senior
 * mentors see their supervisees and record supervision, with notes encrypted.
 */

let p: TestPlatform;
let admin: HearthClient;
let senior: HearthClient;
let otherSenior: HearthClient;
const ids = { senior: '', otherSenior: '', mentor: '', member: '', moderator: '' };
let mentor: HearthClient;

const NOT_FOUND = { code: 'NOT_FOUND', message: 'Mentor not found', fieldErrors: {} };

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await as(p, p.alpha.host, p.alpha.admin.username);
  ids.senior = await account(p, p.alpha.id, 'mp_senior', ['senior_mentor']);
  ids.otherSenior = await account(p, p.alpha.id, 'mp_senior2', ['senior_mentor']);
  ids.mentor = await account(p, p.alpha.id, 'mp_mentor', ['mentor'], { displayName: 'Mo' });
  ids.member = await account(p, p.alpha.id, 'mp_member', ['member']);
  ids.moderator = await account(p, p.alpha.id, 'mp_moderator', ['moderator']);
  senior = await as(p, p.alpha.host, 'mp_senior');
  otherSenior = await as(p, p.alpha.host, 'mp_senior2');
  mentor = await as(p, p.alpha.host, 'mp_mentor');
});
afterAll(async () => {
  await p?.close();
});

describe('a mentor’s profile', () => {
  test('the mentor says what they offer; it is normalised, and their vetting starts pending', async () => {
    const before = await mentor.mentoring.profile.get.query();
    expect(before).toMatchObject({
      mentorId: ids.mentor,
      languages: [],
      eligible: false,
      vetting: { version: 0, backgroundCheck: { status: 'pending', expiresOn: null } },
      setupProblems: [expect.objectContaining({ code: 'profile-missing' })],
    });
    const saved = await mentor.mentoring.profile.update.mutate({
      skills: ['CV  writing', 'cv writing', 'Maths'],
      interests: [' Football '],
      languages: ['en-gb', 'cy'],
      availability: [{ day: 'tue', start: '18:00', end: '20:00' }],
      capacity: 3,
    });
    expect(saved).toMatchObject({
      skills: ['cv writing', 'maths'],
      interests: ['football'],
      languages: ['en-GB', 'cy'],
      capacity: 3,
      effectiveCapacity: 3,
      currentMentees: 0,
      clearedAgeBands: [],
      eligible: false,
      vettingProblems: [
        { code: 'background-check-pending', message: 'The background check has not come back yet' },
        { code: 'training-missing', message: 'Training has not been completed' },
      ],
      setupProblems: [{ code: 'no-age-bands', message: 'Is not cleared for any age band yet' }],
    });
    // Leaving capacity out uses the tenant's default.
    const byDefault = await mentor.mentoring.profile.update.mutate({ languages: ['en'] });
    expect(byDefault).toMatchObject({ capacity: null, effectiveCapacity: 2, skills: [] });
  });

  test('the mentor cannot touch their own vetting, and only mentors have a profile to edit', async () => {
    const sneaky = await refusal(
      mentor.mentoring.profile.update.mutate({
        languages: ['en'],
        vetting: { backgroundCheck: { status: 'clear', expiresOn: null } },
      } as never),
    );
    expect(sneaky.code).toBe('BAD_REQUEST');
    expect(
      await outcome(
        mentor.mentoring.vetting.update.mutate({
          mentorId: ids.mentor,
          expectedVersion: 0,
          backgroundCheck: { status: 'clear', expiresOn: null },
          trainingCompletedOn: null,
          clearedAgeBands: ['16-17'],
        }),
      ),
    ).toBe('FORBIDDEN: You do not have permission to do that');
    for (const who of ['mp_member', 'mp_moderator', 'mp_senior']) {
      const client = await as(p, p.alpha.host, who);
      expect(
        await outcome(client.mentoring.profile.update.mutate({ languages: ['en'] })),
        who,
      ).toBe('FORBIDDEN: You do not have permission to do that');
    }
    const [row] = await inTenant(p, p.alpha.id, (tx) =>
      tx.select().from(mentorProfiles).where(eq(mentorProfiles.mentorId, ids.mentor)),
    );
    expect(row).toMatchObject({ backgroundCheckStatus: 'pending', vettingVersion: 0 });
  });

  test('an org admin records the vetting, at the version they saw, and never their own', async () => {
    const vetting = {
      mentorId: ids.mentor,
      backgroundCheck: { status: 'clear' as const, expiresOn: dayFromNow(p, 700) },
      trainingCompletedOn: dayFromNow(p, -20),
      supervisorId: ids.senior,
      clearedAgeBands: ['16-17' as const, '18-21' as const, '16-17' as const],
    };
    expect(
      await outcome(admin.mentoring.vetting.update.mutate({ ...vetting, expectedVersion: 1 })),
    ).toBe(
      "CONFLICT: This mentor's vetting has changed since you opened it (now version 0). Reload it and record it again.",
    );
    const saved = await admin.mentoring.vetting.update.mutate({ ...vetting, expectedVersion: 0 });
    expect(saved).toMatchObject({
      // The mentor's own part is kept.
      languages: ['en'],
      clearedAgeBands: ['16-17', '18-21'],
      eligible: true,
      vettingProblems: [],
      setupProblems: [],
      vetting: {
        backgroundCheck: vetting.backgroundCheck,
        trainingCompletedOn: vetting.trainingCompletedOn,
        trainingValidForMonths: null,
        supervisorId: ids.senior,
        version: 1,
      },
    });
    // The check (in 700 days) runs out before training of 20 days ago lapses (24 months).
    expect(saved.eligibleUntil).toBe(vetting.backgroundCheck.expiresOn);
    // A change by the mentor does not move the vetting's version.
    await mentor.mentoring.profile.update.mutate({ languages: ['en'], interests: ['chess'] });
    expect((await mentor.mentoring.profile.get.query()).vetting.version).toBe(1);

    // The supervisor must be an active senior mentor of this organisation.
    for (const supervisorId of [ids.member, ids.mentor, randomUUID(), p.beta.adminId]) {
      expect(
        await refusal(
          admin.mentoring.vetting.update.mutate({ ...vetting, expectedVersion: 1, supervisorId }),
        ),
      ).toEqual({
        code: 'BAD_REQUEST',
        message: 'Choose an active senior mentor of this organisation, other than the mentor',
        fieldErrors: {
          supervisorId: [
            'Choose an active senior mentor of this organisation, other than the mentor',
          ],
        },
      });
    }
    expect(
      await refusal(
        admin.mentoring.vetting.update.mutate({
          ...vetting,
          expectedVersion: 1,
          trainingCompletedOn: dayFromNow(p, 2),
        }),
      ),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { trainingCompletedOn: ['Training cannot have been completed after today'] },
    });
    // Only mentors have vetting; an admin who mentors cannot record their own.
    for (const mentorId of [ids.member, ids.senior, randomUUID()]) {
      expect(
        await refusal(
          admin.mentoring.vetting.update.mutate({ ...vetting, mentorId, expectedVersion: 0 }),
        ),
      ).toEqual(NOT_FOUND);
    }
    await account(p, p.alpha.id, 'mp_admin_mentor', ['org_admin', 'mentor']);
    const adminMentor = await as(p, p.alpha.host, 'mp_admin_mentor');
    const me = (await adminMentor.identity.me.query())!.id;
    expect(
      await outcome(
        adminMentor.mentoring.vetting.update.mutate({
          ...vetting,
          mentorId: me,
          expectedVersion: 0,
        }),
      ),
    ).toBe('FORBIDDEN: Someone else in the organisation must record your own vetting');

    const audit = await inTenant(p, p.alpha.id, (tx) =>
      tx
        .select({ action: auditEvents.action, detail: auditEvents.detail })
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.subjectId, ids.mentor),
            eq(auditEvents.action, 'mentoring.vetting.update'),
          ),
        ),
    );
    expect(audit).toEqual([
      {
        action: 'mentoring.vetting.update',
        detail: {
          changed: ['backgroundCheck', 'training', 'supervisor', 'clearedAgeBands'],
          version: 1,
          backgroundCheck: 'clear',
        },
      },
    ]);
  });

  test('is seen by the mentor, their supervisor and org admins; to anyone else it does not exist', async () => {
    expect((await senior.mentoring.profile.get.query({ mentorId: ids.mentor })).mentorId).toBe(
      ids.mentor,
    );
    expect((await admin.mentoring.profile.get.query({ mentorId: ids.mentor })).mentorId).toBe(
      ids.mentor,
    );
    const nowhere = await refusal(
      otherSenior.mentoring.profile.get.query({ mentorId: randomUUID() }),
    );
    expect(nowhere).toEqual(NOT_FOUND);
    expect(
      await refusal(otherSenior.mentoring.profile.get.query({ mentorId: ids.mentor })),
    ).toEqual(nowhere);
    const member = await as(p, p.alpha.host, 'mp_member');
    expect(await refusal(member.mentoring.profile.get.query({ mentorId: ids.mentor }))).toEqual(
      nowhere,
    );
    // A member or a senior mentor asking for "their own" mentor profile has none.
    expect(await refusal(member.mentoring.profile.get.query())).toEqual(nowhere);
    const other = await readyMentor(p, p.alpha, admin, 'mp_other');
    expect(
      await refusal(other.client.mentoring.profile.get.query({ mentorId: ids.mentor })),
    ).toEqual(nowhere);
  });
});

describe('mentors flagged to org admins', () => {
  test('the list shows each mentor’s standing and caseload; senior mentors see their supervisees only', async () => {
    const expired = await readyMentor(p, p.alpha, admin, 'mp_expired', {
      check: { status: 'clear', expiresOn: dayFromNow(p, -3) },
      supervisorId: ids.senior,
    });
    const lapsed = await readyMentor(p, p.alpha, admin, 'mp_lapsed', {
      trainingCompletedOn: dayFromNow(p, -(365 * 2 + 40)),
    });
    await account(p, p.alpha.id, 'mp_blank', ['mentor']);
    const list = await admin.mentoring.mentors.list.query();
    const byName = Object.fromEntries(list.map((m) => [m.username, m]));
    expect(byName.mp_expired).toMatchObject({
      flagged: true,
      eligible: false,
      vettingProblems: [
        {
          code: 'background-check-expired',
          message: `The background check expired on ${dayFromNow(p, -3)}`,
        },
      ],
    });
    expect(byName.mp_lapsed).toMatchObject({
      flagged: true,
      vettingProblems: [expect.objectContaining({ code: 'training-lapsed' })],
    });
    expect(byName.mp_blank).toMatchObject({
      flagged: true,
      setupProblems: [expect.objectContaining({ code: 'profile-missing' })],
    });
    expect(byName.mp_mentor).toMatchObject({ flagged: false, relationships: [] });
    const flagged = await admin.mentoring.mentors.list.query({ flaggedOnly: true });
    expect(flagged.map((m) => m.username).sort()).toEqual(
      ['mp_admin_mentor', 'mp_blank', 'mp_expired', 'mp_lapsed'].sort(),
    );
    expect(flagged.map((m) => m.mentorId)).toEqual(expect.arrayContaining([expired.id, lapsed.id]));

    // A supervisee's caseload: the member's request, then the match.
    const member = await as(p, p.alpha.host, 'mp_member');
    const { relationship } = await member.mentoring.match.request.mutate({});
    await senior.mentoring.match.approve.mutate({
      relationshipId: relationship!.id,
      expectedVersion: 1,
      mentorId: ids.mentor,
    });
    const mine = await senior.mentoring.mentors.list.query();
    expect(mine.map((m) => m.username)).toEqual(['mp_expired', 'mp_mentor']);
    expect(mine.find((m) => m.username === 'mp_mentor')).toMatchObject({
      currentMentees: 1,
      relationships: [
        { id: relationship!.id, status: 'active', member: { id: ids.member, name: 'mp_member' } },
      ],
    });
    expect(await otherSenior.mentoring.mentors.list.query()).toEqual([]);
    expect(await outcome(mentor.mentoring.mentors.list.query())).toBe(
      'FORBIDDEN: You do not have permission to do that',
    );
  });
});

describe('supervision', () => {
  test('the supervisor records sessions, kept encrypted, and reads them back; nobody else can', async () => {
    const recorded = await senior.mentoring.supervision.record.mutate({
      mentorId: ids.mentor,
      heldOn: dayFromNow(p, -1),
      durationMinutes: 50,
      notes: 'Talked through how Mo handled a disclosure about home',
    });
    expect(recorded).toMatchObject({
      mentorId: ids.mentor,
      supervisorId: ids.senior,
      heldOn: dayFromNow(p, -1),
      durationMinutes: 50,
    });
    const [stored] = await inTenant(p, p.alpha.id, (tx) =>
      tx.select().from(supervisionSessions).where(eq(supervisionSessions.id, recorded.id)),
    );
    expect(stored!.notes.startsWith('hearth1.')).toBe(true);
    expect(stored!.notes).not.toContain('disclosure');
    expect(await senior.mentoring.supervision.list.query({ mentorId: ids.mentor })).toEqual([
      {
        id: recorded.id,
        mentorId: ids.mentor,
        supervisorId: ids.senior,
        heldOn: dayFromNow(p, -1),
        durationMinutes: 50,
        notes: 'Talked through how Mo handled a disclosure about home',
        createdAt: recorded.createdAt,
      },
    ]);
    expect(
      await refusal(
        senior.mentoring.supervision.record.mutate({
          mentorId: ids.mentor,
          heldOn: dayFromNow(p, 1),
          notes: 'Not yet',
        }),
      ),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { heldOn: ['A session cannot be recorded before it is held'] },
    });

    // Another senior mentor, the mentor, an admin: not theirs.
    const nowhere = await refusal(
      otherSenior.mentoring.supervision.list.query({ mentorId: randomUUID() }),
    );
    expect(nowhere).toEqual(NOT_FOUND);
    expect(
      await refusal(otherSenior.mentoring.supervision.list.query({ mentorId: ids.mentor })),
    ).toEqual(nowhere);
    expect(
      await refusal(
        otherSenior.mentoring.supervision.record.mutate({
          mentorId: ids.mentor,
          heldOn: dayFromNow(p, 0),
          notes: 'x',
        }),
      ),
    ).toEqual(nowhere);
    for (const client of [mentor, admin]) {
      expect(await outcome(client.mentoring.supervision.list.query({ mentorId: ids.mentor }))).toBe(
        'FORBIDDEN: You do not have permission to do that',
      );
    }

    // A new supervisor takes over the history; the old one no longer sees it.
    const current = await admin.mentoring.profile.get.query({ mentorId: ids.mentor });
    await admin.mentoring.vetting.update.mutate({
      mentorId: ids.mentor,
      expectedVersion: current.vetting.version,
      backgroundCheck: current.vetting.backgroundCheck,
      trainingCompletedOn: current.vetting.trainingCompletedOn,
      supervisorId: ids.otherSenior,
      clearedAgeBands: current.clearedAgeBands,
    });
    expect(
      (await otherSenior.mentoring.supervision.list.query({ mentorId: ids.mentor })).map(
        (s) => s.id,
      ),
    ).toEqual([recorded.id]);
    expect(
      await refusal(senior.mentoring.supervision.list.query({ mentorId: ids.mentor })),
    ).toEqual(nowhere);

    const audit = await inTenant(p, p.alpha.id, (tx) =>
      tx
        .select({ action: auditEvents.action, actorId: auditEvents.actorId })
        .from(auditEvents)
        .where(eq(auditEvents.tenantId, p.alpha.id)),
    );
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'mentoring.supervision.record', actorId: ids.senior },
        { action: 'mentoring.supervision.read', actorId: ids.senior },
        { action: 'mentoring.supervision.read', actorId: ids.otherSenior },
      ]),
    );
  });
});

describe('the day vetting lapses', () => {
  // Last: it moves the platform's clock days ahead.
  test('org admins are told in the app, once, and only for the vetting the timer was set for', async () => {
    const soon = await readyMentor(p, p.alpha, admin, 'mp_soon', {
      check: { status: 'clear', expiresOn: dayFromNow(p, 3) },
    });
    const superseded = await readyMentor(p, p.alpha, admin, 'mp_renewed', {
      check: { status: 'clear', expiresOn: dayFromNow(p, 3) },
    });
    // The second mentor's check is renewed before it runs out: the first timer is moot.
    const renewed = await admin.mentoring.profile.get.query({ mentorId: superseded.id });
    await admin.mentoring.vetting.update.mutate({
      mentorId: superseded.id,
      expectedVersion: renewed.vetting.version,
      backgroundCheck: { status: 'clear', expiresOn: dayFromNow(p, 900) },
      trainingCompletedOn: renewed.vetting.trainingCompletedOn,
      clearedAgeBands: renewed.clearedAgeBands,
    });
    const timers = (await outbox(p, p.alpha.id)).filter(
      (e) =>
        e.topic === 'mentoring.vetting.lapse' &&
        (e.payload as { mentorId: string }).mentorId === soon.id,
    );
    expect(timers).toHaveLength(1);
    expect(timers[0]!.availableAt.toISOString()).toBe(`${dayFromNow(p, 3)}T12:00:00.000Z`);

    await drain(p);
    const lapsedNotices = async () =>
      (await deliveries(p, p.alpha.id)).filter(
        (d) => (d.content as { kind?: string }).kind === 'mentoring.vetting.lapsed',
      );
    expect(await lapsedNotices()).toEqual([]);

    p.clock.advance(4 * DAY);
    await drain(p);
    const admins = [p.alpha.adminId];
    // Sessions ran out while the clock moved on.
    const freshAdmin = await as(p, p.alpha.host, p.alpha.admin.username);
    const adminMentor = (await freshAdmin.identity.users.list.query()).users.find(
      (u) => u.username === 'mp_admin_mentor',
    )!.id;
    admins.push(adminMentor);
    const notices = await lapsedNotices();
    expect(notices.map((n) => n.recipient).sort()).toEqual(admins.map((id) => `user:${id}`).sort());
    for (const notice of notices) {
      expect(notice.content).toEqual({
        kind: 'mentoring.vetting.lapsed',
        mentorId: soon.id,
        problems: ['background-check-expired'],
      });
    }
    await drain(p);
    expect(await lapsedNotices()).toHaveLength(notices.length);
  });
});
