import { createHash, randomUUID } from 'node:crypto';
import { type Tx, tenants } from '@hearth/db';
import {
  createTestDatabase,
  TEST_APP_LOGIN,
  type TestDatabase,
  testDatabaseUrl,
} from '@hearth/db/testing';
import { provisionTenant, provisionUser } from '@hearth/server';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  expectPgError,
  loadCatalog,
  type Owner,
  ownerConnection,
  query,
  type Row,
  rows,
  type TableInfo,
  tenantTables,
  txExec,
} from '../support/db.js';

/**
 * Row-level security is the backstop for tenant isolation: these tests talk to the database as
 * the application role (on PostgreSQL the login role hearth_app_test, a member of hearth_app;
 * on PGlite each transaction switches to hearth_app) and bypass the application's own filters,
 * to show what the database alone allows.
 */

/** Known before the database exists, so tests can be skipped at collection; checked in beforeAll. */
const driver = testDatabaseUrl() ? 'postgres' : 'pglite';
const onPostgres = driver === 'postgres';

let t: TestDatabase;
let owner: Owner;
let tables: (TableInfo & { key: string })[];

interface Seeded {
  id: string;
  adminId: string;
  memberId: string;
  mentorId: string;
  sessionId: string;
  invitationId: string;
}
let A: Seeded;
let B: Seeded;

const PASSWORD = 'correct horse battery';
const hashOf = (value: string) => createHash('sha256').update(value).digest();

