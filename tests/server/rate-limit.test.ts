import { signInFailures } from '@hearth/db';
import { SIGN_IN_LIMITS } from '@hearth/server';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  addressKey,
  expectError,
  inTenant,
  MESSAGES,
  MINUTE,
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

const TOO_MANY = `Too many attempts. Please wait ${SIGN_IN_LIMITS.windowMinutes} minutes and try again.`;
const WINDOW = SIGN_IN_LIMITS.windowMinutes * MINUTE;
const WRONG = 'not my password at all';

/** Rows in sign_in_failures for one account (by normalised username) or one address. */
async function failures(scope: 'account' | 'address', key: string): Promise<number> {
  const [row] = await inTenant(p, p.alpha.id, (tx) =>
    tx
      .select({ n: count() })
      .from(signInFailures)
      .where(
        and(
          eq(signInFailures.tenantId, p.alpha.id),
          eq(signInFailures.scope, scope),
          eq(signInFailures.key, key),
        ),
      ),
  );
  return row!.n;
}

function attempt(browser: Browser, username: string, password: string) {
  return browser.client.identity.signIn.mutate({ username, password });
}

async function failTimes(browser: Browser, username: string, times: number) {
  for (let i = 0; i < times; i++) {
    await expectError(attempt(browser, username, WRONG), 'UNAUTHORIZED', MESSAGES.wrongCredentials);
  }
}

describe('per account', () => {
  test('after perAccount failures even the right password is refused, until the window passes', async () => {
    const { username, userId } = await signUpMember(p, p.alpha.host, { prefix: 'victim' });
    const attacker = p.browser(p.alpha.host);
    await failTimes(attacker, username, SIGN_IN_LIMITS.perAccount);
    // Each failure was committed although its request's transaction was rolled back.
    expect(await failures('account', username)).toBe(SIGN_IN_LIMITS.perAccount);

    // The owner, from another address, with the right password: refused without a check.
    const owner = p.browser(p.alpha.host);
    const limited = await expectError(
      attempt(owner, username, PASSWORD),
      'TOO_MANY_REQUESTS',
      TOO_MANY,
    );
    expect(limited.data?.httpStatus).toBe(429);
    expect(sessionCookie(owner)).toBeUndefined();
    // Refused attempts are not counted, so waiting out the window is enough.
    expect(await failures('account', username)).toBe(SIGN_IN_LIMITS.perAccount);

    p.clock.advance(WINDOW - MINUTE);
    await expectError(attempt(owner, username, PASSWORD), 'TOO_MANY_REQUESTS', TOO_MANY);

    p.clock.advance(MINUTE + 1000);
    const me = await attempt(owner, username, PASSWORD);
    expect(me.id).toBe(userId);
    expect(sessionCookie(owner)).toBeDefined();
    // A successful sign-in forgets the account's failures.
    expect(await failures('account', username)).toBe(0);
  });

  test('different spellings of one username count against the same account', async () => {
    const { username } = await signUpMember(p, p.alpha.host, { prefix: 'spell' });
    const spellings = [
      username,
      username.toUpperCase(),
      ` ${username} `,
      `\uFF53${username.slice(1)}`, // full-width first letter
      `${username[0]!.toUpperCase()}${username.slice(1)}`,
    ];
    expect(spellings).toHaveLength(SIGN_IN_LIMITS.perAccount);
    const browser = p.browser(p.alpha.host);
    for (const spelling of spellings) {
      await expectError(
        attempt(browser, spelling, WRONG),
        'UNAUTHORIZED',
        MESSAGES.wrongCredentials,
      );
    }
    expect(await failures('account', username)).toBe(SIGN_IN_LIMITS.perAccount);
    await expectError(
      attempt(p.browser(p.alpha.host), username, PASSWORD),
      'TOO_MANY_REQUESTS',
      TOO_MANY,
    );
  });

  test('an unknown username is limited exactly like a real one', async () => {
    const { username } = await signUpMember(p, p.alpha.host, { prefix: 'real' });
    const ghost = uniqueUsername('ghost');
    const browser = p.browser(p.alpha.host);
    await failTimes(browser, ghost, SIGN_IN_LIMITS.perAccount);
    await failTimes(browser, username, SIGN_IN_LIMITS.perAccount);
    expect(await failures('account', ghost)).toBe(SIGN_IN_LIMITS.perAccount);

    const forGhost = await expectError(attempt(browser, ghost, PASSWORD), 'TOO_MANY_REQUESTS');
    const forReal = await expectError(attempt(browser, username, PASSWORD), 'TOO_MANY_REQUESTS');
    expect(forGhost.message).toBe(TOO_MANY);
    expect(forReal.message).toBe(forGhost.message);
    expect(forReal.data?.httpStatus).toBe(forGhost.data?.httpStatus);
    expect(forReal.data?.fieldErrors).toEqual(forGhost.data?.fieldErrors);
  });

  test('a successful sign-in resets the account count', async () => {
    const { username } = await signUpMember(p, p.alpha.host, { prefix: 'reset' });
    const browser = p.browser(p.alpha.host);
    await failTimes(browser, username, SIGN_IN_LIMITS.perAccount - 1);
    await attempt(browser, username, PASSWORD);
    expect(await failures('account', username)).toBe(0);
    // A full allowance again before the limit applies.
    await failTimes(browser, username, SIGN_IN_LIMITS.perAccount - 1);
    await attempt(browser, username, PASSWORD);
  });
});

