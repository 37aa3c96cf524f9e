import { sessions, signInFailures, users } from '@hearth/db';
import { and, count, eq } from 'drizzle-orm';
// The harness sends requests with undici's fetch, which only encodes its own FormData.
import { FormData } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  CLIENT_HEADERS,
  inTenant,
  MESSAGES,
  type RawResponse,
  rawCall,
  sessionCookie,
  signUpMember,
  uniqueUsername,
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

/** Everything a sign-in or sign-up could write for this tenant. */
async function writes(): Promise<{ users: number; sessions: number; failures: number }> {
  return inTenant(p, p.alpha.id, async (tx) => {
    const [u] = await tx.select({ n: count() }).from(users).where(eq(users.tenantId, p.alpha.id));
    const [s] = await tx
      .select({ n: count() })
      .from(sessions)
      .where(eq(sessions.tenantId, p.alpha.id));
    const [f] = await tx
      .select({ n: count() })
      .from(signInFailures)
      .where(eq(signInFailures.tenantId, p.alpha.id));
    return { users: u!.n, sessions: s!.n, failures: f!.n };
  });
}

function expectRefusedAsCrossSite(response: RawResponse) {
  expect(response.status).toBe(403);
  expect(response.body).toMatchObject({
    error: { message: MESSAGES.crossSite, data: { code: 'FORBIDDEN', httpStatus: 403 } },
  });
  expect(response.setCookies).toEqual([]);
}

/** A sign-in with the right password, a sign-in with a wrong one and a sign-up, all refused. */
async function expectMutationsRefused(browser: Browser, headers: Record<string, string>) {
  const { username } = await signUpMember(p, p.alpha.host, { prefix: 'target' });
  const before = await writes();
  const newName = uniqueUsername('forged');
  expectRefusedAsCrossSite(
    await rawCall(browser, 'identity.signIn', { input: { username, password: PASSWORD }, headers }),
  );
  expectRefusedAsCrossSite(
    await rawCall(browser, 'identity.signIn', {
      input: { username, password: 'a wrong password' },
      headers,
    }),
  );
  expectRefusedAsCrossSite(
    await rawCall(browser, 'identity.signUp', {
      input: { username: newName, password: PASSWORD, ageBand: '16-17' },
      headers,
    }),
  );
  // No session, no recorded failure, no account.
  expect(await writes()).toEqual(before);
  expect(sessionCookie(browser)).toBeUndefined();
  const [created] = await inTenant(p, p.alpha.id, (tx) =>
    tx
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.tenantId, p.alpha.id), eq(users.username, newName))),
  );
  expect(created!.n).toBe(0);
}