async function seedTenant(slug: string): Promise<Seeded> {
  const { tenantId } = await provisionTenant(t.db, {
    slug,
    domains: [`${slug}.rls.test`],
    config: { displayName: `${slug} trust` },
  });
  const hashing = { memoryCost: 1024, timeCost: 1 };
  const { userId: adminId } = await provisionUser(
    t.db,
    {
      tenantId,
      username: `${slug}_admin`,
      password: PASSWORD,
      roles: ['org_admin'],
      email: `admin@${slug}.example.org`,
    },
    hashing,
  );
  const { userId: memberId } = await provisionUser(
    t.db,
    {
      tenantId,
      username: `${slug}_member`,
      password: PASSWORD,
      roles: ['member'],
      ageBand: '16-17',
    },
    hashing,
  );
  const { userId: mentorId } = await provisionUser(
    t.db,
    {
      tenantId,
      username: `${slug}_mentor`,
      password: PASSWORD,
      roles: ['mentor'],
      email: `mentor.one@${slug}.example.org`,
    },
    hashing,
  );
  // Rows for the tables that no provisioning function writes, so every tenant table has data.
  const [session] = await query<{ id: string }>(
    t.db,
    tenantId,
    sql`insert into sessions (tenant_id, user_id, token_hash, idle_expires_at, absolute_expires_at)
        values (${tenantId}, ${memberId}, ${hashOf(`${slug}-session`)}, now() + interval '1 hour',
                now() + interval '1 day') returning id`,
  );
  const [invitation] = await query<{ id: string }>(
    t.db,
    tenantId,
    sql`insert into invitations (tenant_id, email, role, token_hash, invited_by, expires_at)
        values (${tenantId}, ${`mentor@${slug}.example.org`}, 'mentor', ${hashOf(`${slug}-invite`)},
                ${adminId}, now() + interval '7 days') returning id`,
  );
  await query(
    t.db,
    tenantId,
    sql`insert into sign_in_failures (tenant_id, scope, key) values (${tenantId}, 'account', ${`${slug}_member`})`,
  );
  await query(
    t.db,
    tenantId,
    sql`insert into tenant_data_keys (tenant_id, version, master_key_id, wrapped_key)
        values (${tenantId}, 1, 'test-master', ${hashOf(`${slug}-wrapped-key`)})`,
  );
  const [event] = await query<{ id: string }>(
    t.db,
    tenantId,
    sql`insert into outbox_events (tenant_id, topic, payload)
        values (${tenantId}, 'test.seeded', '{}'::jsonb) returning id`,
  );
  await query(
    t.db,
    tenantId,
    sql`insert into outbox_deliveries (tenant_id, event_id, recipient, channel, content)
        values (${tenantId}, ${event!.id}, ${`user:${adminId}`}, 'inApp', '{}'::jsonb)`,
  );
  await query(
    t.db,
    tenantId,
    sql`insert into audit_events (tenant_id, actor_id, action, subject_type, subject_id)
        values (${tenantId}, ${adminId}, 'test.user.read', 'user', ${memberId})`,
  );
  const [seededCase] = await query<{ id: string }>(
    t.db,
    tenantId,
    sql`insert into safeguarding_cases (tenant_id, subject_user_id, source_kind, source_id, category, severity, raised_by)
        values (${tenantId}, ${memberId}, 'concern', ${randomUUID()}, 'abuse_neglect', 'high', ${adminId})
        returning id`,
  );
  await query(
    t.db,
    tenantId,
    sql`insert into safeguarding_case_events (tenant_id, case_id, actor_id, kind)
        values (${tenantId}, ${seededCase!.id}, ${adminId}, 'opened')`,
  );
  const [item] = await query<{ id: string }>(
    t.db,
    tenantId,
    sql`insert into moderation_items (tenant_id, content_kind, content_id, author_id, visibility, reasons)
        values (${tenantId}, 'identity.user', ${memberId}, ${memberId}, 'visible', '{reported}')
        returning id`,
  );
  await query(
    t.db,
    tenantId,
    sql`insert into moderation_reports (tenant_id, item_id, reporter_id, reason)
        values (${tenantId}, ${item!.id}, ${adminId}, 'bullying')`,
  );
  await query(
    t.db,
    tenantId,
    sql`insert into moderation_actions (tenant_id, item_id, actor_id, action, reason)
        values (${tenantId}, ${item!.id}, ${adminId}, 'dismiss', 'seeded')`,
  );
  const [group] = await query<{ id: string }>(
    t.db,
    tenantId,
    sql`insert into conversations (tenant_id, kind, title, created_by, last_seq)
        values (${tenantId}, 'group', 'Seeded group', ${adminId}, 1) returning id`,
  );
  await query(
    t.db,
    tenantId,
    sql`insert into conversation_members (tenant_id, conversation_id, user_id, role)
        values (${tenantId}, ${group!.id}, ${memberId}, 'participant')`,
  );
  await query(
    t.db,
    tenantId,
    sql`insert into messages (tenant_id, conversation_id, seq, author_id, body, state)
        values (${tenantId}, ${group!.id}, 1, ${memberId}, 'Seeded message', 'visible')`,
  );
  await query(
    t.db,
    tenantId,
    sql`insert into mentor_profiles (tenant_id, mentor_id, languages, supervisor_id)
        values (${tenantId}, ${mentorId}, '{en}', ${adminId})`,
  );
  await query(
    t.db,
    tenantId,
    sql`insert into mentoring_relationships (tenant_id, member_id, mentor_id, status, matching, started_at)
        values (${tenantId}, ${memberId}, ${mentorId}, 'active', 'coordinator-approves', now())`,
  );
  await query(
    t.db,
    tenantId,
    sql`insert into supervision_sessions (tenant_id, supervisor_id, mentor_id, held_on, notes)
        values (${tenantId}, ${adminId}, ${mentorId}, '2026-03-02', 'ciphertext')`,
  );
  return {
    id: tenantId,
    adminId,
    memberId,
    mentorId,
    sessionId: session!.id,
    invitationId: invitation!.id,
  };
}

const ident = (name: string) => sql.identifier(name);

async function countAs(tenantId: string | null, table: string): Promise<number> {
  const [row] = await query<{ n: number }>(
    t.db,
    tenantId,
    sql`select count(*)::int as n from ${ident(table)}`,
  );
  return Number(row!.n);
}

/** Rows per tenant key, counted as the owner, past row-level security. */
async function ownerCounts(table: string, key: string): Promise<Map<string, number>> {
  const list = await owner.exec(
    `select "${key}"::text as k, count(*)::int as n from public."${table}" group by 1`,
  );
  return new Map(list.map((r) => [String(r.k), Number(r.n)]));
}

