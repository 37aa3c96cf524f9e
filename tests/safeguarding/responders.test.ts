import { randomUUID } from 'node:crypto';
import { parseTenantConfig, type Role } from '@hearth/core';
import { outboxDeliveries, outboxEvents, safeguardingCases } from '@hearth/db';
import { CASE_ALERT, openCase } from '@hearth/server';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { namedAccount, outcome, signIn, signInAdmin } from '../support/identity.js';
import { startTestPlatform, type TestPlatform, tenantConfig } from '../support/platform.js';
import { relate, supervise } from './mentoring.js';

/**
 * Who each step of the ladder reaches. The mentor step is the young person's own mentor, the
 * senior mentor step that mentor's supervisor: nobody else in the organisation is told about
 * the case, or may take it on. A step that reaches nobody passes the case on at once.
 */

let p: TestPlatform;
const alpha = {
  lead: '',
  // young ↔ mentorOwn (active, supervised by seniorOwn); mentorOther mentors someone else.
  young: '',
  mentorOwn: '',
  mentorOther: '',
  seniorOwn: '',
  seniorOther: '',
  someoneElse: '',
  // paused ↔ mentorPaused (no supervisor).
  paused: '',
  mentorPaused: '',
  // ended: a closed relationship with mentorClosed, and a request to mentorAsked.
  ended: '',
  mentorClosed: '',
  mentorAsked: '',
  // alone: no mentor at all.
  alone: '',
  // leaving ↔ mentorLeaving, closed during a test.
  leaving: '',
  mentorLeaving: '',
  leavingRelationship: '',
};
const beta = { lead: '', alone: '' };

const account = (tenantId: string, username: string, roles: Role[]) =>
  namedAccount(p, tenantId, username, roles, '13-15');

async function as(host: string, username: string) {
  return (await signIn(p, host, username)).client;
}

const code = outcome;

const drain = async () => {
  while ((await p.platform.dispatcher.runOnce()).claimed > 0) {}
};

const inTenant = <T>(
  tenantId: string,
  fn: Parameters<TestPlatform['database']['db']['transaction']>[1],
) => p.database.db.transaction(tenantId, fn) as Promise<T>;

async function raise(
  subjectUserId: string,
  severity: 'medium' | 'high' | 'critical' = 'high',
  host = p.alpha.host,
  lead = 'rsp_lead',
) {
  const client = await as(host, lead);
  const { caseId } = await client.safeguarding.concerns.raise.mutate({
    subjectUserId,
    category: 'abuse_neglect',
    severity,
    note: 'Said someone at home hurts her',
  });
  return caseId;
}

/** The in-app alerts about a case at one step, as `user:<id>` sorted. */
async function alerted(caseId: string, step: number, tenantId = p.alpha.id) {
  const all = await inTenant<{ recipient: string; channel: string; content: unknown }[]>(
    tenantId,
    (tx) =>
      tx
        .select({
          recipient: outboxDeliveries.recipient,
          channel: outboxDeliveries.channel,
          content: outboxDeliveries.content,
        })
        .from(outboxDeliveries)
        .where(eq(outboxDeliveries.tenantId, tenantId)),
  );
  return all
    .filter((d) => {
      const c = d.content as { kind?: string; caseId?: string; step?: number };
      return (
        d.channel === 'inApp' &&
        c.kind === 'safeguarding.case' &&
        c.caseId === caseId &&
        c.step === step
      );
    })
    .map((d) => d.recipient)
    .sort();
}

const users = (...ids: string[]) => ids.map((id) => `user:${id}`).sort();

async function caseRow(caseId: string, tenantId = p.alpha.id) {
  const [row] = await inTenant<(typeof safeguardingCases.$inferSelect)[]>(tenantId, (tx) =>
    tx
      .select()
      .from(safeguardingCases)
      .where(and(eq(safeguardingCases.tenantId, tenantId), eq(safeguardingCases.id, caseId))),
  );
  return row!;
}

