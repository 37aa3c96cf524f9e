import { randomUUID } from 'node:crypto';
import type { HearthDb } from '@hearth/db';
import { createPostgresDb } from '@hearth/db/postgres';
import { TEST_APP_LOGIN, testDatabaseUrl } from '@hearth/db/testing';
import {
  createDispatcher,
  createPlatform,
  type DispatcherOptions,
  enqueue,
  idempotencyKeyOf,
  inAppTransport,
  provisionTenant,
} from '@hearth/server';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { expectPgError, rows } from '../support/db.js';
import { SECRET } from '../support/platform.js';
import {
  alertHandler,
  createTestbed,
  DELIVERIES_PER_EVENT,
  drain,
  enqueueMany,
  FrozenClock,
  inboxTransport,
  outboxCounts,
  type RecordingTransport,
  recordingTransport,
  repeatsOf,
  type Testbed,
  TOPIC,
  waitFor,
} from './support.js';

/**
 * The outbox on both databases: what is enqueued is delivered if and only if its transaction
 * commits, once per recipient and channel, through failures, crashed claims and racing
 * dispatchers. Fault injection (killed connections and processes) is in faults.test.ts.
 */

const onPostgres = Boolean(testDatabaseUrl());

let bed: Testbed;
let A: string;
let B: string;
let clock: FrozenClock;
let email: RecordingTransport;
const errors: unknown[] = [];

beforeAll(async () => {
  bed = await createTestbed(2);
  [A, B] = bed.tenants as [string, string];
});
afterAll(async () => {
  await bed?.close();
});
beforeEach(async () => {
  // Each test starts from an empty outbox; events are the tests' own, tenants are shared.
  await bed.owner.exec('delete from outbox_events');
  await bed.owner.exec('delete from outbox_test_inbox');
  clock = new FrozenClock();
  email = recordingTransport();
  errors.length = 0;
});

function dispatcher(overrides: Partial<DispatcherOptions> = {}) {
  return createDispatcher({
    db: bed.db,
    handlers: { [TOPIC]: alertHandler },
    transports: { inApp: inboxTransport(), email },
    now: clock.now,
    retry: { baseMs: 1000, maxMs: 8000 },
    leaseMs: 30_000,
    listen: false,
    onError: (error) => errors.push(error),
    ...overrides,
  });
}

async function inbox(): Promise<string[]> {
  const list = await bed.owner.exec(
    'select event_id::text as e, recipient as r from outbox_test_inbox order by 1, 2',
  );
  return list.map((x) => `${x.e}/${x.r}/inApp`);
}

async function deliveryRows(eventId?: string) {
  return bed.owner.exec(`select recipient, channel, status, attempts, last_error,
      available_at, delivered_at, claimed_until from outbox_deliveries
    ${eventId ? `where event_id = '${eventId}'` : ''} order by recipient, channel`);
}

async function eventRow(id: string) {
  const [row] = await bed.owner.exec(
    `select topic, attempts, available_at, claimed_until, claimed_by, completed_at, last_error
     from outbox_events where id = '${id}'`,
  );
  return row!;
}

class Rollback extends Error {}