/** Everything of one tenant in every tenant table, read as the owner. */
async function ownerSnapshot(tenantId: string): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const tt of tables) {
    out[tt.name] = await owner.exec(
      `select * from public."${tt.name}" where "${tt.key}" = '${tenantId}' order by 1, 2`,
    );
  }
  return out;
}

class Rollback extends Error {}

/** Runs `fn` as the application for `tenantId` and rolls everything back. */
async function rolledBack<T>(tenantId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
  let result: T | undefined;
  await expect(
    t.db.transaction(tenantId, async (tx) => {
      result = await fn(tx);
      throw new Rollback();
    }),
  ).rejects.toBeInstanceOf(Rollback);
  return result as T;
}

beforeAll(async () => {
  t = await createTestDatabase();
  expect(t.driver).toBe(driver);
  owner = ownerConnection(t);
  A = await seedTenant('rls-a');
  B = await seedTenant('rls-b');
  tables = tenantTables(await t.db.transaction(null, (tx) => loadCatalog(txExec(tx))));
});
afterAll(async () => {
  await owner?.close();
  await t?.drop();
});

describe('with no tenant set', () => {
  test('every tenant table (from the catalog) returns no rows, though both tenants have rows in each', async () => {
    expect(tables.map((x) => x.name)).toEqual(
      expect.arrayContaining([
        'tenants',
        'tenant_config_versions',
        'users',
        'invitations',
        'sessions',
        'sign_in_failures',
      ]),
    );
    for (const { name, key } of tables) {
      const byTenant = await ownerCounts(name, key);
      // If this fails for a new table, seed it in seedTenant(): RLS is only shown to hide rows
      // that exist.
      expect(byTenant.get(A.id) ?? 0, `${name} has rows of tenant A`).toBeGreaterThan(0);
      expect(byTenant.get(B.id) ?? 0, `${name} has rows of tenant B`).toBeGreaterThan(0);
      expect(await countAs(null, name), `${name} with no tenant`).toBe(0);
      expect(await countAs(randomUUID(), name), `${name} with an unknown tenant`).toBe(0);
    }
  });

  test('even when a query asks for a tenant by id', async () => {
    const found = await query(t.db, null, sql`select id from users where tenant_id = ${A.id}`);
    expect(found).toEqual([]);
    const tenant = await query(t.db, null, sql`select id from tenants where id = ${B.id}`);
    expect(tenant).toEqual([]);
  });

  test('host names stay readable (tenant_domains is the one exempt table)', async () => {
    const domains = await query<{ domain: string; tenant_id: string }>(
      t.db,
      null,
      sql`select domain, tenant_id from tenant_domains order by domain`,
    );
    expect(domains).toEqual([
      { domain: 'rls-a.rls.test', tenant_id: A.id },
      { domain: 'rls-b.rls.test', tenant_id: B.id },
    ]);
  });

  test('a tenant setting that is not a uuid fails the query instead of matching anything', async () => {
    const error = await expectPgError(
      t.db.transaction(null, async (tx) => {
        await tx.execute(sql`select set_config('app.tenant_id', ${"' or true --"}, true)`);
        return tx.execute(sql`select count(*) from users`);
      }),
    );
    expect(error.code).toBe('22P02');
    await expect(t.db.transaction('not-a-uuid', async () => 1)).rejects.toThrow(TypeError);
    await expect(t.db.transaction(`${A.id}' or '1'='1`, async () => 1)).rejects.toThrow(TypeError);
  });
});

