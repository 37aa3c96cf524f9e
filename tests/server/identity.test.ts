import { getErrorCode, getFieldErrors } from '@hearth/client';
import { invitations, sessions, users } from '@hearth/db';
import { provisionUser } from '@hearth/server';
import { and, count, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  addTenant,
  DAY,
  expectError,
  HOUR,
  inTenant,
  MESSAGES,
  provisionAccount,
  replay,
  requireSessionCookie,
  sessionCookie,
  sha256,
  signIn,
  signInAdmin,
  signUpMember,
  uniqueUsername,
} from '../support/identity.js';
import { PASSWORD, startTestPlatform, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => {
  await p?.close();
});

async function usersNamed(tenantId: string, username: string) {
  return inTenant(p, tenantId, (tx) =>
    tx
      .select()
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.username, username))),
  );
}

async function countInvitations(tenantId: string): Promise<number> {
  const [row] = await inTenant(p, tenantId, (tx) =>
    tx.select({ n: count() }).from(invitations).where(eq(invitations.tenantId, tenantId)),
  );
  return row!.n;
}

describe('sign-up', () => {
  test('a member signs up with a normalised username and is signed in at once', async () => {
    const username = uniqueUsername('river');
    // Full-width first letter, upper case, surrounding spaces: all folded away.
    const typed = ` \uFF32${username.slice(1).toUpperCase()}  `;
    const b = p.browser(p.alpha.host);
    const before = p.clock.now().getTime();
    const me = await b.client.identity.signUp.mutate({
      username: typed,
      password: PASSWORD,
      ageBand: '16-17',
    });
    const after = p.clock.now().getTime();

    expect(me).toMatchObject({
      kind: 'member',
      username,
      displayName: null,
      roles: ['member'],
      ageBand: '16-17',
      under18: true,
    });
    const expires = Date.parse(me.sessionExpiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 12 * HOUR);
    expect(expires).toBeLessThanOrEqual(after + 12 * HOUR);
    expect(sessionCookie(b)).toBeDefined();
    expect((await b.client.identity.me.query())?.id).toBe(me.id);

    const rows = await usersNamed(p.alpha.id, username);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: me.id, kind: 'member', ageBand: '16-17' });
    expect(rows[0]!.passwordHash).not.toContain(PASSWORD);
    expect(rows[0]!.passwordHash.startsWith('$argon2id$')).toBe(true);
  });

  test('a username already taken (in any case or width) is a CONFLICT on the username field', async () => {
    const { username } = await signUpMember(p, p.alpha.host, { prefix: 'taken' });
    const b = p.browser(p.alpha.host);
    const error = await expectError(
      b.client.identity.signUp.mutate({
        username: username.toUpperCase(),
        password: 'another long password',
        ageBand: '13-15',
      }),
      'CONFLICT',
      MESSAGES.usernameTaken,
    );
    expect(error.data?.httpStatus).toBe(409);
    expect(getFieldErrors(error)).toEqual({ username: [MESSAGES.usernameTaken] });
    expect(await usersNamed(p.alpha.id, username)).toHaveLength(1);
    expect(sessionCookie(b)).toBeUndefined();
    expect(await b.client.identity.me.query()).toBeNull();
  });

  test('an age band the organisation does not serve is refused on the ageBand field', async () => {
    const teens = await addTenant(p, 'teens', { identity: { memberAgeBands: ['13-15', '16-17'] } });
    const b = p.browser(teens.host);
    expect((await b.client.tenancy.branding.query()).memberAgeBands).toEqual(['13-15', '16-17']);

    const username = uniqueUsername('adult');
    const error = await expectError(
      b.client.identity.signUp.mutate({ username, password: PASSWORD, ageBand: '18-21' }),
      'BAD_REQUEST',
      'This service is not open to that age group',
    );
    expect(getFieldErrors(error)).toEqual({
      ageBand: ['This service is not open to that age group'],
    });
    expect(await usersNamed(teens.id, username)).toHaveLength(0);
    expect(sessionCookie(b)).toBeUndefined();

    // The same person in a band the service does serve gets in.
    const me = await b.client.identity.signUp.mutate({
      username,
      password: PASSWORD,
      ageBand: '13-15',
    });
    expect(me.ageBand).toBe('13-15');
    expect(await usersNamed(teens.id, username)).toHaveLength(1);
  });

  test('signing up while signed in ends the earlier session', async () => {
    const { browser: b, userId: first } = await signUpMember(p, p.alpha.host, { prefix: 'before' });
    const earlier = new Map(b.cookies);
    const second = await b.client.identity.signUp.mutate({
      username: uniqueUsername('after'),
      password: PASSWORD,
      ageBand: '18-21',
    });
    expect(requireSessionCookie(b)).not.toBe(earlier.get('hearth_session'));
    expect((await b.client.identity.me.query())?.id).toBe(second.id);
    expect(second.id).not.toBe(first);
    expect(await replay(p, p.alpha.host, earlier).client.identity.me.query()).toBeNull();
  });
  test('where self sign-up is closed, it is refused as unavailable (signing in would not help)', async () => {
    const closed = await addTenant(p, 'invite-only', { identity: { allowMemberSignUp: false } });
    const before = await inTenant(p, closed.id, (tx) =>
      tx.select({ n: count() }).from(users).where(eq(users.tenantId, closed.id)),
    );
    await expectError(
      p.browser(closed.host).client.identity.signUp.mutate({
        username: uniqueUsername('hopeful'),
        password: PASSWORD,
        ageBand: '16-17',
      }),
      'FORBIDDEN',
      'This is not available here',
    );
    const after = await inTenant(p, closed.id, (tx) =>
      tx.select({ n: count() }).from(users).where(eq(users.tenantId, closed.id)),
    );
    expect(after).toEqual(before);
  });
});

