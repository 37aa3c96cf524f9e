import { outboxEvents, type Tx } from '@hearth/db';
import { sql } from 'drizzle-orm';

/** The channel of `pg_notify` on which an enqueue wakes sleeping dispatchers. */
export const OUTBOX_NOTIFY_CHANNEL = 'hearth_outbox';

export interface OutboxMessage {
  /** Must be the tenant of `tx`: row-level security refuses any other. */
  tenantId: string;
  /**
   * Names the handler that turns the event into deliveries. Prefix an integrator's own topics
   * with the plugin's id.
   * @example 'safeguarding.alert'
   */
  topic: string;
  /**
   * Stored as JSON (`jsonb`), in the clear. Keep personal details out: name what the event is
   * about (a case id, a user id) and let the handler read the rest under row-level security.
   */
  payload: unknown;
  /**
   * When the event becomes due: leave it out for a side effect of this change, give a time for
   * a timer (an escalation deadline). A timer's handler runs whether or not any server was up
   * when it fell due, as soon as one is.
   * @default the commit's time
   */
  availableAt?: Date;
  /**
   * Makes the enqueue idempotent: a second enqueue with the same id (for the same tenant) adds
   * nothing. Derive it from what the event is about, e.g. one escalation timer per case and step.
   */
  id?: string;
}

/**
 * Writes an event to the outbox in the caller's transaction: it is handled only if, and after,
 * that transaction commits. Wakes listening dispatchers at commit.
 */
export async function enqueue(tx: Tx, message: OutboxMessage): Promise<{ id: string }> {
  if (message.availableAt && Number.isNaN(message.availableAt.getTime())) {
    throw new TypeError('enqueue: availableAt is not a valid date');
  }
  const id = message.id ?? crypto.randomUUID();
  const availableAt = message.availableAt
    ? sql`${message.availableAt.toISOString()}::timestamptz`
    : sql`now()`;
  // One round trip: the notification is sent only if a row was added, and only at commit.
  await tx.execute(sql`
    with added as (
      insert into ${outboxEvents} (tenant_id, id, topic, payload, available_at)
      values (${message.tenantId}, ${id}, ${message.topic},
              ${JSON.stringify(message.payload)}::jsonb, ${availableAt})
      on conflict do nothing
      returning 1
    )
    select pg_notify(${OUTBOX_NOTIFY_CHANNEL}, '') from added`);
  return { id };
}