describe('with tenant A set', () => {
  test('every tenant table shows exactly A’s rows', async () => {
    for (const { name, key } of tables) {
      const seen = await query<{ k: string }>(
        t.db,
        A.id,
        sql`select ${ident(key)}::text as k from ${ident(name)}`,
      );
      const expected = (await ownerCounts(name, key)).get(A.id);
      expect(seen.length, name).toBe(expected);
      expect(new Set(seen.map((r) => r.k)), name).toEqual(new Set([A.id]));
    }
  });

  test('users, sessions, tenants and tenant_config_versions: A’s rows only, B’s not even when asked for', async () => {
    const users = await query<{ id: string }>(
      t.db,
      A.id,
      sql`select id from users order by username`,
    );
    expect(users.map((u) => u.id)).toEqual([A.adminId, A.memberId, A.mentorId]);
    const sessions = await query<{ id: string; user_id: string }>(
      t.db,
      A.id,
      sql`select id, user_id from sessions`,
    );
    expect(sessions).toEqual([{ id: A.sessionId, user_id: A.memberId }]);
    const tenants = await query<{ id: string; slug: string }>(
      t.db,
      A.id,
      sql`select id, slug from tenants`,
    );
    expect(tenants).toEqual([{ id: A.id, slug: 'rls-a' }]);
    const versions = await query<{ tenant_id: string; version: number }>(
      t.db,
      A.id,
      sql`select tenant_id, version from tenant_config_versions`,
    );
    expect(versions).toEqual([{ tenant_id: A.id, version: 1 }]);

    for (const statement of [
      sql`select id from users where tenant_id = ${B.id} or id = ${B.memberId}`,
      sql`select id from sessions where id = ${B.sessionId} or user_id = ${B.memberId}`,
      sql`select id from tenants where id = ${B.id} or slug = 'rls-b'`,
      sql`select version from tenant_config_versions where tenant_id = ${B.id}`,
      sql`select id from invitations where id = ${B.invitationId}`,
      // A join is filtered table by table.
      sql`select s.id from sessions s join users u on u.id = s.user_id where u.tenant_id = ${B.id}`,
    ]) {
      expect(await query(t.db, A.id, statement)).toEqual([]);
    }
  });
});

describe('foreign keys keep a row inside its tenant', () => {
  test.each([
    {
      what: 'a session of tenant A for a user of tenant B',
      table: 'sessions',
      constraint: 'sessions_tenant_id_user_id_users_tenant_id_id_fk',
      insert: () =>
        sql`insert into sessions (tenant_id, user_id, token_hash, idle_expires_at, absolute_expires_at)
            values (${A.id}, ${B.memberId}, ${hashOf('cross-session')}, now() + interval '1 hour',
                    now() + interval '1 day')`,
    },
    {
      what: 'an invitation of tenant A sent by a user of tenant B',
      table: 'invitations',
      constraint: 'invitations_tenant_id_invited_by_users_tenant_id_id_fk',
      insert: () =>
        sql`insert into invitations (tenant_id, email, role, token_hash, invited_by, expires_at)
            values (${A.id}, 'x@example.org', 'mentor', ${hashOf('cross-invite-1')}, ${B.adminId},
                    now() + interval '1 day')`,
    },
    {
      what: 'an invitation of tenant A accepted by a user of tenant B',
      table: 'invitations',
      constraint: 'invitations_tenant_id_accepted_user_id_users_tenant_id_id_fk',
      insert: () =>
        sql`insert into invitations (tenant_id, email, role, token_hash, accepted_user_id,
                                     accepted_at, expires_at)
            values (${A.id}, 'y@example.org', 'mentor', ${hashOf('cross-invite-2')}, ${B.memberId},
                    now(), now() + interval '1 day')`,
    },
    {
      what: 'a mentor profile of tenant A supervised by a user of tenant B',
      table: 'mentor_profiles',
      constraint: 'mentor_profiles_supervisor_fk',
      insert: () =>
        sql`insert into mentor_profiles (tenant_id, mentor_id, supervisor_id)
            values (${A.id}, ${A.adminId}, ${B.adminId})`,
    },
    {
      what: 'a relationship of tenant A with a mentor of tenant B',
      table: 'mentoring_relationships',
      constraint: 'mentoring_relationships_mentor_fk',
      insert: () =>
        sql`insert into mentoring_relationships (tenant_id, member_id, mentor_id, status, matching)
            values (${A.id}, ${A.memberId}, ${B.mentorId}, 'declined', 'member-chooses')`,
    },
    {
      what: 'a supervision session of tenant A about a mentor of tenant B',
      table: 'supervision_sessions',
      constraint: 'supervision_sessions_mentor_fk',
      insert: () =>
        sql`insert into supervision_sessions (tenant_id, supervisor_id, mentor_id, held_on, notes)
            values (${A.id}, ${A.adminId}, ${B.mentorId}, '2026-03-03', 'x')`,
    },
  ])('refuses $what', async ({ table, constraint, insert }) => {
    const before = await owner.exec(`select * from public."${table}" order by 1, 2`);
    const error = await expectPgError(query(t.db, A.id, insert()));
    expect(error.code).toBe('23503'); // foreign_key_violation
    expect(error.constraint).toBe(constraint);
    expect(await owner.exec(`select * from public."${table}" order by 1, 2`)).toEqual(before);
  });

  test('the same row pointing at A’s own user is accepted (so the refusal above is the tenant, not the row)', async () => {
    const inserted = await rolledBack(A.id, async (tx) =>
      rows(
        await tx.execute(
          sql`insert into sessions (tenant_id, user_id, token_hash, idle_expires_at, absolute_expires_at)
              values (${A.id}, ${A.memberId}, ${hashOf('own-session')}, now() + interval '1 hour',
                      now() + interval '1 day') returning user_id`,
        ),
      ),
    );
    expect(inserted).toEqual([{ user_id: A.memberId }]);
  });
});

