import { auditEvents } from '@hearth/db';
import { createTestDatabase, type TestDatabase } from '@hearth/db/testing';
import { provisionTenant, recordAudit } from '@hearth/server';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { expectPgError } from '../support/db.js';

let t: TestDatabase;
let A: string;
let B: string;

beforeAll(async () => {
  t = await createTestDatabase();
  A = (
    await provisionTenant(t.db, {
      slug: 'aud-a',
      domains: ['aud-a.test'],
      config: { displayName: 'A' },
    })
  ).tenantId;
  B = (
    await provisionTenant(t.db, {
      slug: 'aud-b',
      domains: ['aud-b.test'],
      config: { displayName: 'B' },
    })
  ).tenantId;
});
afterAll(async () => {
  await t?.drop();
});

const entries = (tenantId: string) =>
  t.db.transaction(tenantId, (tx) =>
    tx.select().from(auditEvents).where(eq(auditEvents.tenantId, tenantId)),
  );

test('an entry commits and rolls back with the change it records', async () => {
  await expect(
    t.db.transaction(A, async (tx) => {
      await recordAudit(tx, {
        tenantId: A,
        actorId: null,
        action: 'test.case.read',
        subjectType: 'case',
      });
      throw new Error('the change failed');
    }),
  ).rejects.toThrow('the change failed');
  expect(await entries(A)).toEqual([]);

  await t.db.transaction(A, (tx) =>
    recordAudit(tx, {
      tenantId: A,
      actorId: null,
      action: 'test.case.read',
      subjectType: 'case',
      detail: { reason: 'weekly review' },
    }),
  );
  const [entry] = await entries(A);
  expect(entry).toMatchObject({
    tenantId: A,
    actorId: null,
    action: 'test.case.read',
    subjectType: 'case',
    subjectId: null,
    detail: { reason: 'weekly review' },
  });
  expect(await entries(B)).toEqual([]);
});

test('the application can neither change nor remove an entry', async () => {
  await t.db.transaction(A, (tx) =>
    recordAudit(tx, { tenantId: A, actorId: null, action: 'test.note.write', subjectType: 'note' }),
  );
  for (const statement of [
    sql`update audit_events set action = 'nothing happened'`,
    sql`delete from audit_events`,
  ]) {
    const error = await expectPgError(t.db.transaction(A, (tx) => tx.execute(statement)));
    expect(error.code).toBe('42501');
    expect(error.message).toBe('permission denied for table audit_events');
  }
  expect((await entries(A)).map((e) => e.action).sort()).toEqual([
    'test.case.read',
    'test.note.write',
  ]);
});
