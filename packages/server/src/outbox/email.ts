import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { Delivery, ExternalTransport } from './transports.js';

/** What an e-mail delivery's `content` holds, as its handler writes it. */
export interface EmailContent {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** A message ready to send, with the headers that let a receiving system spot a repeat. */
export interface OutgoingEmail extends EmailContent {
  from: string;
  /** Stable across retries of the same delivery: `<idempotency-key@sender-domain>`. */
  messageId: string;
  headers: Record<string, string>;
}

/** Sends e-mail. Swap it to use another provider; resolve only once the provider accepted it. */
export interface EmailTransport {
  send(email: OutgoingEmail, signal: AbortSignal): Promise<void>;
}

export const IDEMPOTENCY_HEADER = 'X-Hearth-Idempotency-Key';

export interface EmailChannelOptions {
  /** @example 'Future You <alerts@futureyou.example.org>' */
  from: string;
}

/**
 * The outbox channel for e-mail: reads each delivery's `content` ({@link EmailContent}) and hands
 * it to `transport` with a Message-ID and header derived from the delivery's idempotency key, so a
 * message sent again after a crash carries the same identity as the first.
 */
export function emailChannel(
  transport: EmailTransport,
  options: EmailChannelOptions,
): ExternalTransport {
  const domain = /@([^\s>@]+)>?\s*$/.exec(options.from)?.[1] ?? 'hearth.invalid';
  return {
    mode: 'external',
    async send(delivery: Delivery, signal: AbortSignal) {
      const content = emailContent(delivery);
      await transport.send(
        {
          ...content,
          from: options.from,
          messageId: `<${delivery.idempotencyKey}@${domain}>`,
          headers: { [IDEMPOTENCY_HEADER]: delivery.idempotencyKey },
        },
        signal,
      );
    },
  };
}

function emailContent(delivery: Delivery): EmailContent {
  const c = (delivery.content ?? {}) as Record<string, unknown>;
  const given = (key: string) => typeof c[key] === 'string' && c[key] !== '';
  if (!given('to') || !given('subject') || !given('text') || (c.html != null && !given('html'))) {
    throw new TypeError(
      `The e-mail delivery for ${delivery.recipient} needs content { to, subject, text, html? }`,
    );
  }
  const { to, subject, text, html } = c as unknown as EmailContent;
  return { to, subject, text, ...(html ? { html } : {}) };
}

export interface ConsoleEmailOptions {
  /** @default console.info */
  log?: (line: string) => void;
}

/** For development: writes each message to the log instead of sending it. */
export function consoleEmailTransport(options: ConsoleEmailOptions = {}): EmailTransport {
  const log = options.log ?? ((line: string) => console.info(line));
  return {
    async send(email) {
      log(
        [
          `[hearth e-mail] ${email.messageId}`,
          `From: ${email.from}`,
          `To: ${email.to}`,
          `Subject: ${email.subject}`,
          '',
          email.text,
        ].join('\n'),
      );
    },
  };
}

/**
 * SMTP through nodemailer. Takes nodemailer's SMTP options or a connection URL; the timeouts
 * default shorter than nodemailer's (minutes) so a stuck server fails an attempt well within
 * the dispatcher's lease.
 * @example smtpEmailTransport({ host: 'smtp.example.org', port: 587, auth: { user, pass } })
 */
export function smtpEmailTransport(
  options: SMTPTransport.Options | string,
): EmailTransport & { close(): Promise<void> } {
  let transporter: Promise<Transporter<SMTPTransport.SentMessageInfo>> | undefined;
  // Loaded on first use, so a platform that sends no e-mail never loads nodemailer.
  const connect = () => {
    transporter ??= import('nodemailer').then(({ createTransport }) =>
      createTransport({
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 20_000,
        // A URL is parsed by nodemailer; what it names wins over these defaults.
        ...(typeof options === 'string' ? { url: options } : options),
      }),
    );
    return transporter;
  };
  return {
    async send(email) {
      const smtp = await connect();
      await smtp.sendMail({
        from: email.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        ...(email.html ? { html: email.html } : {}),
        messageId: email.messageId,
        headers: email.headers,
      });
    },
    async close() {
      if (transporter) (await transporter).close();
    },
  };
}
