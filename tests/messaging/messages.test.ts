import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createHearthClient } from '@hearth/client';
import type { Role } from '@hearth/core';
import { parseTenantConfig, quietHoursEnd } from '@hearth/core';
import {
  auditEvents,
  mentoringRelationships,
  mentorProfiles,
  moderationItems,
  outboxEvents,
} from '@hearth/db';
import { testDatabaseUrl } from '@hearth/db/testing';
import { MESSAGE_NOTIFY, type MessageView } from '@hearth/server';
import { and, eq } from 'drizzle-orm';
import { EventSource } from 'eventsource';
import { fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { namedAccount, outcome, signIn } from '../support/identity.js';
import {
  loopback,
  PASSWORD,
  SECRET,
  startTestPlatform,
  TEST_MASTER_KEY,
  type TestPlatform,
  tenantConfig,
} from '../support/platform.js';

/**
 * One-to-one conversations inside active matches: sending (screened), history a page at a time,
 * read receipts, live delivery with resumption, oversight, and isolation.
 */

let p: TestPlatform;
const alpha = {
  mentor: '',
  mentor2: '',
  senior: '',
  lead: '',
  moderator: '',
  young: '',
  young2: '',
};
const rel = { active: '', other: '', paused: '' };
const beta = { conversation: '', young: '' };

const account = (tenantId: string, username: string, roles: string[]) =>
  namedAccount(p, tenantId, username, roles as Role[], '16-17');

async function as(host: string, username: string) {
  return (await signIn(p, host, username)).client;
}
type Client = Awaited<ReturnType<typeof as>>;

const code = outcome;

async function relationship(
  tenantId: string,
  memberId: string,
  mentorId: string,
  status: 'active' | 'paused',
) {
  const [row] = await p.database.db.transaction(tenantId, (tx) =>
    tx
      .insert(mentoringRelationships)
      .values({ tenantId, memberId, mentorId, status, matching: 'member-chooses' })
      .returning({ id: mentoringRelationships.id }),
  );
  return row!.id;
}

/** Collects live messages until `count` arrived (or fails after `ms`). */
/** A Hearth server in a child process (server-process.ts) against the same database. */
async function startServerProcess(appUrl: string) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=hearth-source',
      fileURLToPath(new URL('./server-process.ts', import.meta.url)),
    ],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: {
        ...process.env,
        HEARTH_APP_URL: appUrl,
        HEARTH_SECRET: SECRET,
        HEARTH_MASTER_KEY: TEST_MASTER_KEY,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const match = /listening (\d+)/.exec(chunk);
      if (match) resolve(Number(match[1]));
    });
    void exited.then(() => reject(new Error(`the server process exited early: ${stderr}`)));
  });
  return {
    port,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function collect(
  client: Client,
  input: { conversationId: string; lastEventId?: string | null },
  count: number,
  ms = 10_000,
) {
  const got: { id: string; message: MessageView }[] = [];
  const states: string[] = [];
  let started!: () => void;
  const ready = new Promise<void>((resolve) => {
    started = resolve;
  });
  const done = new Promise<typeof got>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.unsubscribe();
      reject(new Error(`live: ${got.length} of ${count} arrived`));
    }, ms);
    const sub = client.messaging.messages.live.subscribe(input, {
      onStarted: () => started(),
      onConnectionStateChange: (state) => states.push(state.state),
      onData: (event) => {
        got.push({ id: event.id, message: event.data });
        if (got.length === count) {
          clearTimeout(timer);
          sub.unsubscribe();
          resolve(got);
        }
      },
      onError: (error) => {
        clearTimeout(timer);
        reject(error);
      },
    });
  });
  return { ready, done, states };
}

