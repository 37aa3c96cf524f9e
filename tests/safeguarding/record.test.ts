import { randomUUID } from 'node:crypto';
import { getFieldErrors } from '@hearth/client';
import type { Role } from '@hearth/core';
import {
  auditEvents,
  outboxDeliveries,
  safeguardingCaseEvents,
  safeguardingCases,
} from '@hearth/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { namedAccount, outcome, signIn } from '../support/identity.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { relate } from './mentoring.js';

/**
 * The record of a case after it opens: triage, escalation by hand, decisions to share or not,
 * telling the young person first, referrals, closure, and notes that outlive it.
 */

let p: TestPlatform;
const alpha = { mentor: '', senior: '', lead: '', lead2: '', member: '', member2: '' };
const beta = { lead: '', member: '', case: '' };

const account = (tenantId: string, username: string, roles: string[]) =>
  namedAccount(p, tenantId, username, roles as Role[], '13-15');

async function as(host: string, username: string) {
  return (await signIn(p, host, username)).client;
}
type Client = Awaited<ReturnType<typeof as>>;

const code = outcome;

const inTenant = <T>(
  tenantId: string,
  fn: Parameters<TestPlatform['database']['db']['transaction']>[1],
) => p.database.db.transaction(tenantId, fn) as Promise<T>;

const drain = async () => {
  while ((await p.platform.dispatcher.runOnce()).claimed > 0) {}
};

async function raise(client: Client, severity: 'medium' | 'high' | 'critical' = 'high') {
  const { caseId } = await client.safeguarding.concerns.raise.mutate({
    subjectUserId: alpha.member,
    category: 'abuse_neglect',
    severity,
    note: 'Has bruises on both arms and would not say how',
  });
  return caseId;
}

async function deliveriesFor(caseId: string) {
  const all = await inTenant<{ recipient: string; channel: string; content: unknown }[]>(
    p.alpha.id,
    (tx) =>
      tx
        .select({
          recipient: outboxDeliveries.recipient,
          channel: outboxDeliveries.channel,
          content: outboxDeliveries.content,
        })
        .from(outboxDeliveries)
        .where(eq(outboxDeliveries.tenantId, p.alpha.id)),
  );
  return all.filter((d) => (d.content as { caseId?: string }).caseId === caseId);
}

beforeAll(async () => {
  p = await startTestPlatform();
  alpha.mentor = await account(p.alpha.id, 'rec_mentor', ['mentor']);
  alpha.senior = await account(p.alpha.id, 'rec_senior', ['senior_mentor']);
  alpha.lead = await account(p.alpha.id, 'rec_lead', ['safeguarding_lead']);
  alpha.lead2 = await account(p.alpha.id, 'rec_lead2', ['safeguarding_lead']);
  alpha.member = await account(p.alpha.id, 'rec_member', ['member']);
  alpha.member2 = await account(p.alpha.id, 'rec_member2', ['member']);
  // The cases here are about rec_member, whose mentor is rec_mentor.
  await relate(p.database.db, p.alpha.id, alpha.member, alpha.mentor);
  beta.lead = await account(p.beta.id, 'recb_lead', ['safeguarding_lead']);
  beta.member = await account(p.beta.id, 'recb_member', ['member']);
  const betaLead = await as(p.beta.host, 'recb_lead');
  beta.case = (
    await betaLead.safeguarding.concerns.raise.mutate({
      subjectUserId: beta.member,
      category: 'abuse_neglect',
      severity: 'critical',
      note: 'Beta only',
    })
  ).caseId;
});
afterAll(async () => {
  await p?.close();
});

