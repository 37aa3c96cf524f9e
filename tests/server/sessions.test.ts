import { sessions } from '@hearth/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  CLIENT_HEADERS,
  expectError,
  HOUR,
  inTenant,
  MESSAGES,
  MINUTE,
  rawCall,
  replay,
  requireSessionCookie,
  type SetCookie,
  sessionCookie,
  sha256,
  signIn,
  signUpMember,
} from '../support/identity.js';
import {
  type Browser,
  PASSWORD,
  startTestPlatform,
  type TestPlatform,
} from '../support/platform.js';

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => {
  await p?.close();
});

// The defaults of `identity.sessionIdleMinutes` and `identity.sessionAbsoluteHours`.
const IDLE = 30 * MINUTE;
const ABSOLUTE = 12 * HOUR;

/** Signs in over raw HTTP so the response's Set-Cookie header can be read. */
async function rawSignIn(browser: Browser, username: string, headers: Record<string, string> = {}) {
  const response = await rawCall(browser, 'identity.signIn', {
    input: { username, password: PASSWORD },
    headers: { ...CLIENT_HEADERS, ...headers },
  });
  expect(response.status).toBe(200);
  expect(response.setCookies).toHaveLength(1);
  return response.setCookies[0]!;
}

/** Asks who is signed in over raw HTTP, returning the user id and any cookies set. */
async function rawMe(browser: Browser): Promise<{ id: string | null; setCookies: SetCookie[] }> {
  const response = await rawCall(browser, 'identity.me', { method: 'GET' });
  expect(response.status).toBe(200);
  const data = (response.body as { result: { data: { id: string } | null } }).result.data;
  return { id: data?.id ?? null, setCookies: response.setCookies };
}

function expectCleared(setCookies: SetCookie[], name = 'hearth_session') {
  expect(setCookies).toHaveLength(1);
  expect(setCookies[0]).toMatchObject({ name, value: '' });
  expect(setCookies[0]!.attributes.get('max-age')).toBe('0');
  expect(setCookies[0]!.attributes.get('path')).toBe('/');
}

async function storedSessions(tenantId: string, userId: string) {
  return inTenant(p, tenantId, (tx) =>
    tx
      .select()
      .from(sessions)
      .where(and(eq(sessions.tenantId, tenantId), eq(sessions.userId, userId))),
  );
}

describe('the session cookie', () => {
  test('over plain http: HttpOnly, SameSite=Lax, Path=/, Max-Age of the absolute lifetime, not Secure', async () => {
    const { username } = await signUpMember(p, p.alpha.host, { prefix: 'plain' });
    const cookie = await rawSignIn(p.browser(p.alpha.host), username);
    expect(cookie.name).toBe('hearth_session');
    expect(cookie.value).not.toBe('');
    expect([...cookie.attributes.keys()].sort()).toEqual([
      'httponly',
      'max-age',
      'path',
      'samesite',
    ]);
    expect(cookie.attributes.get('httponly')).toBe('');
    expect(cookie.attributes.get('samesite')).toBe('Lax');
    expect(cookie.attributes.get('path')).toBe('/');
    expect(cookie.attributes.get('max-age')).toBe(String(ABSOLUTE / 1000));
  });

  test('over https (behind a trusted proxy): a __Host- cookie that is Secure and has no Domain', async () => {
    const { username, userId } = await signUpMember(p, p.alpha.host, { prefix: 'tls' });
    const https = { 'x-forwarded-proto': 'https' };
    const browser = p.browser(p.alpha.host, { headers: https });
    const cookie = await rawSignIn(browser, username);
    expect(cookie.name).toBe('__Host-hearth_session');
    expect([...cookie.attributes.keys()].sort()).toEqual([
      'httponly',
      'max-age',
      'path',
      'samesite',
      'secure',
    ]);
    expect(cookie.attributes.get('path')).toBe('/');
    expect(cookie.attributes.get('samesite')).toBe('Lax');
    expect(cookie.attributes.get('max-age')).toBe(String(ABSOLUTE / 1000));

    // The browser sends it back under that name and is recognised.
    expect([...browser.cookies.keys()]).toEqual(['__Host-hearth_session']);
    expect((await browser.client.identity.me.query())?.id).toBe(userId);
    // Signing out clears the cookie under the same name.
    const out = await rawCall(browser, 'identity.signOut', { headers: CLIENT_HEADERS });
    expect(out.status).toBe(200);
    expectCleared(out.setCookies, '__Host-hearth_session');
    expect(browser.cookies.size).toBe(0);
  });

  test('the token carries at least 128 random bits, and only the SHA-256 of its secret is stored', async () => {
    const { username, userId } = await signUpMember(p, p.alpha.host, { prefix: 'hash' });
    const secrets = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const browser = await signIn(p, p.alpha.host, username);
      const value = requireSessionCookie(browser);
      const [tenantPart, secret, ...rest] = value.split('.');
      expect(rest).toEqual([]);
      expect(tenantPart).toBe(p.alpha.id.replaceAll('-', ''));
      expect(secret).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(secret!, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
      secrets.add(secret!);

      const stored = await storedSessions(p.alpha.id, userId);
      const row = stored.find((s) => Buffer.from(s.tokenHash).equals(sha256(secret!)));
      expect(row, 'a session row stores sha256(secret)').toBeDefined();
      // Neither the cookie nor its secret appear in any column, in any common encoding.
      for (const [column, field] of Object.entries(row!)) {
        const forms =
          field instanceof Uint8Array
            ? ['utf8', 'hex', 'base64', 'base64url'].map((enc) =>
                Buffer.from(field).toString(enc as BufferEncoding),
              )
            : [String(field instanceof Date ? field.toISOString() : field)];
        for (const form of forms) {
          expect(form, `column ${column}`).not.toContain(secret);
          expect(form, `column ${column}`).not.toContain(value);
        }
      }
    }
    expect(secrets.size).toBe(4);
  });

  test('a tampered token is nobody, and its cookie is cleared', async () => {
    const { browser } = await signUpMember(p, p.alpha.host, { prefix: 'tamper' });
    const value = requireSessionCookie(browser);
    const last = value.at(-1) === 'A' ? 'B' : 'A';
    const forged = p.browser(p.alpha.host);
    forged.cookies.set('hearth_session', `${value.slice(0, -1)}${last}`);
    const me = await rawMe(forged);
    expect(me.id).toBeNull();
    expectCleared(me.setCookies);
    // The genuine cookie still works.
    expect(await browser.client.identity.me.query()).not.toBeNull();
  });
});

