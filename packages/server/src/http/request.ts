/** What Hearth reads from an HTTP request, whichever adapter received it. */
export interface RequestInfo {
  /** Host name without port, lower-cased; null when the request had none. */
  readonly host: string | null;
  readonly cookies: ReadonlyMap<string, string>;
  /** The client's network address, for rate limiting; null when unknown. */
  readonly address: string | null;
  /**
   * True when the request may have been sent by another site: a browser said so
   * (`Sec-Fetch-Site`), its `Origin` differs from the host, or it lacks the header every
   * Hearth client sends. Mutations are refused when true.
   */
  readonly crossSite: boolean;
  /** Whether the request arrived over HTTPS (decides the session cookie's `Secure` flag). */
  readonly secure: boolean;
  setCookie(cookie: string): void;
}

/** Sent by `@hearth/client` on every call. A browser cannot add it to a cross-site form post. */
export const CLIENT_HEADER = 'x-hearth-client';

export function normalizeHost(value: string | null | undefined): string | null {
  if (!value) return null;
  let host = value.trim().toLowerCase();
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    host = end > 0 ? host.slice(0, end + 1) : host;
  } else {
    host = host.split(':')[0] ?? '';
  }
  if (host.endsWith('.')) host = host.slice(0, -1);
  return host.length > 0 && host.length <= 253 ? host : null;
}

export function parseCookies(header: string | null | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    if (!cookies.has(name)) {
      try {
        cookies.set(name, decodeURIComponent(raw));
      } catch {
        // A malformed cookie is ignored rather than failing the request.
      }
    }
  }
  return cookies;
}

export function isCrossSite(
  headers: {
    get(name: string): string | null | undefined;
  },
  host: string | null,
): boolean {
  const fetchSite = headers.get('sec-fetch-site');
  if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') return true;
  const origin = headers.get('origin');
  if (origin && origin !== 'null') {
    try {
      if (normalizeHost(new URL(origin).host) !== host) return true;
    } catch {
      return true;
    }
  } else if (origin === 'null') {
    return true;
  }
  return !headers.get(CLIENT_HEADER);
}

const STREAMED = 'application/jsonl';

/**
 * Hearth answers in one piece, never as streamed JSON lines (tRPC's `httpBatchStreamLink`): a
 * streamed answer sends its headers before the procedures run, so a cookie one of them sets —
 * signing in, clearing a stale session — would be lost, or fail the call. Given a request's
 * `accept` header, returns it without the streamed type, or null when it did not ask for it.
 * Each adapter also drops `trpc-accept`, which asks for the same.
 */
export function acceptInOnePiece(accept: string | null | undefined): string | null {
  if (!accept?.includes(STREAMED)) return null;
  const types = accept.split(',');
  const kept = types.filter((type) => type.trim() !== STREAMED);
  return kept.length === types.length ? null : kept.join(',');
}