describe('WITH CHECK', () => {
  test.each([
    {
      table: 'users',
      insert: () =>
        sql`insert into users (tenant_id, kind, username, roles, password_hash)
            values (${B.id}, 'staff', 'planted', array['org_admin'], 'x')`,
    },
    {
      table: 'sessions',
      insert: () =>
        sql`insert into sessions (tenant_id, user_id, token_hash, idle_expires_at, absolute_expires_at)
            values (${B.id}, ${B.memberId}, ${hashOf('planted-session')}, now() + interval '1 hour',
                    now() + interval '1 day')`,
    },
    {
      table: 'invitations',
      insert: () =>
        sql`insert into invitations (tenant_id, email, role, token_hash, expires_at)
            values (${B.id}, 'planted@example.org', 'org_admin', ${hashOf('planted-invite')},
                    now() + interval '1 day')`,
    },
    {
      table: 'sign_in_failures',
      insert: () =>
        sql`insert into sign_in_failures (tenant_id, scope, key) values (${B.id}, 'account', 'x')`,
    },
    {
      table: 'tenant_config_versions',
      insert: () =>
        sql`insert into tenant_config_versions (tenant_id, version, config)
            values (${B.id}, 99, '{"displayName":"planted"}'::jsonb)`,
    },
    {
      table: 'tenants',
      insert: () =>
        sql`insert into tenants (id, slug, current_config, config_version)
            values (${randomUUID()}, 'planted', '{}'::jsonb, 1)`,
    },
    {
      table: 'tenant_data_keys',
      insert: () =>
        sql`insert into tenant_data_keys (tenant_id, version, master_key_id, wrapped_key)
            values (${B.id}, 2, 'planted', ${hashOf('planted-key')})`,
    },
    {
      table: 'outbox_events',
      insert: () =>
        sql`insert into outbox_events (tenant_id, topic, payload)
            values (${B.id}, 'planted', '{}'::jsonb)`,
    },
    {
      table: 'outbox_deliveries',
      insert: () =>
        sql`insert into outbox_deliveries (tenant_id, event_id, recipient, channel, content)
            values (${B.id}, ${randomUUID()}, 'planted', 'inApp', '{}'::jsonb)`,
    },
    {
      table: 'safeguarding_cases',
      insert: () =>
        sql`insert into safeguarding_cases (tenant_id, source_kind, source_id, category, severity)
            values (${B.id}, 'concern', ${randomUUID()}, 'abuse_neglect', 'high')`,
    },
    {
      table: 'safeguarding_case_events',
      insert: () =>
        sql`insert into safeguarding_case_events (tenant_id, case_id, kind)
            values (${B.id}, ${randomUUID()}, 'planted')`,
    },
    {
      table: 'moderation_items',
      insert: () =>
        sql`insert into moderation_items (tenant_id, content_kind, content_id, visibility, reasons)
            values (${B.id}, 'planted', ${randomUUID()}, 'visible', '{reported}')`,
    },
    {
      table: 'moderation_reports',
      insert: () =>
        sql`insert into moderation_reports (tenant_id, item_id, reporter_id, reason)
            values (${B.id}, ${randomUUID()}, ${B.memberId}, 'planted')`,
    },
    {
      table: 'moderation_actions',
      insert: () =>
        sql`insert into moderation_actions (tenant_id, item_id, action, reason)
            values (${B.id}, ${randomUUID()}, 'planted', 'planted')`,
    },
    {
      table: 'conversations',
      insert: () =>
        sql`insert into conversations (tenant_id, kind, title) values (${B.id}, 'group', 'planted')`,
    },
    {
      table: 'conversation_members',
      insert: () =>
        sql`insert into conversation_members (tenant_id, conversation_id, user_id, role)
            values (${B.id}, ${randomUUID()}, ${B.memberId}, 'participant')`,
    },
    {
      table: 'messages',
      insert: () =>
        sql`insert into messages (tenant_id, conversation_id, seq, author_id, body, state)
            values (${B.id}, ${randomUUID()}, 1, ${B.memberId}, 'planted', 'visible')`,
    },
    {
      table: 'audit_events',
      insert: () =>
        sql`insert into audit_events (tenant_id, action, subject_type)
            values (${B.id}, 'planted.entry.write', 'planted')`,
    },
    {
      table: 'mentor_profiles',
      insert: () =>
        sql`insert into mentor_profiles (tenant_id, mentor_id) values (${B.id}, ${B.adminId})`,
    },
    {
      table: 'mentoring_relationships',
      insert: () =>
        sql`insert into mentoring_relationships (tenant_id, member_id, matching)
            values (${B.id}, ${B.memberId}, 'member-chooses')`,
    },
    {
      table: 'supervision_sessions',
      insert: () =>
        sql`insert into supervision_sessions (tenant_id, supervisor_id, mentor_id, held_on, notes)
            values (${B.id}, ${B.adminId}, ${B.mentorId}, '2026-03-03', 'planted')`,
    },
    {
      // Readable by anyone, but a host can only be added for the transaction's own tenant.
      table: 'tenant_domains',
      insert: () =>
        sql`insert into tenant_domains (domain, tenant_id) values ('planted.rls.test', ${B.id})`,
    },
  ])('refuses a $table row for tenant B while A is set', async ({ table, insert }) => {
    const before = await owner.exec(`select count(*)::int as n from public."${table}"`);
    const error = await expectPgError(query(t.db, A.id, insert()));
    expect(error.code).toBe('42501'); // insufficient_privilege
    expect(error.message).toMatch(
      `new row violates row-level security policy for table "${table}"`,
    );
    expect(await owner.exec(`select count(*)::int as n from public."${table}"`)).toEqual(before);
  });

  test('refuses moving A’s rows to tenant B', async () => {
    const before = await ownerSnapshot(B.id);
    for (const statement of [
      sql`update sign_in_failures set tenant_id = ${B.id}`,
      sql`update users set tenant_id = ${B.id} where id = ${A.memberId}`,
      sql`update tenants set id = ${B.id}`,
    ]) {
      const error = await expectPgError(query(t.db, A.id, statement));
      expect(error.code).toBe('42501');
      expect(error.message).toMatch('new row violates row-level security policy');
    }
    expect(await ownerSnapshot(B.id)).toEqual(before);
  });
});

