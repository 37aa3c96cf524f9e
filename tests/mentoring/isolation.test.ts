import { randomUUID } from 'node:crypto';
import type { HearthClient } from '@hearth/client';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rows } from '../support/db.js';
import { addTenant } from '../support/identity.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { account, as, dayFromNow, inTenant, readyMentor, refusal } from './support.js';

/**
 * Another tenant's ids, used by the people of this one who could use such an id at home: every
 * answer is exactly the answer for an id that exists nowhere, and nothing changes in either
 * tenant. (tests/server/isolation.test.ts probes the procedures an org admin can call with an
 * id alone; these need a senior mentor, a member, or a full input.)
 */

let p: TestPlatform;
const alpha = { admin: null as unknown as HearthClient, senior: '', mentor: '', member: '' };
const beta = { senior: '', mentor: '', member: '', relationship: '', request: '', case: '' };
let seniorClient: HearthClient;
let memberClient: HearthClient;
let activeId = '';
let waitingId = '';

const MENTORING_TABLES = ['mentor_profiles', 'mentoring_relationships', 'supervision_sessions'];

/** Every row of the mentoring tables, the outbox and the audit trail of one tenant. */
async function snapshot(tenantId: string) {
  return inTenant(p, tenantId, async (tx) => {
    const out: Record<string, unknown[]> = {};
    for (const table of [
      ...MENTORING_TABLES,
      'outbox_events',
      'audit_events',
      'moderation_items',
    ]) {
      out[table] = rows(
        await tx.execute(sql`select * from ${sql.identifier(table)} order by 1, 2`),
      );
    }
    return out;
  });
}

/** Calls `call` with a made-up id and with each of beta's ids; all answers must be the same. */
async function sameAsNowhere(
  call: (id: string) => Promise<unknown>,
  betaIds: string[],
): Promise<unknown> {
  const alphaBefore = await snapshot(p.alpha.id);
  const betaBefore = await snapshot(p.beta.id);
  const nowhere = await refusal(call(randomUUID()));
  for (const id of betaIds) {
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    for (const variant of [id, id.toUpperCase()]) {
      expect(await refusal(call(variant)), variant).toEqual(nowhere);
    }
  }
  expect(await snapshot(p.alpha.id)).toEqual(alphaBefore);
  expect(await snapshot(p.beta.id)).toEqual(betaBefore);
  return nowhere;
}

beforeAll(async () => {
  p = await startTestPlatform();
  alpha.admin = await as(p, p.alpha.host, p.alpha.admin.username);
  alpha.senior = await account(p, p.alpha.id, 'iso_senior', ['senior_mentor']);
  alpha.mentor = (
    await readyMentor(p, p.alpha, alpha.admin, 'iso_mentor', { supervisorId: alpha.senior })
  ).id;
  alpha.member = await account(p, p.alpha.id, 'iso_member', ['member']);
  seniorClient = await as(p, p.alpha.host, 'iso_senior');
  memberClient = await as(p, p.alpha.host, 'iso_member');
  const active = (await memberClient.mentoring.match.request.mutate({})).relationship!;
  activeId = (
    await seniorClient.mentoring.match.approve.mutate({
      relationshipId: active.id,
      expectedVersion: 1,
      mentorId: alpha.mentor,
    })
  ).id;
  await account(p, p.alpha.id, 'iso_waiting', ['member']);
  const waiting = await as(p, p.alpha.host, 'iso_waiting');
  waitingId = (await waiting.mentoring.match.request.mutate({})).relationship!.id;

  // beta: a supervised mentor with a member, a waiting request, a case and a session.
  const betaAdmin = await as(p, p.beta.host, p.beta.admin.username);
  beta.senior = await account(p, p.beta.id, 'isob_senior', ['senior_mentor']);
  beta.mentor = (
    await readyMentor(p, p.beta, betaAdmin, 'isob_mentor', { supervisorId: beta.senior })
  ).id;
  beta.member = await account(p, p.beta.id, 'isob_member', ['member']);
  const betaMember = await as(p, p.beta.host, 'isob_member');
  const betaSenior = await as(p, p.beta.host, 'isob_senior');
  const request = (await betaMember.mentoring.match.request.mutate({})).relationship!;
  beta.relationship = (
    await betaSenior.mentoring.match.approve.mutate({
      relationshipId: request.id,
      expectedVersion: 1,
      mentorId: beta.mentor,
    })
  ).id;
  await account(p, p.beta.id, 'isob_waiting', ['member']);
  const betaWaiting = await as(p, p.beta.host, 'isob_waiting');
  beta.request = (await betaWaiting.mentoring.match.request.mutate({})).relationship!.id;
  beta.case = (
    await betaSenior.safeguarding.concerns.raise.mutate({
      subjectUserId: beta.member,
      category: 'abuse_neglect',
      severity: 'high',
      note: 'Beta only',
    })
  ).caseId;
  await betaSenior.mentoring.supervision.record.mutate({
    mentorId: beta.mentor,
    heldOn: dayFromNow(p, -1),
    notes: 'Beta supervision',
  });
});
afterAll(async () => {
  await p?.close();
});

