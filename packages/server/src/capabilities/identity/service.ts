import { type AgeBand, isUnder18, type Role, type staffRoles, usernameSchema } from '@hearth/core';
import { invitations, type Tx, users } from '@hearth/db';
import { TRPCError } from '@trpc/server';
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { AuthedContext, TenantContext } from '../../context.js';
import { CommitThenFail, fieldError, notFound } from '../../errors.js';
import { compileStatement } from '../../statement.js';
import {
  forgetAccountFailures,
  lockSignInKeys,
  recentFailures,
  recordFailure,
  SIGN_IN_LIMITS,
} from './rate-limit.js';
import { clearSessionCookie, revokeAllSessions, revokeSession, startSession } from './sessions.js';
import { keyedHash, randomToken, sha256 } from './tokens.js';

/** What a signed-in person may know about their own account. */
export interface Me {
  id: string;
  kind: 'member' | 'staff';
  username: string;
  displayName: string | null;
  roles: Role[];
  ageBand: AgeBand | null;
  under18: boolean;
  sessionExpiresAt: string;
}

type UserRow = typeof users.$inferSelect;

function toMe(
  user: Pick<UserRow, 'id' | 'kind' | 'username' | 'displayName' | 'roles' | 'ageBand'>,
  sessionExpiresAt: Date,
): Me {
  const ageBand = (user.ageBand as AgeBand | null) ?? null;
  return {
    id: user.id,
    kind: user.kind,
    username: user.username,
    displayName: user.displayName,
    roles: user.roles as Role[],
    ageBand,
    under18: ageBand ? isUnder18(ageBand) : false,
    sessionExpiresAt: sessionExpiresAt.toISOString(),
  };
}

async function findUser(tx: Tx, tenantId: string, userId: string): Promise<UserRow | undefined> {
  const [user] = await tx
    .select()
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
  return user;
}

const USERNAME_TAKEN = { username: ['That username is taken — try another'] };

export async function signUpMember(
  ctx: TenantContext,
  input: { username: string; password: string; ageBand: AgeBand },
): Promise<Me> {
  const { tx, tenant, runtime } = ctx;
  if (!tenant.config.identity.memberAgeBands.includes(input.ageBand)) {
    throw fieldError('BAD_REQUEST', {
      ageBand: ['This service is not open to that age group'],
    });
  }
  const passwordHash = await runtime.passwords.hash(input.password);
  const inserted = await tx
    .insert(users)
    .values({
      tenantId: tenant.id,
      kind: 'member',
      username: input.username,
      ageBand: input.ageBand,
      roles: ['member'],
      passwordHash,
      createdAt: runtime.now(),
    })
    .onConflictDoNothing()
    .returning();
  const user = inserted[0];
  if (!user) throw fieldError('CONFLICT', USERNAME_TAKEN);
  // A new account in this browser ends whichever session it had, as signing in does.
  if (ctx.session) await revokeSession(tx, tenant.id, ctx.session.id, runtime.now());
  const session = await startSession(tx, runtime, ctx.request, tenant, user.id);
  return toMe(user, session.absoluteExpiresAt);
}

const WRONG_CREDENTIALS = 'Username or password is incorrect';

export async function signIn(
  ctx: TenantContext,
  input: { username: string; password: string },
): Promise<Me> {
  const { tx, tenant, runtime, request } = ctx;
  const now = runtime.now();
  const parsed = usernameSchema.safeParse(input.username);
  const accountKey = parsed.success
    ? parsed.data
    : input.username.normalize('NFKC').trim().toLowerCase();
  const addressKey = request.address ? keyedHash(runtime.secret, request.address) : null;
  // Attempts on one account (and from one address) take turns, so guesses sent all at once
  // are counted one after another instead of all reading the same low count.
  await lockSignInKeys(tx, tenant.id, accountKey, addressKey);
  const limited =
    (await recentFailures(tx, tenant.id, 'account', accountKey, now)) >=
      SIGN_IN_LIMITS.perAccount ||
    (addressKey !== null &&
      (await recentFailures(tx, tenant.id, 'address', addressKey, now)) >=
        SIGN_IN_LIMITS.perAddress);
  if (limited) {
    throw new TRPCError({
      code: 'TOO_MANY_REQUESTS',
      message: `Too many attempts. Please wait ${SIGN_IN_LIMITS.windowMinutes} minutes and try again.`,
    });
  }
  const [user] = parsed.success
    ? await tx
        .select()
        .from(users)
        .where(and(eq(users.tenantId, tenant.id), eq(users.username, accountKey)))
    : [];
  const valid = await runtime.passwords.verify(user?.passwordHash ?? null, input.password);
  if (!user || !valid || user.disabledAt) {
    await recordFailure(
      tx,
      tenant.id,
      [
        { scope: 'account', key: accountKey },
        ...(addressKey ? [{ scope: 'address' as const, key: addressKey }] : []),
      ],
      now,
    );
    // The failure is committed (and the locks released) before the caller hears of it.
    throw new CommitThenFail({ code: 'UNAUTHORIZED', message: WRONG_CREDENTIALS });
  }
  await forgetAccountFailures(tx, tenant.id, accountKey);
  if (ctx.session) await revokeSession(tx, tenant.id, ctx.session.id, now);
  const session = await startSession(tx, runtime, request, tenant, user.id);
  return toMe(user, session.absoluteExpiresAt);
}

