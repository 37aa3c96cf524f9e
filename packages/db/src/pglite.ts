import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { type HearthDb, migrationsFolder, type Orm, scopedTransaction } from './database.js';

export interface PgliteDbOptions {
  /**
   * Folder that keeps the database between runs. Omit for an in-memory database.
   * @example './.hearth-data'
   */
  dataDir?: string;
}

/** An embedded PostgreSQL (PGlite) for development, demos and tests on machines with no server. */
export async function createPgliteDb(
  options: PgliteDbOptions = {},
): Promise<HearthDb & { readonly client: PGlite }> {
  const client = await PGlite.create(options.dataDir ?? 'memory://');
  const orm = drizzle(client) as unknown as Orm;
  return {
    driver: 'pglite',
    client,
    transaction: (tenantId, fn) => scopedTransaction(orm, tenantId, fn),
    async migrate() {
      await migrate(drizzle(client), { migrationsFolder });
    },
    async listen(channel, { onNotify, onReady }) {
      // One in-process connection: it cannot drop, so it is ready once.
      const unlisten = await client.listen(channel, (payload) => onNotify(payload));
      onReady?.();
      return unlisten;
    },
    close: () => client.close(),
  };
}
