import {
  createTestDatabase,
  TEST_APP_LOGIN,
  type TestDatabase,
  testDatabaseUrl,
} from '@hearth/db/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  APP_ROLE,
  DEFINER_FUNCTIONS,
  definerFunctionProblems,
  EXEMPT_TABLES,
  type Exec,
  GLOBAL_INDEXES,
  isolationExpression,
  loadCatalog,
  OWNER_POLICIES,
  type Owner,
  ownerConnection,
  roleProblems,
  schemaProblems,
  type TableInfo,
  tenantKeyOf,
  tenantTables,
  txExec,
} from '../support/db.js';

/**
 * The isolation rules of the architecture, checked against the migrated catalog for every
 * relation in schema `public` (discovered, not listed): a tenant table has RLS enabled and
 * forced, a tenant-isolation policy, a primary key and indexes led by its tenant key, foreign
 * keys to other tenant tables that pair tenant_id with tenant_id, and it is not owned by the
 * application role. Anything else must be on the exemption list, with its reason.
 */

/** Known before the database exists, so tests can be skipped at collection; checked in beforeAll. */
const driver = testDatabaseUrl() ? 'postgres' : 'pglite';

let t: TestDatabase;
let owner: Owner;
let catalog: TableInfo[];

/** Reads the catalog as the application role, the way the running platform sees it. */
const appExec = <T>(fn: (exec: Exec) => Promise<T>) =>
  t.db.transaction(null, (tx) => fn(txExec(tx)));

beforeAll(async () => {
  t = await createTestDatabase();
  expect(t.driver).toBe(driver);
  owner = ownerConnection(t);
  catalog = await appExec((exec) => loadCatalog(exec));
});
afterAll(async () => {
  await owner?.close();
  await t?.drop();
});

const table = (name: string) => {
  const found = catalog.find((x) => x.name === name);
  if (!found) throw new Error(`table ${name} not in the catalog`);
  return found;
};

describe('the catalog as read by these tests', () => {
  test('finds the tables the migrations create (so the rules below are not checked against nothing)', () => {
    const names = catalog.map((x) => x.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'tenants',
        'tenant_domains',
        'tenant_config_versions',
        'users',
        'invitations',
        'sessions',
        'sign_in_failures',
      ]),
    );
    expect(tenantTables(catalog).map((x) => x.name)).toEqual(
      expect.arrayContaining([
        'tenants',
        'tenant_config_versions',
        'users',
        'invitations',
        'sessions',
        'sign_in_failures',
      ]),
    );
    // Something the checks rely on from each part of the catalog:
    expect(table('users').primaryKey).toEqual(['tenant_id', 'id']);
    expect(table('tenants').primaryKey).toEqual(['id']);
    expect(table('sessions').indexes.map((i) => i.name)).toContain('sessions_tenant_user_idx');
    expect(table('sessions').foreignKeys).toContainEqual(
      expect.objectContaining({
        columns: ['tenant_id', 'user_id'],
        refTable: 'users',
        refColumns: ['tenant_id', 'id'],
      }),
    );
    expect(table('users').policies).toEqual([
      expect.objectContaining({ using: isolationExpression('tenant_id'), roles: ['public'] }),
    ]);
    expect(table('users').appPrivileges).toEqual(['INSERT', 'SELECT', 'UPDATE']);
  });

  test('reads the same catalog as the schema owner as the application role', async () => {
    expect(await loadCatalog(owner.exec)).toEqual(catalog);
  });
});