export async function signOut(ctx: AuthedContext): Promise<void> {
  await revokeSession(ctx.tx, ctx.tenant.id, ctx.session.id, ctx.runtime.now());
  // Leave no dead token behind on a shared device.
  clearSessionCookie(ctx.runtime, ctx.request);
}

/** What `getMe` reads: asked on every page a signed-in person opens, so compiled once. */
const selectMe = compileStatement<{
  id: string;
  kind: 'member' | 'staff';
  username: string;
  display_name: string | null;
  roles: string[];
  age_band: string | null;
}>(sql`
  select id, kind, username, display_name, roles, age_band from users
  where tenant_id = ${sql.placeholder('tenantId')}::uuid and id = ${sql.placeholder('userId')}::uuid`);

export async function getMe(ctx: TenantContext): Promise<Me | null> {
  if (!ctx.actor || !ctx.session) return null;
  const [user] = await selectMe(ctx.tx, { tenantId: ctx.tenant.id, userId: ctx.actor.userId });
  return user
    ? toMe(
        {
          id: user.id,
          kind: user.kind,
          username: user.username,
          displayName: user.display_name,
          roles: user.roles,
          ageBand: user.age_band,
        },
        ctx.session.absoluteExpiresAt,
      )
    : null;
}

export interface UserSummary {
  id: string;
  kind: 'member' | 'staff';
  username: string;
  displayName: string | null;
  email: string | null;
  roles: Role[];
  ageBand: AgeBand | null;
  createdAt: string;
  disabledAt: string | null;
}

export async function listUsers(
  ctx: AuthedContext,
  input: { after?: string | undefined; limit: number },
): Promise<{ users: UserSummary[]; next: string | null }> {
  const rows = await ctx.tx
    .select()
    .from(users)
    .where(
      and(
        eq(users.tenantId, ctx.tenant.id),
        input.after ? gt(users.username, input.after) : undefined,
      ),
    )
    .orderBy(asc(users.username))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return {
    users: page.map((u) => ({
      id: u.id,
      kind: u.kind,
      username: u.username,
      displayName: u.displayName,
      email: u.email,
      roles: u.roles as Role[],
      ageBand: (u.ageBand as AgeBand | null) ?? null,
      createdAt: u.createdAt.toISOString(),
      disabledAt: u.disabledAt?.toISOString() ?? null,
    })),
    next: rows.length > input.limit ? (page.at(-1)?.username ?? null) : null,
  };
}

/** Disabling an account ends every one of its sessions at once. */
export async function disableUser(
  ctx: AuthedContext,
  input: { userId: string },
): Promise<{ disabledAt: string }> {
  const { tx, tenant, actor, runtime } = ctx;
  if (input.userId === actor.userId) {
    throw fieldError('BAD_REQUEST', { userId: ["You can't disable your own account"] });
  }
  const user = await findUser(tx, tenant.id, input.userId);
  if (!user) throw notFound('User');
  const at = user.disabledAt ?? runtime.now();
  if (!user.disabledAt) {
    await tx
      .update(users)
      .set({ disabledAt: at, disabledBy: actor.userId })
      .where(and(eq(users.tenantId, tenant.id), eq(users.id, user.id)));
  }
  await revokeAllSessions(tx, tenant.id, user.id, at);
  return { disabledAt: at.toISOString() };
}

export type InvitableRole = Exclude<(typeof staffRoles)[number], 'platform_admin'>;

export interface InvitationSummary {
  id: string;
  email: string;
  role: Role;
  createdAt: string;
  expiresAt: string;
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
}