describe('guesses sent all at once', () => {
  test('are counted one after another: only perAccount are checked, the rest are refused', async () => {
    const { username } = await signUpMember(p, p.alpha.host);
    const guesses = 4 * SIGN_IN_LIMITS.perAccount;
    // Every guess from its own browser and address, so only the account limit applies.
    const outcomes = await Promise.allSettled(
      Array.from({ length: guesses }, () => attempt(p.browser(p.alpha.host), username, WRONG)),
    );
    const messages = outcomes.map((o) =>
      o.status === 'rejected' ? (o.reason as Error).message : 'signed in',
    );
    expect(messages.filter((m) => m === MESSAGES.wrongCredentials)).toHaveLength(
      SIGN_IN_LIMITS.perAccount,
    );
    expect(messages.filter((m) => m === TOO_MANY)).toHaveLength(
      guesses - SIGN_IN_LIMITS.perAccount,
    );
    expect(await failures('account', username)).toBe(SIGN_IN_LIMITS.perAccount);
    // And the right password is refused too until the window passes.
    await expectError(
      attempt(p.browser(p.alpha.host), username, PASSWORD),
      'TOO_MANY_REQUESTS',
      TOO_MANY,
    );
  });
});

describe('per address', () => {
  test('after perAddress failures from one address, any account is refused from it', async () => {
    const address = '10.9.9.9';
    const key = addressKey(address);
    expect(await failures('address', key)).toBe(0);

    // Several browsers behind one address, each trying different usernames, never reaching
    // the per-account limit.
    const perName = SIGN_IN_LIMITS.perAccount - 2;
    const names = Array.from({ length: Math.ceil(SIGN_IN_LIMITS.perAddress / perName) }, () =>
      uniqueUsername('spray'),
    );
    let made = 0;
    for (const [i, name] of names.entries()) {
      const browser = p.browser(p.alpha.host, { address });
      const times = Math.min(perName, SIGN_IN_LIMITS.perAddress - made);
      await failTimes(browser, name, times);
      made += times;
      if (i === 0) expect(await failures('address', key)).toBe(times);
    }
    expect(made).toBe(SIGN_IN_LIMITS.perAddress);
    expect(await failures('address', key)).toBe(SIGN_IN_LIMITS.perAddress);
    // The address is stored only as a keyed hash.
    const stored = await inTenant(p, p.alpha.id, (tx) =>
      tx.select({ key: signInFailures.key }).from(signInFailures),
    );
    expect(stored.some((row) => row.key.includes(address))).toBe(false);

    // A real member with the right password, from the same address: refused.
    const { username, userId } = await signUpMember(p, p.alpha.host, { prefix: 'nearby' });
    const sameAddress = p.browser(p.alpha.host, { address });
    await expectError(attempt(sameAddress, username, PASSWORD), 'TOO_MANY_REQUESTS', TOO_MANY);
    // From anywhere else, the same sign-in works: the limit is the address's, not the account's.
    expect((await attempt(p.browser(p.alpha.host), username, PASSWORD)).id).toBe(userId);

    p.clock.advance(WINDOW + 1000);
    expect((await attempt(p.browser(p.alpha.host, { address }), username, PASSWORD)).id).toBe(
      userId,
    );
  });
});

describe('recording failures', () => {
  test('each failure is committed on its own, one row per account and one per address', async () => {
    const address = '10.7.7.7';
    const browser = p.browser(p.alpha.host, { address });
    const name = uniqueUsername('count');
    const [before] = await inTenant(p, p.alpha.id, (tx) =>
      tx.select({ n: count() }).from(signInFailures),
    );
    await failTimes(browser, name, 3);
    const [after] = await inTenant(p, p.alpha.id, (tx) =>
      tx.select({ n: count() }).from(signInFailures),
    );
    expect(after!.n - before!.n).toBe(6);
    expect(await failures('account', name)).toBe(3);
    expect(await failures('address', addressKey(address))).toBe(3);
  });

  test("failures on one tenant do not count on another's", async () => {
    const name = 'shared_name';
    const alphaBrowser = p.browser(p.alpha.host, { address: '10.6.6.6' });
    await failTimes(alphaBrowser, name, SIGN_IN_LIMITS.perAccount);
    await expectError(attempt(alphaBrowser, name, PASSWORD), 'TOO_MANY_REQUESTS', TOO_MANY);
    // Beta has no such account, so the answer is "incorrect", not "too many".
    await expectError(
      attempt(p.browser(p.beta.host, { address: '10.6.6.6' }), name, PASSWORD),
      'UNAUTHORIZED',
      MESSAGES.wrongCredentials,
    );
  });
});
