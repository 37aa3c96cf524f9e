import type { Actor, Role, TenantConfig } from '@hearth/core';
import { sessions, type Tx } from '@hearth/db';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { PlatformRuntime, SessionScope } from '../../context.js';
import type { RequestInfo } from '../../http/request.js';
import { compileStatement } from '../../statement.js';
import { createSessionToken, parseSessionToken } from './tokens.js';

const SECURE_COOKIE = '__Host-hearth_session';
const PLAIN_COOKIE = 'hearth_session';
/** Writing last-seen on every request would turn every read into a write. */
const TOUCH_INTERVAL_MS = 60_000;

function useSecureCookie(runtime: PlatformRuntime, request: RequestInfo): boolean {
  return runtime.secureCookies === 'auto' ? request.secure : runtime.secureCookies;
}

/** The session token from the request's cookie, if it is well formed. */
export function readSessionCookie(request: RequestInfo) {
  const value = request.cookies.get(SECURE_COOKIE) ?? request.cookies.get(PLAIN_COOKIE);
  return value ? parseSessionToken(value) : null;
}

function writeCookie(
  runtime: PlatformRuntime,
  request: RequestInfo,
  value: string,
  maxAgeSeconds: number,
): void {
  const secure = useSecureCookie(runtime, request);
  const name = secure ? SECURE_COOKIE : PLAIN_COOKIE;
  request.setCookie(
    `${name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`,
  );
}

export function clearSessionCookie(runtime: PlatformRuntime, request: RequestInfo): void {
  writeCookie(runtime, request, '', 0);
}

const minutes = (n: number) => n * 60_000;

/** Starts a new session (a new token every time: sign-in rotates the session). */
export async function startSession(
  tx: Tx,
  runtime: PlatformRuntime,
  request: RequestInfo,
  tenant: { id: string; config: TenantConfig },
  userId: string,
): Promise<SessionScope> {
  const now = runtime.now();
  const { token, hash } = createSessionToken(tenant.id);
  const { sessionIdleMinutes, sessionAbsoluteHours } = tenant.config.identity;
  const absoluteExpiresAt = new Date(now.getTime() + minutes(sessionAbsoluteHours * 60));
  const [row] = await tx
    .insert(sessions)
    .values({
      tenantId: tenant.id,
      userId,
      tokenHash: hash,
      createdAt: now,
      lastSeenAt: now,
      idleExpiresAt: new Date(now.getTime() + minutes(sessionIdleMinutes)),
      absoluteExpiresAt,
    })
    .returning({ id: sessions.id });
  writeCookie(runtime, request, token, sessionAbsoluteHours * 3600);
  return { id: row!.id, absoluteExpiresAt };
}

export async function revokeSession(tx: Tx, tenantId: string, sessionId: string, at: Date) {
  await tx
    .update(sessions)
    .set({ revokedAt: at })
    .where(
      and(eq(sessions.tenantId, tenantId), eq(sessions.id, sessionId), isNull(sessions.revokedAt)),
    );
}

export async function revokeAllSessions(tx: Tx, tenantId: string, userId: string, at: Date) {
  await tx
    .update(sessions)
    .set({ revokedAt: at })
    .where(
      and(eq(sessions.tenantId, tenantId), eq(sessions.userId, userId), isNull(sessions.revokedAt)),
    );
}

/**
 * A session as `resumeSession` needs it, read in the same statement as the tenant, as the
 * driver returns it (timestamps may be text).
 */
export interface SessionRow {
  id: string;
  userId: string;
  lastSeenAt: Date | string;
  idleExpiresAt: Date | string;
  absoluteExpiresAt: Date | string;
  revokedAt: Date | string | null;
  roles: string[];
  disabledAt: Date | string | null;
}

/** Moves a live session's last-seen time and idle deadline forward. */
const touchSession = compileStatement(sql`
  update sessions set last_seen_at = ${sql.placeholder('lastSeenAt')}::timestamptz,
    idle_expires_at = ${sql.placeholder('idleExpiresAt')}::timestamptz
  where tenant_id = ${sql.placeholder('tenantId')}::uuid and id = ${sql.placeholder('id')}::uuid`);

const time = (value: Date | string) => (value instanceof Date ? value : new Date(value)).getTime();

/**
 * The actor behind a session, or null if the session is revoked, idle too long, past its
 * absolute lifetime, or its account is disabled. A live session's idle deadline moves
 * forward, never past the absolute one.
 */
export async function resumeSession(
  tx: Tx,
  runtime: PlatformRuntime,
  tenant: { id: string; config: TenantConfig },
  row: SessionRow,
): Promise<{ actor: Actor; session: SessionScope } | null> {
  const now = runtime.now().getTime();
  const absolute = time(row.absoluteExpiresAt);
  if (row.revokedAt || row.disabledAt || time(row.idleExpiresAt) <= now || absolute <= now) {
    return null;
  }
  if (now - time(row.lastSeenAt) >= TOUCH_INTERVAL_MS) {
    const idle = now + minutes(tenant.config.identity.sessionIdleMinutes);
    await touchSession(tx, {
      lastSeenAt: new Date(now).toISOString(),
      idleExpiresAt: new Date(Math.min(idle, absolute)).toISOString(),
      tenantId: tenant.id,
      id: row.id,
    });
  }
  return {
    actor: { userId: row.userId, tenantId: tenant.id, roles: row.roles as Role[] },
    session: { id: row.id, absoluteExpiresAt: new Date(absolute) },
  };
}