describe('enqueue and deliver', () => {
  test('an event enqueued in a rolled-back transaction is never delivered', async () => {
    await expect(
      bed.db.transaction(A, async (tx) => {
        await enqueue(tx, { tenantId: A, topic: TOPIC, payload: { n: 1 } });
        throw new Rollback();
      }),
    ).rejects.toBeInstanceOf(Rollback);
    const d = dispatcher();
    expect(await d.runOnce()).toEqual({ claimed: 0, completed: 0, delivered: 0, failed: 0 });
    expect(await outboxCounts(bed.owner)).toEqual({
      events: 0,
      completed: 0,
      deliveries: 0,
      delivered: 0,
    });
    expect(email.received).toEqual([]);
    expect(await inbox()).toEqual([]);
  });

  test('a committed event is delivered exactly once per recipient and channel', async () => {
    const { id } = await bed.db.transaction(A, (tx) =>
      enqueue(tx, { tenantId: A, topic: TOPIC, payload: { n: 7 } }),
    );
    const d = dispatcher();
    expect(await d.runOnce()).toEqual({ claimed: 1, completed: 1, delivered: 4, failed: 0 });
    // Nothing is left to claim, however often the dispatcher runs.
    expect(await d.runOnce()).toEqual({ claimed: 0, completed: 0, delivered: 0, failed: 0 });
    clock.advance(3_600_000);
    expect((await d.runOnce()).claimed).toBe(0);

    expect(email.received.map((r) => [r.recipient, r.content])).toEqual([
      ['deputy', { to: 'deputy@example.org', subject: 'Alert 7', text: 'Alert number 7' }],
      ['lead', { to: 'lead@example.org', subject: 'Alert 7', text: 'Alert number 7' }],
    ]);
    expect(email.received[0]).toMatchObject({
      tenantId: A,
      eventId: id,
      topic: TOPIC,
      attempt: 1,
      earlierAttemptUnknown: false,
      idempotencyKey: idempotencyKeyOf({
        tenantId: A,
        eventId: id,
        channel: 'email',
        recipient: 'deputy',
      }),
    });
    expect(await inbox()).toEqual([`${id}/deputy/inApp`, `${id}/lead/inApp`]);
    const recorded = await deliveryRows(id);
    expect(recorded.map((r) => [r.recipient, r.channel, r.status, r.attempts])).toEqual([
      ['deputy', 'email', 'delivered', 1],
      ['deputy', 'inApp', 'delivered', 1],
      ['lead', 'email', 'delivered', 1],
      ['lead', 'inApp', 'delivered', 1],
    ]);
    expect(await eventRow(id)).toMatchObject({
      attempts: 1,
      claimed_until: null,
      claimed_by: null,
      last_error: null,
      completed_at: expect.any(Date),
    });
  });

  test('the event and the change that caused it commit together, under row-level security', async () => {
    // Another tenant's event cannot be written from this tenant's transaction.
    const error = await expectPgError(
      bed.db.transaction(A, (tx) => enqueue(tx, { tenantId: B, topic: TOPIC, payload: {} })),
    );
    expect(error.code).toBe('42501');
    // An event is visible to its own tenant only.
    await bed.db.transaction(A, (tx) => enqueue(tx, { tenantId: A, topic: TOPIC, payload: {} }));
    const seen = (tenant: string | null) =>
      bed.db.transaction(tenant, async (tx) =>
        rows<{ n: number }>(await tx.execute(sql`select count(*)::int as n from outbox_events`)),
      );
    expect(await seen(A)).toEqual([{ n: 1 }]);
    expect(await seen(B)).toEqual([{ n: 0 }]);
    expect(await seen(null)).toEqual([{ n: 0 }]);
  });

  test('an enqueue with an id given twice adds one event', async () => {
    const id = crypto.randomUUID();
    for (let i = 0; i < 2; i++) {
      await bed.db.transaction(A, (tx) =>
        enqueue(tx, { tenantId: A, topic: TOPIC, payload: { n: i }, id }),
      );
    }
    expect((await outboxCounts(bed.owner)).events).toBe(1);
  });

  test('the application cannot rewrite or delete what was enqueued', async () => {
    const { id } = await bed.db.transaction(A, (tx) =>
      enqueue(tx, { tenantId: A, topic: TOPIC, payload: { n: 1 } }),
    );
    for (const statement of [
      sql`update outbox_events set payload = '{}'::jsonb where id = ${id}`,
      sql`update outbox_events set topic = 'other' where id = ${id}`,
      sql`delete from outbox_events where id = ${id}`,
    ]) {
      const error = await expectPgError(bed.db.transaction(A, (tx) => tx.execute(statement)));
      expect(error.code).toBe('42501');
    }
  });
});

describe('timers', () => {
  test('an event due later is delivered only once its time has come', async () => {
    const due = new Date(clock.now().getTime() + 15 * 60_000);
    await bed.db.transaction(A, (tx) =>
      enqueue(tx, { tenantId: A, topic: TOPIC, payload: { n: 1 }, availableAt: due }),
    );
    const d = dispatcher();
    expect((await d.runOnce()).claimed).toBe(0);
    clock.advance(14 * 60_000);
    expect((await d.runOnce()).claimed).toBe(0);
    clock.advance(61_000);
    expect(await d.runOnce()).toMatchObject({ claimed: 1, completed: 1, delivered: 4 });
  });
});