function invitationStatus(row: typeof invitations.$inferSelect, now: Date) {
  if (row.acceptedAt) return 'accepted' as const;
  if (row.revokedAt) return 'revoked' as const;
  if (row.expiresAt <= now) return 'expired' as const;
  return 'pending' as const;
}

/**
 * Invites a member of staff. The token is returned once, to be passed on to the invitee
 * (e-mail delivery arrives with the notifications capability); only its hash is kept.
 */
export async function inviteStaff(
  ctx: AuthedContext,
  input: { email: string; role: InvitableRole },
): Promise<{ invitation: InvitationSummary; token: string }> {
  const { tx, tenant, actor, runtime } = ctx;
  const now = runtime.now();
  const [existing] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, tenant.id), eq(users.email, input.email)));
  if (existing) {
    throw fieldError('CONFLICT', { email: ['Someone with this e-mail already has an account'] });
  }
  // A new invitation replaces any still open for the same address.
  await tx
    .update(invitations)
    .set({ revokedAt: now })
    .where(
      and(
        eq(invitations.tenantId, tenant.id),
        eq(invitations.email, input.email),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    );
  const token = randomToken();
  const [row] = await tx
    .insert(invitations)
    .values({
      tenantId: tenant.id,
      email: input.email,
      role: input.role,
      tokenHash: sha256(token),
      invitedBy: actor.userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + tenant.config.identity.inviteExpiryDays * 86_400_000),
    })
    .returning();
  return { invitation: toInvitation(row!, now), token };
}

function toInvitation(row: typeof invitations.$inferSelect, now: Date): InvitationSummary {
  return {
    id: row.id,
    email: row.email,
    role: row.role as Role,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    status: invitationStatus(row, now),
  };
}

export async function listInvitations(ctx: AuthedContext): Promise<InvitationSummary[]> {
  const now = ctx.runtime.now();
  const rows = await ctx.tx
    .select()
    .from(invitations)
    .where(eq(invitations.tenantId, ctx.tenant.id))
    .orderBy(asc(invitations.createdAt), asc(invitations.id))
    .limit(500);
  return rows.map((r) => toInvitation(r, now));
}

export async function revokeInvitation(
  ctx: AuthedContext,
  input: { invitationId: string },
): Promise<InvitationSummary> {
  const now = ctx.runtime.now();
  const [row] = await ctx.tx
    .update(invitations)
    .set({ revokedAt: now })
    .where(
      and(
        eq(invitations.tenantId, ctx.tenant.id),
        eq(invitations.id, input.invitationId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    )
    .returning();
  if (row) return toInvitation(row, now);
  const [current] = await ctx.tx
    .select()
    .from(invitations)
    .where(and(eq(invitations.tenantId, ctx.tenant.id), eq(invitations.id, input.invitationId)));
  if (!current) throw notFound('Invitation');
  return toInvitation(current, now);
}

const INVITATION_INVALID = 'This invitation is no longer valid. Ask for a new one.';

export async function acceptInvitation(
  ctx: TenantContext,
  input: { token: string; username: string; password: string; displayName: string },
): Promise<Me> {
  const { tx, tenant, runtime, request } = ctx;
  const now = runtime.now();
  const [invitation] = await tx
    .select()
    .from(invitations)
    .where(and(eq(invitations.tenantId, tenant.id), eq(invitations.tokenHash, sha256(input.token))))
    .for('update');
  if (!invitation || invitationStatus(invitation, now) !== 'pending') {
    throw new TRPCError({ code: 'NOT_FOUND', message: INVITATION_INVALID });
  }
  const passwordHash = await runtime.passwords.hash(input.password);
  const [user] = await tx
    .insert(users)
    .values({
      tenantId: tenant.id,
      kind: 'staff',
      username: input.username,
      email: invitation.email,
      displayName: input.displayName,
      roles: [invitation.role],
      passwordHash,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (!user) {
    const [taken] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.tenantId, tenant.id), eq(users.username, input.username)));
    throw taken
      ? fieldError('CONFLICT', USERNAME_TAKEN)
      : new TRPCError({ code: 'CONFLICT', message: 'An account with this e-mail already exists' });
  }
  await tx
    .update(invitations)
    .set({ acceptedAt: now, acceptedUserId: user.id })
    .where(and(eq(invitations.tenantId, tenant.id), eq(invitations.id, invitation.id)));
  if (ctx.session) await revokeSession(tx, tenant.id, ctx.session.id, now);
  const session = await startSession(tx, runtime, request, tenant, user.id);
  return toMe(user, session.absoluteExpiresAt);
}
