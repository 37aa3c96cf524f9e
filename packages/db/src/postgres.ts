import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { type HearthDb, migrationsFolder, type Orm, scopedTransaction } from './database.js';
import * as schema from './schema/index.js';

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
}

export function createPostgresDb(
  options: PostgresDbOptions,
): HearthDb & { readonly sql: postgres.Sql } {
  const client = postgres(options.url, {
    max: options.maxConnections ?? 10,
    onnotice: () => {},
  });
  const orm = drizzle(client, { schema }) as unknown as Orm;
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
    close: () => client.end({ timeout: 5 }),
  };
}