describe('sign-in and sign-out', () => {
  test('an anonymous visitor is nobody: me is null and no cookie is set', async () => {
    const b = p.browser(p.alpha.host);
    expect(await b.client.identity.me.query()).toBeNull();
    expect(b.cookies.size).toBe(0);
  });

  test('a member signs in, and signing out ends the session even for a copied cookie', async () => {
    const { username, userId } = await signUpMember(p, p.alpha.host, { prefix: 'inout' });
    const b = p.browser(p.alpha.host);
    const me = await b.client.identity.signIn.mutate({ username, password: PASSWORD });
    expect(me).toMatchObject({ id: userId, username, roles: ['member'] });
    expect((await b.client.identity.me.query())?.id).toBe(userId);

    const stolen = new Map(b.cookies);
    expect(await b.client.identity.signOut.mutate()).toEqual({ signedOut: true });
    // Signing out also removes the cookie from the browser that signed out.
    expect(sessionCookie(b)).toBeUndefined();
    expect(await b.client.identity.me.query()).toBeNull();

    // Someone who copied the cookie's value before sign-out gets nothing with it.
    const thief = replay(p, p.alpha.host, stolen);
    expect(await thief.client.identity.me.query()).toBeNull();
    const thief2 = replay(p, p.alpha.host, stolen);
    await expectError(thief2.client.identity.signOut.mutate(), 'UNAUTHORIZED', MESSAGES.signIn);

    const [revoked] = await inTenant(p, p.alpha.id, (tx) =>
      tx
        .select({ n: count() })
        .from(sessions)
        .where(
          and(
            eq(sessions.tenantId, p.alpha.id),
            eq(sessions.userId, userId),
            isNotNull(sessions.revokedAt),
          ),
        ),
    );
    // The sign-up session was left alone (another browser); the signed-out one is revoked.
    expect(revoked!.n).toBe(1);
  });

  test('signing out needs a session', async () => {
    const b = p.browser(p.alpha.host);
    await expectError(b.client.identity.signOut.mutate(), 'UNAUTHORIZED', MESSAGES.signIn);
  });

  test('an unknown username and a wrong password get the same code and message', async () => {
    const { username } = await signUpMember(p, p.alpha.host, { prefix: 'known' });
    const wrongPassword = await expectError(
      p
        .browser(p.alpha.host)
        .client.identity.signIn.mutate({ username, password: 'not the password' }),
      'UNAUTHORIZED',
      MESSAGES.wrongCredentials,
    );
    const unknownUser = await expectError(
      p
        .browser(p.alpha.host)
        .client.identity.signIn.mutate({ username: uniqueUsername('nobody'), password: PASSWORD }),
      'UNAUTHORIZED',
      MESSAGES.wrongCredentials,
    );
    expect(unknownUser.message).toBe(wrongPassword.message);
    expect(unknownUser.data?.httpStatus).toBe(wrongPassword.data?.httpStatus);
    expect(unknownUser.data?.fieldErrors).toEqual(wrongPassword.data?.fieldErrors);
    expect(wrongPassword.data?.httpStatus).toBe(401);
  });

  test('signing in rotates the session: a new cookie, and the old token is dead', async () => {
    const {
      browser: b,
      username,
      userId,
    } = await signUpMember(p, p.alpha.host, {
      prefix: 'rotate',
    });
    const first = requireSessionCookie(b);
    const copyOfFirst = new Map(b.cookies);

    await b.client.identity.signIn.mutate({ username, password: PASSWORD });
    const second = requireSessionCookie(b);
    expect(second).not.toBe(first);
    expect((await b.client.identity.me.query())?.id).toBe(userId);

    const replayed = replay(p, p.alpha.host, copyOfFirst);
    expect(await replayed.client.identity.me.query()).toBeNull();
    // The replayed browser's dead cookie is cleared.
    expect(sessionCookie(replayed)).toBeUndefined();
  });
});

