import { appendFileSync } from 'node:fs';
import type { Tx } from '@hearth/db';
import {
  type Delivery,
  type ExternalTransport,
  inAppTransport,
  type OutboxHandler,
  type TransactionalTransport,
} from '@hearth/server';
import { sql } from 'drizzle-orm';

/**
 * The alert the outbox tests deliver, and the transports that record it, shared by the tests
 * and by the dispatcher processes that faults.test.ts starts and kills (so this module imports
 * nothing a child process does not need).
 */

export const TOPIC = 'test.alert';

/** Tells two recipients by e-mail and in the app: four deliveries per event. */
export const alertHandler: OutboxHandler = (event) => {
  const { n } = event.payload as { n: number };
  return ['lead', 'deputy'].flatMap((who) => [
    { recipient: who, channel: 'inApp', content: { n } },
    {
      recipient: who,
      channel: 'email',
      content: { to: `${who}@example.org`, subject: `Alert ${n}`, text: `Alert number ${n}` },
    },
  ]);
};

export const DELIVERIES_PER_EVENT = 4;

/** The in-app channel, writing to the test inbox in the delivery's own transaction. */
export function inboxTransport(): TransactionalTransport {
  return inAppTransport({
    async deliver(tx: Tx, d: Delivery) {
      await tx.execute(sql`insert into outbox_test_inbox (tenant_id, event_id, recipient, attempt)
        values (${d.tenantId}, ${d.eventId}, ${d.recipient}, ${d.attempt})`);
    },
  });
}

export const deliveryKey = (d: Pick<Delivery, 'eventId' | 'recipient' | 'channel'>) =>
  `${d.eventId}/${d.recipient}/${d.channel}`;

/** One line of a recording file: a send the "provider" accepted. */
export interface RecordedSend {
  key: string;
  attempt: number;
  unknown: boolean;
  pid: number;
}

/**
 * Appends each accepted send to `file` as a JSON line, synchronously, so the record survives a
 * SIGKILL of the process the moment after `send` resolves (the page cache outlives it).
 * `beforeAccept` runs first (a delay like a network's); `afterAccept` once it is recorded.
 */
export function fileRecordingTransport(
  file: string,
  hooks: { beforeAccept?: () => Promise<void>; afterAccept?: () => void } = {},
): ExternalTransport {
  return {
    mode: 'external',
    async send(d) {
      await hooks.beforeAccept?.();
      const line: RecordedSend = {
        key: deliveryKey(d),
        attempt: d.attempt,
        unknown: d.earlierAttemptUnknown,
        pid: process.pid,
      };
      appendFileSync(file, `${JSON.stringify(line)}\n`);
      hooks.afterAccept?.();
    },
  };
}
