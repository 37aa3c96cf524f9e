import { randomUUID } from 'node:crypto';
import { getFieldErrors } from '@hearth/client';
import type { Role } from '@hearth/core';
import {
  auditEvents,
  moderationActions,
  moderationItems,
  moderationReports,
  outboxDeliveries,
  safeguardingCaseEvents,
  safeguardingCases,
  users,
} from '@hearth/db';
import { PROFILE_ABOUT } from '@hearth/server';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { namedAccount, outcome, signIn } from '../support/identity.js';
import { startTestPlatform, type TestPlatform, tenantConfig } from '../support/platform.js';

/**
 * What people write is screened before anyone else sees it; anyone can report what they see or
 * a person; moderators work the queue; words and reports about someone's safety open cases.
 */

let p: TestPlatform;
const alpha = { moderator: '', lead: '', mentor: '', young: '', adult: '', other: '' };
const beta = { moderator: '', member: '', aboutId: '', item: '' };

const account = (
  tenantId: string,
  username: string,
  roles: string[],
  ageBand: '13-15' | '18-21' = '13-15',
) => namedAccount(p, tenantId, username, roles as Role[], ageBand);

async function as(host: string, username: string) {
  return (await signIn(p, host, username)).client;
}

const code = outcome;

const inTenant = <T>(
  tenantId: string,
  fn: Parameters<TestPlatform['database']['db']['transaction']>[1],
) => p.database.db.transaction(tenantId, fn) as Promise<T>;

const casesFrom = (sourceId: string) =>
  inTenant<(typeof safeguardingCases.$inferSelect)[]>(p.alpha.id, (tx) =>
    tx.select().from(safeguardingCases).where(eq(safeguardingCases.sourceId, sourceId)),
  );

beforeAll(async () => {
  p = await startTestPlatform();
  alpha.moderator = await account(p.alpha.id, 'mod_moderator', ['moderator']);
  alpha.lead = await account(p.alpha.id, 'mod_lead', ['safeguarding_lead']);
  alpha.mentor = await account(p.alpha.id, 'mod_mentor', ['mentor']);
  alpha.young = await account(p.alpha.id, 'mod_young', ['member'], '13-15');
  alpha.adult = await account(p.alpha.id, 'mod_adult', ['member'], '18-21');
  alpha.other = await account(p.alpha.id, 'mod_other', ['member'], '13-15');
  beta.moderator = await account(p.beta.id, 'modb_moderator', ['moderator']);
  beta.member = await account(p.beta.id, 'modb_member', ['member'], '18-21');
  const betaMember = await as(p.beta.host, 'modb_member');
  beta.aboutId = (await betaMember.identity.profile.updateAbout.mutate({ about: 'Beta about me' }))
    .aboutId!;
  const betaModerator = await as(p.beta.host, 'modb_moderator');
  await betaModerator.safeguarding.reports.create.mutate({
    target: { kind: 'user', userId: beta.member },
    reason: 'spam',
  });
  beta.item = (await betaModerator.safeguarding.moderation.list.query())[0]!.id;
});
afterAll(async () => {
  await p?.close();
});