describe('invitations', () => {
  async function invite(admin: Awaited<ReturnType<typeof signInAdmin>>, prefix = 'staff') {
    const email = `${uniqueUsername(prefix)}@alpha.example.org`;
    const { invitation, token } = await admin.client.identity.invitations.create.mutate({
      email,
      role: 'mentor',
    });
    return { email, invitation, token };
  }

  test('an org admin invites a mentor, who accepts on the tenant host and holds the role', async () => {
    const admin = await signInAdmin(p, p.alpha);
    const email = `New.Mentor.${uniqueUsername('m')}@Alpha.Example.org`;
    const { invitation, token } = await admin.client.identity.invitations.create.mutate({
      email,
      role: 'mentor',
    });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(invitation).toMatchObject({
      email: email.toLowerCase(),
      role: 'mentor',
      status: 'pending',
    });
    expect(Date.parse(invitation.expiresAt) - Date.parse(invitation.createdAt)).toBe(7 * DAY);

    // Only the token's hash is kept.
    const [stored] = await inTenant(p, p.alpha.id, (tx) =>
      tx.select().from(invitations).where(eq(invitations.id, invitation.id)),
    );
    expect(Buffer.from(stored!.tokenHash).equals(sha256(token))).toBe(true);

    const username = uniqueUsername('mentor');
    const invitee = p.browser(p.alpha.host);
    const me = await invitee.client.identity.invitations.accept.mutate({
      token,
      username: username.toUpperCase(),
      password: PASSWORD,
      displayName: 'Morgan Mentor',
    });
    expect(me).toMatchObject({
      kind: 'staff',
      username,
      displayName: 'Morgan Mentor',
      roles: ['mentor'],
      ageBand: null,
    });
    expect((await invitee.client.identity.me.query())?.id).toBe(me.id);

    const listed = await admin.client.identity.invitations.list.query();
    expect(listed.find((i) => i.id === invitation.id)?.status).toBe('accepted');
    const [user] = await usersNamed(p.alpha.id, username);
    expect(user).toMatchObject({ email: email.toLowerCase(), roles: ['mentor'], kind: 'staff' });

    // The new account signs in with the password it chose.
    const later = await signIn(p, p.alpha.host, username);
    expect((await later.client.identity.me.query())?.roles).toEqual(['mentor']);
  });

  test('an accepted invitation cannot be used again', async () => {
    const admin = await signInAdmin(p, p.alpha);
    const { token } = await invite(admin);
    await p.browser(p.alpha.host).client.identity.invitations.accept.mutate({
      token,
      username: uniqueUsername('first'),
      password: PASSWORD,
      displayName: 'First',
    });
    const second = uniqueUsername('second');
    const b = p.browser(p.alpha.host);
    await expectError(
      b.client.identity.invitations.accept.mutate({
        token,
        username: second,
        password: PASSWORD,
        displayName: 'Second',
      }),
      'NOT_FOUND',
      MESSAGES.invitationInvalid,
    );
    expect(await usersNamed(p.alpha.id, second)).toHaveLength(0);
    expect(sessionCookie(b)).toBeUndefined();
  });

  test('a revoked invitation is refused', async () => {
    const admin = await signInAdmin(p, p.alpha);
    const { token, invitation } = await invite(admin);
    const revoked = await admin.client.identity.invitations.revoke.mutate({
      invitationId: invitation.id,
    });
    expect(revoked).toMatchObject({ id: invitation.id, status: 'revoked' });
    const username = uniqueUsername('revoked');
    await expectError(
      p.browser(p.alpha.host).client.identity.invitations.accept.mutate({
        token,
        username,
        password: PASSWORD,
        displayName: 'Too Late',
      }),
      'NOT_FOUND',
      MESSAGES.invitationInvalid,
    );
    expect(await usersNamed(p.alpha.id, username)).toHaveLength(0);
  });

  test('inviting the same address again replaces the earlier invitation', async () => {
    const admin = await signInAdmin(p, p.alpha);
    const first = await invite(admin, 'twice');
    const second = await admin.client.identity.invitations.create.mutate({
      email: first.email,
      role: 'moderator',
    });
    const listed = await admin.client.identity.invitations.list.query();
    expect(listed.find((i) => i.id === first.invitation.id)?.status).toBe('revoked');
    expect(listed.find((i) => i.id === second.invitation.id)?.status).toBe('pending');
    await expectError(
      p.browser(p.alpha.host).client.identity.invitations.accept.mutate({
        token: first.token,
        username: uniqueUsername('old'),
        password: PASSWORD,
        displayName: 'Old Link',
      }),
      'NOT_FOUND',
      MESSAGES.invitationInvalid,
    );
    const me = await p.browser(p.alpha.host).client.identity.invitations.accept.mutate({
      token: second.token,
      username: uniqueUsername('new'),
      password: PASSWORD,
      displayName: 'New Link',
    });
    expect(me.roles).toEqual(['moderator']);
  });

  test('an expired invitation is refused', async () => {
    const admin = await signInAdmin(p, p.alpha);
    const { token, invitation } = await invite(admin, 'expiry');
    p.clock.advance(7 * DAY + 60_000);
    const username = uniqueUsername('expired');
    await expectError(
      p.browser(p.alpha.host).client.identity.invitations.accept.mutate({
        token,
        username,
        password: PASSWORD,
        displayName: 'Slow Reader',
      }),
      'NOT_FOUND',
      MESSAGES.invitationInvalid,
    );
    expect(await usersNamed(p.alpha.id, username)).toHaveLength(0);
    // Seven days is past any session's lifetime, so the admin signs in again to look.
    const again = await signInAdmin(p, p.alpha);
    const listed = await again.client.identity.invitations.list.query();
    expect(listed.find((i) => i.id === invitation.id)?.status).toBe('expired');
  });

  test("an invitation is only valid on its own organisation's host", async () => {
    const admin = await signInAdmin(p, p.alpha);
    const { token } = await invite(admin, 'hosted');
    const username = uniqueUsername('wronghost');
    await expectError(
      p.browser(p.beta.host).client.identity.invitations.accept.mutate({
        token,
        username,
        password: PASSWORD,
        displayName: 'Wrong Door',
      }),
      'NOT_FOUND',
      MESSAGES.invitationInvalid,
    );
    expect(await usersNamed(p.beta.id, username)).toHaveLength(0);
    const me = await p.browser(p.alpha.host).client.identity.invitations.accept.mutate({
      token,
      username,
      password: PASSWORD,
      displayName: 'Right Door',
    });
    expect(me.roles).toEqual(['mentor']);
  });

  test('an address that already has an account cannot be invited, whatever its case', async () => {
    const admin = await signInAdmin(p, p.alpha);
    const existing = `Jo.${uniqueUsername('case')}@Alpha.Example.org`;
    await provisionUser(p.database.db, {
      tenantId: p.alpha.id,
      username: uniqueUsername('jo'),
      password: PASSWORD,
      roles: ['mentor'],
      email: existing,
    });
    const before = await countInvitations(p.alpha.id);
    for (const email of [existing, existing.toLowerCase(), `admin@alpha.example.org`]) {
      const error = await expectError(
        admin.client.identity.invitations.create.mutate({ email, role: 'mentor' }),
        'CONFLICT',
        'Someone with this e-mail already has an account',
      );
      expect(getFieldErrors(error)).toEqual({
        email: ['Someone with this e-mail already has an account'],
      });
    }
    expect(await countInvitations(p.alpha.id)).toBe(before);
  });

  test('an org admin cannot invite a platform admin', async () => {
    const admin = await signInAdmin(p, p.alpha);
    const before = await countInvitations(p.alpha.id);
    const error = await expectError(
      admin.client.identity.invitations.create.mutate({
        email: 'operator@alpha.example.org',
        role: 'platform_admin' as 'org_admin',
      }),
      'BAD_REQUEST',
    );
    expect(Object.keys(getFieldErrors(error))).toEqual(['role']);
    expect(await countInvitations(p.alpha.id)).toBe(before);
  });

  test('accepting with a username already taken is a CONFLICT and leaves the invitation usable', async () => {
    const admin = await signInAdmin(p, p.alpha);
    const { token, invitation } = await invite(admin, 'clash');
    const b = p.browser(p.alpha.host);
    const error = await expectError(
      b.client.identity.invitations.accept.mutate({
        token,
        username: p.alpha.admin.username,
        password: PASSWORD,
        displayName: 'Clash',
      }),
      'CONFLICT',
      MESSAGES.usernameTaken,
    );
    expect(getFieldErrors(error)).toEqual({ username: [MESSAGES.usernameTaken] });
    expect(sessionCookie(b)).toBeUndefined();
    const listed = await admin.client.identity.invitations.list.query();
    expect(listed.find((i) => i.id === invitation.id)?.status).toBe('pending');
    const me = await b.client.identity.invitations.accept.mutate({
      token,
      username: uniqueUsername('noclash'),
      password: PASSWORD,
      displayName: 'No Clash',
    });
    expect(me.roles).toEqual(['mentor']);
  });

  test('a member cannot invite or see invitations', async () => {
    const { browser: member } = await signUpMember(p, p.alpha.host, { prefix: 'nosy' });
    const before = await countInvitations(p.alpha.id);
    await expectError(
      member.client.identity.invitations.create.mutate({
        email: 'sneaky@alpha.example.org',
        role: 'org_admin',
      }),
      'FORBIDDEN',
      MESSAGES.forbidden,
    );
    await expectError(
      member.client.identity.invitations.list.query(),
      'FORBIDDEN',
      MESSAGES.forbidden,
    );
    expect(await countInvitations(p.alpha.id)).toBe(before);
  });

  test('an anonymous visitor is asked to sign in', async () => {
    const b = p.browser(p.alpha.host);
    const before = await countInvitations(p.alpha.id);
    await expectError(b.client.identity.invitations.list.query(), 'UNAUTHORIZED', MESSAGES.signIn);
    await expectError(
      b.client.identity.invitations.create.mutate({
        email: 'anon@alpha.example.org',
        role: 'mentor',
      }),
      'UNAUTHORIZED',
      MESSAGES.signIn,
    );
    expect(await countInvitations(p.alpha.id)).toBe(before);
  });
});

