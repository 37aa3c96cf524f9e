import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type HearthDb,
  outboxDeliveries,
  outboxEvents,
  rowsOf,
  type Tx,
  type Unlisten,
} from '@hearth/db';
import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import { OUTBOX_NOTIFY_CHANNEL } from './enqueue.js';
import type {
  Delivery,
  ExternalTransport,
  TransactionalTransport,
  Transport,
} from './transports.js';

/** An outbox event as its handler receives it. */
export interface OutboxEvent {
  readonly tenantId: string;
  readonly id: string;
  readonly topic: string;
  /** As enqueued, read back from JSON. */
  readonly payload: unknown;
  readonly createdAt: Date;
  readonly availableAt: Date;
  /** How often a dispatcher has claimed it, this time included. */
  readonly attempts: number;
}

/** One recipient on one channel; the pair is delivered at most once per event by the outbox. */
export interface PlannedDelivery {
  /** Stable for the same person across retries, e.g. `user:<id>`. */
  recipient: string;
  /** A key of the dispatcher's `transports`. */
  channel: string;
  /**
   * What the channel's transport needs (for e-mail: `{ to, subject, text }`), stored as JSON with
   * the delivery. Like a payload, it is kept in the clear: for e-mail, prefer "sign in to see a
   * new alert" to the alert's details. @default {}
   */
  content?: unknown;
}

/**
 * Turns an event into its deliveries, in a transaction scoped to the event's tenant (so it can
 * look up who should be told, and enqueue follow-ups such as the next escalation timer). It runs
 * once per event unless it throws, in which case the event is retried later. A timer's handler
 * should check whether it is still needed (was the case acknowledged?) and return none if not.
 */
export type OutboxHandler = (
  event: OutboxEvent,
  tx: Tx,
) => readonly PlannedDelivery[] | Promise<readonly PlannedDelivery[]>;

export interface RetryOptions {
  /** Wait after the first failure; each further failure doubles it. @default 1000 */
  baseMs: number;
  /** The longest wait between two attempts. @default 300_000 */
  maxMs: number;
}

export interface DispatcherContext {
  tenantId?: string;
  eventId?: string;
  recipient?: string;
  channel?: string;
}

export interface DispatcherOptions {
  db: HearthDb;
  /** By topic. An event whose topic has no handler is kept and retried, never dropped. */
  handlers: Readonly<Record<string, OutboxHandler>>;
  /** By channel, e.g. `{ inApp: inAppTransport(), email: emailChannel(smtp, { from }) }`. */
  transports: Readonly<Record<string, Transport>>;
  /** Names this dispatcher in `claimed_by`. @default `<host>:<pid>:<random>` */
  workerId?: string;
  /** Events claimed at a time. @default 20 */
  batchSize?: number;
  /**
   * How long a claim lasts before another dispatcher may take the event over; extended while
   * the event's deliveries go out. Keep it well above the time one delivery takes.
   * @default 60_000
   */
  leaseMs?: number;
  /** How long `start()` sleeps when nothing is due (a notification wakes it early). @default 1000 */
  pollMs?: number;
  /** Events of a batch handled at once. @default 4 */
  concurrency?: number;
  /** An external send still running after this counts as failed. @default leaseMs / 2 */
  sendTimeoutMs?: number;
  retry?: Partial<RetryOptions>;
  /**
   * The dispatcher's clock, for tests. By default the database's clock decides what is due,
   * which keeps several server instances consistent whatever their own clocks say.
   */
  now?: () => Date;
  /**
   * Wake on `pg_notify('hearth_outbox')` (sent by `enqueue`) instead of waiting for the next
   * poll, where the driver supports LISTEN (postgres.js, PGlite). @default true
   */
  listen?: boolean;
  /** Every failure, which the dispatcher has already arranged to retry. @default console.error */
  onError?: (error: unknown, context: DispatcherContext) => void;
}

/** What one `runOnce()` did. */
export interface DispatchReport {
  /** Events claimed. */
  claimed: number;
  /** Events completed: every delivery delivered (or none needed). */
  completed: number;
  /** Deliveries delivered. */
  delivered: number;
  /** Failed delivery attempts and failed events, each scheduled to be retried. */
  failed: number;
}