describe('UPDATE and DELETE of tenant B’s rows while A is set', () => {
  test('affect no rows, or are refused outright where the role has no such privilege', async () => {
    const before = await ownerSnapshot(B.id);
    let attempted = 0;
    for (const { name, key, appPrivileges } of tables) {
      const update = sql`update ${ident(name)} set ${ident(key)} = ${ident(key)} where ${ident(key)} = ${B.id} returning 1`;
      const remove = sql`delete from ${ident(name)} where ${ident(key)} = ${B.id} returning 1`;
      for (const [privilege, statement] of [
        ['UPDATE', update],
        ['DELETE', remove],
      ] as const) {
        const where = `${privilege} ${name}`;
        if (appPrivileges.includes(privilege)) {
          attempted++;
          expect(await query(t.db, A.id, statement), where).toEqual([]);
          // The same statement run as B does reach B's rows, so the empty answer above is RLS.
          const asB = await rolledBack(B.id, async (tx) => rows(await tx.execute(statement)));
          expect(asB.length, `${where} as B`).toBeGreaterThan(0);
        } else {
          const error = await expectPgError(query(t.db, A.id, statement));
          expect(error.code, where).toBe('42501');
          expect(error.message, where).toMatch(`permission denied for table ${name}`);
        }
      }
    }
    expect(attempted).toBeGreaterThanOrEqual(5);
    expect(await ownerSnapshot(B.id)).toEqual(before);
  });

  test('an unfiltered UPDATE touches only A’s rows', async () => {
    const touched = await rolledBack(A.id, async (tx) =>
      rows<{ tenant_id: string }>(
        await tx.execute(sql`update users set display_name = 'touched' returning tenant_id`),
      ),
    );
    expect(touched).toEqual([{ tenant_id: A.id }, { tenant_id: A.id }, { tenant_id: A.id }]);
  });
});

