import { getErrorCode, getFieldErrors, type HearthClient } from '@hearth/client';
import { type AgeBand, dateInTimeZone, type Role } from '@hearth/core';
import { outboxDeliveries, outboxEvents, type Tx } from '@hearth/db';
import { provisionUser } from '@hearth/server';
import { eq } from 'drizzle-orm';
import { PASSWORD, type TestPlatform } from '../support/platform.js';

export const DAY = 86_400_000;

const cheap = { memoryCost: 1024, timeCost: 1 };

/** An account made directly, as an operator's script would; members get an age band. */
export async function account(
  p: TestPlatform,
  tenantId: string,
  username: string,
  roles: Role[],
  options: { ageBand?: AgeBand; displayName?: string } = {},
): Promise<string> {
  const isMember = roles.includes('member');
  const { userId } = await provisionUser(
    p.database.db,
    {
      tenantId,
      username,
      password: PASSWORD,
      roles,
      ...(isMember
        ? { ageBand: options.ageBand ?? '16-17' }
        : { email: `${username}@example.org` }),
      ...(options.displayName ? { displayName: options.displayName } : {}),
    },
    cheap,
  );
  return userId;
}

/** A client signed in as `username` on `host`. */
export async function as(p: TestPlatform, host: string, username: string): Promise<HearthClient> {
  const b = p.browser(host);
  await b.client.identity.signIn.mutate({ username, password: PASSWORD });
  return b.client;
}

/** `CODE: message` for a failed call, `OK` for one that succeeded. */
export async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'OK';
  } catch (error) {
    return `${getErrorCode(error)}: ${(error as Error).message}`;
  }
}

/** Everything a refusal tells the caller, to compare two refusals exactly. */
export async function refusal(call: Promise<unknown>) {
  try {
    await call;
  } catch (error) {
    return {
      code: getErrorCode(error),
      message: (error as Error).message,
      fieldErrors: getFieldErrors(error) ?? null,
    };
  }
  throw new Error('expected the call to be refused');
}

export function inTenant<T>(p: TestPlatform, tenantId: string, fn: (tx: Tx) => Promise<T>) {
  return p.database.db.transaction(tenantId, fn);
}

/** The tenant's date `days` from the test clock's now (Europe/London, the test default). */
export function dayFromNow(p: TestPlatform, days: number): string {
  return dateInTimeZone(new Date(p.clock.now().getTime() + days * DAY), 'Europe/London');
}

/** Runs the outbox until nothing is due. */
export async function drain(p: TestPlatform): Promise<void> {
  while ((await p.platform.dispatcher.runOnce()).claimed > 0) {}
}

export async function outbox(p: TestPlatform, tenantId: string) {
  return inTenant(p, tenantId, (tx) =>
    tx
      .select({
        topic: outboxEvents.topic,
        payload: outboxEvents.payload,
        availableAt: outboxEvents.availableAt,
        completedAt: outboxEvents.completedAt,
      })
      .from(outboxEvents)
      .where(eq(outboxEvents.tenantId, tenantId)),
  );
}

export async function deliveries(p: TestPlatform, tenantId: string) {
  return inTenant(p, tenantId, (tx) =>
    tx
      .select({
        recipient: outboxDeliveries.recipient,
        channel: outboxDeliveries.channel,
        content: outboxDeliveries.content,
        status: outboxDeliveries.status,
      })
      .from(outboxDeliveries)
      .where(eq(outboxDeliveries.tenantId, tenantId)),
  );
}

export interface MentorSetup {
  skills?: string[];
  interests?: string[];
  languages?: string[];
  availability?: {
    day: 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
    start: string;
    end: string;
  }[];
  capacity?: number;
  clearedAgeBands?: AgeBand[];
  check?: { status: 'pending' | 'clear' | 'failed'; expiresOn: string | null };
  trainingCompletedOn?: string | null;
  supervisorId?: string;
}

/**
 * A mentor who can be matched: the mentor fills in their profile, an org admin records their
 * vetting (clear check, training done), unless `setup` says otherwise.
 */
export async function readyMentor(
  p: TestPlatform,
  tenant: { id: string; host: string },
  admin: HearthClient,
  username: string,
  setup: MentorSetup = {},
  displayName?: string,
): Promise<{ id: string; client: HearthClient }> {
  const id = await account(p, tenant.id, username, ['mentor'], {
    displayName: displayName ?? `${username} (mentor)`,
  });
  const client = await as(p, tenant.host, username);
  await client.mentoring.profile.update.mutate({
    skills: setup.skills ?? ['cv writing'],
    interests: setup.interests ?? ['football'],
    languages: setup.languages ?? ['en-GB'],
    availability: setup.availability ?? [{ day: 'tue', start: '18:00', end: '20:00' }],
    ...(setup.capacity === undefined ? {} : { capacity: setup.capacity }),
  });
  await admin.mentoring.vetting.update.mutate({
    mentorId: id,
    expectedVersion: 0,
    backgroundCheck: setup.check ?? { status: 'clear', expiresOn: dayFromNow(p, 400) },
    trainingCompletedOn:
      setup.trainingCompletedOn === undefined ? dayFromNow(p, -30) : setup.trainingCompletedOn,
    clearedAgeBands: setup.clearedAgeBands ?? ['16-17', '18-21'],
    ...(setup.supervisorId ? { supervisorId: setup.supervisorId } : {}),
  });
  return { id, client };
}