beforeAll(async () => {
  p = await startTestPlatform();
  alpha.mentor = await account(p.alpha.id, 'msg_mentor', ['mentor']);
  alpha.mentor2 = await account(p.alpha.id, 'msg_mentor2', ['mentor']);
  alpha.senior = await account(p.alpha.id, 'msg_senior', ['senior_mentor']);
  alpha.lead = await account(p.alpha.id, 'msg_lead', ['safeguarding_lead']);
  alpha.moderator = await account(p.alpha.id, 'msg_moderator', ['moderator']);
  alpha.young = await account(p.alpha.id, 'msg_young', ['member']);
  alpha.young2 = await account(p.alpha.id, 'msg_young2', ['member']);
  rel.active = await relationship(p.alpha.id, alpha.young, alpha.mentor, 'active');
  rel.other = await relationship(p.alpha.id, alpha.young2, alpha.mentor2, 'active');
  const young3 = await account(p.alpha.id, 'msg_young3', ['member']);
  rel.paused = await relationship(p.alpha.id, young3, alpha.mentor, 'paused');
  await p.database.db.transaction(p.alpha.id, (tx) =>
    tx
      .insert(mentorProfiles)
      .values({ tenantId: p.alpha.id, mentorId: alpha.mentor, supervisorId: alpha.senior }),
  );
  const betaMentor = await account(p.beta.id, 'msgb_mentor', ['mentor']);
  const betaYoung = await account(p.beta.id, 'msgb_young', ['member']);
  beta.young = betaYoung;
  const betaRel = await relationship(p.beta.id, betaYoung, betaMentor, 'active');
  const b = await as(p.beta.host, 'msgb_young');
  beta.conversation = (
    await b.messaging.conversations.openDirect.mutate({ relationshipId: betaRel })
  ).conversationId;
  await b.messaging.messages.send.mutate({ conversationId: beta.conversation, body: 'Beta only' });
});
afterAll(async () => {
  await p?.close();
});

describe('a one-to-one conversation', () => {
  test('is opened by either side of an active match, once; sent, read a page at a time, with receipts', async () => {
    const young = await as(p.alpha.host, 'msg_young');
    const mentor = await as(p.alpha.host, 'msg_mentor');
    const [a, b] = await Promise.all([
      young.messaging.conversations.openDirect.mutate({ relationshipId: rel.active }),
      mentor.messaging.conversations.openDirect.mutate({ relationshipId: rel.active }),
    ]);
    expect(a.conversationId).toBe(b.conversationId);
    const conversationId = a.conversationId;
    const sent: MessageView[] = [];
    for (let i = 1; i <= 5; i++) {
      const answer = await young.messaging.messages.send.mutate({
        conversationId,
        body: `Message number ${i}`,
      });
      expect(answer).toMatchObject({ status: 'published', helplines: [] });
      sent.push(answer.message!);
    }
    expect(sent.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);

    const first = await mentor.messaging.messages.list.query({ conversationId, limit: 2 });
    expect(first.map((m) => m.body)).toEqual(['Message number 5', 'Message number 4']);
    const second = await mentor.messaging.messages.list.query({
      conversationId,
      limit: 2,
      before: first.at(-1)!.seq,
    });
    expect(second.map((m) => m.seq)).toEqual([3, 2]);
    const last = await mentor.messaging.messages.list.query({
      conversationId,
      limit: 2,
      before: second.at(-1)!.seq,
    });
    expect(last.map((m) => m.seq)).toEqual([1]);

    const [before] = (await mentor.messaging.conversations.list.query()).filter(
      (c) => c.id === conversationId,
    );
    expect(before).toMatchObject({ unread: true, readSeq: 0, lastSeq: 5 });
    await mentor.messaging.messages.markRead.mutate({ conversationId, seq: 4 });
    // A receipt never moves back, nor past the end.
    await mentor.messaging.messages.markRead.mutate({ conversationId, seq: 2 });
    expect(await young.messaging.conversations.receipts.query({ conversationId })).toEqual(
      [
        { userId: alpha.mentor, readSeq: 4 },
        { userId: alpha.young, readSeq: 5 },
      ].sort((x, y) => x.userId.localeCompare(y.userId)),
    );
    await mentor.messaging.messages.markRead.mutate({ conversationId, seq: 99 });
    const [after] = (await mentor.messaging.conversations.list.query()).filter(
      (c) => c.id === conversationId,
    );
    expect(after).toMatchObject({ unread: false, readSeq: 5 });
  });

  test('only an active match can open a conversation or send in it', async () => {
    const mentor = await as(p.alpha.host, 'msg_mentor');
    expect(
      await code(mentor.messaging.conversations.openDirect.mutate({ relationshipId: rel.paused })),
    ).toBe('PRECONDITION_FAILED: A conversation opens once the match is active');
  });

  test('a risky message is held from the other side, with helplines for the writer, until a moderator releases it', async () => {
    const young = await as(p.alpha.host, 'msg_young');
    const mentor = await as(p.alpha.host, 'msg_mentor');
    const { conversationId } = await young.messaging.conversations.openDirect.mutate({
      relationshipId: rel.active,
    });
    const answer = await young.messaging.messages.send.mutate({
      conversationId,
      body: 'i want to kill myself',
    });
    expect(answer.status).toBe('held');
    expect(answer.helplines).toEqual(tenantConfig('x').helplines);
    const held = answer.message!;
    expect(held.state).toBe('held');
    // The writer sees it waiting; the mentor does not see it at all.
    expect(
      (await young.messaging.messages.list.query({ conversationId, limit: 1 }))[0],
    ).toMatchObject({ id: held.id, state: 'held' });
    const mentorView = await mentor.messaging.messages.list.query({ conversationId, limit: 50 });
    expect(mentorView.map((m) => m.id)).not.toContain(held.id);

    // Released, it reaches the mentor live, as the newest event of the conversation.
    const watching = collect(mentor, { conversationId }, 1);
    await watching.ready;
    const moderator = await as(p.alpha.host, 'msg_moderator');
    const item = (await moderator.safeguarding.moderation.list.query()).find(
      (i) => i.contentId === held.id,
    )!;
    expect(item).toMatchObject({ contentKind: 'messaging.message', visibility: 'held' });
    expect((await moderator.safeguarding.moderation.get.query({ itemId: item.id })).text).toBe(
      'i want to kill myself',
    );
    await moderator.safeguarding.moderation.act.mutate({
      itemId: item.id,
      action: 'release',
      reason: 'Spoke with them; safe plan in place; their mentor should see it',
      expectedVersion: item.version,
    });
    const [event] = await watching.done;
    expect(event!.message).toMatchObject({ id: held.id, state: 'visible' });
    expect(event!.message.seq).toBeGreaterThan(held.seq);
    expect(event!.id).toBe(String(event!.message.seq));
  });
});

