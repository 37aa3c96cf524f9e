import type { HearthDb } from '@hearth/db';
import { createTestDatabase, TEST_APP_LOGIN, type TestDatabase } from '@hearth/db/testing';
import {
  type Delivery,
  type Dispatcher,
  type ExternalTransport,
  enqueue,
  provisionTenant,
} from '@hearth/server';
import { type Owner, ownerConnection } from '../support/db.js';
import { deliveryKey, TOPIC } from './alerts.js';

export {
  alertHandler,
  DELIVERIES_PER_EVENT,
  deliveryKey,
  inboxTransport,
  TOPIC,
} from './alerts.js';

/**
 * What the outbox tests share: a database with a few tenants, transports that record what they
 * were asked to deliver (outside any transaction, so a repeat shows), and a test inbox table for
 * the transactional channel.
 */

export interface Testbed {
  readonly t: TestDatabase;
  readonly db: HearthDb;
  readonly owner: Owner;
  readonly tenants: string[];
  close(): Promise<void>;
}

/** A fresh database with `count` tenants and the test inbox (a plain table, no RLS needed). */
export async function createTestbed(count = 2): Promise<Testbed> {
  const t = await createTestDatabase();
  const owner = ownerConnection(t);
  const tenants: string[] = [];
  for (let i = 0; i < count; i++) {
    const slug = `outbox-${i}-${Math.random().toString(36).slice(2, 8)}`;
    const { tenantId } = await provisionTenant(t.db, {
      slug,
      domains: [`${slug}.test`],
      config: { displayName: `Outbox ${i}` },
    });
    tenants.push(tenantId);
  }
  await owner.exec(`create table public.outbox_test_inbox (
    tenant_id uuid not null, event_id uuid not null, recipient text not null, attempt int not null)`);
  await owner.exec('grant select, insert on public.outbox_test_inbox to hearth_app');
  return {
    t,
    db: t.db,
    owner,
    tenants,
    async close() {
      await owner.close();
      await t.drop();
    },
  };
}

export interface RecordingTransport extends ExternalTransport {
  readonly received: Delivery[];
  /** How often each (event, recipient, channel) was received; only repeats, by key. */
  repeats(): Map<string, number>;
}

/** Records every accepted send in memory; `behave` may throw (fail) or wait before accepting. */
export function recordingTransport(
  behave: (d: Delivery, signal: AbortSignal) => void | Promise<void> = () => {},
): RecordingTransport {
  const received: Delivery[] = [];
  return {
    mode: 'external',
    received,
    async send(d, signal) {
      await behave(d, signal);
      received.push(d);
    },
    repeats: () => repeatsOf(received.map(deliveryKey)),
  };
}

export function repeatsOf(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return new Map([...counts].filter(([, n]) => n > 1));
}

/** Enqueues `count` events spread over `tenants`, each committed in its own transaction. */
export async function enqueueMany(
  db: HearthDb,
  tenants: string[],
  count: number,
  payload: (n: number) => unknown = (n) => ({ n }),
): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const tenantId = tenants[n % tenants.length]!;
    const { id } = await db.transaction(tenantId, (tx) =>
      enqueue(tx, { tenantId, topic: TOPIC, payload: payload(n) }),
    );
    ids.push(id);
  }
  return ids;
}

/** Runs batches until one claims nothing. */
export async function drain(dispatcher: Dispatcher, maxRounds = 1000): Promise<number> {
  let claimed = 0;
  for (let round = 0; round < maxRounds; round++) {
    const report = await dispatcher.runOnce();
    if (report.claimed === 0) return claimed;
    claimed += report.claimed;
  }
  throw new Error(`drain: still claiming after ${maxRounds} rounds`);
}

/**
 * A clock that moves only when told, for exact backoff and lease arithmetic. It starts a minute
 * ahead of the database, so that events enqueued at the database's `now()` are already due.
 */
export class FrozenClock {
  private at = Date.now() + 60_000;
  now = (): Date => new Date(this.at);
  advance(ms: number): void {
    this.at += ms;
  }
}

export interface OutboxCounts {
  events: number;
  completed: number;
  deliveries: number;
  delivered: number;
}

/** Counted as the owner, across tenants. */
export async function outboxCounts(owner: Owner): Promise<OutboxCounts> {
  const [row] = await owner.exec(`select
    (select count(*)::int from outbox_events) as events,
    (select count(*)::int from outbox_events where completed_at is not null) as completed,
    (select count(*)::int from outbox_deliveries) as deliveries,
    (select count(*)::int from outbox_deliveries where status = 'delivered') as delivered`);
  return row as unknown as OutboxCounts;
}

export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
  everyMs = 25,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Terminates the application's connections every 10–60 ms (or as given): sometimes all,
 * sometimes one.
 */
export function startKiller(
  owner: Owner,
  every: { minMs: number; maxMs: number } = { minMs: 10, maxMs: 60 },
) {
  let stopped = false;
  let rounds = 0;
  let terminated = 0;
  const loop = (async () => {
    while (!stopped) {
      await new Promise((r) =>
        setTimeout(r, every.minMs + Math.random() * (every.maxMs - every.minMs)),
      );
      const target = Math.random() < 0.3 ? '' : 'order by random() limit 1';
      const text = `select count(*) filter (where pg_terminate_backend(pid))::int as n from (
        select pid from pg_stat_activity where datname = current_database()
          and usename = '${TEST_APP_LOGIN}' and pid <> pg_backend_pid() ${target}) p`;
      const [row] = await owner.exec(text);
      rounds++;
      terminated += Number(row?.n ?? 0);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return { rounds, terminated };
    },
  };
}