describe('the tenant setting is transaction-local', () => {
  test('a transaction with no tenant after one with tenant A sees nothing', async () => {
    await t.db.transaction(A.id, async (tx) => {
      const [row] = rows<{ tenant: string; n: number }>(
        await tx.execute(
          sql`select current_setting('app.tenant_id', true) as tenant, (select count(*)::int from users) as n`,
        ),
      );
      expect(row).toEqual({ tenant: A.id, n: 3 });
    });
    for (const { name } of tables) expect(await countAs(null, name), name).toBe(0);
  });

  test('a transaction that failed with tenant A leaves nothing behind either', async () => {
    await expect(
      t.db.transaction(A.id, async (tx) => {
        await tx.execute(sql`select 1`);
        throw new Error('fail');
      }),
    ).rejects.toThrow('fail');
    expect(await countAs(null, 'users')).toBe(0);
  });

  // The transaction sends its role and tenant without waiting for the answer, so that the
  // first statements of the work go out in the same write: they must still run after it.
  test('statements sent at once, without waiting, run as the app role on the tenant', async () => {
    const whoAmI = sql`select current_user as u, current_setting('app.tenant_id', true) as tenant,
      (select count(*)::int from users) as n`;
    const seen = await t.db.transaction(A.id, (tx) => {
      const prepared = tx._.session
        .prepareQuery(new PgDialect().sqlToQuery(whoAmI), undefined, undefined, false)
        .execute();
      const raw = tx.execute(whoAmI).then((result) => rows(result));
      const built = tx.select({ id: tenants.id }).from(tenants);
      return Promise.all([prepared.then((result) => rows(result)), raw, built]);
    });
    const expected = { u: 'hearth_app', tenant: A.id, n: 3 };
    expect(seen).toEqual([[expected], [expected], [{ id: A.id }]]);
  });

  test('many concurrent transactions on the pool each see only their own tenant', async () => {
    const choices = [A.id, B.id, null] as const;
    const runs = Array.from({ length: 40 }, (_, i) => choices[i % 3]!);
    const results = await Promise.all(
      runs.map((tenant) =>
        query<{ tenant: string | null; tenants: string[] | null }>(
          t.db,
          tenant,
          sql`select current_setting('app.tenant_id', true) as tenant,
                     (select array_agg(distinct tenant_id::text) from users) as tenants`,
        ),
      ),
    );
    results.forEach(([row], i) => {
      const tenant = runs[i]!;
      expect(row?.tenant).toBe(tenant ?? '');
      expect(row?.tenants).toEqual(tenant ? [tenant] : null);
    });
  });

  // On PGlite the application and the embedded superuser share one session, so after a
  // transaction that session is the superuser again; what matters is that neither the role nor
  // the tenant outlives the transaction.
  test.skipIf(onPostgres)('PGlite: role and tenant end with the transaction', async () => {
    await t.db.transaction(A.id, async () => {});
    const [row] = await owner.exec(
      `select current_user as u, coalesce(current_setting('app.tenant_id', true), '') as tenant`,
    );
    expect(row).toEqual({ u: 'postgres', tenant: '' });
  });

  // Only PostgreSQL has connections that outlive a transaction and could carry it into the next
  // request; one connection (max: 1) makes sure the second statement uses the same session.
  test.skipIf(!onPostgres)(
    'PostgreSQL: the same connection forgets role and tenant at commit',
    async () => {
      const app = postgres(t.appUrl!, { max: 1, onnotice: () => {} });
      try {
        await app.begin(async (tx) => {
          await tx`select set_config('role', 'hearth_app', true), set_config('app.tenant_id', ${A.id}, true)`;
          const [inside] = await tx`select current_user as u, count(*)::int as n from users`;
          expect(inside).toEqual({ u: 'hearth_app', n: 3 });
        });
        const [after] = await app`
        select current_user as u, coalesce(current_setting('app.tenant_id', true), '') as tenant,
               (select count(*)::int from users) as n`;
        expect(after).toEqual({ u: TEST_APP_LOGIN, tenant: '', n: 0 });
      } finally {
        await app.end();
      }
    },
  );
});