beforeAll(async () => {
  p = await startTestPlatform();
  const a = p.alpha.id;
  alpha.lead = await account(a, 'rsp_lead', ['safeguarding_lead']);
  alpha.young = await account(a, 'rsp_young', ['member']);
  alpha.mentorOwn = await account(a, 'rsp_mentor_own', ['mentor']);
  alpha.mentorOther = await account(a, 'rsp_mentor_other', ['mentor']);
  alpha.seniorOwn = await account(a, 'rsp_senior_own', ['senior_mentor']);
  alpha.seniorOther = await account(a, 'rsp_senior_other', ['senior_mentor']);
  alpha.someoneElse = await account(a, 'rsp_someone', ['member']);
  alpha.paused = await account(a, 'rsp_paused', ['member']);
  alpha.mentorPaused = await account(a, 'rsp_mentor_paused', ['mentor']);
  alpha.ended = await account(a, 'rsp_ended', ['member']);
  alpha.mentorClosed = await account(a, 'rsp_mentor_closed', ['mentor']);
  alpha.mentorAsked = await account(a, 'rsp_mentor_asked', ['mentor']);
  alpha.alone = await account(a, 'rsp_alone', ['member']);
  alpha.leaving = await account(a, 'rsp_leaving', ['member']);
  alpha.mentorLeaving = await account(a, 'rsp_mentor_leaving', ['mentor']);
  const db = p.database.db;
  await relate(db, a, alpha.young, alpha.mentorOwn);
  await relate(db, a, alpha.someoneElse, alpha.mentorOther);
  await supervise(db, a, alpha.mentorOwn, alpha.seniorOwn);
  await supervise(db, a, alpha.mentorOther, alpha.seniorOther);
  await relate(db, a, alpha.paused, alpha.mentorPaused, 'paused');
  await relate(db, a, alpha.ended, alpha.mentorClosed, 'closed');
  await relate(db, a, alpha.ended, alpha.mentorAsked, 'requested');
  alpha.leavingRelationship = await relate(db, a, alpha.leaving, alpha.mentorLeaving);
  beta.lead = await account(p.beta.id, 'rspb_lead', ['safeguarding_lead']);
  beta.alone = await account(p.beta.id, 'rspb_alone', ['member']);
});
afterAll(async () => {
  await p?.close();
});

describe('the mentor step', () => {
  test('a mentor not matched with the young person is not alerted, and cannot acknowledge or read the case: it does not exist for them', async () => {
    const caseId = await raise(alpha.young);
    await drain();
    expect(await alerted(caseId, 0)).toEqual(users(alpha.mentorOwn));

    const other = await as(p.alpha.host, 'rsp_mentor_other');
    const missing = randomUUID();
    for (const call of [
      (id: string) => other.safeguarding.cases.acknowledge.mutate({ caseId: id }),
      (id: string) => other.safeguarding.cases.get.query({ caseId: id }),
      (id: string) => other.safeguarding.cases.addNote.mutate({ caseId: id, note: 'probe' }),
      (id: string) =>
        other.safeguarding.cases.escalate.mutate({ caseId: id, expectedVersion: 1, note: 'x' }),
      (id: string) => other.safeguarding.concerns.status.query({ caseId: id }),
    ]) {
      expect(await code(call(caseId))).toBe(await code(call(missing)));
      expect(await code(call(caseId))).toBe('NOT_FOUND: Case not found');
    }
    expect(await caseRow(caseId)).toMatchObject({
      status: 'open',
      step: 0,
      assigneeId: null,
      version: 1,
    });
  });

  test("the young person's own mentor is alerted, acknowledges the case and so may read it", async () => {
    const caseId = await raise(alpha.young, 'critical');
    await drain();
    expect(await alerted(caseId, 0)).toEqual(users(alpha.mentorOwn));
    const mentor = await as(p.alpha.host, 'rsp_mentor_own');
    expect(await mentor.safeguarding.cases.acknowledge.mutate({ caseId })).toMatchObject({
      status: 'acknowledged',
      step: 0,
      assigneeId: alpha.mentorOwn,
      deadlineAt: null,
    });
    const read = await mentor.safeguarding.cases.get.query({ caseId });
    expect(read.timeline.map((e) => e.kind)).toEqual(['opened', 'note', 'acknowledged']);
  });

  test('a paused relationship counts; a closed one and a request do not', async () => {
    const pausedCase = await raise(alpha.paused);
    const endedCase = await raise(alpha.ended);
    // Before any alert has gone out, at the mentor step: neither mentor of the ended pair may
    // take the case on.
    for (const username of ['rsp_mentor_closed', 'rsp_mentor_asked']) {
      const mentor = await as(p.alpha.host, username);
      expect(await code(mentor.safeguarding.cases.acknowledge.mutate({ caseId: endedCase }))).toBe(
        'NOT_FOUND: Case not found',
      );
    }
    await drain();
    expect(await alerted(pausedCase, 0)).toEqual(users(alpha.mentorPaused));
    expect(await alerted(endedCase, 0)).toEqual([]);
    // Nobody at the mentor step for the ended pair: on to the senior mentors at once.
    expect(await caseRow(endedCase)).toMatchObject({ step: 1, status: 'open' });

    const mentor = await as(p.alpha.host, 'rsp_mentor_paused');
    expect(
      await mentor.safeguarding.cases.acknowledge.mutate({ caseId: pausedCase }),
    ).toMatchObject({ status: 'acknowledged', assigneeId: alpha.mentorPaused });
  });

  test('a mentor whose relationship closes after the alert can no longer acknowledge the case', async () => {
    const caseId = await raise(alpha.leaving);
    await drain();
    expect(await alerted(caseId, 0)).toEqual(users(alpha.mentorLeaving));
    const mentor = await as(p.alpha.host, 'rsp_mentor_leaving');
    await mentor.mentoring.relationships.transition.mutate({
      relationshipId: alpha.leavingRelationship,
      expectedVersion: 1,
      event: { type: 'close', reason: 'mentor-left' },
    });
    expect(await code(mentor.safeguarding.cases.acknowledge.mutate({ caseId }))).toBe(
      'NOT_FOUND: Case not found',
    );
    expect(await code(mentor.safeguarding.cases.get.query({ caseId }))).toBe(
      'NOT_FOUND: Case not found',
    );
    // The case waits for its time limit at the mentor step, as any unacknowledged case does.
    expect(await caseRow(caseId)).toMatchObject({ status: 'open', step: 0, assigneeId: null });
  });
});

