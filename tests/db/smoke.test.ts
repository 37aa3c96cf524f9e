import { createTestDatabase, type TestDatabase } from '@hearth/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

test('runs as app role', async () => {
  const r = await t.db.transaction(null, (tx) =>
    tx.execute(sql`select current_user as u, count(*)::int as n from tenants`),
  );
  console.log(t.driver, r);
  expect(r).toBeDefined();
});
