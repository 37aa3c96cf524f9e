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

/**
 * Risky words written while the database connections of writers and dispatchers are terminated
 * at random: afterwards every piece of text that was kept has exactly one case per rule it
 * matched (and no case exists for text that was not kept), and every case's alert reached every
 * person at its step, in the app and by e-mail, with no one alerted twice for the same case.
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
const people: Record<string, { writers: string[]; mentors: string[] }> = {};

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
    const entry = { writers: [] as string[], mentors: [] as string[] };
    for (let i = 0; i < 2; i++) {
      const { userId } = await provisionUser(
        bed.db,
        {
          tenantId,
          username: `fault_mentor_${i}`,
          password: 'correct horse battery',
          roles: ['mentor'],
          email: `mentor${i}@fault${t}.example.org`,
        },
        hashing,
      );
      entry.mentors.push(userId);
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
    people[tenantId] = entry;
  }
});
afterAll(async () => {
  await bed?.close();
});

describe.skipIf(!onPostgres)('safeguarding under fault injection (PostgreSQL)', () => {
  test('every kept text has exactly one case per rule, and every case alerted everyone once', async () => {
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
      // Four writers at a time, spread over both tenants.
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
              writers[n % writers.length]!,
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
        `select tenant_id::text as t, id::text as id, source_id::text as source, rule_id as rule
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

      // Every case's first step alerted both mentors of its tenant, in the app and by e-mail,
      // each recorded exactly once.
      const alerts = await bed.owner.exec(
        `select e.tenant_id::text as t, e.id::text as id, e.payload->>'caseId' as "caseId"
         from outbox_events e where e.topic = '${CASE_ALERT}'`,
      );
      expect(alerts.length).toBe(cases.length);
      expect(new Set(alerts.map((a) => a.caseId)).size).toBe(cases.length);
      const deliveries = await bed.owner.exec(
        `select event_id::text as e, recipient as r, channel as c, status from outbox_deliveries`,
      );
      const expected = alerts.flatMap((a) => {
        const mentors = people[String(a.t)]!.mentors;
        const t = bed.tenants.indexOf(String(a.t));
        return [
          ...mentors.map((m) => `${a.id}/user:${m}/inApp`),
          ...mentors.map((_, i) => `${a.id}/email:mentor${i}@fault${t}.example.org/email`),
        ];
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
          `${WRITES} texts written, ${items.length} kept (${items.length - WRITES} kept though the writer saw an error), ${cases.length} cases, ` +
          `${recorded.length} deliveries, ${keys.length} e-mails received (${repeats.size} twice, each a flagged retry), ${reportedErrors} dispatcher errors recovered`,
      );
      expect(faults.terminated).toBeGreaterThanOrEqual(30);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await Promise.all([writerDb, ...dispatcherDbs].map((db) => db.close()));
    }
  }, 120_000);
});