describe('the application role cannot get around row-level security', () => {
  test('it cannot turn RLS off, truncate, or create tables', async () => {
    for (const [statement, message] of [
      ['alter table users disable row level security', 'must be owner of table users'],
      ['alter table users no force row level security', 'must be owner of table users'],
      ['drop policy hearth_tenant_isolation on users', 'must be owner of'],
      ['truncate users cascade', 'permission denied for table users'],
      ['truncate sign_in_failures', 'permission denied for table sign_in_failures'],
      ['create table public.sneaky (id int)', 'permission denied for schema public'],
      ['create view public.sneaky as select * from users', 'permission denied for schema public'],
    ] as const) {
      const error = await expectPgError(query(t.db, A.id, sql.raw(statement)));
      expect(error.code, statement).toBe('42501');
      expect(error.message, statement).toMatch(message);
    }
    for (const { name } of tables) expect(await countAs(A.id, name)).toBeGreaterThan(0);
  });

  test('row_security = off is refused rather than showing every row', async () => {
    const error = await expectPgError(
      t.db.transaction(null, async (tx) => {
        await tx.execute(sql`set local row_security = off`);
        return tx.execute(sql`select count(*) from users`);
      }),
    );
    expect(error.code).toBe('42501');
    expect(error.message).toMatch('query would be affected by row-level security policy');
  });

  // Connecting as the login role directly is only possible on PostgreSQL (PGlite has a single
  // embedded superuser session). Without the application's set_config, nothing is visible.
  test.skipIf(!onPostgres)(
    'PostgreSQL: the login role with no set_config sees no tenant rows',
    async () => {
      const app = postgres(t.appUrl!, { max: 1, onnotice: () => {} });
      try {
        const [who] = await app`select current_user as u, session_user as s`;
        expect(who).toEqual({ u: TEST_APP_LOGIN, s: TEST_APP_LOGIN });
        for (const { name } of tables) {
          const [row] = await app.unsafe(`select count(*)::int as n from public."${name}"`);
          expect(row?.n, name).toBe(0);
        }
        const domains = await app`select domain from tenant_domains`;
        expect(domains.length).toBe(2);
      } finally {
        await app.end();
      }
    },
  );

  // On PGlite the session user is the superuser, so RESET ROLE inside a transaction would leave
  // hearth_app: a property of the embedded development database, not of production. On
  // PostgreSQL the login role is all that is left, and it is as bound by RLS as hearth_app.
  test.skipIf(!onPostgres)('PostgreSQL: RESET ROLE and SET ROLE lead nowhere useful', async () => {
    const counts = await t.db.transaction(null, async (tx) => {
      await tx.execute(sql`reset role`);
      const [row] = rows<{ u: string; n: number }>(
        await tx.execute(sql`select current_user as u, count(*)::int as n from users`),
      );
      return row;
    });
    expect(counts).toEqual({ u: TEST_APP_LOGIN, n: 0 });
    const error = await expectPgError(query(t.db, null, sql`set role postgres`));
    expect(error.code).toBe('42501');
    expect(error.message).toMatch('permission denied to set role');
  });
});