export interface Dispatcher {
  readonly workerId: string;
  /** Claims one batch of due events and handles it; for tests and scheduled jobs. */
  runOnce(): Promise<DispatchReport>;
  /** Keeps running batches until `stop()`. Not started by `createPlatform`. */
  start(): void;
  /** Stops claiming, and resolves once the batch in flight is done. */
  stop(): Promise<void>;
  readonly running: boolean;
}

type EventRow = typeof outboxEvents.$inferSelect;
type DeliveryRow = typeof outboxDeliveries.$inferSelect;
interface Claimed {
  tenant_id: string;
  id: string;
  topic: string;
}

const MAX_ERROR_LENGTH = 2000;

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, MAX_ERROR_LENGTH);
}

function positive(name: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`createDispatcher: ${name} must be a whole number from 1 to ${max}`);
  }
  return value;
}

/** The same key for every attempt of one delivery; nothing about the delivery can be read from it. */
export function idempotencyKeyOf(
  d: Pick<Delivery, 'tenantId' | 'eventId' | 'channel' | 'recipient'>,
): string {
  const digest = createHash('sha256')
    .update([d.tenantId, d.eventId, d.channel, d.recipient].join('\n'))
    .digest('hex');
  return `hearth-${digest.slice(0, 40)}`;
}