describe('the senior mentor step', () => {
  test("reaches the supervisor of the young person's mentor, and no other senior mentor", async () => {
    const caseId = await raise(alpha.young);
    const lead = await as(p.alpha.host, 'rsp_lead');
    await lead.safeguarding.cases.escalate.mutate({
      caseId,
      expectedVersion: 1,
      note: 'Needs more experience than her mentor has',
    });
    await drain();
    expect(await alerted(caseId, 1)).toEqual(users(alpha.seniorOwn));

    const other = await as(p.alpha.host, 'rsp_senior_other');
    expect(await code(other.safeguarding.cases.acknowledge.mutate({ caseId }))).toBe(
      await code(other.safeguarding.cases.acknowledge.mutate({ caseId: randomUUID() })),
    );
    expect(await code(other.safeguarding.cases.acknowledge.mutate({ caseId }))).toBe(
      'NOT_FOUND: Case not found',
    );
    // The mentor was alerted at the step before; the case has moved on from them.
    const mentor = await as(p.alpha.host, 'rsp_mentor_own');
    expect(await code(mentor.safeguarding.cases.acknowledge.mutate({ caseId }))).toBe(
      'NOT_FOUND: Case not found',
    );
    const senior = await as(p.alpha.host, 'rsp_senior_own');
    expect(await senior.safeguarding.cases.acknowledge.mutate({ caseId })).toMatchObject({
      status: 'acknowledged',
      step: 1,
      assigneeId: alpha.seniorOwn,
    });
  });

  test('reaches every senior mentor when no mentor of the young person has a supervisor', async () => {
    const caseId = await raise(alpha.paused);
    const lead = await as(p.alpha.host, 'rsp_lead');
    await lead.safeguarding.cases.escalate.mutate({ caseId, expectedVersion: 1, note: 'On' });
    await drain();
    expect(await alerted(caseId, 1)).toEqual(users(alpha.seniorOwn, alpha.seniorOther));
    const other = await as(p.alpha.host, 'rsp_senior_other');
    expect(await other.safeguarding.cases.acknowledge.mutate({ caseId })).toMatchObject({
      status: 'acknowledged',
      assigneeId: alpha.seniorOther,
    });
  });
});