describe('screening what people write (a profile’s “about me”)', () => {
  test('ordinary words are published at once and nothing else happens', async () => {
    const young = await as(p.alpha.host, 'mod_young');
    const answer = await young.identity.profile.updateAbout.mutate({
      about: 'I like drawing, football and my dog Biscuit',
    });
    expect(answer).toEqual({
      status: 'published',
      explanation: null,
      helplines: [],
      aboutId: expect.any(String),
    });
    const lead = await as(p.alpha.host, 'mod_lead');
    expect(await lead.identity.profile.get.query({ userId: alpha.young })).toMatchObject({
      about: 'I like drawing, football and my dog Biscuit',
      aboutState: null,
    });
    expect(await casesFrom(answer.aboutId!)).toEqual([]);
  });

  test('a child sharing a phone number is refused kindly, and nothing is kept', async () => {
    const young = await as(p.alpha.host, 'mod_young');
    const before = await young.identity.profile.get.query({ userId: alpha.young });
    const answer = await young.identity.profile.updateAbout.mutate({
      about: 'text me on 07700 900123 x',
    });
    expect(answer).toMatchObject({ status: 'blocked', aboutId: null, helplines: [] });
    expect(answer.explanation).toMatch(/don't share contact details/);
    expect(await young.identity.profile.get.query({ userId: alpha.young })).toEqual(before);
  });

  test("a member's words of suicide: helplines at once, held for a moderator, a case with the words as evidence", async () => {
    const adult = await as(p.alpha.host, 'mod_adult');
    const words = "honestly i don't want to be here anymore, i want to kill myself";
    const answer = await adult.identity.profile.updateAbout.mutate({ about: words });
    expect(answer.status).toBe('held');
    expect(answer.helplines).toEqual(tenantConfig('Alpha Youth Trust').helplines);
    const aboutId = answer.aboutId!;

    // Others do not see it; the writer does, and knows it is waiting.
    const mentor = await as(p.alpha.host, 'mod_mentor');
    expect(await mentor.identity.profile.get.query({ userId: alpha.adult })).toMatchObject({
      about: null,
      aboutId: null,
    });
    expect(await adult.identity.profile.get.query({ userId: alpha.adult })).toMatchObject({
      about: words,
      aboutState: 'held',
    });

    // Exactly one case per rule that matched, with the words sealed in it.
    const cases = await casesFrom(aboutId);
    expect(cases.length).toBeGreaterThan(0);
    expect(new Set(cases.map((c) => c.ruleId)).size).toBe(cases.length);
    expect(cases.every((c) => c.sourceKind === 'signal' && c.subjectUserId === alpha.adult)).toBe(
      true,
    );
    expect(cases.map((c) => c.category)).toContain('suicide_self_harm');
    const lead = await as(p.alpha.host, 'mod_lead');
    const full = await lead.safeguarding.cases.get.query({ caseId: cases[0]!.id });
    const evidence = full.timeline.find((e) => e.kind === 'evidence')!;
    expect(evidence.note).toBe(words);
    expect(evidence.detail).toMatchObject({
      contentKind: PROFILE_ABOUT,
      contentId: aboutId,
      moderation: 'hold',
    });
    const sealed = await inTenant<{ note: string | null }[]>(p.alpha.id, (tx) =>
      tx
        .select({ note: safeguardingCaseEvents.note })
        .from(safeguardingCaseEvents)
        .where(eq(safeguardingCaseEvents.id, evidence.id)),
    );
    expect(sealed[0]!.note).not.toContain('kill');

    // The moderator sees the words, what matched (without the words), and releases them.
    const moderator = await as(p.alpha.host, 'mod_moderator');
    const queue = await moderator.safeguarding.moderation.list.query();
    const item = queue.find((i) => i.contentId === aboutId)!;
    expect(item).toMatchObject({
      contentKind: PROFILE_ABOUT,
      authorId: alpha.adult,
      visibility: 'held',
      reasons: ['held'],
      status: 'open',
    });
    const detail = await moderator.safeguarding.moderation.get.query({ itemId: item.id });
    expect(detail.text).toBe(words);
    // Findings name the rule's own phrase and where it matched, never the writer's words.
    expect(detail.findings).toContainEqual({
      ruleId: 'en.suicide.kill-myself',
      category: 'suicide_self_harm',
      severity: 'high',
      span: [52, 63],
      reason: 'matches "kill myself"',
    });
    expect(JSON.stringify(detail.findings)).not.toMatch(/honestly|excerpt/);
    expect(detail.actions).toEqual([expect.objectContaining({ actorId: null, action: 'hold' })]);
    const released = await moderator.safeguarding.moderation.act.mutate({
      itemId: item.id,
      action: 'release',
      reason: 'Talked to them; they are safe and want it on their profile',
      expectedVersion: item.version,
    });
    expect(released).toMatchObject({ status: 'resolved', visibility: 'visible' });
    expect(await mentor.identity.profile.get.query({ userId: alpha.adult })).toMatchObject({
      about: words,
    });

    // Saving the same words again is a new piece of text: it is screened again and opens its own
    // cases; processing the same text twice never does (see openCase in cases.test.ts).
    const again = await adult.identity.profile.updateAbout.mutate({ about: words });
    expect(again.aboutId).not.toBe(aboutId);
    expect((await casesFrom(again.aboutId!)).length).toBe(cases.length);
  });

  test('a mentor’s grooming words are held and open a case, with no helplines for the writer', async () => {
    const mentor = await as(p.alpha.host, 'mod_mentor');
    const answer = await mentor.identity.profile.updateAbout.mutate({
      about: "don't tell your parents about our chats, it's our little secret",
    });
    expect(answer.helplines).toEqual([]);
    expect(answer.status).not.toBe('published');
    const cases = await casesFrom(answer.aboutId ?? '00000000-0000-4000-8000-000000000000');
    expect(cases.map((c) => c.category)).toContain('sexual_exploitation_grooming');
  });
});

describe('reports', () => {
  test('anyone reports what they can see; the reporter learns only that it arrived', async () => {
    const young = await as(p.alpha.host, 'mod_young');
    const { aboutId } = await young.identity.profile.updateAbout.mutate({
      about: 'Into skateboarding',
    });
    const lead = await as(p.alpha.host, 'mod_lead');
    const answer = await lead.safeguarding.reports.create.mutate({
      target: { kind: 'content', contentKind: PROFILE_ABOUT, contentId: aboutId! },
      reason: 'offensive',
      note: 'Not offensive really, testing the report flow',
    });
    expect(Object.keys(answer).sort()).toEqual(['received', 'reportId']);

    // A member cannot see another member's profile, so cannot report it: same as no such thing.
    const other = await as(p.alpha.host, 'mod_other');
    const report = (contentId: string) =>
      other.safeguarding.reports.create.mutate({
        target: { kind: 'content', contentKind: PROFILE_ABOUT, contentId },
        reason: 'bullying',
      });
    expect(await code(report(aboutId!))).toBe(await code(report(randomUUID())));
    expect(await code(report(aboutId!))).toBe('NOT_FOUND: Content not found');
    expect(
      await code(
        other.safeguarding.reports.create.mutate({
          target: { kind: 'content', contentKind: 'nothing.here', contentId: aboutId! },
          reason: 'bullying',
        }),
      ),
    ).toBe('NOT_FOUND: Content not found');
    expect(
      await code(
        other.safeguarding.reports.create.mutate({
          target: { kind: 'user', userId: alpha.other },
          reason: 'bullying',
        }),
      ),
    ).toBe('NOT_FOUND: Person not found');

    // The note is sealed.
    const [stored] = await inTenant<{ note: string | null }[]>(p.alpha.id, (tx) =>
      tx
        .select({ note: moderationReports.note })
        .from(moderationReports)
        .where(eq(moderationReports.id, answer.reportId)),
    );
    expect(stored!.note).toMatch(/^hearth1\./);
    const moderator = await as(p.alpha.host, 'mod_moderator');
    const item = (await moderator.safeguarding.moderation.list.query()).find(
      (i) => i.contentId === aboutId,
    )!;
    const detail = await moderator.safeguarding.moderation.get.query({ itemId: item.id });
    expect(detail.reports).toEqual([
      expect.objectContaining({
        reporterId: alpha.lead,
        reason: 'offensive',
        note: 'Not offensive really, testing the report flow',
        caseOpened: false,
      }),
    ]);
    expect(detail.text).toBe('Into skateboarding');
  });

  test('reports of a person join one item; a report about safety opens one case per reason', async () => {
    const young = await as(p.alpha.host, 'mod_young');
    const other = await as(p.alpha.host, 'mod_other');
    for (const [client, reason] of [
      [young, 'grooming'],
      [other, 'grooming'],
      [other, 'bullying'],
    ] as const) {
      await client.safeguarding.reports.create.mutate({
        target: { kind: 'user', userId: alpha.mentor },
        reason,
        note: 'He keeps asking to talk on Snapchat instead',
      });
    }
    const moderator = await as(p.alpha.host, 'mod_moderator');
    const items = (await moderator.safeguarding.moderation.list.query()).filter(
      (i) => i.contentId === alpha.mentor,
    );
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ contentKind: 'identity.user', reportCount: 3 });
    // Reporting the same thing again for the same reason adds nothing.
    const first = await young.safeguarding.reports.create.mutate({
      target: { kind: 'user', userId: alpha.mentor },
      reason: 'grooming',
    });
    const again = await young.safeguarding.reports.create.mutate({
      target: { kind: 'user', userId: alpha.mentor },
      reason: 'grooming',
    });
    expect(again.reportId).toBe(first.reportId);
    expect(
      (await moderator.safeguarding.moderation.get.query({ itemId: items[0]!.id })).reportCount,
    ).toBe(3);
    const cases = await casesFrom(items[0]!.id);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({
      sourceKind: 'report',
      ruleId: 'report:grooming',
      category: 'sexual_exploitation_grooming',
      subjectUserId: alpha.mentor,
      raisedBy: alpha.young,
    });
    // Once that case is closed, a new report about the same person is a new concern.
    const lead = await as(p.alpha.host, 'mod_lead');
    await lead.safeguarding.cases.close.mutate({
      caseId: cases[0]!.id,
      expectedVersion: cases[0]!.version,
      outcome: 'support_provided',
      note: 'Spoke to the mentor and the young people',
    });
    await other.safeguarding.reports.create.mutate({
      target: { kind: 'user', userId: alpha.mentor },
      reason: 'grooming',
      note: 'It started again',
    });
    const allCases = await inTenant<(typeof safeguardingCases.$inferSelect)[]>(p.alpha.id, (tx) =>
      tx.select().from(safeguardingCases).where(eq(safeguardingCases.subjectUserId, alpha.mentor)),
    );
    expect(allCases.map((c) => c.status).sort()).toEqual(['closed', 'open']);
    // A person cannot be held or removed from here: warn them, or an admin disables them.
    expect(
      await code(
        moderator.safeguarding.moderation.act.mutate({
          itemId: items[0]!.id,
          action: 'remove',
          reason: 'x',
          expectedVersion: items[0]!.version,
        }),
      ),
    ).toMatch(/^BAD_REQUEST: A person can't be held, released or removed here/);
  });

  test('a moderator’s warning reaches the author in the app; each action is recorded with who and why', async () => {
    const adult = await as(p.alpha.host, 'mod_adult');
    const { aboutId } = await adult.identity.profile.updateAbout.mutate({
      about: 'Football is the best, everyone else is wrong',
    });
    const lead = await as(p.alpha.host, 'mod_lead');
    await lead.safeguarding.reports.create.mutate({
      target: { kind: 'content', contentKind: PROFILE_ABOUT, contentId: aboutId! },
      reason: 'offensive',
    });
    const moderator = await as(p.alpha.host, 'mod_moderator');
    let item = (await moderator.safeguarding.moderation.list.query()).find(
      (i) => i.contentId === aboutId,
    )!;
    item = await moderator.safeguarding.moderation.act.mutate({
      itemId: item.id,
      action: 'hold',
      reason: 'Looking into it',
      expectedVersion: item.version,
    });
    const mentor = await as(p.alpha.host, 'mod_mentor');
    expect(await mentor.identity.profile.get.query({ userId: alpha.adult })).toMatchObject({
      about: null,
    });
    item = await moderator.safeguarding.moderation.act.mutate({
      itemId: item.id,
      action: 'warn',
      reason: 'Mild, but unkind',
      message: 'Please keep your profile friendly to everyone',
      expectedVersion: item.version,
    });
    // A second moderator acting on what they saw before is told it changed.
    expect(
      await code(
        moderator.safeguarding.moderation.act.mutate({
          itemId: item.id,
          action: 'dismiss',
          reason: 'x',
          expectedVersion: item.version - 1,
        }),
      ),
    ).toMatch(/^CONFLICT: Someone else has acted on this since you opened it/);
    item = await moderator.safeguarding.moderation.act.mutate({
      itemId: item.id,
      action: 'remove',
      reason: 'Author agreed to rewrite it',
      expectedVersion: item.version,
    });
    expect(item).toMatchObject({ visibility: 'removed', status: 'resolved' });
    expect(
      await code(
        moderator.safeguarding.moderation.act.mutate({
          itemId: item.id,
          action: 'release',
          reason: 'x',
          expectedVersion: item.version,
        }),
      ),
    ).toBe('BAD_REQUEST: This has been removed for good and cannot be shown or held again');
    const [row] = await inTenant<{ state: string | null }[]>(p.alpha.id, (tx) =>
      tx.select({ state: users.aboutState }).from(users).where(eq(users.id, alpha.adult)),
    );
    expect(row!.state).toBe('removed');

    while ((await p.platform.dispatcher.runOnce()).claimed > 0) {}
    const warnings = await inTenant<{ content: unknown }[]>(p.alpha.id, (tx) =>
      tx
        .select({ content: outboxDeliveries.content })
        .from(outboxDeliveries)
        .where(eq(outboxDeliveries.recipient, `user:${alpha.adult}`)),
    );
    expect(warnings.map((w) => w.content)).toContainEqual({
      kind: 'moderation.warning',
      message: 'Please keep your profile friendly to everyone',
      about: PROFILE_ABOUT,
    });

    const actions = await inTenant<{ actorId: string | null; action: string; reason: string }[]>(
      p.alpha.id,
      (tx) =>
        tx
          .select({
            actorId: moderationActions.actorId,
            action: moderationActions.action,
            reason: moderationActions.reason,
          })
          .from(moderationActions)
          .where(eq(moderationActions.itemId, item.id))
          .orderBy(moderationActions.seq),
    );
    expect(actions).toEqual([
      { actorId: alpha.moderator, action: 'hold', reason: 'Looking into it' },
      { actorId: alpha.moderator, action: 'warn', reason: 'Mild, but unkind' },
      { actorId: alpha.moderator, action: 'remove', reason: 'Author agreed to rewrite it' },
    ]);
    const audit = await inTenant<{ action: string }[]>(p.alpha.id, (tx) =>
      tx
        .select({ action: auditEvents.action })
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, p.alpha.id), eq(auditEvents.subjectId, item.id))),
    );
    expect(audit.map((a) => a.action).sort()).toEqual([
      'safeguarding.moderation.hold',
      'safeguarding.moderation.remove',
      'safeguarding.moderation.warn',
    ]);
  });

  test('held content waits for a decision: it cannot be dismissed and left hidden', async () => {
    const adult = await as(p.alpha.host, 'mod_adult');
    const { aboutId, status } = await adult.identity.profile.updateAbout.mutate({
      about: 'some days i want to kill myself',
    });
    expect(status).toBe('held');
    const moderator = await as(p.alpha.host, 'mod_moderator');
    const item = (await moderator.safeguarding.moderation.list.query()).find(
      (i) => i.contentId === aboutId,
    )!;
    expect(
      await code(
        moderator.safeguarding.moderation.act.mutate({
          itemId: item.id,
          action: 'dismiss',
          reason: 'x',
          expectedVersion: item.version,
        }),
      ),
    ).toBe('BAD_REQUEST: Held content waits for a decision: release it or remove it');
  });

  test('members and mentors have no queue; a warning needs its message', async () => {
    for (const who of ['mod_young', 'mod_mentor']) {
      const client = await as(p.alpha.host, who);
      expect(await code(client.safeguarding.moderation.list.query())).toMatch(/^FORBIDDEN/);
    }
    const moderator = await as(p.alpha.host, 'mod_moderator');
    const [item] = await moderator.safeguarding.moderation.list.query();
    const refused = await moderator.safeguarding.moderation.act
      .mutate({ itemId: item!.id, action: 'warn', reason: 'x', expectedVersion: item!.version })
      .catch((error: unknown) => getFieldErrors(error));
    expect(refused).toEqual({ message: ['Write the message the author will see'] });
  });
});

