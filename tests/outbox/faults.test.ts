import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HearthDb } from '@hearth/db';
import { createPostgresDb } from '@hearth/db/postgres';
import { testDatabaseUrl } from '@hearth/db/testing';
import { createDispatcher, enqueue } from '@hearth/server';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Owner } from '../support/db.js';
import { alertHandler, inboxTransport, type RecordedSend, TOPIC } from './alerts.js';
import {
  createTestbed,
  DELIVERIES_PER_EVENT,
  outboxCounts,
  type RecordingTransport,
  recordingTransport,
  repeatsOf,
  startKiller,
  type Testbed,
  waitFor,
} from './support.js';

/**
 * Fault injection: connections terminated by the server at random points, and dispatcher
 * processes killed outright, while events are delivered. Afterwards every event must be
 * complete and every delivery recorded exactly once; what recipients actually received is
 * counted from records the transports kept outside the database.
 *
 * PostgreSQL only: PGlite runs inside the test process with a single session, so it has neither
 * connections to terminate nor a separate dispatcher process to kill.
 */

const onPostgres = Boolean(testDatabaseUrl());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let bed: Testbed;
beforeAll(async () => {
  if (onPostgres) bed = await createTestbed(3);
});
afterAll(async () => {
  await bed?.close();
});
beforeEach(async () => {
  if (!onPostgres) return;
  await bed.owner.exec('delete from outbox_events');
  await bed.owner.exec('delete from outbox_test_inbox');
});

/** Retries an enqueue (same id, so idempotent) until it is known to have committed. */
async function enqueueSurely(db: HearthDb, tenantId: string, n: number): Promise<string> {
  const id = randomUUID();
  for (let attempt = 0; ; attempt++) {
    try {
      await db.transaction(tenantId, (tx) =>
        enqueue(tx, { tenantId, topic: TOPIC, payload: { n }, id }),
      );
      return id;
    } catch (error) {
      if (attempt > 50) throw error;
      await sleep(5);
    }
  }
}

async function inboxKeys(owner: Owner): Promise<string[]> {
  const list = await owner.exec(
    'select event_id::text as e, recipient as r from outbox_test_inbox order by 1, 2',
  );
  return list.map((x) => `${x.e}/${x.r}/inApp`);
}

const expectedEmailKeys = (ids: string[]) =>
  ids.flatMap((id) => ['deputy', 'lead'].map((r) => `${id}/${r}/email`)).sort();