describe('failures are retried with backoff, and never lose or repeat a delivery', () => {
  test('an e-mail that fails is retried after 1 s, 2 s, 4 s…, capped; the others are not resent', async () => {
    let failures = 5;
    email = recordingTransport((d) => {
      if (d.recipient === 'lead' && failures-- > 0) throw new Error('SMTP 451 try later');
    });
    const { id } = await bed.db.transaction(A, (tx) =>
      enqueue(tx, { tenantId: A, topic: TOPIC, payload: { n: 1 } }),
    );
    const d = dispatcher();
    expect(await d.runOnce()).toEqual({ claimed: 1, completed: 0, delivered: 3, failed: 1 });

    const waits: number[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      const [lead] = (await deliveryRows(id)).filter(
        (r) => r.recipient === 'lead' && r.channel === 'email',
      );
      expect(lead).toMatchObject({ status: 'pending', attempts: attempt });
      expect(String(lead!.last_error)).toContain('SMTP 451 try later');
      const next = (lead!.available_at as Date).getTime();
      waits.push(Math.round((next - clock.now().getTime()) / 1000));
      // The event waits for its next delivery, released for any dispatcher to take.
      const event = await eventRow(id);
      expect(event).toMatchObject({ claimed_by: null, completed_at: null });
      expect((event.available_at as Date).getTime()).toBe(next);
      expect(String(event.last_error)).toContain('undelivered: 1; Error: SMTP 451 try later');

      clock.advance(next - clock.now().getTime() - 1);
      expect((await d.runOnce()).claimed, 'not due a millisecond early').toBe(0);
      clock.advance(1);
      await d.runOnce();
    }
    expect(waits).toEqual([1, 2, 4, 8, 8]);
    expect(await eventRow(id)).toMatchObject({ completed_at: expect.any(Date), last_error: null });
    expect(email.received.map((r) => `${r.recipient}#${r.attempt}`).sort()).toEqual([
      'deputy#1',
      'lead#6',
    ]);
    expect(await inbox()).toHaveLength(2);
    expect(errors).toHaveLength(5);
  });

  test('a transactional delivery that throws rolls back what it wrote, and is retried', async () => {
    let fail = true;
    const inApp = inAppTransport({
      async deliver(tx, d) {
        await inboxTransport().deliver(tx, d);
        if (d.recipient === 'deputy' && fail) throw new Error('inbox full');
      },
    });
    const { id } = await bed.db.transaction(B, (tx) =>
      enqueue(tx, { tenantId: B, topic: TOPIC, payload: { n: 1 } }),
    );
    const d = dispatcher({ transports: { inApp, email } });
    expect(await d.runOnce()).toMatchObject({ delivered: 3, failed: 1, completed: 0 });
    expect(await inbox()).toEqual([`${id}/lead/inApp`]);
    const [deputy] = (await deliveryRows(id)).filter((r) => r.channel === 'inApp');
    expect(deputy).toMatchObject({ recipient: 'deputy', status: 'pending', attempts: 1 });
    fail = false;
    clock.advance(1000);
    expect(await d.runOnce()).toMatchObject({ delivered: 1, completed: 1 });
    expect(await inbox()).toEqual([`${id}/deputy/inApp`, `${id}/lead/inApp`]);
  });

  test('a handler that throws, an unknown topic or channel: the event is kept and retried', async () => {
    let broken = true;
    const d = dispatcher({
      handlers: {
        [TOPIC]: (event, tx) => {
          if (broken) throw new Error('directory unavailable');
          return alertHandler(event, tx);
        },
        'test.misrouted': () => [{ recipient: 'lead', channel: 'carrier-pigeon' }],
      },
    });
    const ids = await Promise.all(
      [TOPIC, 'test.unknown', 'test.misrouted'].map(async (topic) => {
        const { id } = await bed.db.transaction(A, (tx) =>
          enqueue(tx, { tenantId: A, topic, payload: { n: 1 } }),
        );
        return id;
      }),
    );
    expect(await d.runOnce()).toMatchObject({ claimed: 3, completed: 0, failed: 3 });
    const [broke, unknown, misrouted] = await Promise.all(ids.map(eventRow));
    expect(broke!.last_error).toContain('directory unavailable');
    expect(unknown!.last_error).toContain('No outbox handler for topic "test.unknown"');
    expect(misrouted!.last_error).toContain('unknown channel "carrier-pigeon"');
    for (const row of [broke, unknown, misrouted]) {
      expect(row).toMatchObject({ completed_at: null, claimed_by: null, attempts: 1 });
      expect((row!.available_at as Date).getTime()).toBe(clock.now().getTime() + 1000);
    }
    expect((await outboxCounts(bed.owner)).deliveries).toBe(0);
    broken = false;
    clock.advance(1000);
    expect(await d.runOnce()).toMatchObject({ claimed: 3, completed: 1, failed: 2 });
    expect((await eventRow(ids[1]!)).attempts).toBe(2);
    expect(email.received).toHaveLength(2);
  });

  test('a handler that plans no delivery completes its event (a timer no longer needed)', async () => {
    const { id } = await bed.db.transaction(A, (tx) =>
      enqueue(tx, { tenantId: A, topic: 'test.noop', payload: {} }),
    );
    const d = dispatcher({ handlers: { 'test.noop': () => [] } });
    expect(await d.runOnce()).toEqual({ claimed: 1, completed: 1, delivered: 0, failed: 0 });
    expect(await eventRow(id)).toMatchObject({ completed_at: expect.any(Date) });
  });
});