describe('a case from opening to closure', () => {
  test('is triaged, told, shared, referred and closed, every step on its timeline and audited', async () => {
    const mentor = await as(p.alpha.host, 'rec_mentor');
    const caseId = await raise(mentor);
    const lead = await as(p.alpha.host, 'rec_lead');
    let c = await lead.safeguarding.cases.get.query({ caseId });
    expect(c).toMatchObject({ version: 1, status: 'open', severity: 'high', assigneeId: null });

    c = {
      ...c,
      ...(await lead.safeguarding.cases.triage.mutate({
        caseId,
        expectedVersion: 1,
        severity: 'critical',
        assigneeId: alpha.senior,
        note: 'Second disclosure this month',
      })),
    };
    expect(c).toMatchObject({ version: 2, severity: 'critical', assigneeId: alpha.senior });
    // Critical at the mentor step: 15 minutes from the triage (a moment ago).
    const left = new Date(c.deadlineAt!).getTime() - p.clock.now().getTime();
    expect(left).toBeLessThanOrEqual(15 * 60_000);
    expect(left).toBeGreaterThan(15 * 60_000 - 10_000);

    // A referral needs the young person told first, or a reason why not.
    const referral = {
      caseId,
      agency: 'childrens_social_care' as const,
      reference: 'MASH-7731',
      note: 'Phoned the front door; strategy discussion tomorrow',
    };
    expect(await code(lead.safeguarding.cases.recordReferral.mutate(referral))).toBe(
      'PRECONDITION_FAILED: First record whether the young person was told about this referral, or why not',
    );
    await lead.safeguarding.cases.recordToldYoungPerson.mutate({
      caseId,
      told: true,
      how: 'in_person',
      note: 'Told her we have to pass this on to keep her safe; she was upset but agreed',
    });
    await lead.safeguarding.cases.recordSharing.mutate({
      caseId,
      shared: false,
      recipient: 'parent_carer',
      reason: 'Telling her mother could put her at greater risk',
    });
    await lead.safeguarding.cases.recordSharing.mutate({
      caseId,
      shared: true,
      recipient: 'childrens_social_care',
      reason: 'Significant harm; consent not the basis (Children Act 1989 s47)',
    });
    await lead.safeguarding.cases.recordReferral.mutate(referral);
    const closed = await lead.safeguarding.cases.close.mutate({
      caseId,
      expectedVersion: 2,
      outcome: 'referred',
      note: 'Handed to the local authority',
    });
    expect(closed).toMatchObject({ status: 'closed', outcome: 'referred', deadlineAt: null });
    await lead.safeguarding.cases.addNote.mutate({
      caseId,
      note: 'Social worker confirmed a visit happened',
    });

    const full = await lead.safeguarding.cases.get.query({ caseId });
    expect(full.timeline.map((e) => e.kind)).toEqual([
      'opened',
      'note',
      'triaged',
      'told_young_person',
      'sharing',
      'sharing',
      'referral',
      'closed',
      'note',
    ]);
    const byKind = (kind: string) => full.timeline.filter((e) => e.kind === kind);
    expect(byKind('triaged')[0]).toMatchObject({
      actorId: alpha.lead,
      detail: {
        severity: { from: 'high', to: 'critical' },
        assignee: { from: null, to: alpha.senior },
      },
      note: 'Second disclosure this month',
    });
    expect(byKind('told_young_person')[0]!.detail).toEqual({ told: true, how: 'in_person' });
    expect(byKind('sharing').map((e) => [e.detail, e.note])).toEqual([
      [
        { shared: false, recipient: 'parent_carer' },
        'Telling her mother could put her at greater risk',
      ],
      [
        { shared: true, recipient: 'childrens_social_care' },
        'Significant harm; consent not the basis (Children Act 1989 s47)',
      ],
    ]);
    expect(byKind('referral')[0]!.detail).toEqual({
      agency: 'childrens_social_care',
      reference: 'MASH-7731',
    });
    expect(byKind('closed')[0]!.detail).toEqual({ outcome: 'referred' });

    // Reasons are sealed like notes; the detail holds no words anyone wrote.
    const stored = await inTenant<{ detail: unknown; note: string | null }[]>(p.alpha.id, (tx) =>
      tx
        .select({ detail: safeguardingCaseEvents.detail, note: safeguardingCaseEvents.note })
        .from(safeguardingCaseEvents)
        .where(
          and(
            eq(safeguardingCaseEvents.tenantId, p.alpha.id),
            eq(safeguardingCaseEvents.caseId, caseId),
          ),
        ),
    );
    const raw = JSON.stringify(stored);
    for (const words of ['mother', 'Children Act', 'upset', 'strategy discussion', 'bruises']) {
      expect(raw).not.toContain(words);
    }
    expect(stored.filter((e) => e.note).every((e) => e.note!.startsWith('hearth1.'))).toBe(true);

    const audit = await inTenant<{ action: string }[]>(p.alpha.id, (tx) =>
      tx
        .select({ action: auditEvents.action })
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, p.alpha.id), eq(auditEvents.subjectId, caseId))),
    );
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'safeguarding.case.triaged',
        'safeguarding.case.told_young_person',
        'safeguarding.case.sharing',
        'safeguarding.case.referral',
        'safeguarding.case.closed',
        'safeguarding.case.note',
      ]),
    );

    // Closed: it no longer escalates, triage and escalation are refused, and it leaves the list.
    expect(
      await code(
        lead.safeguarding.cases.escalate.mutate({
          caseId,
          expectedVersion: closed.version,
          note: 'x',
        }),
      ),
    ).toBe('BAD_REQUEST: This case is closed; you can still add notes to it');
    expect((await lead.safeguarding.cases.list.query()).map((x) => x.id)).not.toContain(caseId);
  });

  test('the assignee is alerted, may read, note, acknowledge and escalate — and may not decide', async () => {
    const mentor = await as(p.alpha.host, 'rec_mentor');
    const caseId = await raise(mentor, 'medium');
    const lead = await as(p.alpha.host, 'rec_lead');
    await lead.safeguarding.cases.triage.mutate({
      caseId,
      expectedVersion: 1,
      assigneeId: alpha.senior,
    });
    await drain();
    expect(
      (await deliveriesFor(caseId)).filter(
        (d) => (d.content as { kind: string }).kind === 'safeguarding.case.assigned',
      ),
    ).toEqual([expect.objectContaining({ recipient: `user:${alpha.senior}`, channel: 'inApp' })]);

    const senior = await as(p.alpha.host, 'rec_senior');
    const seen = await senior.safeguarding.cases.get.query({ caseId });
    expect(seen.timeline[1]!.note).toBe('Has bruises on both arms and would not say how');
    await senior.safeguarding.cases.addNote.mutate({ caseId, note: 'Called the member back' });
    const escalated = await senior.safeguarding.cases.escalate.mutate({
      caseId,
      expectedVersion: seen.version,
      note: 'Needs a lead today',
    });
    expect(escalated).toMatchObject({ step: 1, stepName: 'Senior mentor', status: 'open' });
    expect(
      await code(
        senior.safeguarding.cases.close.mutate({
          caseId,
          expectedVersion: escalated.version,
          outcome: 'no_further_action',
          note: 'x',
        }),
      ),
    ).toBe('FORBIDDEN: You do not have permission to do that');

    // Unassigned, the senior mentor no longer reaches the case at all.
    await lead.safeguarding.cases.triage.mutate({
      caseId,
      expectedVersion: escalated.version,
      assigneeId: null,
    });
    expect(await code(senior.safeguarding.cases.get.query({ caseId }))).toBe(
      'NOT_FOUND: Case not found',
    );
  });

  test('those alerted at the current step may acknowledge it, and nobody else but leads', async () => {
    const mentor = await as(p.alpha.host, 'rec_mentor');
    const caseId = await raise(mentor);
    const senior = await as(p.alpha.host, 'rec_senior');
    // The case is at the mentor step: the senior mentor was not alerted.
    expect(await code(senior.safeguarding.cases.acknowledge.mutate({ caseId }))).toBe(
      'NOT_FOUND: Case not found',
    );
    const member = await as(p.alpha.host, 'rec_member2');
    expect(await code(member.safeguarding.cases.acknowledge.mutate({ caseId }))).toBe(
      'NOT_FOUND: Case not found',
    );
    const acknowledged = await mentor.safeguarding.cases.acknowledge.mutate({ caseId });
    // Whoever takes a case on looks after it: they can now read it, add to it and escalate it.
    expect(acknowledged).toMatchObject({
      status: 'acknowledged',
      deadlineAt: null,
      assigneeId: alpha.mentor,
    });
    const read = await mentor.safeguarding.cases.get.query({ caseId });
    expect(read.timeline.at(-1)).toMatchObject({
      kind: 'acknowledged',
      actorId: alpha.mentor,
      detail: { step: 0, assignee: alpha.mentor },
    });
    // A lead acknowledging does not make themselves the assignee.
    const other = await raise(mentor);
    const lead = await as(p.alpha.host, 'rec_lead');
    expect(await lead.safeguarding.cases.acknowledge.mutate({ caseId: other })).toMatchObject({
      status: 'acknowledged',
      assigneeId: null,
    });
  });

  test('the person a case is about is never alerted about it and never reaches it, even as a lead', async () => {
    // A lead a member is worried about: the other lead handles it.
    const member = await as(p.alpha.host, 'rec_member2');
    await member.safeguarding.reports.create.mutate({
      target: { kind: 'user', userId: alpha.lead2 },
      reason: 'abuse',
    });
    const lead2 = await as(p.alpha.host, 'rec_lead2');
    const lead = await as(p.alpha.host, 'rec_lead');
    const mine = (await lead.safeguarding.cases.list.query()).find(
      (c) => c.subjectUserId === alpha.lead2,
    )!;
    expect(mine).toMatchObject({ sourceKind: 'report', category: 'abuse_neglect' });
    expect((await lead2.safeguarding.cases.list.query()).map((c) => c.id)).not.toContain(mine.id);
    for (const call of [
      lead2.safeguarding.cases.get.query({ caseId: mine.id }),
      lead2.safeguarding.cases.acknowledge.mutate({ caseId: mine.id }),
      lead2.safeguarding.cases.addNote.mutate({ caseId: mine.id, note: 'x' }),
      lead2.safeguarding.cases.close.mutate({
        caseId: mine.id,
        expectedVersion: mine.version,
        outcome: 'concern_unfounded',
        note: 'x',
      }),
    ]) {
      expect(await code(call)).toBe('NOT_FOUND: Case not found');
    }
    expect(
      await code(
        lead.safeguarding.cases.triage.mutate({
          caseId: mine.id,
          expectedVersion: mine.version,
          assigneeId: alpha.lead2,
        }),
      ),
    ).toBe('BAD_REQUEST: The person a case is about cannot look after it');
    // Escalated to the lead step by hand, the alert goes to the other lead only.
    await lead.safeguarding.cases.escalate.mutate({
      caseId: mine.id,
      expectedVersion: mine.version,
      note: 'Allegation against a lead: straight to the lead step',
    });
    const escalated = await lead.safeguarding.cases.get.query({ caseId: mine.id });
    await lead.safeguarding.cases.escalate.mutate({
      caseId: mine.id,
      expectedVersion: escalated.version,
      note: 'And on',
    });
    await drain();
    const alerted = (await deliveriesFor(mine.id))
      .filter((d) => (d.content as { step?: number }).step === 2)
      .map((d) => d.recipient);
    expect(alerted).toEqual([`user:${alpha.lead}`]);
  });

  test('two leads deciding at once: the second is told the case changed, and nothing of theirs is kept', async () => {
    const mentor = await as(p.alpha.host, 'rec_mentor');
    const caseId = await raise(mentor);
    const lead = await as(p.alpha.host, 'rec_lead');
    const lead2 = await as(p.alpha.host, 'rec_lead2');
    const seen = await lead.safeguarding.cases.get.query({ caseId });
    await lead2.safeguarding.cases.triage.mutate({
      caseId,
      expectedVersion: seen.version,
      severity: 'medium',
    });
    const before = await inTenant<unknown[]>(p.alpha.id, (tx) =>
      tx.select().from(safeguardingCaseEvents).where(eq(safeguardingCaseEvents.caseId, caseId)),
    );
    for (const call of [
      lead.safeguarding.cases.triage.mutate({
        caseId,
        expectedVersion: seen.version,
        severity: 'critical',
      }),
      lead.safeguarding.cases.close.mutate({
        caseId,
        expectedVersion: seen.version,
        outcome: 'concern_unfounded',
        note: 'x',
      }),
      lead.safeguarding.cases.escalate.mutate({
        caseId,
        expectedVersion: seen.version,
        note: 'x',
      }),
    ]) {
      expect(await code(call)).toBe(
        'CONFLICT: This case has changed since you opened it (now version 2). Reload it and decide again.',
      );
    }
    const after = await inTenant<unknown[]>(p.alpha.id, (tx) =>
      tx.select().from(safeguardingCaseEvents).where(eq(safeguardingCaseEvents.caseId, caseId)),
    );
    expect(after).toEqual(before);
    expect(await lead.safeguarding.cases.get.query({ caseId })).toMatchObject({
      severity: 'medium',
      version: 2,
    });
  });

  test('lowering the severity moves the deadline later; the old timer does not escalate early', async () => {
    const mentor = await as(p.alpha.host, 'rec_mentor');
    const caseId = await raise(mentor, 'critical'); // 15 minutes at the mentor step
    const lead = await as(p.alpha.host, 'rec_lead');
    await lead.safeguarding.cases.triage.mutate({
      caseId,
      expectedVersion: 1,
      severity: 'medium', // 240 minutes
    });
    p.clock.advance(20 * 60_000);
    await drain();
    const stillThere = await (await as(p.alpha.host, 'rec_lead')).safeguarding.cases.get.query({
      caseId,
    });
    expect(stillThere).toMatchObject({ step: 0, status: 'open' });
    p.clock.advance(221 * 60_000);
    await drain();
    const moved = await (await as(p.alpha.host, 'rec_lead')).safeguarding.cases.get.query({
      caseId,
    });
    expect(moved).toMatchObject({ step: 1, status: 'open' });
    expect(moved.timeline.filter((e) => e.kind === 'escalated')).toHaveLength(1);
  });

  test('clear refusals for what cannot be done, changing nothing', async () => {
    const mentor = await as(p.alpha.host, 'rec_mentor');
    const caseId = await raise(mentor);
    const lead = await as(p.alpha.host, 'rec_lead');
    const before = await inTenant<unknown[]>(p.alpha.id, (tx) =>
      tx.select().from(safeguardingCases).where(eq(safeguardingCases.id, caseId)),
    );
    const attempts: [Promise<unknown>, string][] = [
      [
        lead.safeguarding.cases.triage.mutate({
          caseId,
          expectedVersion: 1,
          assigneeId: alpha.member2,
        }),
        'BAD_REQUEST: Choose an active member of staff or a mentor',
      ],
      [
        lead.safeguarding.cases.triage.mutate({ caseId, expectedVersion: 1, severity: 'high' }),
        'BAD_REQUEST: Nothing would change',
      ],
      [
        lead.safeguarding.cases.recordToldYoungPerson.mutate({
          caseId,
          told: false,
          how: 'phone',
          note: 'x',
        }),
        'BAD_REQUEST: Some details need to be corrected',
      ],
    ];
    for (const [call, expected] of attempts) expect(await code(call)).toBe(expected);
    const told = await lead.safeguarding.cases.recordToldYoungPerson
      .mutate({ caseId, told: false, how: 'phone', note: 'x' })
      .catch((error: unknown) => getFieldErrors(error));
    expect(told).toEqual({ how: ['Leave this out when they were not told'] });
    // The ladder has four steps; past the last there is nowhere to go.
    let version = 1;
    for (let i = 0; i < 3; i++) {
      version = (
        await lead.safeguarding.cases.escalate.mutate({
          caseId,
          expectedVersion: version,
          note: `step ${i}`,
        })
      ).version;
    }
    expect(
      await code(
        lead.safeguarding.cases.escalate.mutate({ caseId, expectedVersion: version, note: 'x' }),
      ),
    ).toBe('BAD_REQUEST: This case is already at the last step of the ladder');
    expect(before).toHaveLength(1);
  });
});

