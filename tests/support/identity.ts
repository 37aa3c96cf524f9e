import { createHash, createHmac } from 'node:crypto';
import { getErrorCode, type HearthClientError, isHearthError } from '@hearth/client';
import type { AgeBand, Role, TenantConfigInput } from '@hearth/core';
import type { Tx } from '@hearth/db';
import { provisionTenant, provisionUser } from '@hearth/server';
import { expect } from 'vitest';
import {
  type Browser,
  PASSWORD,
  SECRET,
  type TestPlatform,
  type TestTenant,
  tenantConfig,
} from './platform.js';

/** Messages that are part of the API's contract: clients show them as they are. */
export const MESSAGES = {
  signIn: 'Please sign in to continue',
  forbidden: 'You do not have permission to do that',
  wrongCredentials: 'Username or password is incorrect',
  invitationInvalid: 'This invitation is no longer valid. Ask for a new one.',
  usernameTaken: 'That username is taken — try another',
  noTenant: 'No organisation is served at this address',
  crossSite: 'This request did not come from this site, so it was refused',
} as const;

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

let counter = 0;
/** A username no other test in this file uses (3–24 characters, nothing phone-like). */
export function uniqueUsername(prefix = 'user'): string {
  counter += 1;
  const name = `${prefix}_${counter.toString(36)}`;
  if (name.length > 24) throw new Error(`username "${name}" is too long; shorten the prefix`);
  return name;
}

/**
 * Awaits a call that must fail with `code` (and, when given, exactly `message`), and returns
 * the error for further checks. Fails the test if the call succeeds.
 */
export async function expectError(
  call: Promise<unknown>,
  code: string,
  message?: string,
): Promise<HearthClientError> {
  let result: unknown;
  try {
    result = await call;
  } catch (error) {
    if (!isHearthError(error)) throw error;
    expect(getErrorCode(error), `error message: ${error.message}`).toBe(code);
    if (message !== undefined) expect(error.message).toBe(message);
    return error;
  }
  throw new Error(`Expected ${code} but the call succeeded with ${JSON.stringify(result)}`);
}

/** The session cookie's value, whichever of its two names it has. */
export function sessionCookie(browser: Browser): string | undefined {
  return browser.cookies.get('__Host-hearth_session') ?? browser.cookies.get('hearth_session');
}

/** The session cookie's value, failing the test when the browser has none. */
export function requireSessionCookie(browser: Browser): string {
  const value = sessionCookie(browser);
  if (!value)
    throw new Error(`browser has no session cookie (cookies: ${[...browser.cookies.keys()]})`);
  return value;
}

/** A new browser on `host` that carries a copy of another browser's cookies. */
export function replay(p: TestPlatform, host: string, cookies: Map<string, string>): Browser {
  const thief = p.browser(host);
  for (const [name, value] of cookies) thief.cookies.set(name, value);
  return thief;
}

export function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** How the server keys an address in `sign_in_failures` (HMAC-SHA-256 with the platform secret). */
export function addressKey(address: string): string {
  return createHmac('sha256', SECRET).update(address).digest('base64url');
}

export interface SignedUp {
  browser: Browser;
  username: string;
  userId: string;
}

/** A member who has just signed up (and so is signed in) on `host`. */
export async function signUpMember(
  p: TestPlatform,
  host: string,
  options: { prefix?: string; ageBand?: AgeBand; address?: string } = {},
): Promise<SignedUp> {
  const browser = p.browser(host, options.address ? { address: options.address } : {});
  const username = uniqueUsername(options.prefix ?? 'member');
  const me = await browser.client.identity.signUp.mutate({
    username,
    password: PASSWORD,
    ageBand: options.ageBand ?? '16-17',
  });
  return { browser, username, userId: me.id };
}

/** A fresh browser on `host`, signed in as `username`. */
export async function signIn(
  p: TestPlatform,
  host: string,
  username: string,
  password = PASSWORD,
): Promise<Browser> {
  const browser = p.browser(host);
  await browser.client.identity.signIn.mutate({ username, password });
  return browser;
}

/** A fresh browser signed in as the tenant's org admin. */
export function signInAdmin(p: TestPlatform, tenant: TestTenant): Promise<Browser> {
  return signIn(p, tenant.host, tenant.admin.username, tenant.admin.password);
}

