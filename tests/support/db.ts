import type { PGlite } from '@electric-sql/pglite';
import { createHearthClient, type HearthClient } from '@hearth/client';
import type { HearthDb, Tx } from '@hearth/db';
import type { TestDatabase } from '@hearth/db/testing';
import { type SQL, sql } from 'drizzle-orm';
import postgres from 'postgres';

/**
 * Helpers for tests that look at the database itself: normalising driver results, a connection
 * as the schema's owner (which row-level security does not filter), reading the catalog, and
 * the rules every table in schema `public` must follow.
 */

export type Row = Record<string, unknown>;

/** postgres.js returns an array of rows; PGlite returns `{ rows }`. */
export function rows<T = Row>(result: unknown): T[] {
  if (Array.isArray(result)) return [...result] as T[];
  if (result && typeof result === 'object' && Array.isArray((result as { rows?: unknown }).rows)) {
    return (result as { rows: T[] }).rows;
  }
  throw new TypeError(`Not a query result: ${String(result)}`);
}

/** Runs one statement in its own application transaction (role hearth_app) scoped to `tenantId`. */
export async function query<T = Row>(
  db: HearthDb,
  tenantId: string | null,
  statement: SQL,
): Promise<T[]> {
  return db.transaction(tenantId, async (tx) => rows<T>(await tx.execute(statement)));
}

/** Runs plain SQL text (one statement) and returns its rows. */
export type Exec = (text: string) => Promise<Row[]>;

export const txExec =
  (tx: Tx): Exec =>
  async (text) =>
    rows(await tx.execute(sql.raw(text)));

/** The first PostgreSQL error in an error's `cause` chain (drizzle wraps driver errors). */
export function pgError(error: unknown): {
  code: string;
  message: string;
  constraint: string | undefined;
} {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as {
      code?: unknown;
      message?: string;
      constraint?: string;
      constraint_name?: string;
      cause?: unknown;
    };
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) {
      return {
        code: e.code,
        message: e.message ?? '',
        constraint: e.constraint_name ?? e.constraint ?? undefined,
      };
    }
    current = e.cause;
  }
  throw new Error(`Not a PostgreSQL error: ${String(error)}`, { cause: error });
}

/** Resolves to the PostgreSQL error a promise rejected with; fails if it resolved. */
export async function expectPgError(promise: Promise<unknown>) {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    return pgError(error);
  }
  throw new Error(
    `Expected a PostgreSQL error, but the statement succeeded: ${JSON.stringify(value)}`,
  );
}

class Rollback extends Error {
  constructor(readonly value: unknown) {
    super('rollback');
  }
}

/**
 * A connection as the owner of the schema. Superusers are not subject to row-level security,
 * so tests use it to see every tenant's rows and to try out schema changes in a transaction
 * that is always rolled back. On PGlite it is the embedded database's own (superuser) session,
 * used outside any application transaction; on PostgreSQL it is `ownerUrl`.
 */
