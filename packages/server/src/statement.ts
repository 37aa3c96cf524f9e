import { rowsOf, type Tx } from '@hearth/db';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';

const dialect = new PgDialect();

/**
 * A statement turned into SQL text once, when its module loads, instead of by drizzle's query
 * builder on every call; postgres.js then prepares each text once per connection. Values are
 * named with `sql.placeholder(name)` and given per call.
 *
 * Rows come back as the driver returns them, without drizzle's column mapping: `bigint` may be
 * a string and `timestamptz` is text, so readers convert with `Number()` and `new Date()`.
 *
 * The statement is sent when the returned function is called, not when its promise is awaited,
 * so statements called one after another without awaiting go out together (postgres.js
 * pipelines them) and still run in the order they were called.
 */
export function compileStatement<Row>(query: SQL) {
  const compiled = dialect.sqlToQuery(query);
  return async (tx: Tx, values: Record<string, unknown>): Promise<Row[]> =>
    rowsOf<Row>(
      await tx._.session.prepareQuery(compiled, undefined, undefined, false).execute(values),
    );
}