describe('every table in schema public', () => {
  test('breaks none of the isolation rules', () => {
    expect(schemaProblems(catalog)).toEqual([]);
  });

  // The same rules spelled out as assertions, each message naming the table, as a second
  // reading of the catalog independent of schemaProblems' wording.
  test('tenant tables: RLS enabled and forced, one isolation policy, keys and indexes led by the tenant key', () => {
    const tables = tenantTables(catalog);
    expect(tables.length).toBeGreaterThanOrEqual(6);
    for (const tt of tables) {
      const where = `table ${tt.name}`;
      expect(tt.rls, where).toBe(true);
      expect(tt.forceRls, where).toBe(true);
      expect(tt.ownedByApp, where).toBe(false);
      expect(tt.owner, where).not.toBe(APP_ROLE);
      expect(tt.policies.length, where).toBeGreaterThan(0);
      expect(
        tt.policies.filter(
          (p) => p.permissive && !Object.hasOwn(OWNER_POLICIES, `${tt.name}.${p.name}`),
        ),
        where,
      ).toEqual([
        expect.objectContaining({
          cmd: '*',
          using: isolationExpression(tt.key),
          check: isolationExpression(tt.key),
        }),
      ]);
      for (const p of tt.policies) {
        if (!Object.hasOwn(OWNER_POLICIES, `${tt.name}.${p.name}`)) continue;
        expect(p.roles, `${where}, policy ${p.name}`).toEqual([tt.owner]);
        expect(tt.owner, `${where}, policy ${p.name}`).not.toBe(APP_ROLE);
      }
      expect(tt.primaryKey?.[0], where).toBe(tt.key);
      for (const index of tt.indexes) {
        if (Object.hasOwn(GLOBAL_INDEXES, index.name)) continue;
        expect(index.columns[0], `${where}, index ${index.name}`).toBe(tt.key);
      }
      expect(tt.appPrivileges, where).not.toContain('TRUNCATE');
    }
  });

  test('every foreign key between tenant tables pairs the tenant key on both sides', () => {
    const keys = new Map(tenantTables(catalog).map((x) => [x.name, x.key]));
    let checked = 0;
    for (const tt of tenantTables(catalog)) {
      for (const fk of tt.foreignKeys) {
        const refKey = keys.get(fk.refTable);
        if (!refKey) continue;
        checked++;
        const i = fk.columns.indexOf(tt.key);
        expect(i, `${tt.name}.${fk.name}`).toBeGreaterThanOrEqual(0);
        expect(fk.refColumns[i], `${tt.name}.${fk.name}`).toBe(refKey);
      }
    }
    // users, invitations x3, sessions x2, sign_in_failures, tenant_config_versions at least.
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  test('tables without tenant isolation are exactly the exemption list, each with a reason', () => {
    const isolated = new Set(tenantTables(catalog).map((x) => x.name));
    const others = catalog.filter((x) => !isolated.has(x.name)).map((x) => x.name);
    expect(others.sort()).toEqual(Object.keys(EXEMPT_TABLES).sort());
    for (const [name, exempt] of Object.entries(EXEMPT_TABLES)) {
      expect(exempt.reason.length, name).toBeGreaterThan(40);
      expect(table(name).appPrivileges).toEqual([...exempt.appPrivileges].sort());
      expect(table(name).ownedByApp).toBe(false);
    }
  });

  test('the only indexes not led by the tenant key are the global-index list, each with a reason', () => {
    const global = tenantTables(catalog).flatMap((tt) =>
      tt.indexes.filter((i) => i.columns[0] !== tt.key).map((i) => `${tt.name}.${i.name}`),
    );
    expect(global.sort()).toEqual([
      'outbox_events.outbox_events_due_idx',
      'tenants.tenants_slug_unique',
    ]);
    expect(Object.keys(GLOBAL_INDEXES).sort()).toEqual([
      'outbox_events_due_idx',
      'tenants_slug_unique',
    ]);
    for (const reason of Object.values(GLOBAL_INDEXES)) expect(reason.length).toBeGreaterThan(40);
    expect(table('outbox_events').indexes.find((i) => i.name === 'outbox_events_due_idx')).toEqual({
      name: 'outbox_events_due_idx',
      columns: ['available_at'],
      unique: false,
      primary: false,
    });
    expect(table('tenants').indexes.find((i) => i.name === 'tenants_slug_unique')).toEqual({
      name: 'tenants_slug_unique',
      columns: ['slug'],
      unique: true,
      primary: false,
    });
  });

  test('the only SECURITY DEFINER functions (run with their owner’s rights, past RLS) are the definer list, each pinned and for the application only', async () => {
    const definers = await appExec((exec) =>
      exec(`select p.oid::regprocedure::text as fn from pg_proc p
            join pg_namespace n on n.oid = p.pronamespace
            where n.nspname = 'public' and p.prosecdef`),
    );
    expect(definers.map((d) => String(d.fn).replaceAll(', ', ','))).toEqual(
      Object.keys(DEFINER_FUNCTIONS),
    );
    for (const reason of Object.values(DEFINER_FUNCTIONS))
      expect(reason.length).toBeGreaterThan(40);
    expect(await appExec((exec) => definerFunctionProblems(exec))).toEqual([]);
    // The functions the RLS migration defines are there (so this query looks at the right place).
    const names = await appExec((exec) =>
      exec(`select p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            where n.nspname = 'public' order by 1`),
    );
    expect(names.map((r) => r.name)).toEqual(
      expect.arrayContaining(['hearth_current_tenant', 'hearth_protect_tenant_table']),
    );
  });
});

describe('the application role', () => {
  test('hearth_app exists, cannot log in, is not superuser, has no BYPASSRLS and owns nothing', async () => {
    const [role] = await appExec((exec) =>
      exec(`select rolname, rolsuper, rolbypassrls, rolcanlogin, rolinherit from pg_roles
            where rolname = '${APP_ROLE}'`),
    );
    expect(role).toEqual({
      rolname: APP_ROLE,
      rolsuper: false,
      rolbypassrls: false,
      rolcanlogin: false,
      rolinherit: true,
    });
    expect(await appExec((exec) => roleProblems(exec, APP_ROLE))).toEqual([]);
  });

  test('application transactions run as hearth_app', async () => {
    const [row] = await appExec((exec) => exec('select current_user as u'));
    expect(row?.u).toBe(APP_ROLE);
  });

  // The login role exists only on PostgreSQL: on PGlite the embedded session is the database's
  // superuser and each transaction switches to hearth_app, which the test above covers.
  test.skipIf(driver !== 'postgres')(
    'the login role the application connects with is as powerless as hearth_app',
    async () => {
      const [row] = await appExec((exec) => exec('select session_user as s'));
      expect(row?.s).toBe(TEST_APP_LOGIN);
      expect(await appExec((exec) => roleProblems(exec, TEST_APP_LOGIN))).toEqual([]);
      const [member] = await appExec((exec) =>
        exec(`select pg_has_role('${TEST_APP_LOGIN}', '${APP_ROLE}', 'MEMBER') as m`),
      );
      expect(member?.m).toBe(true);
    },
  );

  test('roleProblems reports a role that is too powerful (so its empty answer above means something)', async () => {
    const problems = await owner.rolledBack(async (exec) => {
      await exec(`create role hearth_test_powerful nologin bypassrls createdb in role ${APP_ROLE}`);
      await exec('create table public.hearth_test_owned (id int)');
      await exec('alter table public.hearth_test_owned owner to hearth_test_powerful');
      await exec('grant create on schema public to hearth_test_powerful');
      return roleProblems(exec, 'hearth_test_powerful');
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'hearth_test_powerful has rolbypassrls',
        'hearth_test_powerful has rolcreatedb',
        'hearth_test_powerful owns relation hearth_test_owned',
        'hearth_test_powerful may create objects in schema public',
      ]),
    );
    expect(problems.some((p) => p.startsWith('hearth_test_powerful owns type'))).toBe(true);
    const [left] = await owner.exec(
      `select count(*)::int as n from pg_roles where rolname = 'hearth_test_powerful'`,
    );
    expect(left?.n).toBe(0);
  });
});

describe('the checker', () => {
  /**
   * Creates tables that each break one rule, in a transaction that is rolled back, and returns
   * what the checker says about the catalog then.
   */
  async function problemsWith(statements: string[]) {
    return owner.rolledBack(async (exec) => {
      for (const statement of statements) await exec(statement);
      return schemaProblems(await loadCatalog(exec));
    });
  }

  const tenantTable = (name: string, extra = '') =>
    `create table public.${name} (tenant_id uuid not null references public.tenants(id),
      id uuid not null, label text, primary key (tenant_id, id)${extra})`;
  const protect = (name: string) => `select hearth_protect_tenant_table('public.${name}')`;

  test('accepts a new tenant table protected the way the migrations say', async () => {
    expect(
      await problemsWith([
        tenantTable('hearth_test_good'),
        protect('hearth_test_good'),
        'create index hearth_test_good_label_idx on public.hearth_test_good (tenant_id, label)',
      ]),
    ).toEqual([]);
  });

  test('reports a tenant table someone forgot to protect', async () => {
    const problems = await problemsWith([tenantTable('hearth_test_forgotten')]);
    expect(problems).toEqual([
      'hearth_test_forgotten: row-level security is not enabled',
      'hearth_test_forgotten: row-level security is not forced (the owner would bypass it)',
      'hearth_test_forgotten: has no policy',
    ]);
  });

  test('reports each broken rule, naming the table', async () => {
    const problems = await problemsWith([
      // RLS enabled with a policy, but not forced.
      tenantTable('hearth_test_unforced'),
      'alter table public.hearth_test_unforced enable row level security',
      `create policy p on public.hearth_test_unforced
         using (tenant_id = hearth_current_tenant()) with check (tenant_id = hearth_current_tenant())`,
      // A second, permissive policy that opens every row.
      tenantTable('hearth_test_open'),
      protect('hearth_test_open'),
      'create policy everyone on public.hearth_test_open using (true)',
      // Primary key not led by tenant_id.
      `create table public.hearth_test_pk (tenant_id uuid not null, id uuid primary key)`,
      protect('hearth_test_pk'),
      // An index not led by tenant_id.
      tenantTable('hearth_test_index'),
      protect('hearth_test_index'),
      'create index hearth_test_index_label_idx on public.hearth_test_index (label)',
      // A foreign key to a tenant table that does not carry tenant_id.
      tenantTable('hearth_test_fk', ', owner_tenant uuid references public.tenants(id)'),
      protect('hearth_test_fk'),
      // Owned by the application role.
      tenantTable('hearth_test_owned'),
      protect('hearth_test_owned'),
      `alter table public.hearth_test_owned owner to ${APP_ROLE}`,
      // A privilege that ignores RLS.
      tenantTable('hearth_test_truncate'),
      protect('hearth_test_truncate'),
      `grant truncate on public.hearth_test_truncate to ${APP_ROLE}`,
      // No tenant_id and not on the exemption list.
      'create table public.hearth_test_global (id uuid primary key, label text)',
      // A view over a tenant table, which would run with its owner's rights.
      'create view public.hearth_test_view as select id, username from public.users',
      // An exempt table given more than its allowance.
      `grant update on public.tenant_domains to ${APP_ROLE}`,
    ]);
    expect(problems.sort()).toEqual(
      [
        'hearth_test_unforced: row-level security is not forced (the owner would bypass it)',
        'hearth_test_open: permissive policy everyone is not the tenant-isolation policy',
        'hearth_test_pk: primary key (id) does not lead with tenant_id',
        'hearth_test_pk: index hearth_test_pk_pkey (id) does not lead with tenant_id',
        'hearth_test_index: index hearth_test_index_label_idx (label) does not lead with tenant_id',
        'hearth_test_fk: foreign key hearth_test_fk_owner_tenant_fkey (owner_tenant) -> tenants(id) does not match tenant_id to id',
        `hearth_test_owned: is owned by ${APP_ROLE}, which the application role can act as`,
        'hearth_test_truncate: the application role has TRUNCATE',
        'hearth_test_global: has no tenant_id column and is not on the exemption list (say why, or add tenant_id)',
        'hearth_test_view: is a view without security_invoker=true, so it would bypass row-level security',
        'tenant_domains: the application role holds INSERT, SELECT, UPDATE; allowed: INSERT, SELECT',
      ].sort(),
    );
  });

  test('reports a foreign key between tenant tables that leaves tenant_id out', async () => {
    const problems = await problemsWith([
      'create unique index hearth_test_users_id on public.users (id)',
      tenantTable('hearth_test_notes', ', author uuid references public.users(id)'),
      protect('hearth_test_notes'),
    ]);
    expect(problems.sort()).toEqual([
      'hearth_test_notes: foreign key hearth_test_notes_author_fkey (author) -> users(id) does not match tenant_id to tenant_id',
      'users: index hearth_test_users_id (id) does not lead with tenant_id',
    ]);
  });

  test('reports a policy that filters by something other than the tenant', async () => {
    const problems = await problemsWith([
      tenantTable('hearth_test_wrong_policy'),
      'alter table public.hearth_test_wrong_policy enable row level security',
      'alter table public.hearth_test_wrong_policy force row level security',
      `create policy p on public.hearth_test_wrong_policy using (label is not null)`,
    ]);
    expect(problems).toEqual([
      'hearth_test_wrong_policy: has no policy isolating rows by tenant_id for every command',
      'hearth_test_wrong_policy: permissive policy p is not the tenant-isolation policy',
    ]);
  });

  test('reports stale entries of the exemption and global-index lists', () => {
    expect(
      schemaProblems(catalog, {
        exemptTables: { ...EXEMPT_TABLES, hearth_test_gone: { reason: 'x', appPrivileges: [] } },
        globalIndexes: { ...GLOBAL_INDEXES, hearth_test_gone_idx: 'x' },
        ownerPolicies: { ...OWNER_POLICIES, 'users.hearth_test_gone_policy': 'x' },
      }),
    ).toEqual([
      'hearth_test_gone: on the exemption list but does not exist',
      'hearth_test_gone_idx: on the global-index list but does not exist',
      'users.hearth_test_gone_policy: on the owner-policy list but does not exist',
    ]);
  });

  test('reports an owner policy widened to other roles, and a definer function not on the list or not pinned', async () => {
    const found = await owner.rolledBack(async (exec) => {
      await exec(`alter policy hearth_outbox_claim on public.outbox_events to public`);
      await exec(`create function public.hearth_test_definer() returns int language sql
                  security definer as 'select 1'`);
      await exec(
        `alter function hearth_claim_outbox(integer, interval, text, timestamptz) reset search_path`,
      );
      await exec(
        `grant execute on function hearth_claim_outbox(integer, interval, text, timestamptz) to public`,
      );
      return {
        tables: schemaProblems(await loadCatalog(exec)),
        functions: await definerFunctionProblems(exec),
      };
    });
    expect(found.tables).toEqual([
      `outbox_events: policy hearth_outbox_claim applies to public, not only the owner ${table('outbox_events').owner}`,
    ]);
    expect(found.functions.sort()).toEqual(
      [
        'hearth_claim_outbox(integer,interval,text,timestamp with time zone): does not set search_path',
        'hearth_claim_outbox(integer,interval,text,timestamp with time zone): PUBLIC may execute it',
        'hearth_test_definer(): is SECURITY DEFINER and not on the definer list',
      ].sort(),
    );
  });

  test('treats a table with tenant_id as a tenant table, and tenants as keyed by id', () => {
    expect(tenantKeyOf(table('users'))).toBe('tenant_id');
    expect(tenantKeyOf(table('tenants'))).toBe('id');
    expect(tenantKeyOf({ name: 'x', columns: [{ name: 'id', type: 'uuid', notNull: true }] })).toBe(
      null,
    );
  });

  test('left nothing behind', async () => {
    expect(await appExec((exec) => loadCatalog(exec))).toEqual(catalog);
  });
});