describe('expiry', () => {
  test('a session idle for longer than sessionIdleMinutes ends, and its cookie is cleared', async () => {
    const { username, userId } = await signUpMember(p, p.alpha.host, { prefix: 'idle' });
    const browser = await signIn(p, p.alpha.host, username);
    const copy = new Map(browser.cookies);

    p.clock.advance(IDLE - MINUTE);
    // Still alive just inside the window (and this activity would extend it)...
    expect((await replay(p, p.alpha.host, copy).client.identity.me.query())?.id).toBe(userId);
    // ...so from the original browser, wait out a whole idle period after that activity.
    p.clock.advance(IDLE + 1000);
    const me = await rawMe(browser);
    expect(me.id).toBeNull();
    expectCleared(me.setCookies);
    expect(sessionCookie(browser)).toBeUndefined();
    await expectError(
      replay(p, p.alpha.host, copy).client.identity.signOut.mutate(),
      'UNAUTHORIZED',
      MESSAGES.signIn,
    );
  });

  test('without any activity the session ends right after the idle deadline', async () => {
    const { username } = await signUpMember(p, p.alpha.host, { prefix: 'quiet' });
    const browser = await signIn(p, p.alpha.host, username);
    p.clock.advance(IDLE + 1000);
    expect(await browser.client.identity.me.query()).toBeNull();
    expect(browser.cookies.size).toBe(0);
  });

  test('activity keeps a session alive, but never past its absolute expiry', async () => {
    const { username, userId } = await signUpMember(p, p.alpha.host, { prefix: 'busy' });
    const browser = await signIn(p, p.alpha.host, username);
    const step = 25 * MINUTE;
    let elapsed = 0;
    // Active every 25 minutes (less than the 30-minute idle limit) for 11 h 40 min.
    while (elapsed + step < ABSOLUTE) {
      p.clock.advance(step);
      elapsed += step;
      expect((await browser.client.identity.me.query())?.id, `after ${elapsed / MINUTE} min`).toBe(
        userId,
      );
    }
    expect(elapsed).toBe(ABSOLUTE - 20 * MINUTE);
    // The idle deadline was moved forward each time, but only up to the absolute expiry.
    const secret = requireSessionCookie(browser).split('.')[1]!;
    const row = (await storedSessions(p.alpha.id, userId)).find((r) =>
      Buffer.from(r.tokenHash).equals(sha256(secret)),
    );
    expect(row!.idleExpiresAt.getTime()).toBe(row!.absoluteExpiresAt.getTime());

    p.clock.advance(20 * MINUTE);
    const me = await rawMe(browser);
    expect(me.id).toBeNull();
    expectCleared(me.setCookies);
  });
});

describe('tenants', () => {
  test("a session cookie from one tenant gives no access on another tenant's host", async () => {
    const { browser, userId } = await signUpMember(p, p.alpha.host, { prefix: 'roamer' });
    const admin = await signIn(p, p.alpha.host, p.alpha.admin.username);

    const onBeta = replay(p, p.beta.host, browser.cookies);
    expect(await onBeta.client.identity.me.query()).toBeNull();
    expect((await onBeta.client.tenancy.branding.query()).displayName).toBe('Beta Mentoring');

    const adminOnBeta = replay(p, p.beta.host, admin.cookies);
    await expectError(
      adminOnBeta.client.identity.users.list.query(),
      'UNAUTHORIZED',
      MESSAGES.signIn,
    );
    await expectError(
      adminOnBeta.client.tenancy.config.get.query(),
      'UNAUTHORIZED',
      MESSAGES.signIn,
    );

    // Nothing was revoked: both sessions still work on their own host.
    expect((await browser.client.identity.me.query())?.id).toBe(userId);
    expect((await admin.client.identity.me.query())?.id).toBe(p.alpha.adminId);
  });

  test("a token naming another tenant but carrying this tenant's secret is nobody", async () => {
    const { browser } = await signUpMember(p, p.alpha.host, { prefix: 'relabel' });
    const [, secret] = requireSessionCookie(browser).split('.');
    const relabelled = p.browser(p.beta.host);
    relabelled.cookies.set('hearth_session', `${p.beta.id.replaceAll('-', '')}.${secret}`);
    expect(await relabelled.client.identity.me.query()).toBeNull();
  });
});
