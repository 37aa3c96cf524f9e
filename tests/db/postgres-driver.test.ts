import { rowsOf, tenants } from '@hearth/db';
import { createPostgresDb } from '@hearth/db/postgres';
import { createTestDatabase, type TestDatabase } from '@hearth/db/testing';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';

// Prepared statements are a property of the postgres.js driver; PGlite has no such option.
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

async function preparedOnOneConnection(preparedStatements: boolean): Promise<string[]> {
  const db = createPostgresDb({ url: t.appUrl!, maxConnections: 1, preparedStatements });
  try {
    await db.transaction(null, (tx) =>
      tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, 'nobody')),
    );
    const rows = await db.transaction(null, async (tx) =>
      rowsOf<{ statement: string }>(
        await tx.execute(sql`select statement from pg_prepared_statements`),
      ),
    );
    return rows.map((r) => r.statement);
  } finally {
    await db.close();
  }
}

test.skipIf(!process.env.TEST_DATABASE_URL && !process.env.DATABASE_URL)(
  'drizzle statements are prepared once per connection unless turned off',
  async () => {
    const prepared = await preparedOnOneConnection(true);
    expect(prepared.some((s) => s.includes('from "tenants"'))).toBe(true);
    expect(prepared.some((s) => s.includes("set_config('role'"))).toBe(true);

    // postgres.js prepares a few statements of its own (type lookup, commit) either way.
    const unprepared = await preparedOnOneConnection(false);
    expect(unprepared.filter((s) => s.includes('tenants') || s.includes('set_config'))).toEqual([]);
  },
);
