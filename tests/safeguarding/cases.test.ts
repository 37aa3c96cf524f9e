import { randomUUID } from 'node:crypto';
import type { Role } from '@hearth/core';
import { parseTenantConfig } from '@hearth/core';
import {
  auditEvents,
  outboxDeliveries,
  safeguardingCaseEvents,
  safeguardingCases,
} from '@hearth/db';
import { openCase } from '@hearth/server';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { namedAccount, outcome, signIn } from '../support/identity.js';
import { startTestPlatform, type TestPlatform, tenantConfig } from '../support/platform.js';
import { relate } from './mentoring.js';

let p: TestPlatform;
const alpha = { mentor: '', mentor2: '', senior: '', lead: '', member: '' };
const beta = { lead: '', member: '', case: '' };
const NOTE = 'Said her stepdad hit her last night. Asked me not to tell anyone.';

const account = (tenantId: string, username: string, roles: string[]) =>
  namedAccount(p, tenantId, username, roles as Role[], '16-17');

async function as(host: string, username: string) {
  return (await signIn(p, host, username)).client;
}

const code = outcome;

const inTenant = <T>(
  tenantId: string,
  fn: Parameters<TestPlatform['database']['db']['transaction']>[1],
) => p.database.db.transaction(tenantId, fn) as Promise<T>;

beforeAll(async () => {
  p = await startTestPlatform();
  alpha.mentor = await account(p.alpha.id, 'sg_mentor', ['mentor']);
  alpha.mentor2 = await account(p.alpha.id, 'sg_mentor2', ['mentor']);
  alpha.senior = await account(p.alpha.id, 'sg_senior', ['senior_mentor']);
  alpha.lead = await account(p.alpha.id, 'sg_lead', ['safeguarding_lead']);
  alpha.member = await account(p.alpha.id, 'sg_member', ['member']);
  // sg_mentor mentors sg_member; sg_mentor2 does not.
  await relate(p.database.db, p.alpha.id, alpha.member, alpha.mentor);
  beta.lead = await account(p.beta.id, 'sgb_lead', ['safeguarding_lead']);
  beta.member = await account(p.beta.id, 'sgb_member', ['member']);
  const betaLead = await as(p.beta.host, 'sgb_lead');
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

describe('raising a concern', () => {
  test('opens a case the lead sees in full, with the note readable only through the app', async () => {
    const mentor = await as(p.alpha.host, 'sg_mentor');
    const { caseId, status } = await mentor.safeguarding.concerns.raise.mutate({
      subjectUserId: alpha.member,
      category: 'abuse_neglect',
      severity: 'high',
      note: NOTE,
    });
    expect(status).toBe('open');

    const lead = await as(p.alpha.host, 'sg_lead');
    const listed = await lead.safeguarding.cases.list.query();
    const mine = listed.find((c) => c.id === caseId)!;
    expect(mine).toMatchObject({ status: 'open', step: 0, stepName: 'Mentor', severity: 'high' });
    // High severity at the mentor step: 60 minutes to acknowledge.
    expect(new Date(mine.deadlineAt!).getTime() - new Date(mine.openedAt).getTime()).toBe(
      3_600_000,
    );

    const full = await lead.safeguarding.cases.get.query({ caseId });
    expect(full.timeline.map((e) => e.kind)).toEqual(['opened', 'note']);
    expect(full.timeline[1]!.note).toBe(NOTE);

    const stored = await inTenant<{ note: string | null }[]>(p.alpha.id, (tx) =>
      tx
        .select({ note: safeguardingCaseEvents.note })
        .from(safeguardingCaseEvents)
        .where(
          and(
            eq(safeguardingCaseEvents.tenantId, p.alpha.id),
            eq(safeguardingCaseEvents.caseId, caseId),
          ),
        ),
    );
    const ciphertext = stored.find((r) => r.note)!.note!;
    expect(ciphertext).toMatch(/^hearth1\./);
    expect(ciphertext).not.toContain('stepdad');

    const audit = await inTenant<{ action: string; actorId: string | null }[]>(p.alpha.id, (tx) =>
      tx
        .select({ action: auditEvents.action, actorId: auditEvents.actorId })
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, p.alpha.id), eq(auditEvents.subjectId, caseId))),
    );
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'safeguarding.concern.raise', actorId: alpha.mentor },
        { action: 'safeguarding.case.read', actorId: alpha.lead },
      ]),
    );
  });

  test('whoever raised it sees its progress and nothing else; other people see nothing', async () => {
    const mentor = await as(p.alpha.host, 'sg_mentor');
    const { caseId } = await mentor.safeguarding.concerns.raise.mutate({
      subjectUserId: alpha.member,
      category: 'bullying_threats',
      severity: 'medium',
      note: 'Is being threatened on the way home',
    });
    const status = await mentor.safeguarding.concerns.status.query({ caseId });
    expect(Object.keys(status).sort()).toEqual([
      'caseId',
      'closedAt',
      'openedAt',
      'status',
      'step',
    ]);
    expect(status).toMatchObject({ caseId, status: 'open', step: 'Mentor', closedAt: null });

    // Someone the rule admits only for their own case is told it does not exist, as for a case
    // of another organisation.
    const otherMentor = await as(p.alpha.host, 'sg_mentor2');
    expect(await code(otherMentor.safeguarding.concerns.status.query({ caseId }))).toBe(
      'NOT_FOUND: Case not found',
    );
    expect(await code(otherMentor.safeguarding.cases.get.query({ caseId }))).toBe(
      'NOT_FOUND: Case not found',
    );
    const member = await as(p.alpha.host, 'sg_member');
    expect(await code(member.safeguarding.concerns.status.query({ caseId }))).toBe(
      'NOT_FOUND: Case not found',
    );
    expect(await code(member.safeguarding.cases.get.query({ caseId }))).toBe(
      'NOT_FOUND: Case not found',
    );
    expect(await code(member.safeguarding.cases.list.query())).toMatch(/^FORBIDDEN/);
    expect(
      await code(
        member.safeguarding.concerns.raise.mutate({
          subjectUserId: alpha.mentor,
          category: 'bullying_threats',
          severity: 'low',
          note: 'x',
        }),
      ),
    ).toMatch(/^FORBIDDEN/);
  });
});