describe('leases: a dispatcher that dies holding events', () => {
  test('an event claimed and never finished is taken over once the lease runs out', async () => {
    const [id] = await enqueueMany(bed.db, [A], 1);
    // A worker claims through the same function the dispatcher uses, then "crashes".
    const claimed = await bed.db.transaction(null, async (tx) =>
      rows(
        await tx.execute(
          sql`select * from hearth_claim_outbox(10, '30 seconds', 'crashed', ${clock.now().toISOString()}::timestamptz)`,
        ),
      ),
    );
    expect(claimed).toEqual([{ tenant_id: A, id, topic: TOPIC }]);
    const d = dispatcher();
    expect((await d.runOnce()).claimed).toBe(0);
    clock.advance(29_999);
    expect((await d.runOnce()).claimed).toBe(0);
    clock.advance(1);
    expect(await d.runOnce()).toMatchObject({ claimed: 1, completed: 1, delivered: 4 });
    expect((await eventRow(id!)).attempts).toBe(2);
    expect(repeatsOf(email.received.map((r) => r.recipient))).toEqual(new Map());
  });

  test('a dispatcher stuck mid-event: the next one resends only what has no recorded outcome', async () => {
    let hang: (error: Error) => void = () => {};
    const stuck = recordingTransport(
      (d) =>
        new Promise<void>((resolve, reject) => {
          // The deputy's e-mail goes through; the lead's never returns (a dead process).
          if (d.recipient === 'deputy') resolve();
          else hang = reject;
        }),
    );
    const [id] = await enqueueMany(bed.db, [A], 1);
    const first = dispatcher({ transports: { inApp: inboxTransport(), email: stuck } });
    const running = first.runOnce();
    await waitFor('the lead e-mail to start', async () => {
      const list = await deliveryRows(id);
      return list.some((r) => r.recipient === 'lead' && r.status === 'sending');
    });
    expect(stuck.received.map((r) => r.recipient)).toEqual(['deputy']);

    const second = dispatcher();
    expect((await second.runOnce()).claimed).toBe(0);
    clock.advance(30_000);
    expect(await second.runOnce()).toMatchObject({ claimed: 1, completed: 1, delivered: 1 });
    // Only the lead's e-mail, whose first attempt has no recorded outcome, is sent again,
    // flagged as such so a transport that can check with its provider may do so.
    expect(email.received.map((r) => [r.recipient, r.attempt, r.earlierAttemptUnknown])).toEqual([
      ['lead', 2, true],
    ]);
    expect(await inbox()).toEqual([`${id}/deputy/inApp`, `${id}/lead/inApp`]);

    // The first dispatcher's attempt now fails late; the delivered row stays delivered.
    hang(new Error('connection reset'));
    expect(await running).toMatchObject({ claimed: 1, completed: 0, failed: 1 });
    expect((await deliveryRows(id)).map((r) => [r.recipient, r.channel, r.status])).toEqual([
      ['deputy', 'email', 'delivered'],
      ['deputy', 'inApp', 'delivered'],
      ['lead', 'email', 'delivered'],
      ['lead', 'inApp', 'delivered'],
    ]);
    expect(await eventRow(id!)).toMatchObject({ completed_at: expect.any(Date) });
  });
});