describe('user administration', () => {
  test('an org admin pages through every user with after/next', async () => {
    const tenant = await addTenant(p, 'paging');
    for (let i = 0; i < 6; i++) await signUpMember(p, tenant.host, { prefix: 'pg' });
    const admin = await signInAdmin(p, tenant);

    const all = await admin.client.identity.users.list.query({ limit: 100 });
    expect(all.next).toBeNull();
    expect(all.users).toHaveLength(7);
    const names = all.users.map((u) => u.username);
    expect(new Set(names).size).toBe(7);
    expect(names).toContain(tenant.admin.username);

    const pages: string[][] = [];
    let after: string | undefined;
    for (let guard = 0; guard < 10; guard++) {
      const page = await admin.client.identity.users.list.query({
        limit: 3,
        ...(after ? { after } : {}),
      });
      pages.push(page.users.map((u) => u.username));
      if (page.next === null) break;
      expect(page.next).toBe(page.users.at(-1)?.username);
      after = page.next;
    }
    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(names);

    // A last page that is exactly full says there is no next page.
    const exact = await admin.client.identity.users.list.query({ limit: 7 });
    expect(exact.users.map((u) => u.username)).toEqual(names);
    expect(exact.next).toBeNull();

    const member = all.users.find((u) => u.username !== tenant.admin.username);
    expect(member).toMatchObject({
      kind: 'member',
      roles: ['member'],
      ageBand: '16-17',
      email: null,
    });
    expect(member?.disabledAt).toBeNull();
  });

  test('a member cannot list or disable users', async () => {
    const { browser: member } = await signUpMember(p, p.alpha.host, { prefix: 'peek' });
    await expectError(member.client.identity.users.list.query(), 'FORBIDDEN', MESSAGES.forbidden);
    await expectError(
      member.client.identity.users.disable.mutate({ userId: p.alpha.adminId }),
      'FORBIDDEN',
      MESSAGES.forbidden,
    );
    const admin = await signInAdmin(p, p.alpha);
    expect((await admin.client.identity.me.query())?.id).toBe(p.alpha.adminId);
  });

  test("disabling a user ends every one of their sessions at once, and they can't sign in", async () => {
    const {
      browser: phone,
      username,
      userId,
    } = await signUpMember(p, p.alpha.host, {
      prefix: 'gone',
    });
    const laptop = await signIn(p, p.alpha.host, username);
    expect((await phone.client.identity.me.query())?.id).toBe(userId);
    expect((await laptop.client.identity.me.query())?.id).toBe(userId);
    const laptopCookies = new Map(laptop.cookies);

    const admin = await signInAdmin(p, p.alpha);
    const { disabledAt } = await admin.client.identity.users.disable.mutate({ userId });
    expect(Number.isNaN(Date.parse(disabledAt))).toBe(false);

    expect(await phone.client.identity.me.query()).toBeNull();
    await expectError(laptop.client.identity.signOut.mutate(), 'UNAUTHORIZED', MESSAGES.signIn);
    expect(await replay(p, p.alpha.host, laptopCookies).client.identity.me.query()).toBeNull();

    const open = await inTenant(p, p.alpha.id, (tx) =>
      tx
        .select({ revokedAt: sessions.revokedAt })
        .from(sessions)
        .where(and(eq(sessions.tenantId, p.alpha.id), eq(sessions.userId, userId))),
    );
    expect(open).toHaveLength(2);
    expect(open.every((s) => s.revokedAt !== null)).toBe(true);

    // The right password no longer works, and the answer gives nothing away.
    const refused = await expectError(
      p.browser(p.alpha.host).client.identity.signIn.mutate({ username, password: PASSWORD }),
      'UNAUTHORIZED',
      MESSAGES.wrongCredentials,
    );
    expect(refused.data?.httpStatus).toBe(401);

    const listed = await admin.client.identity.users.list.query({ limit: 100 });
    expect(listed.users.find((u) => u.id === userId)?.disabledAt).toBe(disabledAt);
    // Disabling again changes nothing.
    expect(await admin.client.identity.users.disable.mutate({ userId })).toEqual({ disabledAt });
  });

  test('an org admin cannot disable their own account', async () => {
    const tenant = await addTenant(p, 'selfish');
    const admin = await signInAdmin(p, tenant);
    const error = await expectError(
      admin.client.identity.users.disable.mutate({ userId: tenant.adminId }),
      'BAD_REQUEST',
      "You can't disable your own account",
    );
    expect(getFieldErrors(error)).toEqual({ userId: ["You can't disable your own account"] });
    expect((await admin.client.identity.me.query())?.id).toBe(tenant.adminId);
    const [row] = await inTenant(p, tenant.id, (tx) =>
      tx.select().from(users).where(eq(users.id, tenant.adminId)),
    );
    expect(row?.disabledAt).toBeNull();
  });

  test('disabling a user of another organisation finds nobody', async () => {
    const other = await provisionAccount(p, p.beta.id, ['mentor'], 'betastaff');
    const admin = await signInAdmin(p, p.alpha);
    const error = await expectError(
      admin.client.identity.users.disable.mutate({ userId: other.userId }),
      'NOT_FOUND',
      'User not found',
    );
    expect(getErrorCode(error)).toBe('NOT_FOUND');
    const [row] = await inTenant(p, p.beta.id, (tx) =>
      tx.select().from(users).where(eq(users.id, other.userId)),
    );
    expect(row?.disabledAt).toBeNull();
  });
});