export interface Owner {
  exec: Exec;
  /** Runs `fn` in a transaction that is always rolled back, and returns its result. */
  rolledBack<T>(fn: (exec: Exec) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function ownerConnection(t: TestDatabase): Owner {
  const pglite =
    t.driver === 'pglite' ? (t.db as HearthDb & { client?: PGlite }).client : undefined;
  if (t.driver === 'pglite') {
    if (!pglite) throw new Error('The PGlite test database does not expose its client');
    return {
      exec: async (text) => (await pglite.query<Row>(text)).rows,
      async rolledBack(fn) {
        try {
          await pglite.transaction(async (tr) => {
            throw new Rollback(await fn(async (text) => (await tr.query<Row>(text)).rows));
          });
        } catch (error) {
          if (error instanceof Rollback) return error.value as never;
          throw error;
        }
        throw new Error('unreachable');
      },
      close: async () => {},
    };
  }
  if (!t.ownerUrl) throw new Error('The PostgreSQL test database has no ownerUrl');
  const owner = postgres(t.ownerUrl, { max: 1, onnotice: () => {} });
  return {
    exec: async (text) => [...(await owner.unsafe(text))] as Row[],
    async rolledBack(fn) {
      try {
        await owner.begin(async (tr) => {
          throw new Rollback(await fn(async (text) => [...(await tr.unsafe(text))] as Row[]));
        });
      } catch (error) {
        if (error instanceof Rollback) return error.value as never;
        throw error;
      }
      throw new Error('unreachable');
    },
    close: () => owner.end({ timeout: 5 }),
  };
}

// ---------------------------------------------------------------------------------------------
// The catalog

export const APP_ROLE = 'hearth_app';

export interface ForeignKeyInfo {
  name: string;
  columns: string[];
  refSchema: string;
  refTable: string;
  refColumns: string[];
}

export interface IndexInfo {
  name: string;
  /** Key columns (or expressions) in order. */
  columns: string[];
  unique: boolean;
  primary: boolean;
}

export interface PolicyInfo {
  name: string;
  /** r, a, w, d or * (all). */
  cmd: string;
  permissive: boolean;
  roles: string[];
  using: string | null;
  check: string | null;
}

export interface TableInfo {
  name: string;
  /** pg_class.relkind: r table, p partitioned table, v view, m materialised view, f foreign table. */
  kind: string;
  owner: string;
  /** The application role owns the table, directly or through a role it is a member of. */
  ownedByApp: boolean;
  rls: boolean;
  forceRls: boolean;
  options: string[];
  columns: { name: string; type: string; notNull: boolean }[];
  primaryKey: string[] | null;
  indexes: IndexInfo[];
  foreignKeys: ForeignKeyInfo[];
  policies: PolicyInfo[];
  /** Table privileges the application role holds. */
  appPrivileges: string[];
}

const textArray = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.map(String);
  throw new TypeError(`Expected an array from the catalog, got ${JSON.stringify(value)}`);
};

/** Every relation in `schema` that holds or exposes rows, with what the rules need to know. */
export async function loadCatalog(exec: Exec, schema = 'public'): Promise<TableInfo[]> {
  const ns = `'${schema.replaceAll("'", "''")}'`;
  const [version] = await exec(`select current_setting('server_version_num')::int as v`);
  const privileges = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'];
  // PostgreSQL 17 added MAINTAIN (VACUUM, LOCK TABLE, REFRESH, ...).
  if (Number(version?.v) >= 170000) privileges.push('MAINTAIN');
  const relations = await exec(`
    select c.relname as name, c.relkind::text as kind, pg_get_userbyid(c.relowner) as owner,
      pg_has_role('${APP_ROLE}', c.relowner, 'MEMBER') as owned_by_app,
      c.relrowsecurity as rls, c.relforcerowsecurity as force_rls,
      coalesce(c.reloptions, '{}'::text[]) as options,
      array(select p from unnest(array[${privileges.map((p) => `'${p}'`).join(', ')}]) p
            where has_table_privilege('${APP_ROLE}', c.oid, p) order by p) as app_privileges
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${ns} and c.relkind in ('r', 'p', 'v', 'm', 'f')
    order by c.relname`);
  const columns = await exec(`
    select c.relname as table_name, a.attname as name,
      format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null
    from pg_attribute a join pg_class c on c.oid = a.attrelid
      join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${ns} and a.attnum > 0 and not a.attisdropped
    order by c.relname, a.attnum`);
  const indexes = await exec(`
    select c.relname as table_name, ic.relname as name, i.indisunique as is_unique,
      i.indisprimary as is_primary,
      array(select pg_get_indexdef(i.indexrelid, k, true)
            from generate_series(1, i.indnkeyatts) k order by k) as columns
    from pg_index i join pg_class c on c.oid = i.indrelid
      join pg_class ic on ic.oid = i.indexrelid
      join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${ns}
    order by c.relname, ic.relname`);
  const foreignKeys = await exec(`
    select c.relname as table_name, con.conname as name, rn.nspname as ref_schema,
      r.relname as ref_table,
      array(select a.attname from unnest(con.conkey) with ordinality k(attnum, ord)
              join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum
            order by k.ord) as columns,
      array(select a.attname from unnest(con.confkey) with ordinality k(attnum, ord)
              join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum
            order by k.ord) as ref_columns
    from pg_constraint con join pg_class c on c.oid = con.conrelid
      join pg_namespace n on n.oid = c.relnamespace
      join pg_class r on r.oid = con.confrelid
      join pg_namespace rn on rn.oid = r.relnamespace
    where con.contype = 'f' and n.nspname = ${ns}
    order by c.relname, con.conname`);
  const policies = await exec(`
    select c.relname as table_name, p.polname as name, p.polcmd::text as cmd,
      p.polpermissive as permissive,
      array(select case when r = 0 then 'public' else pg_get_userbyid(r) end
            from unnest(p.polroles) r) as roles,
      pg_get_expr(p.polqual, p.polrelid) as using_expr,
      pg_get_expr(p.polwithcheck, p.polrelid) as check_expr
    from pg_policy p join pg_class c on c.oid = p.polrelid
      join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${ns}
    order by c.relname, p.polname`);

  return relations.map((r) => {
    const name = String(r.name);
    const own = <T extends Row>(list: T[]) => list.filter((x) => x.table_name === name);
    const tableIndexes: IndexInfo[] = own(indexes).map((i) => ({
      name: String(i.name),
      columns: textArray(i.columns),
      unique: Boolean(i.is_unique),
      primary: Boolean(i.is_primary),
    }));
    return {
      name,
      kind: String(r.kind),
      owner: String(r.owner),
      ownedByApp: Boolean(r.owned_by_app),
      rls: Boolean(r.rls),
      forceRls: Boolean(r.force_rls),
      options: textArray(r.options),
      columns: own(columns).map((c) => ({
        name: String(c.name),
        type: String(c.type),
        notNull: Boolean(c.not_null),
      })),
      primaryKey: tableIndexes.find((i) => i.primary)?.columns ?? null,
      indexes: tableIndexes,
      foreignKeys: own(foreignKeys).map((f) => ({
        name: String(f.name),
        columns: textArray(f.columns),
        refSchema: String(f.ref_schema),
        refTable: String(f.ref_table),
        refColumns: textArray(f.ref_columns),
      })),
      policies: own(policies).map((p) => ({
        name: String(p.name),
        cmd: String(p.cmd),
        permissive: Boolean(p.permissive),
        roles: textArray(p.roles),
        using: p.using_expr === null ? null : String(p.using_expr),
        check: p.check_expr === null ? null : String(p.check_expr),
      })),
      appPrivileges: textArray(r.app_privileges),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// The rules

export interface ExemptTable {
  /** Why this table cannot follow the tenant-table rules. */
  reason: string;
  /** Exactly the privileges the application role may hold on it. */
  appPrivileges: string[];
}

/**
 * Tables that are not tenant tables. Any table in `public` that is neither a tenant table nor
 * listed here fails the schema test, so a new table cannot quietly skip row-level security.
 */
export const EXEMPT_TABLES: Readonly<Record<string, ExemptTable>> = {
  tenant_domains: {
    reason:
      'Maps a request host name to its tenant before any tenant is known (anonymous requests), ' +
      'so it must be readable with no tenant set: its RLS lets anyone read and lets a row be ' +
      "added only for the transaction's own tenant. Its key is the host name, which is unique " +
      'across the deployment by nature. It holds public host names and tenant ids only, and the ' +
      'application may only read and add rows, never change or delete them.',
    appPrivileges: ['INSERT', 'SELECT'],
  },
};

/** Indexes of tenant tables that may lead with a column other than the tenant key. */
export const GLOBAL_INDEXES: Readonly<Record<string, string>> = {
  tenants_slug_unique:
    'A slug names one organisation across the whole deployment (platform admins choose it when ' +
    'creating a tenant), so its uniqueness is global by design. It is on `tenants`, whose own ' +
    'key is id, and rows remain visible only to their own tenant.',
  outbox_events_due_idx:
    'The outbox dispatcher serves every tenant: hearth_claim_outbox() looks for the earliest due, ' +
    'unfinished events of all tenants at once, which an index led by tenant_id cannot answer ' +
    'without one probe per tenant. Only that function (running as the owner) searches it ' +
    'across tenants; the application role still sees its own tenant’s rows only.',
};

/**
 * Permissive policies besides tenant isolation, as `table.policy`. Each must apply to the
 * table's owner alone: the owner can turn row-level security off anyway, so such a policy
 * widens nothing, while any policy for PUBLIC or the application role would.
 */
export const OWNER_POLICIES: Readonly<Record<string, string>> = {
  'outbox_events.hearth_outbox_claim':
    'FORCE ROW LEVEL SECURITY binds the owner too, so where the migrating role is not a ' +
    'superuser (managed PostgreSQL) hearth_claim_outbox(), which runs as that role, would see ' +
    'no events at all and nothing would ever be delivered. The policy is for that role only.',
};

/**
 * Functions in `public` that run with their owner's rights (SECURITY DEFINER), by signature.
 * Each must pin its search_path and be executable by the application role but not by PUBLIC.
 */
export const DEFINER_FUNCTIONS: Readonly<Record<string, string>> = {
  'hearth_claim_outbox(integer,interval,text,timestamp with time zone)':
    'The outbox dispatcher serves every tenant while the application role sees one at a time. ' +
    'This function is its only way across: it leases due events of any tenant to a worker and ' +
    'returns just (tenant_id, id, topic); the dispatcher reads and handles each event in a ' +
    'transaction scoped to that event’s tenant, under row-level security as usual.',
};

/** Every way the SECURITY DEFINER functions of `schema` break the rules above. */
export async function definerFunctionProblems(
  exec: Exec,
  allowed: Readonly<Record<string, string>> = DEFINER_FUNCTIONS,
  schema = 'public',
): Promise<string[]> {
  const found = await exec(`
    select p.oid::regprocedure::text as fn, coalesce(p.proconfig, '{}'::text[]) as config,
      exists (select 1 from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
              where a.grantee = 0 and a.privilege_type = 'EXECUTE') as public_execute,
      has_function_privilege('${APP_ROLE}', p.oid, 'EXECUTE') as app_execute
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = '${schema.replaceAll("'", "''")}' and p.prosecdef
    order by 1`);
  const problems: string[] = [];
  const names = new Set(found.map((f) => String(f.fn).replaceAll(', ', ',')));
  for (const name of Object.keys(allowed)) {
    if (!names.has(name)) problems.push(`${name}: on the definer list but does not exist`);
  }
  for (const f of found) {
    const name = String(f.fn).replaceAll(', ', ',');
    if (!Object.hasOwn(allowed, name)) {
      problems.push(`${name}: is SECURITY DEFINER and not on the definer list`);
      continue;
    }
    if (!textArray(f.config).some((c) => c.startsWith('search_path='))) {
      problems.push(`${name}: does not set search_path`);
    }
    if (f.public_execute) problems.push(`${name}: PUBLIC may execute it`);
    if (!f.app_execute) problems.push(`${name}: the application role may not execute it`);
  }
  return problems;
}

/** `tenants` is keyed by its id; every other tenant table by `tenant_id`. */
export function tenantKeyOf(table: Pick<TableInfo, 'name' | 'columns'>): string | null {
  if (table.name === 'tenants') return 'id';
  return table.columns.some((c) => c.name === 'tenant_id') ? 'tenant_id' : null;
}

export interface SchemaRules {
  exemptTables: Readonly<Record<string, ExemptTable>>;
  globalIndexes: Readonly<Record<string, string>>;
  ownerPolicies: Readonly<Record<string, string>>;
}

export const HEARTH_RULES: SchemaRules = {
  exemptTables: EXEMPT_TABLES,
  globalIndexes: GLOBAL_INDEXES,
  ownerPolicies: OWNER_POLICIES,
};

/** The tables that must be isolated by tenant, with the column that names the tenant. */
export function tenantTables(
  catalog: TableInfo[],
  rules: SchemaRules = HEARTH_RULES,
): (TableInfo & { key: string })[] {
  return catalog.flatMap((t) => {
    const key = tenantKeyOf(t);
    if (!key || !['r', 'p'].includes(t.kind) || Object.hasOwn(rules.exemptTables, t.name)) {
      return [];
    }
    return [{ ...t, key }];
  });
}

/** The policy expression a tenant table's isolation policy must have, as PostgreSQL prints it. */
export const isolationExpression = (key: string) => `(${key} = hearth_current_tenant())`;

/** The app role may never hold these: TRUNCATE ignores RLS, the others change the table. */
const FORBIDDEN_APP_PRIVILEGES = ['TRUNCATE', 'REFERENCES', 'TRIGGER', 'MAINTAIN'];

/**
 * Every way `catalog` breaks the isolation rules of the architecture, as sentences naming the
 * table. Empty when the schema is sound.
 */
export function schemaProblems(catalog: TableInfo[], rules: SchemaRules = HEARTH_RULES): string[] {
  const problems: string[] = [];
  const byName = new Map(catalog.map((t) => [t.name, t]));
  const keyOfTable = new Map(tenantTables(catalog, rules).map((t) => [t.name, t.key]));

  for (const name of Object.keys(rules.exemptTables)) {
    if (!byName.has(name)) problems.push(`${name}: on the exemption list but does not exist`);
  }
  const allIndexes = new Set(catalog.flatMap((t) => t.indexes.map((i) => i.name)));
  for (const name of Object.keys(rules.globalIndexes)) {
    if (!allIndexes.has(name))
      problems.push(`${name}: on the global-index list but does not exist`);
  }
  const allPolicies = new Set(catalog.flatMap((t) => t.policies.map((p) => `${t.name}.${p.name}`)));
  for (const name of Object.keys(rules.ownerPolicies)) {
    if (!allPolicies.has(name))
      problems.push(`${name}: on the owner-policy list but does not exist`);
  }

  for (const table of catalog) {
    const p = (problem: string) => problems.push(`${table.name}: ${problem}`);
    if (table.ownedByApp) {
      // An owner holds every privilege and can turn row-level security off: one problem is enough.
      p(`is owned by ${table.owner}, which the application role can act as`);
    } else {
      for (const privilege of table.appPrivileges) {
        if (FORBIDDEN_APP_PRIVILEGES.includes(privilege))
          p(`the application role has ${privilege}`);
      }
    }

    const exempt = Object.hasOwn(rules.exemptTables, table.name)
      ? rules.exemptTables[table.name]
      : undefined;
    if (exempt) {
      const held = [...table.appPrivileges].sort();
      const allowed = [...exempt.appPrivileges].sort();
      if (JSON.stringify(held) !== JSON.stringify(allowed)) {
        p(
          `the application role holds ${held.join(', ') || 'nothing'}; allowed: ${allowed.join(', ')}`,
        );
      }
      continue;
    }
    if (table.kind === 'v') {
      // A view runs with its owner's rights, which row-level security does not filter, unless
      // it is declared security_invoker.
      if (!table.options.includes('security_invoker=true')) {
        p('is a view without security_invoker=true, so it would bypass row-level security');
      }
      continue;
    }
    if (table.kind !== 'r' && table.kind !== 'p') {
      p(`is a relation of kind "${table.kind}", which row-level security cannot protect`);
      continue;
    }
    const key = keyOfTable.get(table.name);
    if (!key) {
      p('has no tenant_id column and is not on the exemption list (say why, or add tenant_id)');
      continue;
    }

    const keyColumn = table.columns.find((c) => c.name === key);
    if (!keyColumn?.notNull) p(`${key} may be null`);
    if (keyColumn && keyColumn.type !== 'uuid') p(`${key} is ${keyColumn.type}, not uuid`);
    if (!table.rls) p('row-level security is not enabled');
    if (!table.forceRls) p('row-level security is not forced (the owner would bypass it)');
    const isolating = table.policies.filter(
      (pol) =>
        pol.cmd === '*' &&
        pol.permissive &&
        pol.roles.includes('public') &&
        pol.using === isolationExpression(key) &&
        pol.check === isolationExpression(key),
    );
    if (table.policies.length === 0) p('has no policy');
    else if (isolating.length === 0) p(`has no policy isolating rows by ${key} for every command`);
    for (const pol of table.policies) {
      // Permissive policies are OR-ed together, so any other permissive policy widens access,
      // unless it applies to the owner alone, who can switch row-level security off anyway.
      if (!pol.permissive || isolating.includes(pol)) continue;
      if (!Object.hasOwn(rules.ownerPolicies, `${table.name}.${pol.name}`)) {
        p(`permissive policy ${pol.name} is not the tenant-isolation policy`);
      } else if (pol.roles.length !== 1 || pol.roles[0] !== table.owner) {
        p(
          `policy ${pol.name} applies to ${pol.roles.join(', ')}, not only the owner ${table.owner}`,
        );
      }
    }
    if (!table.primaryKey) p('has no primary key');
    else if (table.primaryKey[0] !== key) {
      p(`primary key (${table.primaryKey.join(', ')}) does not lead with ${key}`);
    }
    for (const index of table.indexes) {
      if (index.columns[0] !== key && !Object.hasOwn(rules.globalIndexes, index.name)) {
        p(`index ${index.name} (${index.columns.join(', ')}) does not lead with ${key}`);
      }
    }
    for (const fk of table.foreignKeys) {
      const refKey = fk.refSchema === 'public' ? keyOfTable.get(fk.refTable) : undefined;
      if (!refKey) continue;
      const paired = fk.columns.some((col, i) => col === key && fk.refColumns[i] === refKey);
      if (!paired) {
        p(
          `foreign key ${fk.name} (${fk.columns.join(', ')}) -> ${fk.refTable}(${fk.refColumns.join(', ')}) does not match ${key} to ${refKey}`,
        );
      }
    }
  }
  return problems;
}

/** Every way a role breaks the rules for the application's database role. */
export async function roleProblems(exec: Exec, role: string): Promise<string[]> {
  const r = `'${role.replaceAll("'", "''")}'`;
  const [info] = await exec(`
    select rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication
    from pg_roles where rolname = ${r}`);
  if (!info) return [`role ${role} does not exist`];
  const problems: string[] = [];
  for (const attribute of [
    'rolsuper',
    'rolbypassrls',
    'rolcreaterole',
    'rolcreatedb',
    'rolreplication',
  ]) {
    if (info[attribute] !== false) problems.push(`${role} has ${attribute}`);
  }
  const owned = await exec(`
    select 'relation ' || c.oid::regclass::text as what from pg_class c where pg_has_role(${r}, c.relowner, 'MEMBER')
    union all select 'function ' || p.oid::regprocedure::text from pg_proc p where pg_has_role(${r}, p.proowner, 'MEMBER')
    union all select 'schema ' || n.nspname::text from pg_namespace n where pg_has_role(${r}, n.nspowner, 'MEMBER')
    union all select 'type ' || t.oid::regtype::text from pg_type t where pg_has_role(${r}, t.typowner, 'MEMBER')
    union all select 'database ' || d.datname::text from pg_database d where pg_has_role(${r}, d.datdba, 'MEMBER')`);
  for (const { what } of owned) problems.push(`${role} owns ${String(what)}`);
  const memberOf = await exec(`
    select rolname from pg_roles
    where pg_has_role(${r}, oid, 'MEMBER') and rolname not in (${r}, '${APP_ROLE}')
    order by 1`);
  for (const { rolname } of memberOf) problems.push(`${role} is a member of ${String(rolname)}`);
  const [schema] = await exec(
    `select has_schema_privilege(${r}, 'public', 'CREATE') as can_create`,
  );
  if (schema?.can_create !== false) problems.push(`${role} may create objects in schema public`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Calling procedures by path, keeping the raw answers

/**
 * A client for `url` that sends through `send` (a test browser's fetch, which takes a path) and
 * keeps every raw response body, so tests can search what the server actually said.
 */
export function recordingClient(
  url: string,
  send: (path: string, init?: RequestInit) => Promise<Response>,
) {
  const bodies: string[] = [];
  const client = createHearthClient({
    url,
    fetch: (async (input: string | URL, init?: RequestInit) => {
      const target = new URL(String(input));
      const response = await send(target.pathname + target.search, init);
      bodies.push(await response.clone().text());
      return response;
    }) as typeof fetch,
  });
  return { client, bodies };
}

/** Calls the procedure at a dotted `path` through a client, as a query or a mutation. */
export function callPath(
  client: HearthClient,
  path: string,
  type: 'query' | 'mutation',
  input: unknown,
): Promise<unknown> {
  let target: unknown = client;
  for (const part of path.split('.')) target = (target as Record<string, unknown>)[part];
  const method = (target as Record<string, (input: unknown) => Promise<unknown>>)[
    type === 'query' ? 'query' : 'mutate'
  ];
  if (typeof method !== 'function') throw new Error(`no procedure at ${path}`);
  return method(input);
}

/**
 * Every table of schema `public` with its row count and a digest of its contents, read as the
 * owner: two equal snapshots mean nothing was inserted, updated or deleted anywhere.
 */
export async function tableDigests(
  owner: Owner,
): Promise<Record<string, { rows: number; digest: string }>> {
  const tables = await owner.exec(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`,
  );
  const statement = tables
    .map(
      ({ name }) =>
        `select '${String(name)}' as name, count(*)::int as n,
           coalesce(md5(string_agg(x::text, ',' order by x::text)), '') as digest
         from public."${String(name)}" x`,
    )
    .join(' union all ');
  const out: Record<string, { rows: number; digest: string }> = {};
  for (const row of await owner.exec(statement)) {
    out[String(row.name)] = { rows: Number(row.n), digest: String(row.digest) };
  }
  return out;
}

/** What the tests read of a tRPC procedure's definition. */
export interface ProcedureDef {
  _def: {
    type: 'query' | 'mutation' | 'subscription';
    meta?: { action?: string };
    inputs: unknown[];
  };
}

/**
 * A router's procedures by dotted path. tRPC types `_def.procedures` as the nested record, but
 * at run time it holds every procedure flat, under its full path (as listProcedureActions reads it).
 */
export function proceduresOf(router: {
  _def: { procedures: unknown };
}): Record<string, ProcedureDef> {
  return router._def.procedures as unknown as Record<string, ProcedureDef>;
}
