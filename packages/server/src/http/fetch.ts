import type { AnyRouter } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { Platform } from '../platform.js';
import { createContext, MAX_BODY_BYTES, reportError } from './handler.js';
import { acceptInOnePiece, isCrossSite, normalizeHost, parseCookies } from './request.js';

export interface FetchHandlerOptions {
  /**
   * Path the API is served under.
   * @default '/trpc'
   */
  endpoint?: string;
  /**
   * The client's address, for rate limiting, as your runtime exposes it (for example
   * `CF-Connecting-IP` on Cloudflare). Without it, sign-in is limited per account only.
   */
  getClientAddress?: (request: Request) => string | null;
}

function tooLarge(): Response {
  return new Response(JSON.stringify({ error: { message: 'Request is too large' } }), {
    status: 413,
    headers: { 'content-type': 'application/json' },
  });
}

/** The request, asking tRPC for an answer in one piece (see `acceptInOnePiece`). */
function inOnePiece(request: Request): Request {
  const accept = acceptInOnePiece(request.headers.get('accept'));
  if (accept === null && !request.headers.has('trpc-accept')) return request;
  const headers = new Headers(request.headers);
  headers.delete('trpc-accept');
  if (accept !== null) headers.set('accept', accept);
  return new Request(request, { headers });
}

/** A web-standard `(Request) => Promise<Response>` for edge and serverless runtimes. */
export function createFetchHandler<TRouter extends AnyRouter>(
  platform: Platform<TRouter>,
  options: FetchHandlerOptions = {},
): (request: Request) => Promise<Response> {
  const endpoint = (options.endpoint ?? '/trpc').replace(/\/$/, '');
  return async (request) => {
    const length = request.headers.get('content-length');
    // Only a plain decimal length is trusted; anything else ("abc", "-1") is measured instead,
    // since Number() would turn it into NaN and let the body past the limit unread.
    const declared = length !== null && /^\d+$/.test(length) ? Number(length) : null;
    if (declared !== null && declared > MAX_BODY_BYTES) return tooLarge();
    let req = request;
    if (request.body && declared === null) {
      const body = await request.arrayBuffer();
      if (body.byteLength > MAX_BODY_BYTES) return tooLarge();
      req = new Request(request, { body });
    }
    req = inOnePiece(req);
    const url = new URL(req.url);
    const host = normalizeHost(req.headers.get('host') ?? url.host);
    return fetchRequestHandler({
      endpoint,
      req,
      router: platform.router,
      createContext: ({ resHeaders }) =>
        createContext(platform, {
          host,
          cookies: parseCookies(req.headers.get('cookie')),
          address: options.getClientAddress?.(req) ?? null,
          crossSite: isCrossSite(req.headers, host),
          secure: url.protocol === 'https:',
          setCookie: (cookie) => resHeaders.append('set-cookie', cookie),
        }),
      onError: ({ error, path }) => reportError(error, path),
    });
  };
}
