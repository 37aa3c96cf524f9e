import { createHash, createHmac, randomBytes } from 'node:crypto';

/** 256 random bits, base64url. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

export function keyedHash(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value).digest('base64url');
}

const uuidHex = /^[0-9a-f]{32}$/;

/**
 * A session token names its tenant in the clear, so the session can be looked up under that
 * tenant's row-level security; only the secret part is hashed and stored. A token naming
 * another tenant simply finds no session there.
 */
export function createSessionToken(tenantId: string): { token: string; hash: Buffer } {
  const secret = randomToken();
  return { token: `${tenantId.replaceAll('-', '')}.${secret}`, hash: sha256(secret) };
}

export function parseSessionToken(token: string): { tenantId: string; hash: Buffer } | null {
  const dot = token.indexOf('.');
  if (dot !== 32 || token.length > 100) return null;
  const hex = token.slice(0, 32).toLowerCase();
  const secret = token.slice(33);
  if (!uuidHex.test(hex) || !/^[A-Za-z0-9_-]{43}$/.test(secret)) return null;
  const tenantId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { tenantId, hash: sha256(secret) };
}
