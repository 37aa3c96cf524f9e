/**
 * A dispatcher process for faults.test.ts, which starts it with
 * `node --import tsx --conditions=hearth-source` and kills it with SIGKILL.
 *
 * Environment: HEARTH_APP_URL (the application's connection string), HEARTH_RECORD_FILE (where
 * accepted e-mails are appended), HEARTH_WORKER_ID, and optionally HEARTH_CRASH=`when:n`, which
 * makes the process SIGKILL itself at its n-th e-mail: `before-send` (the attempt is on record,
 * the e-mail not sent) or `after-send` (the e-mail accepted, its delivery not yet recorded).
 */
import { createPostgresDb } from '@hearth/db/postgres';
import { createDispatcher } from '@hearth/server';
import { alertHandler, fileRecordingTransport, inboxTransport, TOPIC } from './alerts.js';

const url = process.env.HEARTH_APP_URL;
const file = process.env.HEARTH_RECORD_FILE;
if (!url || !file) throw new Error('HEARTH_APP_URL and HEARTH_RECORD_FILE are required');
const [when, nth] = (process.env.HEARTH_CRASH ?? '').split(':');
const crashAt = Number(nth ?? 0);

let sends = 0;
const crash = (at: string) => {
  if (when === at && sends === crashAt) process.kill(process.pid, 'SIGKILL');
};

const db = createPostgresDb({ url, maxConnections: 3 });
const dispatcher = createDispatcher({
  db,
  workerId: process.env.HEARTH_WORKER_ID ?? `child-${process.pid}`,
  handlers: { [TOPIC]: alertHandler },
  transports: {
    inApp: inboxTransport(),
    email: fileRecordingTransport(file, {
      async beforeAccept() {
        sends++;
        crash('before-send');
        // A mail server's latency, so that a kill often lands while a send is in flight.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 8));
      },
      afterAccept: () => crash('after-send'),
    }),
  },
  batchSize: 5,
  concurrency: 1,
  leaseMs: 1000,
  sendTimeoutMs: 500,
  pollMs: 20,
  retry: { baseMs: 20, maxMs: 200 },
  onError: () => {},
});
dispatcher.start();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void dispatcher
    .stop()
    .then(() => db.close())
    .then(() => process.exit(0));
});