describe('another tenant’s ids', () => {
  test('answer exactly like ids that exist nowhere, and change nothing', async () => {
    const snapshot = () =>
      inTenant<unknown[]>(p.beta.id, async (tx) => [
        await tx.select().from(moderationItems),
        await tx.select().from(moderationReports),
        await tx.select().from(moderationActions),
        await tx.select().from(safeguardingCases),
      ]);
    const before = await snapshot();
    const moderator = await as(p.alpha.host, 'mod_moderator');
    const young = await as(p.alpha.host, 'mod_young');
    const random = randomUUID();
    const calls = [
      (id: string) =>
        young.safeguarding.reports.create.mutate({
          target: { kind: 'user', userId: id },
          reason: 'self_harm',
        }),
      (id: string) =>
        young.safeguarding.reports.create.mutate({
          target: { kind: 'content', contentKind: PROFILE_ABOUT, contentId: id },
          reason: 'abuse',
        }),
      (id: string) => moderator.safeguarding.moderation.get.query({ itemId: id }),
      (id: string) =>
        moderator.safeguarding.moderation.act.mutate({
          itemId: id,
          action: 'dismiss',
          reason: 'probe',
          expectedVersion: 1,
        }),
      (id: string) => moderator.safeguarding.moderation.list.query({ after: id }),
    ];
    const betaIds = [beta.member, beta.aboutId, beta.item, beta.item, beta.item];
    for (const [i, call] of calls.entries()) {
      expect(await code(call(betaIds[i]!))).toBe(await code(call(random)));
      expect(await code(call(betaIds[i]!))).toMatch(/^NOT_FOUND: (Person|Content|Item) not found$/);
    }
    // Nor does alpha's queue hold anything of beta's.
    const listed = await moderator.safeguarding.moderation.list.query({ status: 'open' });
    expect(listed.map((i) => i.contentId)).not.toContain(beta.member);
    expect(await snapshot()).toEqual(before);
  });
});
