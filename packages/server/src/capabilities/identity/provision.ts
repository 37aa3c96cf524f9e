import { type AgeBand, emailSchema, type Role, usernameSchema } from '@hearth/core';
import { type HearthDb, users } from '@hearth/db';
import { createPasswordHasher, type PasswordHashing } from './passwords.js';

export interface NewAccount {
  tenantId: string;
  username: string;
  password: string;
  roles: Role[];
  /** Required for members, who give an age band and no real name. */
  ageBand?: AgeBand;
  email?: string;
  displayName?: string;
}

/**
 * For operators' scripts and seeds: creates an account directly. People normally arrive by
 * signing up (members) or accepting an invitation (staff).
 */
export async function provisionUser(
  db: HearthDb,
  account: NewAccount,
  hashing?: PasswordHashing,
): Promise<{ userId: string }> {
  const isMember = account.roles.length === 1 && account.roles[0] === 'member';
  const passwordHash = await createPasswordHasher(hashing).hash(account.password);
  return db.transaction(account.tenantId, async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({
        tenantId: account.tenantId,
        kind: isMember ? 'member' : 'staff',
        username: usernameSchema.parse(account.username),
        // Normalised as invitations are, so one inbox can never hold two accounts.
        email: account.email === undefined ? null : emailSchema.parse(account.email),
        displayName: account.displayName ?? null,
        ageBand: account.ageBand ?? null,
        roles: account.roles,
        passwordHash,
      })
      .returning({ id: users.id });
    return { userId: row!.id };
  });
}
