import { randomUUID } from 'node:crypto';
import { parseTenantConfig } from '@hearth/core';
import { type HearthDb, rowsOf } from '@hearth/db';
import { createPostgresDb } from '@hearth/db/postgres';
import { testDatabaseUrl } from '@hearth/db/testing';
import {
  CASE_ALERT,
  createDispatcher,
  createPlatform,
  createSafeguardingHandlers,
  inAppTransport,
  moderateText,
  provisionUser,
  screenText,
  type TenantScope,
} from '@hearth/server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createTestbed,
  type RecordingTransport,
  recordingTransport,
  repeatsOf,
  startKiller,
  type Testbed,
  waitFor,
} from '../outbox/support.js';
import { SECRET, TEST_MASTER_KEY, tenantConfig } from '../support/platform.js';
import { relate } from './mentoring.js';

/**
 * Risky words written while the database connections of writers and dispatchers are terminated
 * at random: afterwards every piece of text that was kept has exactly one case per rule it
 * matched (and no case exists for text that was not kept), and every case's alert reached every
 * person its step reaches — the writer's own mentor — in the app and by e-mail, with no one
 * alerted twice for the same case. A writer with no mentor leaves the mentor step with nobody
 * to alert: each of their cases moves on to the senior mentor step exactly once, and is alerted
 * there.
 *
 * PostgreSQL only: PGlite has no connections to terminate.
 */

const onPostgres = Boolean(testDatabaseUrl());
const CONTENT = 'tests.faultItem';

/** Things a young person might write that hold their words and open cases (adult writers). */
const RISKY = [
  'I want to kill myself tonight',
  "honestly i don't want to be here anymore",
  'i keep cutting myself when it gets bad',
  'i w4nt t0 d i e',
  'going to take all my pills and end it',
];

let bed: Testbed;
interface Person {
  id: string;
  email: string;
}
/**
 * Per tenant: writer 0 is mentored by mentor 0, writer 1 by mentor 1, writer 2 by mentor 0 (a
 * paused relationship), and writer 3 by nobody; one senior mentor supervises no one.
 */
const people: Record<
  string,
  { writers: string[]; mentors: Person[]; senior: Person; mentorOf: Map<string, Person> }
> = {};

beforeAll(async () => {
  if (!onPostgres) return;
  bed = await createTestbed(2);
  await bed.owner.exec(`create table public.fault_test_items (
    tenant_id uuid not null, id uuid not null, author_id uuid not null, text text not null,
    primary key (tenant_id, id))`);
  await bed.owner.exec('grant select, insert on public.fault_test_items to hearth_app');
  const hashing = { memoryCost: 1024, timeCost: 1 };
  for (const [t, tenantId] of bed.tenants.entries()) {
    await bed.owner.exec(
      `update tenants set current_config = '${JSON.stringify(tenantConfig(`Fault ${t}`))}'::jsonb where id = '${tenantId}'`,
    );
    const staff = async (username: string, role: 'mentor' | 'senior_mentor', email: string) => {
      const { userId } = await provisionUser(
        bed.db,
        { tenantId, username, password: 'correct horse battery', roles: [role], email },
        hashing,
      );
      return { id: userId, email };
    };
    const entry = {
      writers: [] as string[],
      mentors: [] as Person[],
      senior: await staff('fault_senior', 'senior_mentor', `senior@fault${t}.example.org`),
      mentorOf: new Map<string, Person>(),
    };
    for (let i = 0; i < 2; i++) {
      entry.mentors.push(
        await staff(`fault_mentor_${i}`, 'mentor', `mentor${i}@fault${t}.example.org`),
      );
    }
    for (let i = 0; i < 4; i++) {
      const { userId } = await provisionUser(
        bed.db,
        {
          tenantId,
          username: `fault_writer_${i}`,
          password: 'correct horse battery',
          roles: ['member'],
          ageBand: '18-21',
        },
        hashing,
      );
      entry.writers.push(userId);
    }
    for (const [w, m, status] of [
      [0, 0, 'active'],
      [1, 1, 'active'],
      [2, 0, 'paused'],
    ] as const) {
      await relate(bed.db, tenantId, entry.writers[w]!, entry.mentors[m]!.id, status);
      entry.mentorOf.set(entry.writers[w]!, entry.mentors[m]!);
    }
    people[tenantId] = entry;
  }
});
afterAll(async () => {
  await bed?.close();
});