describe('a step that reaches nobody', () => {
  test('a young person with no mentor: the case moves to the next step at once, on its timeline, and that step is alerted', async () => {
    const caseId = await raise(alpha.alone, 'critical');
    await drain();
    await drain(); // handled once, however often the outbox runs
    const lead = await as(p.alpha.host, 'rsp_lead');
    const c = await lead.safeguarding.cases.get.query({ caseId });
    expect(c).toMatchObject({ status: 'open', step: 1, stepName: 'Senior mentor', version: 2 });
    const escalations = c.timeline.filter((e) => e.kind === 'escalated');
    expect(escalations).toEqual([
      expect.objectContaining({
        actorId: null,
        at: c.openedAt,
        detail: { from: 'mentor', to: 'senior-mentor', reason: 'nobody to alert at this step' },
      }),
    ]);
    // Critical at the senior mentor step: 15 minutes, counted from when the case opened.
    expect(new Date(c.deadlineAt!).getTime() - new Date(c.openedAt).getTime()).toBe(15 * 60_000);
    expect(await alerted(caseId, 0)).toEqual([]);
    // No mentor, so no supervisor: every senior mentor.
    expect(await alerted(caseId, 1)).toEqual(users(alpha.seniorOwn, alpha.seniorOther));
    const alerts = await inTenant<{ payload: unknown }[]>(p.alpha.id, (tx) =>
      tx
        .select({ payload: outboxEvents.payload })
        .from(outboxEvents)
        .where(and(eq(outboxEvents.tenantId, p.alpha.id), eq(outboxEvents.topic, CASE_ALERT))),
    );
    expect(
      alerts
        .map((e) => e.payload as { caseId: string; step: number })
        .filter((e) => e.caseId === caseId)
        .map((e) => e.step)
        .sort(),
    ).toEqual([0, 1]);

    // When the limits pass, the mentor step's timer finds the case gone from it; the senior
    // mentor step's moves it on.
    p.clock.advance(16 * 60_000);
    await drain();
    expect(await caseRow(caseId)).toMatchObject({ step: 2, version: 3 });
    const later = await (await as(p.alpha.host, 'rsp_lead')).safeguarding.cases.get.query({
      caseId,
    });
    expect(
      later.timeline.filter((e) => e.kind === 'escalated').map((e) => e.detail.reason),
    ).toEqual(['nobody to alert at this step', 'time limit passed']);
  });

  test('a case about nobody in particular reaches no mentor or senior mentor, and goes on to the safeguarding lead', async () => {
    const config = parseTenantConfig(tenantConfig('Alpha Youth Trust'));
    const { caseId } = await p.database.db.transaction(p.alpha.id, (tx) =>
      openCase(
        tx,
        { id: p.alpha.id, config },
        {
          sourceKind: 'signal',
          sourceId: randomUUID(),
          ruleId: 'tests.nobody',
          subjectUserId: null,
          category: 'suicide_self_harm',
          severity: 'high',
        },
        p.clock.now(),
      ),
    );
    await drain();
    const lead = await as(p.alpha.host, 'rsp_lead');
    const c = await lead.safeguarding.cases.get.query({ caseId });
    expect(c).toMatchObject({ status: 'open', step: 2, stepName: 'Safeguarding lead' });
    expect(
      c.timeline
        .filter((e) => e.kind === 'escalated')
        .map((e) => [e.detail.from, e.detail.to, e.detail.reason]),
    ).toEqual([
      ['mentor', 'senior-mentor', 'nobody to alert at this step'],
      ['senior-mentor', 'safeguarding-lead', 'nobody to alert at this step'],
    ]);
    expect(await alerted(caseId, 0)).toEqual([]);
    expect(await alerted(caseId, 1)).toEqual([]);
    expect(await alerted(caseId, 2)).toEqual(users(alpha.lead));
  });

  test('at the last step, a case with nobody to alert stays there', async () => {
    const admin = (await signInAdmin(p, p.beta)).client;
    const current = await admin.tenancy.config.get.query();
    await admin.tenancy.config.update.mutate({
      expectedVersion: current.version,
      config: {
        ...current.config,
        safeguarding: {
          ...current.config.safeguarding,
          ladder: [
            {
              id: 'buddy',
              name: 'Buddy',
              roles: ['mentor'],
              acknowledgeWithinMinutes: { high: 30 },
              external: false,
            },
          ],
        },
      },
    });
    const caseId = await raise(beta.alone, 'high', p.beta.host, 'rspb_lead');
    await drain();
    const lead = await as(p.beta.host, 'rspb_lead');
    const c = await lead.safeguarding.cases.get.query({ caseId });
    expect(c).toMatchObject({ status: 'open', step: 0, stepName: 'Buddy', version: 1 });
    expect(c.timeline.map((e) => e.kind)).toEqual(['opened', 'note']);
    expect(await alerted(caseId, 0, p.beta.id)).toEqual([]);
    expect((await lead.safeguarding.cases.list.query()).map((x) => x.id)).toContain(caseId);
  });
});