describe('e-mail alerts', () => {
  test('go to each alerted person with an address, saying nothing about the case', async () => {
    // A platform with an e-mail channel, on the same database, sees the alert as e-mail too.
    const { createPlatform, emailChannel } = await import('@hearth/server');
    const sent: { to: string; subject: string; text: string; messageId: string }[] = [];
    const mailing = createPlatform({
      db: p.database.db,
      secret: 's'.repeat(40),
      now: () => p.clock.now(),
      outbox: {
        transports: {
          email: emailChannel(
            {
              async send(email) {
                sent.push(email);
              },
            },
            { from: 'Alerts <alerts@alpha.example.org>' },
          ),
        },
      },
    });
    await drain(); // everything before this test is delivered already
    const mentor = await as(p.alpha.host, 'rec_mentor');
    const caseId = await raise(mentor, 'critical');
    while ((await mailing.dispatcher.runOnce()).claimed > 0) {}
    const mentors = [`rec_mentor@example.org`];
    expect(sent.map((e) => e.to).filter((to) => mentors.includes(to))).toEqual(mentors);
    const mail = sent.find((e) => e.to === 'rec_mentor@example.org')!;
    expect(mail.subject).toBe('Alpha Youth Trust: a safeguarding case needs you');
    expect(mail.text).toMatch(/critical-severity safeguarding case is waiting for Mentor/);
    expect(mail.text).toMatch(/acknowledged by .* \(Europe\/London\)/);
    expect(mail.text).not.toMatch(/bruises|abuse|rec_member/i);
    // Members have no e-mail address and get no e-mail; in-app alerts went out as well.
    expect((await deliveriesFor(caseId)).map((d) => [d.recipient, d.channel])).toEqual([
      [`user:${alpha.mentor}`, 'inApp'],
    ]);
    const recorded = await inTenant<{ channel: string }[]>(p.alpha.id, (tx) =>
      tx
        .select({ channel: outboxDeliveries.channel })
        .from(outboxDeliveries)
        .where(eq(outboxDeliveries.recipient, 'email:rec_mentor@example.org')),
    );
    expect(recorded.map((r) => r.channel)).toEqual(['email']);
  });
});