describe.skipIf(!onPostgres)('safeguarding under fault injection (PostgreSQL)', () => {
  test('every kept text has exactly one case per rule, and every case alerted everyone its step reaches once', async () => {
    const WRITES = 80;
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const configs = new Map(
      bed.tenants.map((id, t) => [id, parseTenantConfig(tenantConfig(`Fault ${t}`))]),
    );
    const writerDb = createPostgresDb({ url: bed.t.appUrl!, maxConnections: 4 });
    const dispatcherDbs = [0, 1].map(() =>
      createPostgresDb({ url: bed.t.appUrl!, maxConnections: 4 }),
    );
    // The platform only lends its runtime (risk engines, keyring, clock) to the writers.
    const platform = createPlatform({
      db: writerDb,
      secret: SECRET,
      encryption: { masterKeys: [TEST_MASTER_KEY] },
      // The test's own kind of content, registered as an integrator registers theirs.
      content: {
        [CONTENT]: {
          async load(tx, tenantId, id) {
            const [row] = rowsOf<{ author: string; text: string }>(
              await tx.execute(
                sql`select author_id::text as author, text from fault_test_items where tenant_id = ${tenantId} and id = ${id}`,
              ),
            );
            return row ? { authorId: row.author, text: row.text } : null;
          },
          async setVisibility() {},
          async canSee() {
            return false;
          },
        },
      },
    });
    const expectedRules = new Map(
      RISKY.map((text) => {
        const outcome = moderateText(
          platform.runtime.riskEngines,
          configs.get(bed.tenants[0]!)!,
          text,
          {
            isMember: true,
            under18: false,
          },
        );
        return [text, [...new Set(outcome.opensCases.map((f) => f.ruleId))].sort()];
      }),
    );
    for (const [text, rules] of expectedRules) expect(rules.length, text).toBeGreaterThan(0);

    /** Writes one text as a client would: on any failure, again, as a new piece of text. */
    async function writeSurely(db: HearthDb, tenantId: string, authorId: string, text: string) {
      const tenant: TenantScope = {
        id: tenantId,
        slug: 'fault',
        config: configs.get(tenantId)!,
        configVersion: 1,
      };
      for (let attempt = 0; ; attempt++) {
        const id = randomUUID();
        try {
          await db.transaction(tenantId, async (tx) => {
            const screened = await screenText(
              { tx, tenant, runtime: platform.runtime },
              { contentKind: CONTENT, contentId: id, text, authorId },
            );
            expect(screened.visibility).toBe('held');
            await tx.execute(
              sql`insert into fault_test_items (tenant_id, id, author_id, text) values (${tenantId}, ${id}, ${authorId}, ${text})`,
            );
          });
          return attempt;
        } catch (error) {
          if (attempt > 200) throw error;
          await sleep(5);
        }
      }
    }

    const mail: RecordingTransport[] = [0, 1].map(() =>
      recordingTransport(async () => {
        await sleep(Math.random() * 3);
      }),
    );
    let reportedErrors = 0;
    const workers = dispatcherDbs.map((db, i) =>
      createDispatcher({
        db,
        workerId: `safeguarding-${i}`,
        handlers: createSafeguardingHandlers({ email: true }),
        transports: { inApp: inAppTransport(), email: mail[i]! },
        batchSize: 10,
        concurrency: 3,
        leaseMs: 1500,
        sendTimeoutMs: 700,
        pollMs: 20,
        retry: { baseMs: 20, maxMs: 300 },
        onError: () => reportedErrors++,
      }),
    );
    const started = Date.now();
    try {
      for (const w of workers) w.start();
      // Less often than in the outbox test: a write is a dozen statements, and killing every
      // connection every 35 ms on average would leave almost none through.
      const killer = startKiller(bed.owner, { minMs: 40, maxMs: 160 });
      // Four writers at a time, spread over both tenants and every writer of each.
      let next = 0;
      let retries = 0;
      await Promise.all(
        [0, 1, 2, 3].map(async () => {
          for (let n = next++; n < WRITES; n = next++) {
            const tenantId = bed.tenants[n % bed.tenants.length]!;
            const writers = people[tenantId]!.writers;
            retries += await writeSurely(
              writerDb,
              tenantId,
              writers[Math.floor(n / bed.tenants.length) % writers.length]!,
              RISKY[n % RISKY.length]!,
            );
          }
        }),
      );
      console.info(
        `[safeguarding faults] ${WRITES} texts written in ${((Date.now() - started) / 1000).toFixed(1)} s with ${retries} retries`,
      );
      // Deadline timers are due in 15 minutes or more; only the alerts are due now.
      const allDone = async () => {
        const [row] = await bed.owner.exec(
          `select count(*)::int as n, count(completed_at)::int as done from outbox_events
           where topic = '${CASE_ALERT}'`,
        );
        return Number(row!.n) > 0 && row!.n === row!.done;
      };
      await waitFor('alerts to complete under fire', allDone, 5_000, 100).catch(() => undefined);
      const faults = await killer.stop();
      await waitFor('alerts to complete after the faults stop', allDone, 30_000);
      await Promise.all(workers.map((w) => w.stop()));

      // Every kept text: exactly the cases its rules call for. No case for text not kept.
      const items = await bed.owner.exec(
        'select tenant_id::text as t, id::text as id, text from fault_test_items',
      );
      const cases = await bed.owner.exec(
        `select tenant_id::text as t, id::text as id, source_id::text as source, rule_id as rule,
                subject_user_id::text as subject, step, version
         from safeguarding_cases`,
      );
      const rulesBySource = new Map<string, string[]>();
      for (const c of cases) {
        const key = `${c.t}/${c.source}`;
        rulesBySource.set(key, [...(rulesBySource.get(key) ?? []), String(c.rule)].sort());
      }
      expect(items.length).toBeGreaterThanOrEqual(WRITES);
      for (const item of items) {
        expect(rulesBySource.get(`${item.t}/${item.id}`), String(item.text)).toEqual(
          expectedRules.get(String(item.text)),
        );
      }
      expect(rulesBySource.size).toBe(items.length);

      // A case about a writer with a mentor stays at the mentor step, alerted once. One about the
      // writer with none moved on to the senior mentor step exactly once, by nobody, and each
      // of its two steps was alerted once.
      const mentorOf = (c: Record<string, unknown>) =>
        people[String(c.t)]!.mentorOf.get(String(c.subject));
      const caseById = new Map(cases.map((c) => [String(c.id), c]));
      const unmentored = cases.filter((c) => !mentorOf(c));
      expect(unmentored.length).toBeGreaterThan(0);
      expect(unmentored.length).toBeLessThan(cases.length);
      for (const c of cases) {
        expect([c.step, c.version], String(c.id)).toEqual(mentorOf(c) ? [0, 1] : [1, 2]);
      }
      const escalations = await bed.owner.exec(
        `select case_id::text as "caseId", actor_id as actor, detail from safeguarding_case_events
         where kind = 'escalated'`,
      );
      expect(escalations.map((e) => String(e.caseId)).sort()).toEqual(
        unmentored.map((c) => String(c.id)).sort(),
      );
      for (const e of escalations) {
        expect(e.actor).toBeNull();
        expect(e.detail).toEqual({
          from: 'mentor',
          to: 'senior-mentor',
          reason: 'nobody to alert at this step',
        });
      }
      const alerts = await bed.owner.exec(
        `select e.tenant_id::text as t, e.id::text as id, e.payload->>'caseId' as "caseId",
                (e.payload->>'step')::int as step
         from outbox_events e where e.topic = '${CASE_ALERT}'`,
      );
      expect(alerts.map((a) => `${a.caseId}/${a.step}`).sort()).toEqual(
        cases.flatMap((c) => (mentorOf(c) ? [`${c.id}/0`] : [`${c.id}/0`, `${c.id}/1`])).sort(),
      );

      // Every alert reached everyone its step reaches, in the app and by e-mail, each recorded
      // exactly once: the writer's own mentor at the mentor step, never the other mentor; the
      // senior mentor (who supervises nobody, so is there for everyone) at the next.
      const deliveries = await bed.owner.exec(
        `select event_id::text as e, recipient as r, channel as c, status from outbox_deliveries`,
      );
      const expected = alerts.flatMap((a) => {
        const c = caseById.get(String(a.caseId))!;
        const reached = a.step === 0 ? [mentorOf(c)].filter((m) => m !== undefined) : [];
        if (a.step === 1) reached.push(people[String(a.t)]!.senior);
        return reached.flatMap((m) => [
          `${a.id}/user:${m.id}/inApp`,
          `${a.id}/email:${m.email}/email`,
        ]);
      });
      const recorded = deliveries.map((d) => `${d.e}/${d.r}/${d.c}`);
      expect(recorded.sort()).toEqual(expected.sort());
      expect(deliveries.every((d) => d.status === 'delivered')).toBe(true);

      // What the mail server received: every alert e-mail, and a repeat only as a flagged retry.
      const received = mail.flatMap((m) => m.received);
      const keys = received.map((d) => `${d.eventId}/${d.recipient}/${d.channel}`);
      expect([...new Set(keys)].sort()).toEqual(
        expected.filter((k) => k.endsWith('/email')).sort(),
      );
      const repeats = repeatsOf(keys);
      for (const key of repeats.keys()) {
        const attempts = received
          .filter((d) => `${d.eventId}/${d.recipient}/${d.channel}` === key)
          .sort((a, b) => a.attempt - b.attempt);
        expect(new Set(attempts.map((d) => d.idempotencyKey)).size, key).toBe(1);
        expect(
          attempts.slice(1).every((d) => d.earlierAttemptUnknown),
          key,
        ).toBe(true);
      }
      expect(repeats.size).toBeLessThanOrEqual(Math.ceil(keys.length / 50));
      console.info(
        `[safeguarding faults] ${faults.terminated} backends terminated in ${faults.rounds} rounds over ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
          `${WRITES} texts written, ${items.length} kept (${items.length - WRITES} kept though the writer saw an error), ${cases.length} cases (${unmentored.length} moved on at once, nobody at the mentor step), ` +
          `${recorded.length} deliveries, ${keys.length} e-mails received (${repeats.size} twice, each a flagged retry), ${reportedErrors} dispatcher errors recovered`,
      );
      expect(faults.terminated).toBeGreaterThanOrEqual(30);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await Promise.all([writerDb, ...dispatcherDbs].map((db) => db.close()));
    }
  }, 120_000);
});
