import { fileURLToPath } from 'node:url';
import { type ExtractTablesWithRelations, sql } from 'drizzle-orm';
import {
  type PgDatabase,
  PgDialect,
  type PgQueryResultHKT,
  type PgTransaction,
} from 'drizzle-orm/pg-core';
import type * as schema from './schema/index.js';

export type Schema = typeof schema;
/**
 * Drizzle over Hearth's database, without relational queries (`db.query.…`): Hearth uses the
 * query builder and SQL, and a schema would make drizzle build a query builder for every table
 * in every transaction (measured: about a sixth of a millisecond of CPU per request).
 */
export type Orm = PgDatabase<PgQueryResultHKT>;
/** A transaction: the query builder (`tx.select()…`, `tx.insert()…`) and `tx.execute(sql…)`. */
export type Tx = PgTransaction<PgQueryResultHKT, NoSchema, ExtractTablesWithRelations<NoSchema>>;
type NoSchema = Record<string, never>;

/** The role created by Hearth's migrations that every application transaction runs as. */
export const APP_ROLE = 'hearth_app';

export interface HearthDb {
  readonly driver: 'postgres' | 'pglite';
  /**
   * Runs `fn` in one transaction as the application role, with row-level security scoped to
   * `tenantId`. With `null`, tenant tables look empty: use it only for data that belongs to no
   * tenant (host names). The transaction is rolled back if `fn` throws.
   */
  transaction<T>(tenantId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Applies the SQL migrations shipped with `@hearth/db` that have not been applied yet. */
  migrate(): Promise<void>;
  /**
   * Listens on a `pg_notify` channel. Notifications are wake-up calls, not a record: one sent
   * while the listening connection was down is lost, so `onReady` is called each time the
   * listener is (re)connected — read what you may have missed there. Resolves once listening.
   */
  listen(channel: string, handlers: ListenHandlers): Promise<Unlisten>;
  close(): Promise<void>;
}

export interface ListenHandlers {
  onNotify(payload: string): void;
  /** Called when listening starts and again after every reconnect. */
  onReady?(): void;
}

/** Stops listening. */
export type Unlisten = () => Promise<void>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function tenantSetting(tenantId: string | null): string {
  if (tenantId === null) return '';
  if (!uuidPattern.test(tenantId)) throw new TypeError('tenantId must be a UUID');
  return tenantId.toLowerCase();
}

/**
 * Points the current transaction at another tenant. Only platform operations that act on a
 * tenant other than the caller's (creating a tenant) need this.
 */
export async function setTenant(tx: Tx, tenantId: string | null): Promise<void> {
  await tx.execute(sql`select set_config('app.tenant_id', ${tenantSetting(tenantId)}, true)`);
}

const dialect = new PgDialect();

/** Role and tenant for one transaction: compiled once, prepared once per connection. */
const scopeStatement = dialect.sqlToQuery(
  sql`select set_config('role', ${APP_ROLE}, true), set_config('app.tenant_id', ${sql.placeholder('tenant')}, true)`,
);

// Async so that a tenant id that is not a UUID rejects the returned promise, as the interface
// promises, instead of throwing before there is a promise to catch.
export async function scopedTransaction<T>(
  orm: Orm,
  tenantId: string | null,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  const tenant = tenantSetting(tenantId);
  return orm.transaction(async (tx) => {
    // Both settings are transaction-local: they end with the transaction, so a pooled
    // connection can never carry one request's tenant into the next.
    //
    // The statement is sent without waiting for its answer. Both drivers run a transaction's
    // statements one after another in the order they were sent, so whatever `fn` sends runs
    // after it — as the app role, on this tenant — but goes out in the same write (postgres.js
    // pipelines them): one round trip fewer per transaction.
    const scoped = tx._.session
      .prepareQuery(scopeStatement, undefined, undefined, false)
      .execute({ tenant });
    // Its failure is reported below; until then it must not count as unhandled.
    scoped.catch(() => {});
    let result: T;
    try {
      result = await fn(tx);
    } catch (error) {
      // If setting the role failed, everything after it failed because of it: report the cause.
      await scoped;
      throw error;
    }
    await scoped;
    return result;
  });
}

/**
 * The rows of a raw `tx.execute(sql…)`: postgres.js returns an array, PGlite an object with
 * `rows`. Prefer the query builder; use this for the few statements it cannot express.
 */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));