describe('a support group', () => {
  test('is created by a moderator with its members, who all read it; nobody else does', async () => {
    const moderator = await as(p.alpha.host, 'msg_moderator');
    const { conversationId } = await moderator.messaging.conversations.createGroup.mutate({
      title: 'Exam stress group',
      memberIds: [alpha.young, alpha.young2],
    });
    const young = await as(p.alpha.host, 'msg_young');
    const young2 = await as(p.alpha.host, 'msg_young2');
    await young.messaging.messages.send.mutate({ conversationId, body: 'Anyone else panicking?' });
    await moderator.messaging.messages.send.mutate({ conversationId, body: 'Breathe. One step.' });
    expect(
      (await young2.messaging.messages.list.query({ conversationId, limit: 10 })).map(
        (m) => m.body,
      ),
    ).toEqual(['Breathe. One step.', 'Anyone else panicking?']);
    expect(
      (await young2.messaging.conversations.list.query()).find((c) => c.id === conversationId),
    ).toMatchObject({
      kind: 'group',
      title: 'Exam stress group',
      role: 'participant',
      unread: true,
    });
    const mentor = await as(p.alpha.host, 'msg_mentor');
    expect(await code(mentor.messaging.messages.list.query({ conversationId, limit: 10 }))).toBe(
      'NOT_FOUND: Conversation not found',
    );
    // Members cannot start groups.
    expect(
      await code(
        young.messaging.conversations.createGroup.mutate({ title: 'Mine', memberIds: [] }),
      ),
    ).toMatch(/^FORBIDDEN/);
  });
});

