import type { Tx } from '@hearth/db';

/** One delivery of one event to one recipient on one channel, as a transport receives it. */
export interface Delivery {
  readonly tenantId: string;
  readonly eventId: string;
  readonly topic: string;
  readonly recipient: string;
  readonly channel: string;
  /** What the event's handler said to send (read back from JSON), unchanged across retries. */
  readonly content: unknown;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /**
   * The same for every attempt of this delivery and different for every other delivery: pass it
   * to a provider that de-duplicates (an e-mail API's idempotency key, a Message-ID).
   */
  readonly idempotencyKey: string;
  /**
   * An earlier attempt started and its outcome was never recorded (its process or connection
   * died, or it ran out of time): the recipient may already have it. A transport that can ask
   * its provider whether `idempotencyKey` was accepted should do so before sending again.
   */
  readonly earlierAttemptUnknown: boolean;
}

/**
 * Delivers inside the tenant transaction that records the delivery, so the two commit together:
 * exactly once. For anything that lives in the database (an in-app inbox).
 */
export interface TransactionalTransport {
  readonly mode: 'transactional';
  deliver(tx: Tx, delivery: Delivery): Promise<void>;
}

/**
 * Delivers to the world outside the database (e-mail, SMS). The dispatcher records that an
 * attempt started before calling `send` and that it succeeded after, so a crash between the two
 * is retried: at least once, with `idempotencyKey` to let the receiving side drop a repeat.
 * Resolve only once the provider has accepted the message; throw to have it retried later.
 */
export interface ExternalTransport {
  readonly mode: 'external';
  /** `signal` aborts when the attempt runs out of time (see the dispatcher's `sendTimeoutMs`). */
  send(delivery: Delivery, signal: AbortSignal): Promise<void>;
}

export type Transport = TransactionalTransport | ExternalTransport;

export interface InAppTransportOptions {
  /**
   * Writes the notification where the application reads it, in the same transaction. Without
   * it the delivered row of `outbox_deliveries` (with its `content`) is the in-app record.
   */
  deliver?: (tx: Tx, delivery: Delivery) => Promise<void>;
}

/** In-app notifications: recorded in the database in the delivery's own transaction. */
export function inAppTransport(options: InAppTransportOptions = {}): TransactionalTransport {
  return {
    mode: 'transactional',
    deliver: options.deliver ?? (async () => {}),
  };
}