describe('another tenant’s ids', () => {
  test('answer exactly like ids that exist nowhere, and change nothing', async () => {
    const lead = await as(p.alpha.host, 'rec_lead');
    const before = await inTenant<unknown[]>(p.beta.id, (tx) =>
      tx.select().from(safeguardingCaseEvents),
    );
    const random = randomUUID();
    const calls = [
      (id: string) => lead.safeguarding.cases.addNote.mutate({ caseId: id, note: 'probe' }),
      (id: string) =>
        lead.safeguarding.cases.triage.mutate({ caseId: id, expectedVersion: 1, severity: 'low' }),
      (id: string) =>
        lead.safeguarding.cases.escalate.mutate({ caseId: id, expectedVersion: 1, note: 'probe' }),
      (id: string) =>
        lead.safeguarding.cases.recordSharing.mutate({
          caseId: id,
          shared: true,
          recipient: 'police',
          reason: 'probe',
        }),
      (id: string) =>
        lead.safeguarding.cases.recordToldYoungPerson.mutate({
          caseId: id,
          told: false,
          note: 'probe',
        }),
      (id: string) =>
        lead.safeguarding.cases.recordReferral.mutate({
          caseId: id,
          agency: 'police',
          note: 'probe',
        }),
      (id: string) =>
        lead.safeguarding.cases.close.mutate({
          caseId: id,
          expectedVersion: 1,
          outcome: 'other',
          note: 'probe',
        }),
    ];
    for (const call of calls) {
      expect(await code(call(beta.case))).toBe(await code(call(random)));
      expect(await code(call(beta.case))).toBe('NOT_FOUND: Case not found');
    }
    // An assignee of beta's is no member of alpha's staff.
    const mentor = await as(p.alpha.host, 'rec_mentor');
    const caseId = await raise(mentor);
    const assign = (id: string) =>
      lead.safeguarding.cases.triage.mutate({ caseId, expectedVersion: 1, assigneeId: id });
    expect(await code(assign(beta.lead))).toBe(await code(assign(random)));
    expect(await code(assign(beta.lead))).toBe(
      'BAD_REQUEST: Choose an active member of staff or a mentor',
    );
    expect(
      await inTenant<unknown[]>(p.beta.id, (tx) => tx.select().from(safeguardingCaseEvents)),
    ).toEqual(before);
  });
});