describe('another tenant’s ids', () => {
  test('mentoring.vetting.update: beta’s mentor and beta’s senior mentor are unknown', async () => {
    const vetting = (changes: Record<string, string>) => ({
      mentorId: alpha.mentor,
      expectedVersion: 1,
      backgroundCheck: { status: 'clear' as const, expiresOn: null },
      trainingCompletedOn: dayFromNow(p, -5),
      clearedAgeBands: ['16-17' as const],
      ...changes,
    });
    const missingMentor = await sameAsNowhere(
      (mentorId) => alpha.admin.mentoring.vetting.update.mutate(vetting({ mentorId })),
      [beta.mentor, beta.senior],
    );
    expect(missingMentor).toMatchObject({ code: 'NOT_FOUND', message: 'Mentor not found' });
    const missingSupervisor = await sameAsNowhere(
      (supervisorId) => alpha.admin.mentoring.vetting.update.mutate(vetting({ supervisorId })),
      [beta.senior],
    );
    expect(missingSupervisor).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { supervisorId: [expect.any(String)] },
    });
  });

  test('mentoring.match.request: beta’s mentor cannot be chosen where members choose', async () => {
    const choosing = await addTenant(p, 'iso-choose', {
      mentoring: { matching: 'member-chooses' },
    });
    await account(p, choosing.id, 'isoc_member', ['member']);
    const member = await as(p, choosing.host, 'isoc_member');
    const missing = await sameAsNowhere(
      (mentorId) => member.mentoring.match.request.mutate({ mentorId }),
      [beta.mentor],
    );
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: 'Mentor not found' });
  });

  test('mentoring.match.approve, decline and candidates: beta’s requests and mentors are unknown', async () => {
    const missing = await sameAsNowhere(
      (relationshipId) =>
        seniorClient.mentoring.match.approve.mutate({
          relationshipId,
          expectedVersion: 1,
          mentorId: alpha.mentor,
        }),
      [beta.request, beta.relationship],
    );
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: 'Relationship not found' });
    const noMentor = await sameAsNowhere(
      (mentorId) =>
        seniorClient.mentoring.match.approve.mutate({
          relationshipId: waitingId,
          expectedVersion: 1,
          mentorId,
        }),
      [beta.mentor],
    );
    expect(noMentor).toMatchObject({ code: 'NOT_FOUND', message: 'Mentor not found' });
    await sameAsNowhere(
      (relationshipId) =>
        seniorClient.mentoring.match.decline.mutate({ relationshipId, expectedVersion: 1 }),
      [beta.request, beta.relationship],
    );
    await sameAsNowhere(
      (relationshipId) => seniorClient.mentoring.match.candidates.query({ relationshipId }),
      [beta.request],
    );
  });

  test('mentoring.relationships.transition: beta’s relationship and beta’s case are unknown', async () => {
    const missing = await sameAsNowhere(
      (relationshipId) =>
        alpha.admin.mentoring.relationships.transition.mutate({
          relationshipId,
          expectedVersion: 2,
          event: { type: 'pause' },
        }),
      [beta.relationship],
    );
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: 'Relationship not found' });
    const noCase = await sameAsNowhere(
      (safeguardingCaseId) =>
        seniorClient.mentoring.relationships.transition.mutate({
          relationshipId: activeId,
          expectedVersion: 2,
          event: { type: 'close', reason: 'concern', safeguardingCaseId },
        }),
      [beta.case],
    );
    expect(noCase).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { 'event.safeguardingCaseId': [expect.any(String)] },
    });
    // Members probing relationships of the other tenant get the same, too.
    await sameAsNowhere(
      (relationshipId) =>
        memberClient.mentoring.relationships.transition.mutate({
          relationshipId,
          expectedVersion: 2,
          event: { type: 'pause' },
        }),
      [beta.relationship],
    );
  });

  test('mentoring.supervision.record and list: beta’s mentor is unknown', async () => {
    const missing = await sameAsNowhere(
      (mentorId) => seniorClient.mentoring.supervision.list.query({ mentorId }),
      [beta.mentor],
    );
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: 'Mentor not found' });
    await sameAsNowhere(
      (mentorId) =>
        seniorClient.mentoring.supervision.record.mutate({
          mentorId,
          heldOn: dayFromNow(p, -1),
          notes: 'Planted',
        }),
      [beta.mentor],
    );
  });

  test('the ids probed above work at home, so the refusals were about the tenant', async () => {
    const betaSenior = await as(p, p.beta.host, 'isob_senior');
    expect(
      (await betaSenior.mentoring.supervision.list.query({ mentorId: beta.mentor })).length,
    ).toBe(1);
    expect(
      (await betaSenior.mentoring.match.candidates.query({ relationshipId: beta.request }))
        .ranked[0]?.mentorId,
    ).toBe(beta.mentor);
    expect(
      await betaSenior.mentoring.relationships.transition.mutate({
        relationshipId: beta.relationship,
        expectedVersion: 2,
        event: { type: 'close', reason: 'concern', safeguardingCaseId: beta.case },
      }),
    ).toMatchObject({ status: 'closed', safeguardingCaseId: beta.case });
    // And alpha's own lists hold nothing of beta's.
    const everything = JSON.stringify([
      await alpha.admin.mentoring.relationships.list.query(),
      await alpha.admin.mentoring.mentors.list.query(),
    ]);
    for (const id of Object.values(beta)) expect(everything).not.toContain(id);
    expect(everything).not.toContain('isob_');
  });
});