describe('the ladder', () => {
  test('alerts the first step, escalates by itself when the limit passes, and stops once acknowledged', async () => {
    const mentor = await as(p.alpha.host, 'sg_mentor');
    const { caseId } = await mentor.safeguarding.concerns.raise.mutate({
      subjectUserId: alpha.member,
      category: 'suicide_self_harm',
      severity: 'critical',
      note: 'Talked about ending it tonight',
    });
    const alertsFor = async () =>
      (
        await inTenant<{ recipient: string; content: unknown }[]>(p.alpha.id, (tx) =>
          tx
            .select({ recipient: outboxDeliveries.recipient, content: outboxDeliveries.content })
            .from(outboxDeliveries)
            .where(eq(outboxDeliveries.tenantId, p.alpha.id)),
        )
      ).filter((d) => (d.content as { caseId?: string }).caseId === caseId);

    while ((await p.platform.dispatcher.runOnce()).claimed > 0) {}
    // The mentor step is the young person's own mentor, not every mentor.
    expect((await alertsFor()).map((d) => d.recipient)).toEqual([`user:${alpha.mentor}`]);

    // Nobody acknowledged within 15 minutes (critical, mentor step).
    p.clock.advance(16 * 60_000);
    while ((await p.platform.dispatcher.runOnce()).claimed > 0) {}
    expect((await alertsFor()).map((d) => d.recipient)).toContain(`user:${alpha.senior}`);
    const lead = await as(p.alpha.host, 'sg_lead');
    const escalated = await lead.safeguarding.cases.get.query({ caseId });
    expect(escalated.step).toBe(1);
    expect(escalated.timeline.map((e) => e.kind)).toContain('escalated');

    await lead.safeguarding.cases.acknowledge.mutate({ caseId });
    p.clock.advance(60 * 60_000);
    while ((await p.platform.dispatcher.runOnce()).claimed > 0) {}
    // An hour later the lead's session has timed out; a fresh one reads the case.
    const after = await (await as(p.alpha.host, 'sg_lead')).safeguarding.cases.get.query({
      caseId,
    });
    expect(after).toMatchObject({ status: 'acknowledged', step: 1 });
    expect((await alertsFor()).map((d) => d.recipient)).not.toContain(`user:${alpha.lead}`);
  });

  test('a signal processed many times opens exactly one case', async () => {
    const config = parseTenantConfig(tenantConfig('Alpha Youth Trust'));
    const source = {
      sourceKind: 'signal' as const,
      sourceId: randomUUID(),
      ruleId: 'en.self-harm.test',
    };
    const results = [];
    for (let i = 0; i < 3; i++) {
      results.push(
        await p.database.db.transaction(p.alpha.id, (tx) =>
          openCase(
            tx,
            { id: p.alpha.id, config },
            { ...source, category: 'suicide_self_harm', severity: 'high' },
            new Date(),
          ),
        ),
      );
    }
    expect(results.map((r) => r.created)).toEqual([true, false, false]);
    expect(new Set(results.map((r) => r.caseId)).size).toBe(1);
    const rows = await inTenant<unknown[]>(p.alpha.id, (tx) =>
      tx.select().from(safeguardingCases).where(eq(safeguardingCases.sourceId, source.sourceId)),
    );
    expect(rows).toHaveLength(1);
  });
});

describe('another tenant’s ids', () => {
  test('answer exactly like ids that exist nowhere, and change nothing', async () => {
    const lead = await as(p.alpha.host, 'sg_lead');
    const before = await inTenant<unknown[]>(p.beta.id, (tx) =>
      tx.select().from(safeguardingCases),
    );
    const random = randomUUID();
    for (const call of [
      (id: string) => lead.safeguarding.cases.get.query({ caseId: id }),
      (id: string) => lead.safeguarding.cases.acknowledge.mutate({ caseId: id }),
      (id: string) => lead.safeguarding.concerns.status.query({ caseId: id }),
    ]) {
      expect(await code(call(beta.case))).toBe(await code(call(random)));
      expect(await code(call(beta.case))).toBe('NOT_FOUND: Case not found');
    }
    const raise = (id: string) =>
      lead.safeguarding.concerns.raise.mutate({
        subjectUserId: id,
        category: 'abuse_neglect',
        severity: 'high',
        note: 'probe',
      });
    expect(await code(raise(beta.member))).toBe(await code(raise(random)));
    expect(await code(raise(beta.member))).toBe('NOT_FOUND: User not found');
    expect(
      await inTenant<unknown[]>(p.beta.id, (tx) => tx.select().from(safeguardingCases)),
    ).toEqual(before);
  });
});
