import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { type HearthDb, migrationsFolder, type Orm, scopedTransaction } from './database.js';

export interface PostgresDbOptions {
  /**
   * Connection string for the application. Use a login role that is a member of `hearth_app`
   * and neither owns the tables nor has BYPASSRLS. A superuser URL still works (every
   * transaction switches to `hearth_app`), but gives up a layer of defence.
   * @example 'postgres://hearth@db.internal:5432/hearth'
   */
  url: string;
  /**
   * Connection string used by `migrate()`; needs to own the schema. Defaults to `url`.
   */
  migrationUrl?: string;
  /** @default 10 */
  maxConnections?: number;
  /**
   * Prepare every statement once per connection and reuse it. Roughly halves the cost of a
   * request on the benchmark; turn it off behind a pooler that cannot keep prepared statements
   * (PgBouncer in transaction mode before 1.21).
   * @default true
   */
  preparedStatements?: boolean;
}

type Unsafe = postgres.Sql['unsafe'];

/**
 * drizzle sends its statements unprepared unless each is given a name; postgres.js can prepare
 * and cache them by their text instead. This wraps a client (and the transaction and savepoint
 * clients it hands out) so that every statement is prepared.
 */
function preparing<T extends postgres.Sql | postgres.TransactionSql>(client: T): T {
  return new Proxy(client, {
    get(target, property) {
      if (property === 'unsafe') {
        return ((query, parameters, options) =>
          (target.unsafe as Unsafe)(query, parameters, { ...options, prepare: true })) as Unsafe;
      }
      if (property === 'begin' || property === 'savepoint') {
        return (...args: unknown[]) => {
          const fn = args.pop() as (sql: postgres.TransactionSql) => unknown;
          const method = Reflect.get(target, property) as (...a: unknown[]) => unknown;
          return method.call(target, ...args, (inner: postgres.TransactionSql) =>
            fn(preparing(inner)),
          );
        };
      }
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export function createPostgresDb(
  options: PostgresDbOptions,
): HearthDb & { readonly sql: postgres.Sql } {
  const client = postgres(options.url, {
    max: options.maxConnections ?? 10,
    onnotice: () => {},
  });
  const orm = drizzle(
    options.preparedStatements === false ? client : preparing(client),
  ) as unknown as Orm;
  return {
    driver: 'postgres',
    sql: client,
    transaction: (tenantId, fn) => scopedTransaction(orm, tenantId, fn),
    async migrate() {
      const owner = postgres(options.migrationUrl ?? options.url, { max: 1, onnotice: () => {} });
      try {
        await migrate(drizzle(owner), { migrationsFolder });
      } finally {
        await owner.end();
      }
    },
    async listen(channel, { onNotify, onReady }) {
      // postgres.js keeps one connection for all listeners and listens again after it
      // reconnects, calling the second callback each time.
      const { unlisten } = await client.listen(
        channel,
        (payload) => onNotify(payload),
        () => onReady?.(),
      );
      return unlisten;
    },
    close: () => client.end({ timeout: 5 }),
  };
}
