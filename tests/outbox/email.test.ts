import { createServer, type Server } from 'node:net';
import {
  consoleEmailTransport,
  createDispatcher,
  type Delivery,
  emailChannel,
  IDEMPOTENCY_HEADER,
  idempotencyKeyOf,
  type OutgoingEmail,
  smtpEmailTransport,
} from '@hearth/server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestbed, drain, enqueueMany, FrozenClock, type Testbed, TOPIC } from './support.js';

/**
 * E-mail through the outbox: the console transport for development, and SMTP through
 * nodemailer against a small SMTP server this file runs on a local port.
 */

interface SmtpServer {
  port: number;
  /** Each accepted message, as sent after DATA. */
  messages: string[];
  /** Answer the end of the next `n` messages with a temporary failure. */
  refuseNext(n: number): void;
  close(): Promise<void>;
}

/** Just enough SMTP (RFC 5321) for nodemailer: no TLS, no AUTH. */
async function startSmtpServer(): Promise<SmtpServer> {
  const messages: string[] = [];
  let refusals = 0;
  const server: Server = createServer((socket) => {
    socket.setEncoding('utf8');
    let buffer = '';
    let data: string[] | null = null;
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 hearth-test ESMTP');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data) {
          if (line !== '.') {
            data.push(line.startsWith('..') ? line.slice(1) : line);
            continue;
          }
          if (refusals > 0) {
            refusals--;
            reply('451 4.3.0 Try again later');
          } else {
            messages.push(data.join('\r\n'));
            reply('250 2.0.0 Queued');
          }
          data = null;
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') reply('250-hearth-test\r\n250 8BITMIME');
        else if (verb === 'HELO' || verb === 'MAIL' || verb === 'RCPT' || verb === 'RSET')
          reply('250 OK');
        else if (verb === 'NOOP') reply('250 OK');
        else if (verb === 'DATA') {
          data = [];
          reply('354 End data with <CR><LF>.<CR><LF>');
        } else if (verb === 'QUIT') {
          reply('221 Bye');
          socket.end();
        } else reply('502 Command not implemented');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    messages,
    refuseNext(n) {
      refusals = n;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // nodemailer may keep a pooled connection open; the server does not wait for it.
        server.unref();
      }),
  };
}

/** The headers of a raw message, by lower-case name (unfolded). */
function headersOf(raw: string): Map<string, string> {
  const head = raw.split('\r\n\r\n')[0]!.replace(/\r\n[ \t]+/g, ' ');
  return new Map(
    head.split('\r\n').map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
}

const FROM = 'Future You alerts <alerts@futureyou.example.org>';

const emailHandler = () => [
  {
    recipient: 'lead',
    channel: 'email',
    content: {
      to: 'lead@futureyou.example.org',
      subject: 'A safeguarding alert needs you',
      text: 'Please sign in to review a new alert.',
    },
  },
];

let bed: Testbed;
let smtp: SmtpServer;
beforeAll(async () => {
  bed = await createTestbed(1);
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp?.close();
  await bed?.close();
});

describe('SMTP through nodemailer', () => {
  test('delivers each alert once, with a Message-ID and header stable across retries', async () => {
    const mailer = smtpEmailTransport({
      host: '127.0.0.1',
      port: smtp.port,
      secure: false,
      ignoreTLS: true,
    });
    const clock = new FrozenClock();
    const errors: unknown[] = [];
    const dispatcher = createDispatcher({
      db: bed.db,
      handlers: { [TOPIC]: emailHandler },
      transports: { email: emailChannel(mailer, { from: FROM }) },
      now: clock.now,
      listen: false,
      onError: (error) => errors.push(error),
    });
    try {
      const [eventId] = await enqueueMany(bed.db, bed.tenants, 1);
      // The server refuses the first try (451); the outbox retries after its backoff.
      smtp.refuseNext(1);
      expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, delivered: 0, failed: 1 });
      expect(String(errors[0])).toMatch(/451/);
      expect(smtp.messages).toEqual([]);
      clock.advance(1000);
      expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, delivered: 1, completed: 1 });
      expect(await drain(dispatcher)).toBe(0);

      expect(smtp.messages).toHaveLength(1);
      const headers = headersOf(smtp.messages[0]!);
      const key = idempotencyKeyOf({
        tenantId: bed.tenants[0]!,
        eventId: eventId!,
        channel: 'email',
        recipient: 'lead',
      });
      expect(headers.get('message-id')).toBe(`<${key}@futureyou.example.org>`);
      expect(headers.get(IDEMPOTENCY_HEADER.toLowerCase())).toBe(key);
      expect(headers.get('to')).toBe('lead@futureyou.example.org');
      expect(headers.get('from')).toBe('Future You alerts <alerts@futureyou.example.org>');
      expect(headers.get('subject')).toBe('A safeguarding alert needs you');
      expect(smtp.messages[0]).toContain('Please sign in to review a new alert.');
    } finally {
      await mailer.close();
    }
  });
});

describe('the e-mail channel', () => {
  const delivery = (content: unknown): Delivery => ({
    tenantId: '00000000-0000-4000-8000-000000000001',
    eventId: '00000000-0000-4000-8000-000000000002',
    topic: TOPIC,
    recipient: 'lead',
    channel: 'email',
    content,
    attempt: 1,
    idempotencyKey: 'hearth-abc',
    earlierAttemptUnknown: false,
  });

  test('the console transport writes the message to the log instead of sending it', async () => {
    const lines: string[] = [];
    const channel = emailChannel(consoleEmailTransport({ log: (l) => lines.push(l) }), {
      from: 'alerts@example.org',
    });
    await channel.send(
      delivery({ to: 'lead@example.org', subject: 'Alert', text: 'Body' }),
      new AbortController().signal,
    );
    expect(lines).toEqual([
      '[hearth e-mail] <hearth-abc@example.org>\nFrom: alerts@example.org\nTo: lead@example.org\nSubject: Alert\n\nBody',
    ]);
  });

  test('refuses content that is not an e-mail, naming the recipient', async () => {
    const sent: OutgoingEmail[] = [];
    const channel = emailChannel({ send: async (e) => void sent.push(e) }, { from: 'a@b.org' });
    for (const content of [
      null,
      {},
      { to: 'x@y.org', subject: 'S' },
      { to: 1, subject: 'S', text: 'T' },
    ]) {
      await expect(channel.send(delivery(content), new AbortController().signal)).rejects.toThrow(
        'The e-mail delivery for lead needs content { to, subject, text, html? }',
      );
    }
    await channel.send(
      delivery({ to: 'x@y.org', subject: 'S', text: 'T', html: '<p>T</p>' }),
      new AbortController().signal,
    );
    expect(sent).toEqual([
      {
        to: 'x@y.org',
        subject: 'S',
        text: 'T',
        html: '<p>T</p>',
        from: 'a@b.org',
        messageId: '<hearth-abc@b.org>',
        headers: { [IDEMPOTENCY_HEADER]: 'hearth-abc' },
      },
    ]);
  });
});