describe('the claim function', () => {
  test('claims due events of every tenant, returning only which events they are', async () => {
    await enqueueMany(bed.db, [A, B], 4);
    const claimed = await bed.db.transaction(null, async (tx) =>
      rows(await tx.execute(sql`select * from hearth_claim_outbox(3, '1 minute', 'w')`)),
    );
    expect(claimed).toHaveLength(3);
    expect(Object.keys(claimed[0]!).sort()).toEqual(['id', 'tenant_id', 'topic']);
    expect(new Set(claimed.map((c) => c.tenant_id))).toEqual(new Set([A, B]));
    const again = await bed.db.transaction(null, async (tx) =>
      rows(await tx.execute(sql`select * from hearth_claim_outbox(10, '1 minute', 'w')`)),
    );
    expect(again).toHaveLength(1);
    // The application role still cannot read any of those rows without their tenant.
    const seen = await bed.db.transaction(null, async (tx) =>
      rows(await tx.execute(sql`select * from outbox_events`)),
    );
    expect(seen).toEqual([]);
  });
});

describe('two dispatchers racing', () => {
  const EVENTS = 200;

  test(`${EVENTS} events: every delivery exactly once`, async () => {
    // On PostgreSQL each dispatcher has its own connection pool, as two servers would.
    let second: HearthDb | undefined;
    const dbs = [bed.db];
    if (onPostgres) {
      second = createPostgresDb({ url: bed.t.appUrl!, maxConnections: 5 });
      dbs.push(second);
    }
    try {
      const ids = await enqueueMany(bed.db, [A, B], EVENTS);
      const mail = [recordingTransport(), recordingTransport()];
      const workers = [0, 1].map((i) =>
        createDispatcher({
          db: dbs[i % dbs.length]!,
          workerId: `racer-${i}`,
          handlers: { [TOPIC]: alertHandler },
          transports: { inApp: inboxTransport(), email: mail[i]! },
          batchSize: 10,
          pollMs: 20,
          listen: false,
          onError: (error) => errors.push(error),
        }),
      );
      for (const w of workers) w.start();
      await waitFor(
        'every event to complete',
        async () => (await outboxCounts(bed.owner)).completed === EVENTS,
        40_000,
      );
      await Promise.all(workers.map((w) => w.stop()));

      expect(errors).toEqual([]);
      expect(await outboxCounts(bed.owner)).toEqual({
        events: EVENTS,
        completed: EVENTS,
        deliveries: EVENTS * DELIVERIES_PER_EVENT,
        delivered: EVENTS * DELIVERIES_PER_EVENT,
      });
      const sent = mail.flatMap((m) => m.received);
      expect(sent).toHaveLength(EVENTS * 2);
      expect(repeatsOf(sent.map((r) => `${r.eventId}/${r.recipient}`))).toEqual(new Map());
      expect(new Set(sent.map((r) => r.eventId))).toEqual(new Set(ids));
      const inApp = await inbox();
      expect(inApp).toHaveLength(EVENTS * 2);
      expect(repeatsOf(inApp)).toEqual(new Map());
      // No event was claimed twice, no delivery attempted twice; and both dispatchers took part.
      const [max] = await bed.owner.exec(`select
        (select max(attempts) from outbox_deliveries)::int as delivery,
        (select max(attempts) from outbox_events)::int as event`);
      expect(max).toEqual({ delivery: 1, event: 1 });
      for (const m of mail) expect(m.received.length).toBeGreaterThan(EVENTS / 10);
    } finally {
      await second?.close();
    }
  });
});

describe('start and stop', () => {
  test('a started dispatcher is woken by the enqueue’s notification, not the poll', async () => {
    const d = dispatcher({ now: undefined, pollMs: 600_000, listen: true });
    d.start();
    expect(d.running).toBe(true);
    // Let the first (empty) batch and the LISTEN happen, so the next wake-up is the notify.
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    const [id] = await enqueueMany(bed.db, [B], 1);
    await waitFor('delivery', async () => (await eventRow(id!)).completed_at !== null, 10_000);
    expect(Date.now() - started).toBeLessThan(5000);
    await d.stop();
    expect(d.running).toBe(false);
    expect(email.received).toHaveLength(2);
  });

  test('stop() waits for the batch in flight', async () => {
    const slow = recordingTransport(() => new Promise((r) => setTimeout(r, 100)));
    const d = dispatcher({
      now: undefined,
      pollMs: 10,
      transports: { inApp: inboxTransport(), email: slow },
    });
    const [id] = await enqueueMany(bed.db, [A], 1);
    d.start();
    await waitFor('the first e-mail to start', async () =>
      (await deliveryRows(id)).some((r) => r.status === 'sending'),
    );
    await d.stop();
    expect((await deliveryRows(id)).map((r) => r.status)).toEqual([
      'delivered',
      'delivered',
      'delivered',
      'delivered',
    ]);
    expect(slow.received).toHaveLength(2);
  });
});