describe('live delivery', () => {
  test('arrives in order; a client that comes back with its last event id gets exactly what it missed', async () => {
    const young = await as(p.alpha.host, 'msg_young');
    const mentor = await as(p.alpha.host, 'msg_mentor');
    const { conversationId } = await young.messaging.conversations.openDirect.mutate({
      relationshipId: rel.active,
    });
    const first = collect(mentor, { conversationId }, 3);
    await first.ready;
    for (const body of ['one', 'two', 'three']) {
      await young.messaging.messages.send.mutate({ conversationId, body });
    }
    const got = await first.done;
    expect(got.map((e) => e.message.body)).toEqual(['one', 'two', 'three']);
    expect(got.map((e) => Number(e.id))).toEqual(got.map((e) => e.message.seq));
    // Gone away; three more are sent meanwhile.
    for (const body of ['four', 'five', 'six']) {
      await young.messaging.messages.send.mutate({ conversationId, body });
    }
    const resumed = collect(mentor, { conversationId, lastEventId: got.at(-1)!.id }, 4);
    await resumed.ready;
    await young.messaging.messages.send.mutate({ conversationId, body: 'seven' });
    expect((await resumed.done).map((e) => e.message.body)).toEqual([
      'four',
      'five',
      'six',
      'seven',
    ]);
  });

  test('a dropped connection is picked up again by the client, with nothing missed or repeated', async () => {
    const young = await as(p.alpha.host, 'msg_young');
    const mentor = await as(p.alpha.host, 'msg_mentor');
    const { conversationId } = await young.messaging.conversations.openDirect.mutate({
      relationshipId: rel.active,
    });
    const watching = collect(mentor, { conversationId }, 4, 20_000);
    await watching.ready;
    await young.messaging.messages.send.mutate({ conversationId, body: 'before the drop 1' });
    await young.messaging.messages.send.mutate({ conversationId, body: 'before the drop 2' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    p.dropConnections();
    await young.messaging.messages.send.mutate({ conversationId, body: 'during the drop 1' });
    await young.messaging.messages.send.mutate({ conversationId, body: 'during the drop 2' });
    const got = await watching.done;
    expect(got.map((e) => e.message.body)).toEqual([
      'before the drop 1',
      'before the drop 2',
      'during the drop 1',
      'during the drop 2',
    ]);
    expect(new Set(got.map((e) => e.id)).size).toBe(4);
    // It really was cut off and came back: connecting, connected, connecting again, connected.
    expect(watching.states.filter((state) => state === 'connecting').length).toBeGreaterThanOrEqual(
      2,
    );
  });

  test.skipIf(!testDatabaseUrl())(
    'reaches a subscriber of another server process, in both directions, through PostgreSQL LISTEN/NOTIFY',
    async () => {
      // A second server in its own OS process, with its own connections, on its own port.
      const other = await startServerProcess(p.database.appUrl!);
      try {
        const signedIn = p.browser(p.alpha.host);
        await signedIn.client.identity.signIn.mutate({
          username: 'msg_mentor',
          password: PASSWORD,
        });
        const cookie = [...signedIn.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
        const viaOther = (init: RequestInit, url: string | URL) =>
          undiciFetch(String(url), {
            ...(init as object),
            headers: { ...(init.headers as Record<string, string>), cookie },
            dispatcher: loopback,
          });
        const mentorOnOther = createHearthClient({
          url: `http://${p.alpha.host}:${other.port}/trpc`,
          fetch: ((url: string | URL, init: RequestInit) =>
            viaOther(init, url)) as unknown as typeof fetch,
          EventSource,
          eventSourceOptions: {
            fetch: (url: string | URL, init: RequestInit) => viaOther(init, url),
          },
        });
        const young = await as(p.alpha.host, 'msg_young');
        const { conversationId } = await young.messaging.conversations.openDirect.mutate({
          relationshipId: rel.active,
        });

        // Sent through this process, received by a subscriber of the other.
        const watchingThere = collect(mentorOnOther, { conversationId }, 1);
        await watchingThere.ready;
        await young.messaging.messages.send.mutate({ conversationId, body: 'from here to there' });
        expect((await watchingThere.done).map((e) => e.message.body)).toEqual([
          'from here to there',
        ]);

        // Sent through the other process, received by a subscriber of this one.
        const watchingHere = collect(young, { conversationId }, 1);
        await watchingHere.ready;
        await mentorOnOther.messaging.messages.send.mutate({
          conversationId,
          body: 'from there to here',
        });
        expect((await watchingHere.done).map((e) => e.message.body)).toEqual([
          'from there to here',
        ]);
      } finally {
        await other.stop();
      }
    },
  );
});

describe('notifications and quiet hours', () => {
  test('a young person is notified when quiet hours end; staff at once', async () => {
    const young = await as(p.alpha.host, 'msg_young');
    const mentor = await as(p.alpha.host, 'msg_mentor');
    const { conversationId } = await young.messaging.conversations.openDirect.mutate({
      relationshipId: rel.active,
    });
    const toYoung = await mentor.messaging.messages.send.mutate({ conversationId, body: 'Hi!' });
    const toMentor = await young.messaging.messages.send.mutate({ conversationId, body: 'Hey' });
    const events = await p.database.db.transaction(p.alpha.id, (tx) =>
      tx
        .select({ payload: outboxEvents.payload, availableAt: outboxEvents.availableAt })
        .from(outboxEvents)
        .where(and(eq(outboxEvents.tenantId, p.alpha.id), eq(outboxEvents.topic, MESSAGE_NOTIFY))),
    );
    const at = (messageId: string) =>
      events.find((e) => (e.payload as { messageId: string }).messageId === messageId)!.availableAt;
    const config = parseTenantConfig(tenantConfig('Alpha Youth Trust'));
    const sentAt = new Date(toYoung.message!.sentAt);
    expect(at(toYoung.message!.id)).toEqual(
      quietHoursEnd(sentAt, config.timeZone, config.mentoring.quietHours),
    );
    expect(at(toMentor.message!.id)).toEqual(new Date(toMentor.message!.sentAt));
  });
});

describe('notifications to a group', () => {
  test('every other member is notified once, each by their own clock; a held message notifies nobody', async () => {
    const moderator = await as(p.alpha.host, 'msg_moderator');
    const { conversationId } = await moderator.messaging.conversations.createGroup.mutate({
      title: 'Notified group',
      memberIds: [alpha.young, alpha.young2, alpha.mentor],
    });
    const young = await as(p.alpha.host, 'msg_young');
    const sent = await young.messaging.messages.send.mutate({ conversationId, body: 'Hello all' });
    const held = await young.messaging.messages.send.mutate({
      conversationId,
      body: 'i want to kill myself',
    });
    expect(held.status).toBe('held');
    const events = await p.database.db.transaction(p.alpha.id, (tx) =>
      tx
        .select({ payload: outboxEvents.payload, availableAt: outboxEvents.availableAt })
        .from(outboxEvents)
        .where(and(eq(outboxEvents.tenantId, p.alpha.id), eq(outboxEvents.topic, MESSAGE_NOTIFY))),
    );
    const about = (messageId: string) =>
      events.filter((e) => (e.payload as { messageId: string }).messageId === messageId);
    const config = parseTenantConfig(tenantConfig('Alpha Youth Trust'));
    const sentAt = new Date(sent.message!.sentAt);
    const quietEnd = quietHoursEnd(sentAt, config.timeZone, config.mentoring.quietHours);
    expect(
      about(sent.message!.id)
        .map((e) => ({
          ...(e.payload as { messageId: string; userId: string }),
          availableAt: e.availableAt,
        }))
        .sort((a, b) => a.userId.localeCompare(b.userId)),
    ).toEqual(
      [
        { messageId: sent.message!.id, userId: alpha.moderator, availableAt: sentAt },
        { messageId: sent.message!.id, userId: alpha.mentor, availableAt: sentAt },
        { messageId: sent.message!.id, userId: alpha.young2, availableAt: quietEnd },
      ].sort((a, b) => a.userId.localeCompare(b.userId)),
    );
    expect(about(held.message!.id)).toEqual([]);
    // The writer has read both; nobody else has.
    const receipts = await young.messaging.conversations.receipts.query({ conversationId });
    expect(receipts.find((r) => r.userId === alpha.young)?.readSeq).toBe(held.message!.seq);
    expect(receipts.filter((r) => r.userId !== alpha.young).map((r) => r.readSeq)).toEqual([
      0, 0, 0,
    ]);
  });

  test('someone outside the conversation is refused before their words are screened', async () => {
    const young2 = await as(p.alpha.host, 'msg_young2');
    const young = await as(p.alpha.host, 'msg_young');
    const { conversationId } = await young.messaging.conversations.openDirect.mutate({
      relationshipId: rel.active,
    });
    const before = await p.database.db.transaction(p.alpha.id, (tx) =>
      tx.select({ id: outboxEvents.id }).from(outboxEvents),
    );
    expect(
      await code(
        young2.messaging.messages.send.mutate({ conversationId, body: 'i want to kill myself' }),
      ),
    ).toBe('NOT_FOUND: Conversation not found');
    const items = await p.database.db.transaction(p.alpha.id, (tx) =>
      tx
        .select({ id: moderationItems.id })
        .from(moderationItems)
        .where(
          and(eq(moderationItems.tenantId, p.alpha.id), eq(moderationItems.authorId, alpha.young2)),
        ),
    );
    expect(items).toEqual([]);
    const after = await p.database.db.transaction(p.alpha.id, (tx) =>
      tx.select({ id: outboxEvents.id }).from(outboxEvents),
    );
    expect(after.length).toBe(before.length);
  });
});

describe('oversight', () => {
  test('the mentor’s supervisor and a safeguarding lead may read it, each read audited; others may not', async () => {
    const young = await as(p.alpha.host, 'msg_young');
    const { conversationId } = await young.messaging.conversations.openDirect.mutate({
      relationshipId: rel.active,
    });
    const senior = await as(p.alpha.host, 'msg_senior');
    const lead = await as(p.alpha.host, 'msg_lead');
    const read = await senior.messaging.conversations.oversee.query({ conversationId, limit: 100 });
    expect(read.length).toBeGreaterThan(0);
    // Overseers see held messages too.
    expect(read.some((m) => m.state === 'visible')).toBe(true);
    await lead.messaging.conversations.oversee.query({ conversationId, limit: 5 });
    const audit = await p.database.db.transaction(p.alpha.id, (tx) =>
      tx
        .select({ actorId: auditEvents.actorId, action: auditEvents.action })
        .from(auditEvents)
        .where(
          and(eq(auditEvents.tenantId, p.alpha.id), eq(auditEvents.subjectId, conversationId)),
        ),
    );
    expect(audit).toEqual(
      expect.arrayContaining([
        { actorId: alpha.senior, action: 'messaging.conversation.oversee' },
        { actorId: alpha.lead, action: 'messaging.conversation.oversee' },
      ]),
    );
    // Another mentor, and a senior mentor who does not supervise this mentor, see nothing.
    const mentor2 = await as(p.alpha.host, 'msg_mentor2');
    expect(
      await code(mentor2.messaging.conversations.oversee.query({ conversationId, limit: 5 })),
    ).toMatch(/^FORBIDDEN/);
    await account(p.alpha.id, 'msg_senior2', ['senior_mentor']);
    const senior2 = await as(p.alpha.host, 'msg_senior2');
    expect(
      await code(senior2.messaging.conversations.oversee.query({ conversationId, limit: 5 })),
    ).toBe('NOT_FOUND: Conversation not found');
  });
});

describe('another conversation’s id', () => {
  test('of another organisation or another match, answers exactly like an id that exists nowhere', async () => {
    const young2 = await as(p.alpha.host, 'msg_young2');
    const young = await as(p.alpha.host, 'msg_young');
    const { conversationId: mine } = await young.messaging.conversations.openDirect.mutate({
      relationshipId: rel.active,
    });
    const random = randomUUID();
    const calls = [
      (id: string) => young2.messaging.messages.list.query({ conversationId: id, limit: 5 }),
      (id: string) => young2.messaging.messages.send.mutate({ conversationId: id, body: 'probe' }),
      (id: string) => young2.messaging.messages.markRead.mutate({ conversationId: id, seq: 1 }),
      (id: string) => young2.messaging.conversations.receipts.query({ conversationId: id }),
    ];
    for (const call of calls) {
      for (const id of [mine, beta.conversation]) {
        expect(await code(call(id))).toBe(await code(call(random)));
      }
      expect(await code(call(random))).toBe('NOT_FOUND: Conversation not found');
    }
    const live = collect(young2, { conversationId: mine }, 1, 3_000);
    await expect(live.done).rejects.toMatchObject({ message: 'Conversation not found' });
    // Nor may a relationship of someone else be opened.
    for (const id of [rel.other, randomUUID()]) {
      expect(
        await code(young.messaging.conversations.openDirect.mutate({ relationshipId: id })),
      ).toBe('NOT_FOUND: Relationship not found');
    }
    // A group cannot take in someone of another organisation.
    const moderator = await as(p.alpha.host, 'msg_moderator');
    const group = (id: string) =>
      moderator.messaging.conversations.createGroup.mutate({ title: 'Probe', memberIds: [id] });
    expect(await code(group(beta.young))).toBe(await code(group(randomUUID())));
    expect(await code(group(beta.young))).toBe('NOT_FOUND: Person not found');
    const lead = await as(p.alpha.host, 'msg_lead');
    expect(
      await code(
        lead.messaging.conversations.oversee.query({ conversationId: beta.conversation, limit: 5 }),
      ),
    ).toBe('NOT_FOUND: Conversation not found');
  });
});