describe('mutations from another site are refused', () => {
  test('without the x-hearth-client header', async () => {
    await expectMutationsRefused(p.browser(p.alpha.host), {});
  });

  test('with an Origin of another site, even with the client header', async () => {
    await expectMutationsRefused(p.browser(p.alpha.host), {
      ...CLIENT_HEADERS,
      origin: 'https://evil.example',
    });
  });

  test("with the Origin of a sibling tenant's host", async () => {
    await expectMutationsRefused(p.browser(p.alpha.host), {
      ...CLIENT_HEADERS,
      origin: p.origin(p.beta.host),
    });
  });

  test('with an opaque Origin (null)', async () => {
    await expectMutationsRefused(p.browser(p.alpha.host), { ...CLIENT_HEADERS, origin: 'null' });
  });

  test('with Sec-Fetch-Site: cross-site, even with the client header', async () => {
    await expectMutationsRefused(p.browser(p.alpha.host), {
      ...CLIENT_HEADERS,
      'sec-fetch-site': 'cross-site',
    });
  });

  test('with Sec-Fetch-Site: same-site (a sibling subdomain is another tenant)', async () => {
    await expectMutationsRefused(p.browser(p.alpha.host), {
      ...CLIENT_HEADERS,
      'sec-fetch-site': 'same-site',
    });
  });

  test('from a signed-in browser: the session cannot be used to sign it out', async () => {
    const { browser } = await signUpMember(p, p.alpha.host, { prefix: 'signedin' });
    const refused = await rawCall(browser, 'identity.signOut', {
      headers: { origin: 'https://evil.example' },
    });
    expectRefusedAsCrossSite(refused);
    expect(await browser.client.identity.me.query()).not.toBeNull();
  });

  test('form posts, which any site can send, are refused and write nothing', async () => {
    const { username } = await signUpMember(p, p.alpha.host, { prefix: 'formpost' });
    const browser = p.browser(p.alpha.host);
    const before = await writes();
    const form = new URLSearchParams({ username, password: PASSWORD });
    const attempts: Record<string, string>[] = [
      { 'content-type': 'application/x-www-form-urlencoded' },
      { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      // Even with the client header, a form body is not accepted.
      { 'content-type': 'application/x-www-form-urlencoded', ...CLIENT_HEADERS },
      { 'content-type': 'text/plain' },
    ];
    for (const headers of attempts) {
      const response = await rawCall(browser, 'identity.signIn', {
        body: form.toString(),
        headers,
      });
      expect(response.status, JSON.stringify(headers)).toBeGreaterThanOrEqual(400);
      expect(response.status, JSON.stringify(headers)).toBeLessThan(500);
      expect(response.setCookies).toEqual([]);
    }
    // multipart/form-data is what an <form enctype="multipart/form-data"> sends.
    const multipart = new FormData();
    multipart.set('username', username);
    multipart.set('password', PASSWORD);
    const response = await rawCall(browser, 'identity.signIn', {
      body: multipart as unknown as BodyInit,
    });
    expectRefusedAsCrossSite(response);
    expect(await writes()).toEqual(before);
    expect(sessionCookie(browser)).toBeUndefined();
  });

  test('a mutation cannot be sent as a GET', async () => {
    const browser = p.browser(p.alpha.host);
    const before = await writes();
    const response = await rawCall(browser, 'identity.signUp', {
      method: 'GET',
      input: { username: uniqueUsername('viaget'), password: PASSWORD, ageBand: '16-17' },
    });
    expect(response.status).toBe(405);
    expect(await writes()).toEqual(before);
  });

  test('a batch that includes a mutation without the header is refused', async () => {
    const { username } = await signUpMember(p, p.alpha.host, { prefix: 'batch' });
    const browser = p.browser(p.alpha.host);
    const before = await writes();
    const response = await browser.fetch('/trpc/identity.signIn,identity.signIn?batch=1', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        0: { username, password: PASSWORD },
        1: { username, password: 'another wrong one' },
      }),
    });
    const body = (await response.json()) as { error?: { data?: { code?: string } } }[];
    expect(body.map((item) => item.error?.data?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await writes()).toEqual(before);
  });
});

describe('what is allowed', () => {
  test('queries by GET without the header: reads are not refused', async () => {
    const browser = p.browser(p.alpha.host);
    const branding = await rawCall(browser, 'tenancy.branding', { method: 'GET' });
    expect(branding.status).toBe(200);
    expect(branding.body).toMatchObject({ result: { data: { displayName: 'Alpha Youth Trust' } } });
    const me = await rawCall(browser, 'identity.me', {
      method: 'GET',
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ result: { data: null } });
  });

  test('a same-origin mutation with the header and a matching Origin succeeds', async () => {
    const { username, userId } = await signUpMember(p, p.alpha.host, { prefix: 'sameorigin' });
    const browser = p.browser(p.alpha.host);
    const response = await rawCall(browser, 'identity.signIn', {
      input: { username, password: PASSWORD },
      headers: {
        ...CLIENT_HEADERS,
        origin: p.origin(p.alpha.host),
        'sec-fetch-site': 'same-origin',
      },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ result: { data: { id: userId } } });
    expect(sessionCookie(browser)).toBeDefined();
  });

  test('the real client works', async () => {
    const browser = p.browser(p.alpha.host);
    const username = uniqueUsername('client');
    const me = await browser.client.identity.signUp.mutate({
      username,
      password: PASSWORD,
      ageBand: '13-15',
    });
    expect(me.username).toBe(username);
    expect(await browser.client.identity.signOut.mutate()).toEqual({ signedOut: true });
    expect((await browser.client.identity.signIn.mutate({ username, password: PASSWORD })).id).toBe(
      me.id,
    );
  });
});
