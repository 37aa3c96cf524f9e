import { signInFailures, type Tx } from '@hearth/db';
import { and, count, eq, gte, sql } from 'drizzle-orm';

/**
 * Failed sign-ins allowed in one window before further attempts are refused without checking
 * the password. Unknown usernames are counted exactly like known ones, so the answer never
 * reveals whether an account exists.
 */
export const SIGN_IN_LIMITS = {
  windowMinutes: 15,
  perAccount: 5,
  perAddress: 30,
} as const;

export type FailureScope = 'account' | 'address';

export async function recentFailures(
  tx: Tx,
  tenantId: string,
  scope: FailureScope,
  key: string,
  now: Date,
): Promise<number> {
  const since = new Date(now.getTime() - SIGN_IN_LIMITS.windowMinutes * 60_000);
  const [row] = await tx
    .select({ n: count() })
    .from(signInFailures)
    .where(
      and(
        eq(signInFailures.tenantId, tenantId),
        eq(signInFailures.scope, scope),
        eq(signInFailures.key, key),
        gte(signInFailures.at, since),
      ),
    );
  return row?.n ?? 0;
}

export async function recordFailure(
  tx: Tx,
  tenantId: string,
  keys: { scope: FailureScope; key: string }[],
  at: Date,
): Promise<void> {
  if (keys.length === 0) return;
  await tx.insert(signInFailures).values(keys.map((k) => ({ tenantId, ...k, at })));
}

export async function forgetAccountFailures(tx: Tx, tenantId: string, key: string): Promise<void> {
  await tx
    .delete(signInFailures)
    .where(
      and(
        eq(signInFailures.tenantId, tenantId),
        eq(signInFailures.scope, 'account'),
        eq(signInFailures.key, key),
      ),
    );
}

/**
 * Transaction-scoped advisory locks on the account and the address being tried, always in
 * that order (so two attempts can never wait on each other in a cycle).
 */
export async function lockSignInKeys(
  tx: Tx,
  tenantId: string,
  accountKey: string,
  addressKey: string | null,
): Promise<void> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`hearth:sign-in:${tenantId}:account:${accountKey}`}, 0))`,
  );
  if (addressKey) {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`hearth:sign-in:${tenantId}:address:${addressKey}`}, 0))`,
    );
  }
}