describe('the platform', () => {
  test('exposes a dispatcher, not started, delivering with the configured handlers', async () => {
    const platform = createPlatform({
      db: bed.db,
      secret: SECRET,
      now: clock.now,
      outbox: {
        handlers: { [TOPIC]: alertHandler },
        transports: { email },
        listen: false,
        onError: (error) => errors.push(error),
      },
    });
    expect(platform.dispatcher.running).toBe(false);
    const [id] = await enqueueMany(bed.db, [A], 1);
    expect(await drain(platform.dispatcher)).toBe(1);
    // The built-in in-app channel records the delivery row itself.
    expect((await deliveryRows(id)).map((r) => [r.recipient, r.channel, r.status])).toEqual([
      ['deputy', 'email', 'delivered'],
      ['deputy', 'inApp', 'delivered'],
      ['lead', 'email', 'delivered'],
      ['lead', 'inApp', 'delivered'],
    ]);
    expect(errors).toEqual([]);
  });

  test('refuses options that cannot work, at creation', () => {
    const base = { db: bed.db, handlers: {}, transports: {} };
    expect(() => createDispatcher({ ...base, leaseMs: 0 })).toThrow(/leaseMs/);
    expect(() => createDispatcher({ ...base, leaseMs: 1000, sendTimeoutMs: 1000 })).toThrow(
      /sendTimeoutMs/,
    );
    expect(() => createDispatcher({ ...base, transports: { x: {} as never } })).toThrow(
      /transport "x"/,
    );
  });
});

// Needs a server on which this test can create a role (kept, like hearth_app_test, for the next
// run) and a database. On PGlite every session is the superuser, which RLS never binds.
describe.skipIf(!onPostgres)(
  'where the migrating role is not a superuser (managed PostgreSQL)',
  () => {
    test('the claim still sees every tenant’s events, thanks to the owner-only policy', async () => {
      const admin = postgres(testDatabaseUrl()!, { max: 1, onnotice: () => {} });
      const name = `hearth_t_owner_${randomUUID().slice(0, 8)}`;
      const role = 'hearth_test_migrator';
      const url = (user: string, password: string) => {
        const u = new URL(testDatabaseUrl()!);
        u.pathname = `/${name}`;
        u.username = user;
        u.password = password;
        return u.toString();
      };
      let app: HearthDb | undefined;
      try {
        const [exists] = await admin`select 1 from pg_roles where rolname = ${role}`;
        if (!exists) {
          await admin.unsafe(
            `create role ${role} login password '${role}' nosuperuser nobypassrls nocreaterole`,
          );
        }
        await admin.unsafe(`create database "${name}" owner ${role}`);
        const migrator = createPostgresDb({ url: url(role, role), maxConnections: 1 });
        await migrator.migrate();
        await migrator.close();
        app = createPostgresDb({ url: url(TEST_APP_LOGIN, TEST_APP_LOGIN), maxConnections: 2 });
        const tenants: string[] = [];
        for (const slug of ['owner-a', 'owner-b']) {
          const { tenantId } = await provisionTenant(app, {
            slug,
            domains: [`${slug}.test`],
            config: { displayName: slug },
          });
          tenants.push(tenantId);
        }
        await enqueueMany(app, tenants, 4);
        const claim = () =>
          app!.transaction(null, async (tx) =>
            rows(await tx.execute(sql`select * from hearth_claim_outbox(2, '1 minute', 'w')`)),
          );
        expect(await claim()).toHaveLength(2);
        // Without the policy, FORCE ROW LEVEL SECURITY hides every row from the function.
        const owner = postgres(url(role, role), { max: 1, onnotice: () => {} });
        try {
          const [who] = await owner`select rolsuper from pg_roles where rolname = current_user`;
          expect(who?.rolsuper).toBe(false);
          await owner`drop policy hearth_outbox_claim on outbox_events`;
        } finally {
          await owner.end();
        }
        expect(await claim()).toEqual([]);
      } finally {
        await app?.close();
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
        await admin.end();
      }
    });
  },
);