describe.skipIf(!onPostgres)('fault injection (PostgreSQL)', () => {
  test('connections terminated at random points while two dispatchers race', async () => {
    const EVENTS = 300;
    const pools = [0, 1].map(() => createPostgresDb({ url: bed.t.appUrl!, maxConnections: 4 }));
    // A little latency, like a mail server's, so kills also land while a send is in flight.
    const mail: RecordingTransport[] = [0, 1].map(() =>
      recordingTransport(async () => {
        await sleep(Math.random() * 3);
      }),
    );
    let reportedErrors = 0;
    const workers = pools.map((db, i) =>
      createDispatcher({
        db,
        workerId: `survivor-${i}`,
        handlers: { [TOPIC]: alertHandler },
        transports: { inApp: inboxTransport(), email: mail[i]! },
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
      const killer = startKiller(bed.owner);
      // Events are enqueued under fire too; each is retried until it has surely committed.
      const ids: string[] = [];
      for (let n = 0; n < EVENTS; n++) {
        ids.push(await enqueueSurely(bed.db, bed.tenants[n % bed.tenants.length]!, n));
      }
      // Keep killing until every event is through (or 15 s), so faults cover the whole run.
      await waitFor(
        'every event to complete under fire',
        async () => (await outboxCounts(bed.owner)).completed === EVENTS,
        15_000,
        100,
      ).catch(() => undefined);
      const faults = await killer.stop();
      await waitFor(
        'every event to complete after the faults stop',
        async () => (await outboxCounts(bed.owner)).completed === EVENTS,
        20_000,
      );
      await Promise.all(workers.map((w) => w.stop()));

      expect(await outboxCounts(bed.owner)).toEqual({
        events: EVENTS,
        completed: EVENTS,
        deliveries: EVENTS * DELIVERIES_PER_EVENT,
        delivered: EVENTS * DELIVERIES_PER_EVENT,
      });
      const inApp = await inboxKeys(bed.owner);
      expect(inApp).toHaveLength(EVENTS * 2);
      expect(repeatsOf(inApp)).toEqual(new Map());
      const received = mail.flatMap((m) => m.received);
      const keys = received.map((d) => `${d.eventId}/${d.recipient}/${d.channel}`);
      expect([...new Set(keys)].sort()).toEqual(expectedEmailKeys(ids));
      const repeats = repeatsOf(keys);
      console.info(
        `[outbox faults] connections: ${faults.terminated} backends terminated in ${faults.rounds} rounds over ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
          `${reportedErrors} errors reported and recovered; ${EVENTS} events, ${keys.length} e-mails received for ${EVENTS * 2} deliveries ` +
          `(${repeats.size} received twice), ${inApp.length} in-app (0 twice)`,
      );
      expect(faults.terminated).toBeGreaterThanOrEqual(50);
      // A dropped connection normally never repeats an e-mail: the attempt is on record before
      // the send, and its outcome is written with retries through reconnects. Only when the
      // outcome cannot be written before the lease runs out (seen once, on a machine loaded by
      // other work) does another dispatcher send again — and then it must know it: same
      // idempotency key, flagged as a retry of an attempt whose outcome is unknown.
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
      expect(repeats.size).toBeLessThanOrEqual(EVENTS / 50);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await Promise.all(pools.map((p) => p.close()));
    }
  }, 60_000);

  test('dispatcher processes SIGKILLed at random moments, and just before and after a send', async () => {
    const EVENTS = 120;
    const ids: string[] = [];
    for (let n = 0; n < EVENTS; n++) {
      ids.push(await enqueueSurely(bed.db, bed.tenants[n % bed.tenants.length]!, n));
    }
    const file = join(tmpdir(), `hearth-outbox-${randomUUID()}.jsonl`);
    writeFileSync(file, '');
    const children: ChildProcess[] = [];
    try {
      // Two kills at chosen points (the process kills itself at its third e-mail), then six at
      // random moments, then one dispatcher left to finish.
      const plan = ['before-send:3', 'after-send:3', ...Array(6).fill('random')] as string[];
      const killedPids = new Map<number, string>();
      for (const step of plan) {
        const child = startWorker(file, step === 'random' ? '' : step);
        children.push(child.process);
        await child.ready;
        if (step === 'random') {
          await sleep(50 + Math.random() * 350);
          child.process.kill('SIGKILL');
        }
        const exit = await Promise.race([child.exited, sleep(15_000).then(() => null)]);
        expect(exit, `${step}: the dispatcher process should have died`).toEqual({
          code: null,
          signal: 'SIGKILL',
        });
        killedPids.set(child.process.pid!, step);
      }
      const last = startWorker(file, '');
      children.push(last.process);
      await last.ready;
      await waitFor(
        'the last dispatcher to finish the work',
        async () => (await outboxCounts(bed.owner)).completed === EVENTS,
        30_000,
      );
      last.process.kill('SIGTERM');
      expect(await last.exited).toEqual({ code: 0, signal: null });

      expect(await outboxCounts(bed.owner)).toEqual({
        events: EVENTS,
        completed: EVENTS,
        deliveries: EVENTS * DELIVERIES_PER_EVENT,
        delivered: EVENTS * DELIVERIES_PER_EVENT,
      });
      const inApp = await inboxKeys(bed.owner);
      expect(inApp).toHaveLength(EVENTS * 2);
      expect(repeatsOf(inApp)).toEqual(new Map());

      const sends: RecordedSend[] = readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line));
      expect([...new Set(sends.map((s) => s.key))].sort()).toEqual(expectedEmailKeys(ids));
      const repeats = repeatsOf(sends.map((s) => s.key));
      // Every repeat is a retry of an attempt whose outcome was never recorded, and says so.
      for (const key of repeats.keys()) {
        const attempts = sends.filter((s) => s.key === key).sort((a, b) => a.attempt - b.attempt);
        expect(
          attempts.slice(1).every((s) => s.unknown),
          key,
        ).toBe(true);
        expect(killedPids.has(attempts[0]!.pid), key).toBe(true);
      }
      // The window exists: the process that died right after its third e-mail was accepted
      // had no time to record it, so that e-mail went out again.
      const afterSend = [...killedPids].find(([, step]) => step.startsWith('after-send'))?.[0];
      const lastOfAfterSend = sends.filter((s) => s.pid === afterSend).at(-1);
      expect(repeats.get(lastOfAfterSend!.key)).toBe(2);
      // Each kill can cut short at most the one send that process had in flight.
      expect(sends.length - EVENTS * 2).toBeLessThanOrEqual(killedPids.size);
      const random = plan.filter((s) => s === 'random').length;
      console.info(
        `[outbox faults] processes: ${killedPids.size} dispatchers SIGKILLed (${random} at random moments, 1 after its attempt was recorded and before sending, 1 after its e-mail was accepted and before recording it); ` +
          `${EVENTS} events, ${sends.length} e-mails received for ${EVENTS * 2} deliveries: ${repeats.size} received twice, ` +
          `all retries of an attempt with no recorded outcome (earlierAttemptUnknown), ${repeats.size - 1} of them from the random kills; ${inApp.length} in-app (0 twice)`,
      );
    } finally {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      rmSync(file, { force: true });
    }
  }, 60_000);
});

const testsDir = fileURLToPath(new URL('..', import.meta.url));
const workerPath = fileURLToPath(new URL('./fault-worker.ts', import.meta.url));

function startWorker(file: string, crash: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=hearth-source', workerPath],
    {
      cwd: testsDir,
      env: {
        ...process.env,
        HEARTH_APP_URL: bed.t.appUrl!,
        HEARTH_RECORD_FILE: file,
        HEARTH_CRASH: crash,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      if (chunk.includes('ready')) resolve();
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`dispatcher process exited early (${code ?? signal}): ${stderr}`)),
    );
  });
  return { process: child, ready, exited };
}