/**
 * Creates a named account directly in the database: staff with an e-mail address
 * (`<username>@example.org`), members with `ageBand`. Hashes cheaply, for tests that make many.
 */
export async function namedAccount(
  p: TestPlatform,
  tenantId: string,
  username: string,
  roles: Role[],
  ageBand: AgeBand = '16-17',
): Promise<string> {
  const { userId } = await provisionUser(
    p.database.db,
    {
      tenantId,
      username,
      password: PASSWORD,
      roles,
      ...(roles[0] === 'member' ? { ageBand } : { email: `${username}@example.org` }),
    },
    { memoryCost: 1024, timeCost: 1 },
  );
  return userId;
}

/** `'OK'`, or the refusal as `CODE: message`, for comparing answers exactly. */
export async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'OK';
  } catch (error) {
    return `${getErrorCode(error)}: ${(error as Error).message}`;
  }
}

/** Creates an account directly in the database (no session), as an operator's script would. */
export async function provisionAccount(
  p: TestPlatform,
  tenantId: string,
  roles: Role[],
  prefix = 'staff',
): Promise<{ userId: string; username: string }> {
  const username = uniqueUsername(prefix);
  const { userId } = await provisionUser(p.database.db, {
    tenantId,
    username,
    password: PASSWORD,
    roles,
    ...(roles.includes('member') ? { ageBand: '16-17' as const } : {}),
  });
  return { userId, username };
}

/**
 * Another tenant with its own host (`<slug>.hearth.test`) and org admin, for tests that change
 * a tenant's configuration or need to know every account in it.
 */
export async function addTenant(
  p: TestPlatform,
  slug: string,
  overrides: Partial<TenantConfigInput> = {},
): Promise<TestTenant> {
  const host = `${slug}.hearth.test`;
  const { tenantId } = await provisionTenant(p.database.db, {
    slug,
    domains: [host],
    config: tenantConfig(`${slug} trust`, overrides),
  });
  const admin = { username: `${slug}_admin`, password: PASSWORD };
  const { userId } = await provisionUser(p.database.db, {
    tenantId,
    username: admin.username,
    password: admin.password,
    roles: ['org_admin'],
    email: `admin@${slug}.example.org`,
  });
  return { id: tenantId, host, adminId: userId, admin };
}

/** Reads the database as the application would for `tenantId` (row-level security applies). */
export function inTenant<T>(
  p: TestPlatform,
  tenantId: string | null,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  return p.database.db.transaction(tenantId, fn);
}

export interface SetCookie {
  name: string;
  value: string;
  /** Attribute names lower-cased; flag attributes map to ''. */
  attributes: Map<string, string>;
}

export function parseSetCookie(line: string): SetCookie {
  const [pair = '', ...rest] = line.split(';');
  const eq = pair.indexOf('=');
  const attributes = new Map<string, string>();
  for (const part of rest) {
    const [name = '', ...value] = part.split('=');
    attributes.set(name.trim().toLowerCase(), value.join('=').trim());
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes };
}

export interface RawResponse {
  status: number;
  body: unknown;
  setCookies: SetCookie[];
}

/**
 * One tRPC call over raw HTTP (no batching), as a page or another site could send it. JSON
 * unless `body` is given; the Hearth client header is sent only when asked for.
 */
export async function rawCall(
  browser: Browser,
  path: string,
  options: {
    method?: 'GET' | 'POST';
    input?: unknown;
    body?: BodyInit;
    headers?: Record<string, string>;
  } = {},
): Promise<RawResponse> {
  const method = options.method ?? 'POST';
  let url = `/trpc/${path}`;
  const init: RequestInit = { method, headers: { ...options.headers } };
  if (method === 'GET') {
    if (options.input !== undefined) {
      url += `?input=${encodeURIComponent(JSON.stringify(options.input))}`;
    }
  } else if (options.body !== undefined) {
    init.body = options.body;
  } else {
    init.headers = { 'content-type': 'application/json', ...options.headers };
    init.body = JSON.stringify(options.input ?? {});
  }
  const response = await browser.fetch(url, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return {
    status: response.status,
    body,
    setCookies: response.headers.getSetCookie().map(parseSetCookie),
  };
}

/** The headers the Hearth client sends with every call. */
export const CLIENT_HEADERS = { 'x-hearth-client': '1' } as const;
