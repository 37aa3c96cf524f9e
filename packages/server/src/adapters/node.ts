import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { AnyRouter } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { createContext, MAX_BODY_BYTES, reportError } from '../http/handler.js';
import {
  acceptInOnePiece,
  isCrossSite,
  normalizeHost,
  parseCookies,
  type RequestInfo,
} from '../http/request.js';
import type { Platform } from '../platform.js';
import { answerDirectCall, type DirectCallOptions, sendsPlainJson } from './direct-calls.js';

export interface NodeHandlerOptions {
  /**
   * Path the API is served under.
   * @default '/trpc'
   */
  basePath?: string;
  /**
   * Trust `X-Forwarded-For` (its last entry: the address your proxy saw), `X-Forwarded-Host`
   * and `X-Forwarded-Proto` from one reverse proxy in front of the server. Only enable it behind
   * such a proxy, or clients can choose their own address and host.
   * @default false
   */
  trustProxy?: boolean;
  /**
   * Answer plain calls (queries and mutations with JSON input) directly on Node's request and
   * response instead of through tRPC's Fetch API adapter: the same answers for less CPU.
   * Subscriptions and anything unusual always go through tRPC's adapter.
   * @default true
   */
  directCalls?: boolean;
}

export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

function firstHeader(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v?.split(',')[0]?.trim();
}

/**
 * The address the nearest proxy saw. Proxies append to `X-Forwarded-For`, so earlier entries
 * are whatever the client chose to send.
 */
function lastForwardedFor(value: string | string[] | undefined): string | undefined {
  const joined = Array.isArray(value) ? value.join(',') : value;
  return joined?.split(',').at(-1)?.trim() || undefined;
}

export function nodeRequestInfo(
  req: IncomingMessage,
  res: ServerResponse,
  trustProxy: boolean,
): RequestInfo {
  const host = normalizeHost(
    (trustProxy && firstHeader(req.headers['x-forwarded-host'])) || req.headers.host,
  );
  const headers = { get: (name: string) => firstHeader(req.headers[name]) ?? null };
  const forwardedProto = trustProxy ? firstHeader(req.headers['x-forwarded-proto']) : undefined;
  return {
    host,
    cookies: parseCookies(req.headers.cookie),
    address:
      (trustProxy && lastForwardedFor(req.headers['x-forwarded-for'])) ||
      req.socket.remoteAddress ||
      null,
    crossSite: isCrossSite(headers, host),
    secure: forwardedProto
      ? forwardedProto === 'https'
      : Boolean((req.socket as TLSSocket).encrypted),
    setCookie: (cookie) => {
      res.appendHeader('set-cookie', cookie);
    },
  };
}

/** Asks tRPC for an answer in one piece (see `acceptInOnePiece`). */
function answerInOnePiece(headers: IncomingMessage['headers']): void {
  delete headers['trpc-accept'];
  const accept = acceptInOnePiece(headers.accept);
  if (accept !== null) headers.accept = accept;
}

/**
 * A Node.js request listener serving the platform's API under `basePath`. Requests outside it
 * go to `next` (so it can sit in front of an app's own pages), or get a 404.
 */
export function createNodeHandler<TRouter extends AnyRouter>(
  platform: Platform<TRouter>,
  options: NodeHandlerOptions = {},
): NodeHandler {
  const basePath = (options.basePath ?? '/trpc').replace(/\/$/, '');
  const trustProxy = options.trustProxy ?? false;
  const trpc = createHTTPHandler({
    router: platform.router,
    basePath: `${basePath}/`,
    maxBodySize: MAX_BODY_BYTES,
    createContext: ({ req, res }) => createContext(platform, nodeRequestInfo(req, res, trustProxy)),
    onError: ({ error, path }) => reportError(error, path),
  });
  const direct: DirectCallOptions | null =
    options.directCalls !== false && sendsPlainJson(platform.router)
      ? {
          router: platform.router,
          prefix: `${basePath}/`,
          maxBodySize: MAX_BODY_BYTES,
          createContext: (req, res) =>
            createContext(platform, nodeRequestInfo(req, res, trustProxy)),
          onError: reportError,
        }
      : null;
  return (req, res, next) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path.startsWith(`${basePath}/`)) {
      answerInOnePiece(req.headers);
      if (direct && answerDirectCall(direct, req, res)) return;
      trpc(req, res);
      return;
    }
    if (next) {
      next();
      return;
    }
    res.statusCode = 404;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ error: { message: 'Not found' } }));
  };
}