/**
 * Creates an outbox dispatcher. Several may run at once, in one process or many: each event is
 * claimed by one at a time (a lease), and each delivery row is recorded before and after its
 * transport is called, so that a crash anywhere leads to a retry that skips what was delivered.
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { db, handlers, transports } = options;
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const batchSize = positive('batchSize', options.batchSize ?? 20, 1000);
  const leaseMs = positive('leaseMs', options.leaseMs ?? 60_000);
  const pollMs = positive('pollMs', options.pollMs ?? 1000);
  const concurrency = positive('concurrency', options.concurrency ?? 4, 100);
  const sendTimeoutMs = positive(
    'sendTimeoutMs',
    options.sendTimeoutMs ?? Math.floor(leaseMs / 2),
    leaseMs - 1,
  );
  const retry: RetryOptions = { baseMs: 1000, maxMs: 300_000, ...options.retry };
  positive('retry.baseMs', retry.baseMs);
  positive('retry.maxMs', retry.maxMs);
  for (const [channel, transport] of Object.entries(transports)) {
    if (transport?.mode !== 'transactional' && transport?.mode !== 'external') {
      throw new Error(`createDispatcher: transport "${channel}" has no mode`);
    }
  }
  const onError =
    options.onError ??
    ((error: unknown, context: DispatcherContext) =>
      console.error('[hearth outbox]', context, error));

  const clock = (): SQL =>
    options.now ? sql`${options.now().toISOString()}::timestamptz` : sql`now()`;
  const lease = sql`${`${leaseMs} milliseconds`}::interval`;
  /** `attempts` failures so far (an SQL expression) → when to try again. */
  const backoff = (attempts: SQL) =>
    sql`${clock()} + least(${retry.maxMs}::float8, ${retry.baseMs}::float8 * power(2::float8, least(greatest(${attempts} - 1, 0), 40)::float8)) * interval '1 millisecond'`;

  const eventKey = (c: Claimed) =>
    and(eq(outboxEvents.tenantId, c.tenant_id), eq(outboxEvents.id, c.id));
  const deliveryKey = (d: DeliveryRow) =>
    and(
      eq(outboxDeliveries.tenantId, d.tenantId),
      eq(outboxDeliveries.eventId, d.eventId),
      eq(outboxDeliveries.recipient, d.recipient),
      eq(outboxDeliveries.channel, d.channel),
    );

  async function claim(): Promise<Claimed[]> {
    const asOf = options.now ? options.now().toISOString() : null;
    return db.transaction(null, async (tx) =>
      rowsOf<Claimed>(
        await tx.execute(
          sql`select tenant_id, id, topic from hearth_claim_outbox(${batchSize}, ${lease}, ${workerId}, ${asOf}::timestamptz)`,
        ),
      ),
    );
  }

  /**
   * Locks the event and makes sure its deliveries are recorded, running its handler the first
   * time. Null when the event is no longer ours to handle; 'completed' when it needed none.
   */
  async function plan(c: Claimed): Promise<DeliveryRow[] | 'completed' | null> {
    return db.transaction(c.tenant_id, async (tx) => {
      const [event] = await tx.select().from(outboxEvents).where(eventKey(c)).for('update');
      if (!event || event.completedAt || event.claimedBy !== workerId) return null;
      const recorded = () =>
        tx
          .select()
          .from(outboxDeliveries)
          .where(
            and(eq(outboxDeliveries.tenantId, c.tenant_id), eq(outboxDeliveries.eventId, c.id)),
          );
      let deliveries = await recorded();
      if (deliveries.length === 0) {
        const planned = await runHandler(event, tx);
        if (planned.length === 0) {
          await tx
            .update(outboxEvents)
            .set({ completedAt: clock(), claimedUntil: null, claimedBy: null, lastError: null })
            .where(eventKey(c));
          return 'completed';
        }
        await tx
          .insert(outboxDeliveries)
          .values(
            planned.map((p) => ({
              tenantId: c.tenant_id,
              eventId: c.id,
              recipient: p.recipient,
              channel: p.channel,
              content: p.content ?? {},
              availableAt: clock(),
            })),
          )
          .onConflictDoNothing();
        deliveries = await recorded();
      }
      return deliveries;
    });
  }

  async function runHandler(event: EventRow, tx: Tx): Promise<PlannedDelivery[]> {
    const handler = Object.hasOwn(handlers, event.topic) ? handlers[event.topic] : undefined;
    if (!handler) throw new Error(`No outbox handler for topic "${event.topic}"`);
    const planned = await handler(
      {
        tenantId: event.tenantId,
        id: event.id,
        topic: event.topic,
        payload: event.payload,
        createdAt: event.createdAt,
        availableAt: event.availableAt,
        attempts: event.attempts,
      },
      tx,
    );
    const unique = new Map<string, PlannedDelivery>();
    for (const p of planned) {
      if (typeof p.recipient !== 'string' || p.recipient === '') {
        throw new Error(`The handler of "${event.topic}" planned a delivery with no recipient`);
      }
      if (!Object.hasOwn(transports, p.channel)) {
        throw new Error(`The handler of "${event.topic}" planned unknown channel "${p.channel}"`);
      }
      const key = JSON.stringify([p.recipient, p.channel]);
      if (!unique.has(key)) unique.set(key, p);
    }
    return [...unique.values()];
  }

  function deliveryOf(d: DeliveryRow, topic: string, attempt: number, unknown: boolean): Delivery {
    return {
      tenantId: d.tenantId,
      eventId: d.eventId,
      topic,
      recipient: d.recipient,
      channel: d.channel,
      content: d.content,
      attempt,
      idempotencyKey: idempotencyKeyOf(d),
      earlierAttemptUnknown: unknown,
    };
  }

  /** Retries a small idempotent write through dropped connections until `deadline`. */
  async function persist<T>(write: () => Promise<T>, deadline: number, d: DeliveryRow) {
    for (let wait = 20; ; wait = Math.min(wait * 2, 500)) {
      try {
        return await write();
      } catch (error) {
        if (Date.now() + wait > deadline) throw error;
        onError(error, { tenantId: d.tenantId, eventId: d.eventId, recipient: d.recipient });
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  /** Records a failed attempt and when to retry; leaves a delivered row alone. */
  async function failDelivery(d: DeliveryRow, error: unknown, attempt: number | null) {
    const row = outboxDeliveries;
    await db.transaction(d.tenantId, (tx) =>
      tx
        .update(row)
        .set(
          attempt === null
            ? // A transactional attempt rolled back whole, its count with it.
              {
                attempts: sql`${row.attempts} + 1`,
                availableAt: backoff(sql`${row.attempts} + 1`),
                lastError: errorText(error),
              }
            : {
                status: 'pending',
                claimedUntil: null,
                availableAt: backoff(sql`${row.attempts}`),
                lastError: errorText(error),
              },
        )
        .where(
          attempt === null
            ? and(deliveryKey(d), sql`${row.status} <> 'delivered'`)
            : and(deliveryKey(d), eq(row.status, 'sending'), eq(row.attempts, attempt)),
        ),
    );
  }

  async function deliverInTransaction(
    d: DeliveryRow,
    topic: string,
    transport: TransactionalTransport,
  ) {
    const row = outboxDeliveries;
    return db.transaction(d.tenantId, async (tx) => {
      // Marking first takes the row's lock, so no other dispatcher can deliver it meanwhile; if
      // the transport throws, the mark rolls back with whatever the transport wrote.
      const [marked] = await tx
        .update(row)
        .set({
          status: 'delivered',
          deliveredAt: clock(),
          attempts: sql`${row.attempts} + 1`,
          claimedUntil: null,
          lastError: null,
        })
        .where(
          and(
            deliveryKey(d),
            sql`${row.status} <> 'delivered'`,
            sql`${row.availableAt} <= ${clock()}`,
          ),
        )
        .returning({ attempts: row.attempts });
      if (!marked) return false;
      await transport.deliver(tx, deliveryOf(d, topic, marked.attempts, false));
      return true;
    });
  }

  async function deliverOutside(d: DeliveryRow, topic: string, transport: ExternalTransport) {
    const row = outboxDeliveries;
    const deadline = Date.now() + leaseMs;
    // Write-ahead: the attempt is on record before the transport is called, so a crash during
    // the call leaves a row that says "outcome unknown" rather than one that says "not sent".
    const started = await db.transaction(d.tenantId, async (tx) => {
      const [attempt] = rowsOf<{ attempts: number; previous: string }>(
        await tx.execute(sql`
          with previous as (
            select status from ${row} where ${deliveryKey(d)} for update
          )
          update ${row} set status = 'sending', attempts = ${row.attempts} + 1,
            claimed_until = ${clock()} + ${lease}
          from previous
          where ${deliveryKey(d)} and ${row.status} <> 'delivered'
            and ${row.availableAt} <= ${clock()}
            and (${row.status} <> 'sending' or ${row.claimedUntil} <= ${clock()})
          returning ${row.attempts} as attempts, previous.status as previous`),
      );
      if (attempt) {
        await tx
          .update(outboxEvents)
          .set({ claimedUntil: sql`${clock()} + ${lease}` })
          .where(
            and(
              eq(outboxEvents.tenantId, d.tenantId),
              eq(outboxEvents.id, d.eventId),
              eq(outboxEvents.claimedBy, workerId),
              isNull(outboxEvents.completedAt),
            ),
          );
      }
      return attempt;
    });
    if (!started) return false;
    const delivery = deliveryOf(d, topic, started.attempts, started.previous === 'sending');
    try {
      await sendWithin(transport, delivery);
    } catch (error) {
      await persist(() => failDelivery(d, error, started.attempts), deadline, d);
      throw error;
    }
    // Delivered, whichever attempt this row is now on: a later attempt that another dispatcher
    // started meanwhile will find nothing to record, and nothing to retry.
    await persist(
      () =>
        db.transaction(d.tenantId, (tx) =>
          tx
            .update(row)
            .set({ status: 'delivered', deliveredAt: clock(), claimedUntil: null, lastError: null })
            .where(and(deliveryKey(d), sql`${row.status} <> 'delivered'`)),
        ),
      deadline,
      d,
    );
    return true;
  }

  async function sendWithin(transport: ExternalTransport, delivery: Delivery) {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error(`The ${delivery.channel} transport took over ${sendTimeoutMs} ms`);
        controller.abort(error);
        reject(error);
      }, sendTimeoutMs);
    });
    try {
      await Promise.race([transport.send(delivery, controller.signal), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Completes the event if every delivery is done; else releases it until the next retry. */
  async function finish(c: Claimed) {
    const d = outboxDeliveries;
    const e = outboxEvents;
    const [done] = await db.transaction(c.tenant_id, async (tx) =>
      rowsOf<{ completed: boolean }>(
        await tx.execute(sql`
          with open as (
            select count(*)::int as n,
              min(greatest(${d.availableAt}, coalesce(${d.claimedUntil}, ${d.availableAt}))) as next,
              max(${d.lastError}) as error
            from ${d}
            where ${d.tenantId} = ${c.tenant_id} and ${d.eventId} = ${c.id}
              and ${d.status} <> 'delivered'
          )
          update ${e} set
            completed_at = case when open.n = 0 then ${clock()} end,
            claimed_until = null, claimed_by = null,
            available_at = case when open.n = 0 then ${e.availableAt}
                                else greatest(open.next, ${clock()}) end,
            last_error = case when open.n = 0 then null
                              else 'undelivered: ' || open.n || coalesce('; ' || open.error, '') end
          from open
          where ${eventKey(c)} and ${e.completedAt} is null
            and (open.n = 0 or ${e.claimedBy} = ${workerId})
          returning ${e.completedAt} is not null as completed`),
      ),
    );
    return done?.completed === true;
  }

  /**
   * Puts an event whose handling failed back in the queue: after a backoff if its handler
   * failed, or at the retry base if it failed later (its deliveries keep their own schedule).
   */
  async function release(c: Claimed, error: unknown, planned: boolean) {
    const retryAt = planned
      ? sql`${clock()} + ${`${retry.baseMs} milliseconds`}::interval`
      : backoff(sql`${outboxEvents.attempts}`);
    await db.transaction(c.tenant_id, (tx) =>
      tx
        .update(outboxEvents)
        .set({
          claimedUntil: null,
          claimedBy: null,
          availableAt: retryAt,
          lastError: errorText(error),
        })
        .where(
          and(eventKey(c), eq(outboxEvents.claimedBy, workerId), isNull(outboxEvents.completedAt)),
        ),
    );
  }

  async function handle(c: Claimed, report: DispatchReport): Promise<void> {
    const context = { tenantId: c.tenant_id, eventId: c.id };
    let planned = false;
    try {
      const deliveries = await plan(c);
      if (deliveries === 'completed') report.completed++;
      if (!Array.isArray(deliveries)) return;
      planned = true;
      // In-app first: it is quick and cannot be held up by a slow mail server.
      const order = (d: DeliveryRow) => (transports[d.channel]?.mode === 'transactional' ? 0 : 1);
      deliveries.sort(
        (a, b) =>
          order(a) - order(b) ||
          a.recipient.localeCompare(b.recipient) ||
          a.channel.localeCompare(b.channel),
      );
      for (const d of deliveries) {
        if (d.status === 'delivered') continue;
        const transport = transports[d.channel];
        try {
          if (!transport) throw new Error(`No transport for channel "${d.channel}"`);
          const delivered =
            transport.mode === 'transactional'
              ? await deliverInTransaction(d, c.topic, transport)
              : await deliverOutside(d, c.topic, transport);
          if (delivered) report.delivered++;
        } catch (error) {
          report.failed++;
          onError(error, { ...context, recipient: d.recipient, channel: d.channel });
          if (transport?.mode !== 'external') {
            await failDelivery(d, error, null).catch((e) => onError(e, context));
          }
        }
      }
      if (await finish(c)) report.completed++;
    } catch (error) {
      report.failed++;
      onError(error, context);
      // If this fails too (the database is away), the lease runs out and another claim retries.
      await release(c, error, planned).catch((e) => onError(e, context));
    }
  }

  async function runOnce(): Promise<DispatchReport> {
    const claimed = await claim();
    const report: DispatchReport = {
      claimed: claimed.length,
      completed: 0,
      delivered: 0,
      failed: 0,
    };
    let next = 0;
    const worker = async () => {
      while (next < claimed.length) {
        const c = claimed[next++];
        if (c) await handle(c, report);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, worker));
    return report;
  }

  let loop: Promise<void> | undefined;
  let stopping = false;
  let woken = false;
  let wake: (() => void) | undefined;
  const onNotify = () => {
    woken = true;
    wake?.();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || stopping) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  async function run() {
    const unlisten =
      options.listen === false
        ? undefined
        : await listen(db, onNotify).catch((error) => {
            onError(error, {});
            return undefined;
          });
    try {
      while (!stopping) {
        woken = false;
        let full = false;
        try {
          full = (await runOnce()).claimed >= batchSize;
        } catch (error) {
          onError(error, {});
        }
        if (!full) await sleep(pollMs);
      }
    } finally {
      await unlisten?.().catch(() => {});
    }
  }

  return {
    workerId,
    runOnce,
    start() {
      if (loop) return;
      stopping = false;
      loop = run();
    },
    async stop() {
      stopping = true;
      wake?.();
      await loop;
      loop = undefined;
    },
    get running() {
      return loop !== undefined && !stopping;
    },
  };
}

/** LISTEN for enqueues; a dispatcher that cannot listen still polls. */
function listen(db: HearthDb, onNotify: () => void): Promise<Unlisten | undefined> {
  // A reconnect may have missed a wake-up: look for work at once.
  return db.listen(OUTBOX_NOTIFY_CHANNEL, { onNotify, onReady: onNotify });
}
